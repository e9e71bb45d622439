/**
 * The simulated control loops: the DaemonSet controller (daemonset.ts), the scheduler (scheduler.ts),
 * the kubelets and the node lifecycle controller (kubelet.ts). They are driven by store events through
 * the indexes in cache.ts (as informers drive the real ones) and keyed work queues (runtime.ts): a key
 * queued many times before its turn is processed once, so a DaemonSet on thousands of nodes is synced
 * a handful of times, not once per pod event.
 *
 * `settle()` resolves when no work is queued and no short timer (<= 1 s: the kubelet's start-up delay,
 * the not-ready taint's grace, ErrImagePull -> ImagePullBackOff) is pending. Long timers (slow
 * readiness after 5 s, crash-loop restarts, a stopped node turning NotReady after nodeNotReadyAfterMs,
 * heartbeats) do not hold it up.
 */
import { STOPPED_ANNOTATION } from '../cluster.js';
import type { KObj, Store, StoreEvent } from '../store.js';
import { Cache, controllerRef, podKey } from './cache.js';
import { DaemonSetController } from './daemonset.js';
import { EventRecorder } from './events.js';
import { DEFAULT_NODE_NOT_READY_AFTER_MS, KUBELET_DELAY_MS, Kubelets } from './kubelet.js';
import { KeyedQueue, Runtime } from './runtime.js';
import { Scheduler } from './scheduler.js';

export { DEFAULT_NODE_NOT_READY_AFTER_MS } from './kubelet.js';

export interface ControllerOptions {
  /** How long a stopped node keeps Ready before it turns NotReady/Unknown (default 3000 ms; a real cluster: 40 s). */
  nodeNotReadyAfterMs?: number;
  /** How often running nodes renew their Lease and Ready heartbeat (default 10 s; at most 500 nodes a round). */
  heartbeatIntervalMs?: number;
}

export interface Controllers {
  stop(): void;
  /** Resolves when every controller is idle. */
  settle(): Promise<void>;
}

/** What of a node the DaemonSet controller and the scheduler look at. */
const nodeShape = (n: KObj | undefined) =>
  n ? JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable]) : '';
/** What of a node the lifecycle controller and the kubelet react to. */
const nodeHealth = (n: KObj | undefined) =>
  n
    ? JSON.stringify([
        n.metadata.annotations?.[STOPPED_ANNOTATION],
        (n.status?.conditions ?? []).map((c: any) => `${c.type}=${c.status}`),
        n.spec?.taints,
        n.spec?.unschedulable,
      ])
    : '';

export function startControllers(store: Store, opts: ControllerOptions = {}): Controllers {
  const rt = new Runtime();
  const cache = new Cache(store);
  const dsEvents = new EventRecorder(store, 'daemonset-controller');
  const schedEvents = new EventRecorder(store, 'default-scheduler');

  let dsQueue: KeyedQueue;
  let schedQueue: KeyedQueue;
  let podQueue: KeyedQueue;
  let nodeQueue: KeyedQueue;
  const dsc = new DaemonSetController(store, cache, dsEvents, () => dsQueue);
  const scheduler = new Scheduler(store, cache, schedEvents);
  const kubelets = new Kubelets(store, cache, rt, () => podQueue, () => nodeQueue, opts.nodeNotReadyAfterMs ?? DEFAULT_NODE_NOT_READY_AFTER_MS);
  dsQueue = new KeyedQueue(rt, 5, (k) => dsc.sync(k));
  schedQueue = new KeyedQueue(rt, 0, (k) => scheduler.schedule(k));
  podQueue = new KeyedQueue(rt, KUBELET_DELAY_MS, (k) => kubelets.syncPod(k));
  nodeQueue = new KeyedQueue(rt, 0, (n) => kubelets.syncNode(n));
  const retryUnschedulable = () => {
    for (const k of scheduler.retryKeys()) schedQueue.add(k);
  };

  const onPod = (e: StoreEvent) => {
    const p = e.object;
    const key = podKey(p.metadata.namespace, p.metadata.name);
    for (const k of dsc.dsKeysForPod(p)) dsQueue.add(k);
    if (e.prev && controllerRef(e.prev)?.uid !== controllerRef(p)?.uid) for (const k of dsc.dsKeysForPod(e.prev)) dsQueue.add(k);
    if (e.type === 'DELETED') {
      kubelets.forget(key);
      scheduler.unschedulable.delete(key);
      if (p.spec?.nodeName) retryUnschedulable();
      return;
    }
    if (scheduler.wants(p)) {
      if (e.type === 'ADDED' || !scheduler.unschedulable.has(key)) schedQueue.add(key);
    }
    if (p.spec?.nodeName) {
      const bound = !e.prev?.spec?.nodeName;
      const deleting = !!p.metadata.deletionTimestamp && !e.prev?.metadata.deletionTimestamp;
      if (bound || deleting) podQueue.add(key);
      if (deleting || (p.status?.phase !== e.prev?.status?.phase && /Succeeded|Failed/.test(p.status?.phase ?? ''))) retryUnschedulable();
    }
  };

  cache.on((e) => {
    switch (e.kind) {
      case 'Pod':
        return onPod(e);
      case 'Node': {
        const name = e.object.metadata.name;
        if (e.type !== 'MODIFIED' || nodeShape(e.prev) !== nodeShape(e.object)) {
          for (const k of dsc.allKeys()) dsQueue.add(k);
          retryUnschedulable();
        }
        if (e.type !== 'MODIFIED' || nodeHealth(e.prev) !== nodeHealth(e.object)) nodeQueue.add(name);
        return;
      }
      case 'DaemonSet':
        if (e.type !== 'DELETED') dsQueue.add(podKey(e.object.metadata.namespace, e.object.metadata.name));
        return;
      case 'ControllerRevision': {
        const ref = controllerRef(e.object);
        if (ref?.kind === 'DaemonSet') dsQueue.add(podKey(e.object.metadata.namespace, ref.name));
        return;
      }
    }
  });

  // What is already there (a simulator restarted on a store, or nodes created before us).
  for (const n of cache.nodes()) nodeQueue.add(n);
  for (const k of dsc.allKeys()) dsQueue.add(k);
  for (const p of store.peekAll('Pod')) {
    const key = podKey(p.metadata.namespace, p.metadata.name);
    if (scheduler.wants(p)) schedQueue.add(key);
    else if (p.spec?.nodeName) podQueue.add(key);
  }

  // Heartbeats: every interval, the next (at most) 500 running nodes renew their Lease and Ready time.
  let cursor = 0;
  const stopBeat = rt.every(opts.heartbeatIntervalMs ?? 10_000, () => {
    const nodes = cache.nodes();
    if (!nodes.length) return;
    const n = Math.min(500, nodes.length);
    const batch: string[] = [];
    for (let i = 0; i < n; i++) batch.push(nodes[(cursor + i) % nodes.length]!);
    cursor = (cursor + n) % nodes.length;
    kubelets.heartbeat(batch);
  });

  return {
    stop() {
      stopBeat();
      kubelets.stop();
      rt.stop();
      cache.stop();
    },
    settle: () => rt.settle(),
  };
}
