/**
 * The scheduler (kube-scheduler v1.20's default filter plugins, in their order, the first failing one
 * giving the node's reason): NodeUnschedulable, TaintToleration (NoSchedule/NoExecute), NodeAffinity
 * (nodeSelector + required affinity, incl. the DaemonSet pods' matchFields pin), NodePorts,
 * NodeResourcesFit (pods, cpu, memory against allocatable minus the requests of pods bound there).
 * A fitting pod is bound to the least-loaded fitting node (PodScheduled=True, event Scheduled); one
 * that fits nowhere keeps Pending with PodScheduled=False reason Unschedulable and the FitError message
 * ("0/6 nodes are available: 1 Insufficient cpu, 3 node(s) didn't match Pod's node affinity."), and a
 * FailedScheduling event. Unschedulable pods are retried when nodes or bound pods change.
 */
import type { KObj, Store } from '../store.js';
import { podKey, splitKey, type Cache } from './cache.js';
import type { EventRecorder } from './events.js';
import {
  firstUntolerated,
  hostPortsConflict,
  isScheduleEffect,
  isTerminal,
  parseQuantity,
  podHostPorts,
  podMatchesNode,
  podRequests,
  stamp,
  TAINT,
  targetNodeName,
  tolerates,
} from './match.js';

export const REASON = {
  unschedulable: "node(s) were unschedulable",
  affinity: "node(s) didn't match Pod's node affinity",
  ports: "node(s) didn't have free ports for the requested pod ports",
  pods: 'Too many pods',
  cpu: 'Insufficient cpu',
  memory: 'Insufficient memory',
} as const;

export const taintReason = (t: { key: string; value?: string }) => `node(s) had taint {${t.key}: ${t.value ?? ''}}, that the pod didn't tolerate`;

/** The reasons a node rejects a pod (empty: it fits). */
export function filterNode(pod: Readonly<KObj>, node: Readonly<KObj>, boundPods: readonly Readonly<KObj>[]): string[] {
  const spec = pod.spec ?? {};
  if (node.spec?.unschedulable && !(spec.tolerations ?? []).some((t: any) => tolerates(t, { key: TAINT.unschedulable, effect: 'NoSchedule' }))) {
    return [REASON.unschedulable];
  }
  const taint = firstUntolerated(node.spec?.taints, spec.tolerations, isScheduleEffect);
  if (taint) return [taintReason(taint)];
  if (!podMatchesNode(spec, node)) return [REASON.affinity];
  const live = boundPods.filter((p) => p.metadata.uid !== pod.metadata.uid && !isTerminal(p));
  const wanted = podHostPorts(spec);
  if (wanted.length) {
    for (const p of live) {
      for (const hp of podHostPorts(p.spec)) if (wanted.some((w) => hostPortsConflict(w, hp))) return [REASON.ports];
    }
  }
  const alloc = node.status?.allocatable ?? {};
  const out: string[] = [];
  const maxPods = parseQuantity(alloc.pods ?? '110');
  if (live.length + 1 > maxPods) out.push(REASON.pods);
  const req = podRequests(spec);
  let cpu = 0;
  let mem = 0;
  for (const p of live) {
    const r = podRequests(p.spec);
    cpu += r.cpu;
    mem += r.memory;
  }
  const allocCpu = Math.round(parseQuantity(alloc.cpu ?? '0') * 1000);
  const allocMem = parseQuantity(alloc.memory ?? '0');
  if (req.cpu > 0 && cpu + req.cpu > allocCpu) out.push(REASON.cpu);
  if (req.memory > 0 && mem + req.memory > allocMem) out.push(REASON.memory);
  return out;
}

/** FitError.Error(): "0/N nodes are available: <count> <reason>, ... ." with the parts sorted as strings. */
export function fitErrorMessage(total: number, reasonsPerNode: string[][]): string {
  const counts = new Map<string, number>();
  for (const rs of reasonsPerNode) for (const r of rs) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}

export class Scheduler {
  /** Pending pods that fitted nowhere, retried when the cluster changes. */
  readonly unschedulable = new Set<string>();

  constructor(
    private store: Store,
    private cache: Cache,
    private events: EventRecorder,
  ) {}

  wants(p: Readonly<KObj>): boolean {
    return !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler' && !isTerminal(p);
  }

  schedule(key: string): void {
    const pod = this.cache.pod(key);
    if (!pod || !this.wants(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    // Fast path for a pod pinned to one node (DaemonSet pods): only that node can fit.
    const pinned = targetNodeName(pod);
    if (pinned) {
      const node = this.cache.node(pinned);
      if (node && !filterNode(pod, node, this.cache.podsOn(pinned)).length) return this.bind(pod, pinned);
    } else {
      let best: string | undefined;
      let bestLoad = Infinity;
      for (const n of this.cache.nodes()) {
        const node = this.cache.node(n);
        if (!node) continue;
        const bound = this.cache.podsOn(n);
        if (filterNode(pod, node, bound).length) continue;
        const load = bound.length / (parseQuantity(node.status?.allocatable?.pods ?? '110') || 1);
        if (load < bestLoad) {
          best = n;
          bestLoad = load;
        }
      }
      if (best) return this.bind(pod, best);
    }
    const nodes = this.cache.nodes();
    const reasons: string[][] = [];
    for (const n of nodes) {
      const node = this.cache.node(n);
      if (node) reasons.push(filterNode(pod, node, this.cache.podsOn(n)));
    }
    const message = nodes.length ? fitErrorMessage(nodes.length, reasons) : 'no nodes available to schedule pods';
    this.unschedulable.add(key);
    const cond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    if (cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.message === message) return;
    const o = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
    const conditions = (o.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: stamp(this.store.now()), reason: 'Unschedulable', message });
    o.status = { ...(o.status ?? {}), phase: o.status?.phase ?? 'Pending', conditions };
    this.store.update('Pod', o);
    this.events.record(pod, 'Warning', 'FailedScheduling', message);
  }

  private bind(pod: Readonly<KObj>, node: string): void {
    this.unschedulable.delete(podKey(pod.metadata.namespace, pod.metadata.name));
    const o = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
    o.spec.nodeName = node;
    const conditions = (o.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: stamp(this.store.now()) });
    o.status = { ...(o.status ?? {}), phase: o.status?.phase ?? 'Pending', conditions };
    this.store.update('Pod', o);
    this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
  }

  /** Keys of the unschedulable pods (to retry). */
  retryKeys(): string[] {
    return [...this.unschedulable].filter((k) => {
      const [ns, name] = splitKey(k);
      return !!this.store.peek('Pod', ns, name);
    });
  }
}
