/**
 * The kubelets of every node and the node lifecycle controller.
 *
 * Kubelet (nothing at all happens on a node annotated sim.kubectl-ds/stopped=true):
 *   - a pod bound to the node gets its status after KUBELET_DELAY_MS: Running and Ready with container
 *     statuses, podIP, hostIP, startTime; by image name, as ../shared/realk8s/fake-kubelet.mjs:
 *     `notfound` -> Pending, waiting ErrImagePull then ImagePullBackOff; `crash` -> Running, not ready,
 *     waiting CrashLoopBackOff with restartCount growing at the kubelet's back-off (10 s, 20 s, ... 5 min);
 *     `slow` -> Running, Ready only after SLOW_READY_MS;
 *   - a pod being deleted (deletionTimestamp) is stopped and removed shortly after;
 *   - heartbeats: a Lease in kube-node-lease renewed periodically, the Ready condition kept True.
 * Node lifecycle controller:
 *   - a Ready node loses node.kubernetes.io/not-ready (new nodes carry it until then);
 *   - a stopped node turns Ready=Unknown ("Kubelet stopped posting node status.") after
 *     nodeNotReadyAfterMs and is tainted node.kubernetes.io/unreachable NoSchedule + NoExecute; its
 *     pods are marked not Ready; a started node turns Ready again and loses the taints;
 *   - spec.unschedulable (cordon) <-> node.kubernetes.io/unschedulable:NoSchedule.
 * The taint manager's NoExecute evictions are not modelled (pods on an unreachable node stay).
 */
import { STOPPED_ANNOTATION as STOPPED } from '../cluster.js';
import type { KObj, Store } from '../store.js';
import { podKey, type Cache } from './cache.js';
import { isPodReady, stamp, TAINT } from './match.js';
import type { KeyedQueue, Runtime } from './runtime.js';

export const KUBELET_DELAY_MS = 100;
export const SLOW_READY_MS = 5000;
/** The node lifecycle controller's grace before a new Ready node loses its not-ready taint. */
export const NOT_READY_TAINT_REMOVAL_MS = 500;
/** Default for nodeNotReadyAfterMs: how long a stopped node stays Ready (real clusters: 40 s; realk8s: ~10 s). */
export const DEFAULT_NODE_NOT_READY_AFTER_MS = 3000;

interface PodRuntime {
  uid: string;
  started: number;
  readyTimer?: () => void;
  crashTimer?: () => void;
  restarts: number;
}

