import { describe, expect, it } from 'vitest';
import { clusterTotals, computeCoverage, coverageMatrix, podStatus, problemList, schedulerReason } from '../../src/core/coverage.js';
import type { NodeLike, PodLike } from '../../src/core/rollout.js';

// Expectations written by hand from the controller's status rules (updateDaemonSetStatus) and the
// eligibility rules, for a cluster shaped like the `mixed` scenario.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const UID = 'ds-uid';

const ds = {
  metadata: { name: 'agent', namespace: 'ns', uid: UID, generation: 2, annotations: { 'deprecated.daemonset.template.generation': '2' } },
  spec: { selector: { matchLabels: { app: 'agent' } }, minReadySeconds: 10, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { disktype: 'ssd' } } } },
  status: { observedGeneration: 2, desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 1 },
};

function node(name: string, labels: Record<string, string> = { disktype: 'ssd' }, taints: { key: string; value?: string; effect: string }[] = [], ready = true): NodeLike {
  return {
    metadata: { name, labels, creationTimestamp: ago(3600) },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}
const nodes = [
  node('cp-1', { disktype: 'ssd' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
  node('node-1'),
  node('node-2', { disktype: 'ssd' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
  node('node-3', {}),
  node('node-4'),
  node('node-5'),
];

interface PodOpts {
  node?: string;
  pinned?: string;
  hash?: string;
  ready?: boolean;
  readySince?: number;
  created?: number;
  phase?: string;
  deleting?: boolean;
  orphan?: boolean;
  owner?: string;
  waiting?: string;
  restarts?: number;
  scheduledFalse?: string;
}
function pod(name: string, o: PodOpts = {}): PodLike {
  const ready = o.ready ?? true;
  return {
    metadata: {
      name,
      labels: { app: 'agent', 'controller-revision-hash': o.hash ?? 'new' },
      creationTimestamp: ago(o.created ?? 600),
      ...(o.deleting ? { deletionTimestamp: ago(1) } : {}),
      ownerReferences: o.orphan ? [] : [{ uid: o.owner ?? UID, kind: 'DaemonSet', name: 'agent', controller: true }],
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.pinned
        ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [o.pinned] }] }] } } } }
        : {}),
    },
    status: {
      phase: o.phase ?? (o.node ? 'Running' : 'Pending'),
      conditions: [
        ...(o.scheduledFalse ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.scheduledFalse }] : []),
        ...(o.node ? [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(o.readySince ?? 300) }] : []),
      ],
      containerStatuses: o.node
        ? [{ name: 'c', ready, restartCount: o.restarts ?? 0, state: o.waiting ? { waiting: { reason: o.waiting } } : { running: {} } }]
        : [],
    },
  };
}

describe('computeCoverage on the mixed nodes', () => {
  const pods = [
    pod('agent-a', { node: 'node-1' }), // ready, up to date, available
    pod('agent-b', { node: 'node-4', hash: 'old', readySince: 5 }), // ready, old, not available yet (minReadySeconds 10)
    pod('agent-c', { node: 'node-5', ready: false, waiting: 'ImagePullBackOff' }),
    pod('agent-d', { node: 'node-2' }), // misscheduled: node-2 has the untolerated gpu taint
    pod('other', { node: 'node-1', owner: 'someone-else' }), // another controller's pod: ignored
  ];
  const c = computeCoverage({ ds, nodes, pods, currentHash: 'new', now: NOW });

  it('counts as the controller does', () => {
    expect(c.summary).toMatchObject({ desired: 3, current: 3, ready: 2, upToDate: 2, available: 1, misscheduled: 1, nodes: 6, covered: 1, missing: 0, failing: 1, outdated: 1 });
    expect(c.ok).toBe(false);
  });
  it('one row per node with the verdict and the reason', () => {
    const r = Object.fromEntries(c.rows.map((x) => [x.node, x]));
    expect(r['cp-1']!.shouldRun).toBe(false);
    expect(r['cp-1']!.reasons.map((x) => x.message)).toEqual(['taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated']);
    expect(r['node-3']!.reasons.map((x) => x.message)).toEqual(['nodeSelector disktype=ssd: node has no label disktype']);
    expect([r['node-1']!.state, r['node-1']!.status]).toEqual(['ok', 'Running']);
    expect([r['node-4']!.state, r['node-5']!.state, r['node-5']!.status]).toEqual(['outdated', 'failing', 'ImagePullBackOff']);
    expect([r['node-2']!.state, r['node-2']!.status]).toEqual(['misscheduled', 'MISSCHEDULED']);
    expect(r['node-2']!.detail).toBe('pod Running; the controller leaves it running (every NoExecute taint is tolerated)');
    expect([r['node-3']!.state, r['node-3']!.status]).toEqual(['not-eligible', '']);
    expect(r['node-1']!.pods.map((p) => p.name)).toEqual(['agent-a']);
  });
  it('says in one line what is wrong', () => {
    expect(c.diagnosis).toBe('1 of 3 eligible nodes covered: 1 not ready (node-5: ImagePullBackOff), 1 on an old revision (node-4), 1 misscheduled (node-2)');
  });
  it('reports the DaemonSet status as kubectl get ds prints it', () => {
    expect(c.reported).toEqual({ desired: 3, current: 3, ready: 2, upToDate: 2, available: 1, misscheduled: 0 });
  });
});

