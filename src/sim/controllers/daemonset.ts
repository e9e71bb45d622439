/**
 * The DaemonSet controller (upstream pkg/controller/daemon, v1.20 behaviour plus the 1.21+ surge
 * rolling update; ../shared/reference/daemonset-behaviour.md §4):
 *   - eligibility per node from a simulated pod (template + automatic daemon tolerations): template
 *     nodeName, nodeSelector and required node affinity, NoSchedule/NoExecute taints; resources are the
 *     scheduler's business;
 *   - one pod per eligible node, pinned with the single matchFields metadata.name term (the scheduler
 *     binds it), labelled controller-revision-hash and pod-template-generation, owned with
 *     controller + blockOwnerDeletion; pods on nodes no longer eligible are deleted; failed and
 *     succeeded pods replaced; duplicates reduced to the oldest;
 *   - adoption of orphans matching the selector, release of owned pods (and revisions) that no longer match;
 *   - ControllerRevisions: the current one found by its data, an identical older one renumbered
 *     max+1 (rollback), a new one `<ds>-<hash>` otherwise (collisionCount on a clash), history trimmed to
 *     revisionHistoryLimit keeping hashes still on live pods;
 *   - RollingUpdate with maxUnavailable or maxSurge (percentages of desired, rounded up), OnDelete;
 *   - status as updateDaemonSetStatus computes it (the oldest pod per node counts).
 * Store writes are synchronous, so no expectations are needed: observedGeneration follows every sync.
 */
import { defaultPod } from '../validation.js';
import type { KObj, Store } from '../store.js';
import { splitKey, type Cache } from './cache.js';
import type { EventRecorder } from './events.js';
import { revisionData, revisionMatches, templateHash } from './history.js';
import {
  availableAt,
  firstUntolerated,
  isNoExecute,
  isPodAvailable,
  isPodReady,
  isScheduleEffect,
  labelSelectorMatches,
  podMatchesNode,
  targetNodeName,
  withDaemonTolerations,
} from './match.js';
import type { KeyedQueue } from './runtime.js';

const HASH_LABEL = 'controller-revision-hash';
const GEN_LABEL = 'pod-template-generation';
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