const isStopped = (n: Readonly<KObj> | undefined) => n?.metadata.annotations?.[STOPPED] === 'true';
const readyCond = (n: Readonly<KObj>) => (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');

export class Kubelets {
  private pods = new Map<string, PodRuntime>();
  private ipSeq = 0;
  private notReadyTimers = new Map<string, () => void>();
  /** When each stopped node was first seen stopped. */
  private stoppedAt = new Map<string, number>();
  /** When the controller first saw each node's not-ready taint on a Ready node. */
  private notReadySeen = new Map<string, number>();

  constructor(
    private store: Store,
    private cache: Cache,
    private rt: Runtime,
    /** pod keys to look at (after KUBELET_DELAY_MS) */
    private podQueue: () => KeyedQueue,
    /** node names for the lifecycle controller */
    private nodeQueue: () => KeyedQueue,
    private nodeNotReadyAfterMs: number,
  ) {}

  // ------------------------------------------------------------------------------------------ pods

  syncPod(key: string): void {
    const pod = this.cache.pod(key);
    if (!pod) {
      this.forget(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const node = this.cache.node(nodeName);
    if (!node || isStopped(node)) return;
    const ns = pod.metadata.namespace;
    if (pod.metadata.deletionTimestamp) {
      this.forget(key);
      this.store.forceRemove('Pod', ns, pod.metadata.name);
      return;
    }
    let r = this.pods.get(key);
    if (r && r.uid !== pod.metadata.uid) {
      this.forget(key);
      r = undefined;
    }
    const now = this.store.now();
    if (!r) {
      r = { uid: pod.metadata.uid!, started: now.getTime(), restarts: 0 };
      this.pods.set(key, r);
    }
    const images: string[] = (pod.spec?.containers ?? []).map((c: any) => String(c.image ?? ''));
    const slow = images.some((i) => /slow/.test(i));
    const slowDone = !slow || now.getTime() - r.started >= SLOW_READY_MS;
    if (slow && !slowDone && !r.readyTimer) {
      r.readyTimer = this.rt.after(SLOW_READY_MS - (now.getTime() - r.started), () => {
        r!.readyTimer = undefined;
        this.podQueue().add(key);
      });
    }
    if (images.some((i) => /crash/.test(i)) && !r.crashTimer) {
      if (r.restarts === 0) r.restarts = 1;
      const backoff = () => Math.min(10_000 * 2 ** Math.max(0, r!.restarts - 1), 300_000);
      const tick = () => {
        r!.restarts++;
        this.podQueue().add(key);
        r!.crashTimer = this.rt.after(backoff(), tick, { short: false });
      };
      r.crashTimer = this.rt.after(backoff(), tick, { short: false });
    }
    if (images.some((i) => /notfound/.test(i)) && now.getTime() - r.started < 1000) this.rt.after(1000, () => this.podQueue().add(key));
    const status = this.podStatus(pod, node, r, slowDone);
    const cur = pod.status ?? {};
    if (JSON.stringify(withoutTimes(cur)) === JSON.stringify(withoutTimes(status))) return;
    // Keep transition times of conditions that did not change.
    for (const c of status.conditions) {
      const old = (cur.conditions ?? []).find((x: any) => x.type === c.type);
      if (old && old.status === c.status && old.lastTransitionTime) c.lastTransitionTime = old.lastTransitionTime;
    }
    if (cur.startTime) status.startTime = cur.startTime;
    if (cur.podIP) {
      status.podIP = cur.podIP;
      status.podIPs = [{ ip: cur.podIP }];
    }
    for (const cs of status.containerStatuses) {
      const old = (cur.containerStatuses ?? []).find((x: any) => x.name === cs.name);
      if (old?.state?.running && cs.state.running) cs.state.running.startedAt = old.state.running.startedAt;
    }
    const o = this.store.get('Pod', ns, pod.metadata.name)!;
    o.status = status;
    this.store.update('Pod', o);
  }

  private podStatus(pod: Readonly<KObj>, node: Readonly<KObj>, r: PodRuntime, slowDone: boolean): any {
    const ts = stamp(this.store.now());
    const containers: any[] = (pod.spec?.containers ?? []).map((c: any) => {
      const image = String(c.image ?? '');
      if (/notfound/.test(image)) {
        const first = this.store.now().getTime() - r.started < 1000;
        return {
          name: c.name,
          image,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          lastState: {},
          state: {
            waiting: first
              ? { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found` }
              : { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          },
        };
      }
      if (/crash/.test(image)) {
        return {
          name: c.name,
          image,
          imageID: `sim://${image}`,
          containerID: `sim://${pod.metadata.uid}-${c.name}`,
          ready: false,
          restartCount: r.restarts,
          started: false,
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts, finishedAt: ts, containerID: `sim://${pod.metadata.uid}-${c.name}` } },
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.min(10 * 2 ** Math.max(0, r.restarts - 1), 300)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } },
        };
      }
      const ready = !/slow/.test(image) || slowDone;
      return { name: c.name, image, imageID: `sim://${image}`, containerID: `sim://${pod.metadata.uid}-${c.name}`, ready, restartCount: 0, started: true, lastState: {}, state: { running: { startedAt: ts } } };
    });
    const notReady = containers.filter((c) => !c.ready).map((c) => c.name);
    const allReady = notReady.length === 0;
    const pulling = containers.some((c) => /ImagePull|ErrImagePull/.test(c.state.waiting?.reason ?? ''));
    const cond = (type: string, ok: boolean, reason?: string) => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: ts,
      ...(ok || !reason ? {} : { reason, message: `containers with unready status: [${notReady.join(' ')}]` }),
    });
    const ip = (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
    const n = this.ipSeq++;
    const podIP = `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
    return {
      phase: pulling ? 'Pending' : 'Running',
      conditions: [cond('Initialized', true), cond('Ready', allReady, 'ContainersNotReady'), cond('ContainersReady', allReady, 'ContainersNotReady'), cond('PodScheduled', true)],
      ...(ip ? { hostIP: ip } : {}),
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: ts,
      containerStatuses: containers,
      qosClass: pod.status?.qosClass ?? 'BestEffort',
    };
  }

  forget(key: string): void {
    const r = this.pods.get(key);
    if (!r) return;
    r.readyTimer?.();
    r.crashTimer?.();
    this.pods.delete(key);
  }

  // ------------------------------------------------------------------------------------------ nodes

  /** The node lifecycle controller and the node's own kubelet, for one node. */
  syncNode(name: string): void {
    const node = this.cache.node(name);
    if (!node) {
      this.notReadyTimers.get(name)?.();
      this.notReadyTimers.delete(name);
      this.stoppedAt.delete(name);
      this.notReadySeen.delete(name);
      this.store.forceRemove('Lease', 'kube-node-lease', name);
      return;
    }
    const ready = readyCond(node);
    const nowMs = Date.now();
    const now = stamp(this.store.now());
    let conditions: any[] | undefined;
    if (!isStopped(node)) {
      this.notReadyTimers.get(name)?.();
      this.notReadyTimers.delete(name);
      const wasStopped = this.stoppedAt.delete(name);
      if (wasStopped && ready?.status === 'True') {
        // Back before the grace period ended: it catches up on what happened to its pods meanwhile.
        for (const p of this.cache.podsOn(name)) this.podQueue().add(podKey(p.metadata.namespace, p.metadata.name));
      }
      if (ready?.status !== 'True') {
        // The kubelet is back (or new): it posts healthy conditions, and its pods' statuses again.
        const healthy: any[] = (node.status?.conditions ?? []).map((c: any) => ({ ...c, ...(HEALTHY as any)[c.type], lastHeartbeatTime: now, lastTransitionTime: now }));
        conditions = healthy;
        if (!healthy.some((c) => c.type === 'Ready')) healthy.push({ type: 'Ready', ...HEALTHY.Ready, lastHeartbeatTime: now, lastTransitionTime: now });
        for (const p of this.cache.podsOn(name)) {
          const k = podKey(p.metadata.namespace, p.metadata.name);
          this.forget(k);
          this.podQueue().add(k);
        }
      }
      if (!this.store.peek('Lease', 'kube-node-lease', name)) this.renewLease(name);
    } else if (ready?.status === 'True') {
      // The kubelet is silent: after the grace period the lifecycle controller gives up on it.
      let since = this.stoppedAt.get(name);
      if (since === undefined) this.stoppedAt.set(name, (since = nowMs));
      if (nowMs - since < this.nodeNotReadyAfterMs) {
        if (!this.notReadyTimers.has(name)) {
          const cancel = this.rt.after(since + this.nodeNotReadyAfterMs - nowMs, () => {
            this.notReadyTimers.delete(name);
            this.nodeQueue().add(name);
          }, { short: false });
          this.notReadyTimers.set(name, cancel);
        }
      } else {
        conditions = (node.status?.conditions ?? []).map((c: any) => ({
          ...c,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: now,
        }));
        this.markPodsNotReady(name);
      }
    }
    const readyNow = ((conditions ?? node.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status ?? 'Unknown') as string;
    const taints: any[] = [...(node.spec?.taints ?? [])];
    const want: [string, string][] = [];
    if (readyNow === 'Unknown') want.push([TAINT.unreachable, 'NoSchedule'], [TAINT.unreachable, 'NoExecute']);
    else if (readyNow === 'False') want.push([TAINT.notReady, 'NoSchedule'], [TAINT.notReady, 'NoExecute']);
    if (node.spec?.unschedulable) want.push([TAINT.unschedulable, 'NoSchedule']);
    const wanted = (t: any) => want.some(([k, e]) => k === t.key && e === t.effect);
    const managed = new Set<string>([TAINT.unreachable, TAINT.notReady, TAINT.unschedulable]);
    const newTaints = taints.filter((t) => {
      if (!managed.has(t.key) || wanted(t)) return true;
      if (t.key === TAINT.notReady && readyNow === 'True') {
        // A new node keeps its not-ready taint a moment after it is seen Ready, as on a real cluster.
        let seen = this.notReadySeen.get(name);
        if (seen === undefined) this.notReadySeen.set(name, (seen = nowMs));
        const wait = seen + NOT_READY_TAINT_REMOVAL_MS - nowMs;
        if (wait > 0) {
          this.rt.after(wait + 5, () => this.nodeQueue().add(name));
          return true;
        }
      }
      return false;
    });
    if (!newTaints.some((t) => t.key === TAINT.notReady)) this.notReadySeen.delete(name);
    for (const [key, effect] of want) if (!newTaints.some((t) => t.key === key && t.effect === effect)) newTaints.push({ key, effect, timeAdded: now });
    const taintsChanged = JSON.stringify(newTaints) !== JSON.stringify(taints);
    if (!conditions && !taintsChanged) return;
    const o = this.store.get('Node', undefined, name)!;
    if (conditions) o.status = { ...(o.status ?? {}), conditions };
    if (taintsChanged) {
      if (newTaints.length) o.spec = { ...(o.spec ?? {}), taints: newTaints };
      else if (o.spec) delete o.spec.taints;
    }
    this.store.update('Node', o);
  }

  private markPodsNotReady(node: string): void {
    const ts = stamp(this.store.now());
    for (const p of this.cache.podsOn(node)) {
      if (!isPodReady(p)) continue;
      const o = this.store.get('Pod', p.metadata.namespace, p.metadata.name)!;
      for (const c of o.status.conditions) if (c.type === 'Ready') Object.assign(c, { status: 'False', lastTransitionTime: ts });
      this.store.update('Pod', o);
    }
  }

  private renewLease(name: string): void {
    const now = new Date(this.store.now()).toISOString().replace(/Z$/, '000Z');
    const cur = this.store.get('Lease', 'kube-node-lease', name);
    if (!cur) {
      const node = this.cache.node(name);
      this.store.create('Lease', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: 'kube-node-lease',
          ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }] } : {}),
        },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now },
      });
      return;
    }
    cur.spec = { ...(cur.spec ?? {}), renewTime: now };
    this.store.update('Lease', cur);
  }

  /** Periodic heartbeat of every running node: renews its Lease (batched by the caller). */
  heartbeat(names: readonly string[]): void {
    const now = stamp(this.store.now());
    for (const name of names) {
      const node = this.cache.node(name);
      if (!node || isStopped(node)) continue;
      this.renewLease(name);
      const ready = readyCond(node);
      if (ready?.status === 'True') {
        const o = this.store.get('Node', undefined, name)!;
        for (const c of o.status?.conditions ?? []) c.lastHeartbeatTime = now;
        this.store.update('Node', o);
      }
    }
  }

  stop(): void {
    for (const k of [...this.pods.keys()]) this.forget(k);
  }
}

const HEALTHY = {
  MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
} as const;

function withoutTimes(st: any): unknown {
  return JSON.parse(
    JSON.stringify(st ?? {}, (k, v) => (['lastTransitionTime', 'startTime', 'startedAt', 'finishedAt', 'podIP', 'podIPs', 'message'].includes(k) ? undefined : v)),
  );
}