describe('missing pods', () => {
  it('an eligible node without a pod is MISSING with the likely cause', () => {
    const c = computeCoverage({ ds, nodes, pods: [pod('a', { node: 'node-1' }), pod('b', { node: 'node-4' })], currentHash: 'new', now: NOW });
    const r = c.rows.find((x) => x.node === 'node-5')!;
    expect([r.state, r.status]).toEqual(['missing', 'MISSING']);
    expect(r.detail).toBe('no pod: the DaemonSet controller did not create one (see kubectl get events -n ns --field-selector involvedObject.name=agent)');
    expect(c.summary).toMatchObject({ desired: 3, current: 2, missing: 1, covered: 2 });
    expect(c.diagnosis).toBe('2 of 3 eligible nodes covered: 1 missing (node-5)');
  });
  it('a spec the controller has not observed yet', () => {
    const stale = { ...ds, metadata: { ...ds.metadata, generation: 3 } };
    const c = computeCoverage({ ds: stale, nodes, pods: [], now: NOW });
    expect(c.rows.find((x) => x.node === 'node-1')!.detail).toBe('the controller has not acted on the latest spec yet (observedGeneration 2 < generation 3)');
  });
  it('a terminal pod being deleted does not count, and is named as the cause', () => {
    const c = computeCoverage({ ds, nodes, pods: [pod('dead', { node: 'node-1', phase: 'Failed', deleting: true })], now: NOW });
    const r = c.rows.find((x) => x.node === 'node-1')!;
    expect(r.state).toBe('missing');
    expect(r.detail).toBe('the previous pod dead Failed and is being deleted; the controller recreates it (with back-off)');
    expect(c.summary.current).toBe(0);
  });
  it('a pod being deleted (not terminal) still counts as current, status Terminating', () => {
    const c = computeCoverage({ ds, nodes, pods: [pod('t', { node: 'node-1', deleting: true })], currentHash: 'new', now: NOW });
    const r = c.rows.find((x) => x.node === 'node-1')!;
    expect([r.status, c.summary.current]).toEqual(['Terminating', 1]);
  });
});

