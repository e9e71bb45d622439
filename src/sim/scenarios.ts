/**
 * Named clusters the simulator starts with.
 *   mixed  the same nodes as the realk8s setup in .ci/run: a tainted control-plane node, a node with a
 *          custom NoSchedule taint, one without the disktype label, one too small, the rest plain;
 *          `nodes` above 6 adds plain node-6, node-7, ...
 *   large  `nodes` plain nodes node-1..node-N (default 500), for scale
 *   empty  no nodes
 */
import type { KObj } from './store.js';

export const SCENARIOS = ['mixed', 'large', 'empty'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  /** cpu cores (4 by default) */
  cpu?: number | string;
  /** memory quantity ("8Gi" by default) */
  memory?: string;
  /** pod capacity (110 by default) */
  pods?: number;
  controlPlane?: boolean;
}

export const DEFAULT_LARGE_NODES = 500;
export const MIXED_NODES = 6;

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** The nodes of a scenario; throws an Error with a one-line message for a node count that does not fit. */
export function scenarioNodes(name: ScenarioName, nodes?: number): NodeSpec[] {
  switch (name) {
    case 'mixed': {
      const n = nodes ?? MIXED_NODES;
      if (n < MIXED_NODES) throw new Error(`the mixed scenario has at least ${MIXED_NODES} nodes (got --nodes ${n})`);
      const ssd = { disktype: 'ssd' };
      const out: NodeSpec[] = [
        { name: 'cp-1', controlPlane: true, labels: ssd },
        { name: 'node-1', labels: ssd },
        { name: 'node-2', labels: ssd, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        { name: 'node-3' },
        { name: 'node-4', labels: ssd, cpu: 1, memory: '1Gi' },
        { name: 'node-5', labels: ssd },
      ];
      for (let i = MIXED_NODES; i < n; i++) out.push({ name: `node-${i}` });
      return out;
    }
    case 'large': {
      const n = nodes ?? DEFAULT_LARGE_NODES;
      return Array.from({ length: n }, (_, i) => ({ name: `node-${i + 1}` }));
    }
    case 'empty':
      if (nodes) throw new Error('the empty scenario has no nodes; use --scenario large for plain nodes');
      return [];
  }
}

/** The Node object for a spec: capacity, nodeInfo, addresses, labels, a Ready condition; `index` numbers its IP. */
export function nodeObject(spec: NodeSpec, index: number, now: Date, opts: { notReadyTaint?: boolean } = {}): KObj {
  const ts = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    ...(spec.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } : {}),
    ...(spec.labels ?? {}),
  };
  const taints = [...(spec.taints ?? [])].map((t) => ({ ...t }));
  if (spec.controlPlane && !taints.some((t) => t.key === 'node-role.kubernetes.io/control-plane')) {
    taints.unshift({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  }
  if (opts.notReadyTaint) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: ts } as any);
  const cap = { cpu: String(spec.cpu ?? 4), memory: spec.memory ?? '8Gi', pods: String(spec.pods ?? 110), 'ephemeral-storage': '100Gi' };
  const n = index + 1;
  const ip = `10.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: spec.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: { podCIDR: `10.244.${n % 256}.0/24`, podCIDRs: [`10.244.${n % 256}.0/24`], ...(taints.length ? { taints } : {}) },
    status: {
      capacity: cap,
      allocatable: { ...cap },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '6.1.0-sim',
        osImage: 'kubectl-ds simulated node',
        containerRuntimeVersion: 'sim://1.0.0',
        kubeletVersion: 'v1.30.0',
        kubeProxyVersion: 'v1.30.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