export interface Eligibility {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

/** nodeShouldRunDaemonPod: whether a DaemonSet's pod should run (and may keep running) on a node. */
export function nodeShouldRunDaemonPod(podSpec: any, node: Readonly<KObj>): Eligibility {
  const name = node.metadata.name;
  if (podSpec?.nodeName && podSpec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  if (!podMatchesNode(podSpec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(podSpec);
  const taints = node.spec?.taints;
  if (firstUntolerated(taints, tolerations, isScheduleEffect)) {
    return { shouldRun: false, shouldContinueRunning: !firstUntolerated(taints, tolerations, isNoExecute) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** intstr.GetScaledValueFromIntOrPercent(x, total, roundUp=true). */
export function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

/** The pod ordering of podByCreationTimestampAndPhase: bound pods first, then older, then by name. */
function byAge(a: Readonly<KObj>, b: Readonly<KObj>): number {
  const ab = a.spec?.nodeName ? 0 : 1;
  const bb = b.spec?.nodeName ? 0 : 1;
  if (ab !== bb) return ab - bb;
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

const controllerOf = (o: Readonly<KObj>) => (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);

function ownerRef(ds: Readonly<KObj>) {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export class DaemonSetController {
  /** Terminal (Failed) pods seen per DaemonSet/node, for the FailedDaemonPod backoff. */
  private failedBackoff = new Map<string, { until: number; delayMs: number }>();

  constructor(
    private store: Store,
    private cache: Cache,
    private events: EventRecorder,
    private queue: () => KeyedQueue,
  ) {}

  /** The DaemonSets (keys ns/name) a pod event concerns: its controller, or any whose selector matches an orphan. */
  dsKeysForPod(p: Readonly<KObj>): string[] {
    const ref = controllerOf(p);
    const ns = p.metadata.namespace ?? '';
    if (ref) return ref.kind === 'DaemonSet' ? [`${ns}/${ref.name}`] : [];
    const out: string[] = [];
    for (const name of this.cache.dsByNs.get(ns) ?? []) {
      const ds = this.store.peek('DaemonSet', ns, name);
      if (ds && labelSelectorMatches(ds.spec?.selector, p.metadata.labels)) out.push(`${ns}/${name}`);
    }
    return out;
  }

  allKeys(): string[] {
    const out: string[] = [];
    for (const [ns, names] of this.cache.dsByNs) for (const n of names) out.push(`${ns}/${n}`);
    return out;
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const found = this.store.peek('DaemonSet', ns, name);
    if (!found) return;
    if (found.metadata.deletionTimestamp) return; // upstream: nothing is managed (nor status written) for a deleted DaemonSet
    const ds = found;
    const uid = ds.metadata.uid!;

    this.claimPods(ds);
    const { hash, collisionCount } = this.constructHistory(ds);

    // node -> this DaemonSet's pods, by the node they are meant for.
    const podsByNode = new Map<string, Readonly<KObj>[]>();
    const nodeless: Readonly<KObj>[] = [];
    for (const k of this.cache.podsByOwner.get(uid) ?? []) {
      const p = this.cache.pod(k);
      if (!p) continue;
      const node = targetNodeName(p);
      if (!node) {
        nodeless.push(p);
        continue;
      }
      let l = podsByNode.get(node);
      if (!l) podsByNode.set(node, (l = []));
      l.push(p);
    }
    for (const l of podsByNode.values()) if (l.length > 1) l.sort(byAge);

    const podSpec = ds.spec?.template?.spec ?? {};
    const strategy = ds.spec?.updateStrategy ?? {};
    const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
    const tgen = ds.metadata.annotations?.[TEMPLATE_GENERATION];
    const updated = (p: Readonly<KObj>) => p.metadata.labels?.[HASH_LABEL] === hash || (tgen !== undefined && p.metadata.labels?.[GEN_LABEL] === tgen);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = Date.now();
    const available = (p: Readonly<KObj>) => isPodAvailable(p, minReady, now);

    const nodes = this.cache.nodes();
    const elig = new Map<string, Eligibility>();
    for (const n of nodes) {
      const node = this.cache.node(n);
      if (node) elig.set(n, nodeShouldRunDaemonPod(podSpec, node));
    }
    const desired = [...elig.values()].filter((e) => e.shouldRun).length;
    const ru = strategy.rollingUpdate ?? {};
    let maxSurge = rolling ? scaled(ru.maxSurge ?? 0, desired) : 0;
    let maxUnavailable = rolling ? scaled(ru.maxUnavailable ?? 1, desired) : 0;
    if (rolling && maxSurge === 0 && maxUnavailable === 0 && desired > 0) maxUnavailable = 1;
    if (maxSurge > 0) maxUnavailable = 0;

    // --- manage: pods that should (not) be on each node
    const createOn: string[] = [];
    const toDelete = new Set<string>();
    for (const n of nodes) {
      const e = elig.get(n);
      if (!e) continue;
      const pods = podsByNode.get(n);
      if (e.shouldRun && !pods) {
        createOn.push(n);
      } else if (e.shouldContinueRunning && pods) {
        const running: Readonly<KObj>[] = [];
        for (const p of pods) {
          if (p.metadata.deletionTimestamp) continue;
          if (p.status?.phase === 'Failed') {
            const bk = `${key}|${n}`;
            const b = this.failedBackoff.get(bk);
            if (b && b.until > now) {
              this.queue().addAfter(key, b.until - now);
              running.push(p);
              continue;
            }
            const delayMs = Math.min((b?.delayMs ?? 500) * 2, 15 * 60_000);
            this.failedBackoff.set(bk, { until: now + delayMs, delayMs });
            this.events.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${p.metadata.name} on node ${n}, will try to kill it`);
            toDelete.add(p.metadata.name);
            continue;
          }
          if (p.status?.phase === 'Succeeded') {
            toDelete.add(p.metadata.name);
            continue;
          }
          running.push(p);
        }
        if (running.length > 1) {
          if (maxSurge === 0) {
            for (const p of running.slice(1)) toDelete.add(p.metadata.name);
          } else {
            let oldestNew: Readonly<KObj> | undefined;
            let oldestOld: Readonly<KObj> | undefined;
            for (const p of running) {
              if (p.metadata.labels?.[HASH_LABEL] === hash) {
                if (!oldestNew) {
                  oldestNew = p;
                  continue;
                }
              } else if (!oldestOld) {
                oldestOld = p;
                continue;
              }
              toDelete.add(p.metadata.name);
            }
            if (oldestNew && oldestOld && (!isPodReady(oldestOld) || available(oldestNew))) toDelete.add(oldestOld.metadata.name);
          }
        }
      } else if (!e.shouldContinueRunning && pods) {
        for (const p of pods) if (!p.metadata.deletionTimestamp) toDelete.add(p.metadata.name);
      }
    }
    // Pods meant for a node that no longer exists (and not bound: the pod GC takes bound ones).
    for (const [n, pods] of podsByNode) {
      if (elig.has(n)) continue;
      for (const p of pods) if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) toDelete.add(p.metadata.name);
    }
    for (const p of nodeless) if (!p.metadata.deletionTimestamp && !p.spec?.nodeName) toDelete.add(p.metadata.name);

    // --- rolling update (when manage has nothing to do)
    if (rolling && !createOn.length && !toDelete.size) {
      const candidates = new Map<string, Readonly<KObj>[]>();
      for (const n of nodes) if (elig.get(n)?.shouldRun) candidates.set(n, podsByNode.get(n) ?? []);
      for (const [n, pods] of podsByNode) if (!candidates.has(n)) candidates.set(n, pods);
      // (split is the surge path's findUpdatedPodsOnNode)
      const split = (pods: Readonly<KObj>[]) => {
        let newPod: Readonly<KObj> | undefined;
        let oldPod: Readonly<KObj> | undefined;
        for (const p of pods) {
          if (p.metadata.deletionTimestamp) continue;
          if (updated(p)) {
            if (newPod) return undefined;
            newPod = p;
          } else {
            if (oldPod) return undefined;
            oldPod = p;
          }
        }
        return { newPod, oldPod };
      };
      if (maxSurge === 0) {
        // v1.20 (getUnavailableNumbers): a desired node without an available, non-terminating pod is
        // unavailable; old pods that are not available go at once, available ones while the count
        // stays within maxUnavailable.
        let numUnavailable = 0;
        for (const n of nodes) {
          if (!elig.get(n)?.shouldRun) continue;
          if (!(podsByNode.get(n) ?? []).some((p) => !p.metadata.deletionTimestamp && available(p))) numUnavailable++;
        }
        const oldAvailable: Readonly<KObj>[] = [];
        for (const [, pods] of candidates) {
          for (const p of pods) {
            if (updated(p) || p.metadata.deletionTimestamp) continue;
            if (available(p)) oldAvailable.push(p);
            else toDelete.add(p.metadata.name);
          }
        }
        for (const p of oldAvailable) {
          if (numUnavailable >= maxUnavailable) break;
          toDelete.add(p.metadata.name);
          numUnavailable++;
        }
      } else {
        let numSurge = 0;
        const allowedNodes: string[] = [];
        const candidateNodes: string[] = [];
        for (const [n, pods] of candidates) {
          const s = split(pods);
          if (!s) {
            numSurge++;
            continue;
          }
          const { newPod, oldPod } = s;
          if (!oldPod) continue;
          if (!newPod) {
            if (!available(oldPod)) allowedNodes.push(n);
            else if (numSurge < maxSurge) candidateNodes.push(n);
          } else if (!available(newPod)) numSurge++;
          else toDelete.add(oldPod.metadata.name);
        }
        const remaining = Math.max(0, Math.min(maxSurge - numSurge, candidateNodes.length));
        createOn.push(...allowedNodes, ...candidateNodes.slice(0, remaining));
      }
    }

    // --- act: deletions, then creations
    for (const podName of toDelete) {
      try {
        this.store.requestDeletion('Pod', ns, podName, {});
        this.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
      } catch {
        /* already gone */
      }
    }
    if (createOn.length) {
      const template = ds.spec?.template ?? {};
      for (const n of createOn) {
        const pod = this.newPod(ds, template, n, hash, tgen);
        const created = this.store.create('Pod', pod);
        this.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      }
    }

    this.cleanupHistory(ds, hash);
    this.updateStatus(key, hash, tgen, collisionCount, minReady);
  }

  private newPod(ds: Readonly<KObj>, template: any, node: string, hash: string, tgen: string | undefined): KObj {
    const meta = template.metadata ?? {};
    const spec = JSON.parse(JSON.stringify(template.spec ?? {}));
    spec.tolerations = withDaemonTolerations(spec);
    const na = ((spec.affinity ??= {}).nodeAffinity ??= {});
    na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
    const labels: Record<string, string> = { ...(meta.labels ?? {}), [HASH_LABEL]: hash };
    if (tgen !== undefined) labels[GEN_LABEL] = tgen;
    const pod: KObj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels,
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ownerReferences: [ownerRef(ds)],
      },
      spec,
      status: { phase: 'Pending' },
    };
    defaultPod(pod);
    pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
    return pod;
  }

  /** ClaimPods: adopt matching orphans, release owned pods that no longer match. */
  private claimPods(ds: Readonly<KObj>): void {
    const ns = ds.metadata.namespace ?? '';
    const uid = ds.metadata.uid!;
    const sel = ds.spec?.selector;
    for (const k of [...(this.cache.orphanPods.get(ns) ?? [])]) {
      const p = this.cache.pod(k);
      if (!p || p.metadata.deletionTimestamp || !labelSelectorMatches(sel, p.metadata.labels)) continue;
      const o = this.store.get('Pod', ns, p.metadata.name)!;
      o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ownerRef(ds)];
      this.store.update('Pod', o);
    }
    for (const k of [...(this.cache.podsByOwner.get(uid) ?? [])]) {
      const p = this.cache.pod(k);
      if (!p || p.metadata.deletionTimestamp || labelSelectorMatches(sel, p.metadata.labels)) continue;
      const o = this.store.get('Pod', ns, p.metadata.name)!;
      o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
      this.store.update('Pod', o);
    }
  }

  /** This DaemonSet's ControllerRevisions (adopting matching orphans, releasing non-matching ones). */
  private revisions(ds: Readonly<KObj>): KObj[] {
    const ns = ds.metadata.namespace ?? '';
    const uid = ds.metadata.uid!;
    const out: KObj[] = [];
    for (const name of [...(this.cache.crsByNs.get(ns) ?? [])]) {
      const cr = this.store.peek('ControllerRevision', ns, name);
      if (!cr) continue;
      const ref = controllerOf(cr);
      const matches = labelSelectorMatches(ds.spec?.selector, cr.metadata.labels);
      if (ref?.uid === uid) {
        if (matches || cr.metadata.deletionTimestamp) out.push(cr as KObj);
        else {
          const o = this.store.get('ControllerRevision', ns, name)!;
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (!o.metadata.ownerReferences.length) delete o.metadata.ownerReferences;
          this.store.update('ControllerRevision', o);
        }
      } else if (!ref && matches && !cr.metadata.deletionTimestamp) {
        const o = this.store.get('ControllerRevision', ns, name)!;
        o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), ownerRef(ds)];
        out.push(this.store.update('ControllerRevision', o));
      }
    }
    return out;
  }

  /** constructHistory + snapshot: the current revision's hash (creating or renumbering a revision as needed). */
  private constructHistory(ds: Readonly<KObj>): { hash: string; collisionCount: number | undefined } {
    const ns = ds.metadata.namespace ?? '';
    const template = ds.spec?.template ?? {};
    const revs = this.revisions(ds);
    let collisionCount: number | undefined = ds.status?.collisionCount;
    const maxRev = revs.reduce((m, r) => Math.max(m, Number(r.revision) || 0), 0);
    const current = revs.filter((r) => revisionMatches(r.data, template)).sort((a, b) => (Number(b.revision) || 0) - (Number(a.revision) || 0));
    // Duplicates of the current one (same data): keep the newest.
    for (const dup of current.slice(1)) {
      try {
        this.store.requestDeletion('ControllerRevision', ns, dup.metadata.name, {});
      } catch {
        /* gone */
      }
    }
    const cur = current[0];
    if (cur) {
      if ((Number(cur.revision) || 0) < maxRev) {
        const o = this.store.get('ControllerRevision', ns, cur.metadata.name)!;
        o.revision = maxRev + 1;
        this.store.update('ControllerRevision', o);
      }
      return { hash: cur.metadata.labels?.[HASH_LABEL] ?? cur.metadata.name.slice(ds.metadata.name.length + 1), collisionCount };
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const hash = templateHash(template, collisionCount);
      const name = `${ds.metadata.name}-${hash}`;
      const existing = this.store.peek('ControllerRevision', ns, name);
      if (existing) {
        // The same name with other data: a hash collision. Upstream bumps collisionCount and retries.
        if (revisionMatches(existing.data, template) && controllerOf(existing)?.uid === ds.metadata.uid) return { hash, collisionCount };
        collisionCount = (collisionCount ?? 0) + 1;
        continue;
      }
      this.store.create('ControllerRevision', {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: ns,
          labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
          ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
          ownerReferences: [ownerRef(ds)],
        },
        data: revisionData(template),
        revision: maxRev + 1,
      });
      return { hash, collisionCount };
    }
    throw new Error(`daemonset ${ns}/${ds.metadata.name}: no free revision name`);
  }

  /** cleanupHistory: beyond revisionHistoryLimit, the oldest revisions no live pod uses are deleted. */
  private cleanupHistory(ds: Readonly<KObj>, hash: string): void {
    const ns = ds.metadata.namespace ?? '';
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    const uid = ds.metadata.uid!;
    const live = new Set<string>([hash]);
    for (const k of this.cache.podsByOwner.get(uid) ?? []) {
      const h = this.cache.pod(k)?.metadata.labels?.[HASH_LABEL];
      if (h) live.add(h);
    }
    const old: Readonly<KObj>[] = [];
    for (const name of this.cache.crsByNs.get(ns) ?? []) {
      const cr = this.store.peek('ControllerRevision', ns, name);
      if (!cr || controllerOf(cr)?.uid !== uid || cr.metadata.deletionTimestamp) continue;
      if (!live.has(cr.metadata.labels?.[HASH_LABEL] ?? '')) old.push(cr);
    }
    if (old.length <= limit) return;
    old.sort((a, b) => (Number(a.revision) || 0) - (Number(b.revision) || 0));
    for (const cr of old.slice(0, old.length - limit)) {
      try {
        this.store.requestDeletion('ControllerRevision', ns, cr.metadata.name, {});
      } catch {
        /* gone */
      }
    }
  }

  private updateStatus(key: string, hash: string, tgen: string | undefined, collisionCount: number | undefined, minReady: number): void {
    const [ns, name] = splitKey(key);
    const ds = this.store.peek('DaemonSet', ns, name);
    if (!ds) return;
    const podSpec = ds.spec?.template?.spec ?? {};
    const byNode = new Map<string, Readonly<KObj>[]>();
    for (const k of this.cache.podsByOwner.get(ds.metadata.uid!) ?? []) {
      const p = this.cache.pod(k);
      if (!p) continue;
      const phase = p.status?.phase;
      if (p.metadata.deletionTimestamp && (phase === 'Failed' || phase === 'Succeeded')) continue;
      const n = targetNodeName(p);
      if (!n) continue;
      let l = byNode.get(n);
      if (!l) byNode.set(n, (l = []));
      l.push(p);
    }
    const now = Date.now();
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    let nextAvailable = Infinity;
    for (const n of this.cache.nodes()) {
      const node = this.cache.node(n);
      if (!node) continue;
      const { shouldRun } = nodeShouldRunDaemonPod(podSpec, node);
      const pods = byNode.get(n);
      if (shouldRun) {
        desired++;
        if (pods?.length) {
          current++;
          const p = pods.length > 1 ? [...pods].sort(byAge)[0]! : pods[0]!;
          if (isPodReady(p)) {
            ready++;
            if (isPodAvailable(p, minReady, now)) available++;
            else nextAvailable = Math.min(nextAvailable, availableAt(p, minReady) ?? Infinity);
          }
          if (p.metadata.labels?.[HASH_LABEL] === hash || (tgen !== undefined && p.metadata.labels?.[GEN_LABEL] === tgen)) updated++;
        }
      } else if (pods?.length) misscheduled++;
    }
    const status: Record<string, number> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
    };
    if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (desired - available > 0) status.numberUnavailable = desired - available;
    if (collisionCount !== undefined) status.collisionCount = collisionCount;
    if (JSON.stringify(ds.status ?? {}) !== JSON.stringify(status)) {
      const o = this.store.get('DaemonSet', ns, name)!;
      o.status = status;
      this.store.update('DaemonSet', o);
    }
    // minReadySeconds: look again when the next pod turns available.
    if (Number.isFinite(nextAvailable)) this.queue().addAfter(key, Math.max(10, nextAvailable - now + 10));
  }
}

/** The pod's QoS class (only what shows in `kubectl get -o yaml`). */
function qosClass(spec: any): string {
  const cs = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