describe('pending, duplicates, strays, orphans', () => {
  it('a pending pod pinned to its node counts as current; the scheduler reason is kept', () => {
    const msg = "0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.";
    const c = computeCoverage({ ds, nodes, pods: [pod('p', { pinned: 'node-4', scheduledFalse: msg })], now: NOW });
    const r = c.rows.find((x) => x.node === 'node-4')!;
    expect([r.state, r.status, r.detail]).toEqual(['failing', 'Pending', 'Insufficient cpu']);
    expect(c.summary).toMatchObject({ desired: 3, current: 1, ready: 0 });
  });
  it('host port conflicts read as host port in use', () => {
    expect(schedulerReason("0/6 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 5 node(s) didn't match Pod's node affinity/selector.")).toBe('host port in use');
  });
  it('the v1.20 scheduler wording (taint entries hold commas) reduces to the pod\'s own node', () => {
    const m =
      "0/6 nodes are available: 1 Insufficient cpu, 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 3 node(s) didn't match Pod's node affinity.";
    expect(schedulerReason(m)).toBe('Insufficient cpu');
    expect(schedulerReason('0/1 nodes are available: 1 Insufficient memory, 1 Insufficient cpu.')).toBe('Insufficient memory, Insufficient cpu');
  });
  it('several pods on one node: the oldest bound pod counts', () => {
    const pods = [pod('young', { node: 'node-1', created: 10, ready: false, waiting: 'CrashLoopBackOff' }), pod('old', { node: 'node-1', created: 900 })];
    const c = computeCoverage({ ds, nodes, pods, currentHash: 'new', now: NOW });
    const r = c.rows.find((x) => x.node === 'node-1')!;
    expect(r.pods.map((p) => p.name)).toEqual(['old', 'young']);
    expect(r.state).toBe('ok');
    expect(r.problems).toEqual(['2 pods on one node']);
    expect(c.summary).toMatchObject({ ready: 1, duplicates: 1 });
    expect(c.ok).toBe(false);
  });
  it('a pod with no node, and one on a node that does not exist, are stray', () => {
    const c = computeCoverage({ ds, nodes, pods: [pod('loose'), pod('ghost', { node: 'node-9' })], now: NOW });
    expect(c.strayPods.map((p) => p.name).sort()).toEqual(['ghost', 'loose']);
    expect(problemList([c]).filter((p) => p.state === 'stray').map((p) => p.problem)).toEqual([
      'pod loose is not bound to any node',
      'pod ghost is on node node-9, which does not exist',
    ]);
  });
  it('an orphan the selector matches is counted (the controller adopts it) and flagged', () => {
    const c = computeCoverage({ ds, nodes, pods: [pod('o', { node: 'node-1', orphan: true })], currentHash: 'new', now: NOW });
    const r = c.rows.find((x) => x.node === 'node-1')!;
    expect(r.pods[0]!.orphan).toBe(true);
    expect(c.summary.current).toBe(1);
  });
  it('with the nodes restricted, pods elsewhere are not stray', () => {
    const c = computeCoverage({ ds, nodes: [nodes[1]!], pods: [pod('x', { node: 'node-5' })], now: NOW, allNodes: false });
    expect([c.strayPods.length, c.summary.desired]).toEqual([0, 1]);
  });
  it('a NotReady node drops out of DESIRED and its pod is misscheduled but kept', () => {
    const nr = node('node-1', { disktype: 'ssd' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], false);
    const c = computeCoverage({ ds, nodes: [nr], pods: [pod('a', { node: 'node-1' })], currentHash: 'new', now: NOW });
    expect(c.summary).toMatchObject({ desired: 0, misscheduled: 1 });
    expect(c.rows[0]!.reasons[0]!.message).toBe('node is not ready (taint node.kubernetes.io/not-ready:NoSchedule)');
    expect(c.rows[0]!.shouldContinueRunning).toBe(true);
  });
  it('updated by template generation when the hash is unknown', () => {
    const p = pod('g', { node: 'node-1', hash: 'whatever' });
    p.metadata!.labels!['pod-template-generation'] = '2';
    const c = computeCoverage({ ds, nodes: [nodes[1]!], pods: [p], now: NOW });
    expect(c.summary.upToDate).toBe(1);
  });
  it('all well', () => {
    const pods = ['node-1', 'node-4', 'node-5'].map((n) => pod(`a-${n}`, { node: n }));
    const c = computeCoverage({ ds, nodes, pods, currentHash: 'new', now: NOW });
    expect([c.ok, c.diagnosis]).toEqual([true, 'all 3 eligible nodes run a ready, up-to-date pod']);
  });
});

describe('podStatus', () => {
  it('kubectl-like words', () => {
    expect(podStatus(pod('x', { node: 'n', waiting: 'CrashLoopBackOff', ready: false })).status).toBe('CrashLoopBackOff');
    expect(podStatus(pod('x', { node: 'n', phase: 'Succeeded' })).status).toBe('Completed');
    expect(podStatus(pod('x', { node: 'n', ready: false })).status).toBe('Running');
    expect(podStatus({ metadata: {}, spec: { nodeName: 'n' }, status: { phase: 'Pending' } }).status).toBe('ContainerCreating');
  });
});

describe('matrix, problems and cluster totals', () => {
  const ok = computeCoverage({ ds, nodes, pods: ['node-1', 'node-4', 'node-5'].map((n) => pod(`a-${n}`, { node: n })), currentHash: 'new', now: NOW });
  const ds2 = { ...ds, metadata: { ...ds.metadata, name: 'logs', uid: 'u2' }, spec: { ...ds.spec, template: { spec: { tolerations: [{ operator: 'Exists' }] } } } };
  const bad = computeCoverage({ ds: ds2, nodes, pods: [], now: NOW });
  it('one glyph per node and DaemonSet; per-DaemonSet totals', () => {
    const m = coverageMatrix([ok, bad]);
    expect(m.columns).toEqual(['agent', 'logs']);
    expect(m.rows.map((r) => `${r.node} ${r.cells.join('')}`)).toEqual(['cp-1 ·✗', 'node-1 ✓✗', 'node-2 ·✗', 'node-3 ·✗', 'node-4 ✓✗', 'node-5 ✓✗']);
    expect(m.totals).toEqual(['3/3', '0/6']);
  });
  it('--problems keeps only the rows and columns with a problem', () => {
    const m = coverageMatrix([ok, bad], true);
    expect(m.columns).toEqual(['logs']);
    expect(m.rows.length).toBe(6);
    expect(coverageMatrix([ok], true).rows).toEqual([]);
  });
  it('covered out of eligible per cluster and in total', () => {
    const t = clusterTotals([
      { cluster: 'a', coverages: [ok] },
      { cluster: 'b', coverages: [bad] },
    ]);
    expect(t.clusters.map((c) => [c.cluster, c.covered, c.eligible, c.ok])).toEqual([
      ['a', 3, 3, true],
      ['b', 0, 6, false],
    ]);
    expect([t.total.covered, t.total.eligible, t.total.ok]).toEqual([3, 9, false]);
  });
});
