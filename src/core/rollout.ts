/**
 * DaemonSet rollouts, pure: plain objects in, plain data out (no I/O, no client-node).
 *
 *  - `rolloutStatus`: kubectl's DaemonSetStatusViewer decision, with kubectl's exact strings.
 *  - `trackProgress` / `stalledFor`: the stall clock behind `--progress-deadline`.
 *  - `explainRollout`: which target nodes hold the rollout up, and why (pod, container and node state).
 *  - ControllerRevisions: ownership, order, the current one, a revision's template, images,
 *    change-cause, and kubectl's rollback decision (`planUndo`).
 *
 * Timestamps may be strings (raw JSON) or Date objects (client-node's typed models); both are accepted.
 */
import { requirementMatches, type LabelSelector, type Labels } from './labels.js';

type Time = string | Date | null | undefined;

export interface OwnerRef {
  uid?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  labels?: Labels | null;
  annotations?: Record<string, string> | null;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  ownerReferences?: OwnerRef[] | null;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

export interface NodeAffinityLike {
  nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] | null } | null } | null;
}

export interface ContainerLike {
  name: string;
  image?: string;
}

export interface PodTemplateLike {
  metadata?: Meta;
  spec?: {
    nodeName?: string;
    nodeSelector?: Record<string, string> | null;
    affinity?: NodeAffinityLike | null;
    tolerations?: Toleration[] | null;
    hostNetwork?: boolean;
    containers?: ContainerLike[];
    initContainers?: ContainerLike[] | null;
  };
}

export interface DaemonSetStatusLike {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberReady?: number;
  numberUnavailable?: number;
  observedGeneration?: number;
}

export interface DaemonSetLike {
  metadata?: Meta;
  spec?: {
    selector?: LabelSelector;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } | null } | null;
    minReadySeconds?: number;
    template?: PodTemplateLike;
  };
  status?: DaemonSetStatusLike;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string } | null;
    running?: object | null;
    terminated?: { reason?: string; message?: string; exitCode?: number } | null;
  } | null;
  lastState?: { terminated?: { reason?: string; exitCode?: number } | null } | null;
}

export interface PodLike {
  metadata?: Meta;
  spec?: { nodeName?: string; affinity?: NodeAffinityLike | null };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[] | null;
    containerStatuses?: ContainerStatusLike[] | null;
    initContainerStatuses?: ContainerStatusLike[] | null;
  };
}

export interface NodeLike {
  metadata?: Meta;
  spec?: { taints?: Taint[] | null };
  status?: { conditions?: Condition[] | null };
}

export interface RevisionLike {
  metadata?: Meta;
  revision?: number;
  data?: unknown;
}

const ms = (t: Time): number => (t == null ? NaN : new Date(t).getTime());

// ---------------------------------------------------------------------------------------------------
// kubectl rollout status

export interface RolloutStatus {
  /** The rollout has finished: kubectl stops watching and exits 0. */
  done: boolean;
  /** kubectl's line for this state, without its trailing newline ("" when `error` is set). */
  message: string;
  /** Set when kubectl stops with an error (exit 1); printed as `error: <error>`. */
  error?: string;
}

export const ONDELETE_ERROR = 'rollout status is only available for RollingUpdate strategy type';

/** kubectl's DaemonSetStatusViewer.Status, decision for decision and string for string. */
export function rolloutStatus(ds: DaemonSetLike): RolloutStatus {
  const name = ds.metadata?.name ?? '';
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return { done: false, message: '', error: ONDELETE_ERROR };
  const st = ds.status ?? {};
  const desired = st.desiredNumberScheduled ?? 0;
  if ((ds.metadata?.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const updated = st.updatedNumberScheduled ?? 0;
    if (updated < desired) {
      return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
    }
    const available = st.numberAvailable ?? 0;
    if (available < desired) {
      return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
    }
    return { done: true, message: `daemon set "${name}" successfully rolled out` };
  }
  return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
}

// ---------------------------------------------------------------------------------------------------
// Progress (stall detection)

export interface Progress {
  generation: number;
  updated: number;
  available: number;
  desired: number;
  /** When (ms since the epoch) updated, available or generation last changed. */
  since: number;
}

/**
 * The stall clock: it restarts whenever the updated or available count moves, or a new spec
 * (generation) arrives; otherwise the previous record is kept, so `since` is the last movement.
 */
export function trackProgress(prev: Progress | undefined, ds: DaemonSetLike, now: number): Progress {
  const st = ds.status ?? {};
  const cur = {
    generation: ds.metadata?.generation ?? 0,
    updated: st.updatedNumberScheduled ?? 0,
    available: st.numberAvailable ?? 0,
    desired: st.desiredNumberScheduled ?? 0,
  };
  if (!prev || prev.generation !== cur.generation || prev.updated !== cur.updated || prev.available !== cur.available) {
    return { ...cur, since: now };
  }
  return prev.desired === cur.desired ? prev : { ...prev, desired: cur.desired };
}

/** How long nothing has moved. */
export function stalledFor(p: Progress, now: number): number {
  return Math.max(0, now - p.since);
}

/** Has the deadline passed? A deadline of 0 (or less) never fires. */
export function isStalled(p: Progress, now: number, deadlineMs: number): boolean {
  return deadlineMs > 0 && now - p.since >= deadlineMs;
}

/** When the deadline fires if nothing moves (ms since the epoch), or undefined when there is none. */
export function stallAt(p: Progress, deadlineMs: number): number | undefined {
  return deadlineMs > 0 ? p.since + deadlineMs : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Which nodes the DaemonSet targets (the minimum of the controller's rules this view needs)

const AUTO_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

function nodeRequirementMatches(r: NodeSelectorRequirement, labels: Labels): boolean {
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    const v = labels[r.key];
    const bound = Number(r.values?.[0]);
    if (v === undefined || !/^-?\d+$/.test(v) || !Number.isFinite(bound)) return false;
    return r.operator === 'Gt' ? Number(v) > bound : Number(v) < bound;
  }
  return requirementMatches(r, labels);
}

function termMatches(term: NodeSelectorTerm, node: NodeLike): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return (
    exprs.every((r) => nodeRequirementMatches(r, labels)) &&
    fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, { 'metadata.name': node.metadata?.name ?? '' }))
  );
}

/**
 * Should the controller run a daemon pod on this node (its `shouldRun`)? Template nodeName, nodeSelector,
 * required node affinity, and NoSchedule/NoExecute taints against the template's tolerations plus the
 * automatic ones. Resources are not checked: the scheduler decides those, and the pod stays Pending.
 */
export function shouldRunOn(template: PodTemplateLike | undefined, node: NodeLike): boolean {
  const spec = template?.spec ?? {};
  const name = node.metadata?.name ?? '';
  if (spec.nodeName && spec.nodeName !== name) return false;
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => termMatches(t, node))) return false;
  const tols = [...(spec.tolerations ?? []), ...AUTO_TOLERATIONS];
  if (spec.hostNetwork) tols.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tols.some((t) => tolerates(t, taint))) return false;
  }
  return true;
}

/** The node a daemon pod belongs to: spec.nodeName, or the controller's `metadata.name In [NODE]` affinity term. */
export function podTargetNode(pod: PodLike): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** Is this pod controlled by this DaemonSet (controller owner reference with its uid)? */
export function controlledBy(obj: { metadata?: Meta }, owner: { metadata?: Meta }): boolean {
  const uid = owner.metadata?.uid;
  return !!uid && (obj.metadata?.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

// ---------------------------------------------------------------------------------------------------
// Pods: updated, available, and why not

export const HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The controller's IsPodUpdated: the current revision hash, or the DaemonSet's template generation. */
export function isPodUpdated(pod: PodLike, ds: DaemonSetLike, currentHash: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  if (currentHash && labels[HASH_LABEL] === currentHash) return true;
  const gen = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return gen !== undefined && labels[TEMPLATE_GENERATION_LABEL] === gen;
}

function condition(pod: PodLike | NodeLike, type: string): Condition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: PodLike, minReadySeconds: number, now: number): boolean {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = ms(ready.lastTransitionTime);
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

export function isNodeReady(node: NodeLike): boolean {
  return condition(node, 'Ready')?.status === 'True';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function containerReason(cs: ContainerStatusLike, init: boolean): string | undefined {
  const prefix = init ? 'Init:' : '';
  const w = cs.state?.waiting;
  if (w?.reason) {
    if (w.reason === 'CrashLoopBackOff') {
      const exit = cs.lastState?.terminated?.exitCode;
      return `${prefix}CrashLoopBackOff, ${plural(cs.restartCount ?? 0, 'restart')}${exit !== undefined ? ` (last exit code ${exit})` : ''}`;
    }
    return w.message ? `${prefix}${w.reason}: ${w.message}` : `${prefix}${w.reason}`;
  }
  const t = cs.state?.terminated;
  if (t && !(init && t.exitCode === 0)) return `${prefix}${t.reason ?? 'Terminated'} (exit code ${t.exitCode ?? '?'})`;
  return undefined;
}

/** Why a pod is not (yet) available, in one phrase: the first thing a person would need to fix. */
export function podReason(pod: PodLike, minReadySeconds: number, now: number): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const st = pod.status ?? {};
  const phase = st.phase ?? 'Pending';
  if (phase === 'Failed' || phase === 'Succeeded') {
    const detail = [st.reason, st.message].filter(Boolean).join(': ');
    return detail ? `${phase}: ${detail}` : phase;
  }
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False' || (!pod.spec?.nodeName && phase === 'Pending')) {
    return `Pending: ${scheduled?.message || scheduled?.reason || 'not scheduled yet'}`;
  }
  for (const cs of st.initContainerStatuses ?? []) {
    const r = containerReason(cs, true);
    if (r) return r;
  }
  for (const cs of st.containerStatuses ?? []) {
    const r = containerReason(cs, false);
    if (r) return r;
  }
  const ready = condition(pod, 'Ready');
  if (ready?.status === 'True') {
    if (minReadySeconds > 0) {
      const left = Math.ceil((ms(ready.lastTransitionTime) + minReadySeconds * 1000 - now) / 1000);
      if (Number.isFinite(left) && left > 0) return `Ready, available in ${left}s (minReadySeconds ${minReadySeconds})`;
    }
    return 'Ready';
  }
  if (phase === 'Running') return ready?.message ? `Running, not ready: ${ready.message}` : 'Running, not ready';
  return (st.containerStatuses ?? []).length ? 'Pending' : 'Pending: ContainerCreating';
}

export interface BlockingNode {
  node: string;
  reason: string;
  /** The pod the reason is about, when there is one. */
  pod?: string;
}

export interface RolloutExplanation {
  /** Target nodes whose updated pod is missing or not available, each with its reason (sorted by node). */
  blocking: BlockingNode[];
  /** Target nodes still running an old pod that the controller has not replaced yet (their turn comes). */
  waiting: string[];
  /** Target nodes (shouldRun) with an available updated pod. */
  done: string[];
}

function oldestFirst(a: PodLike, b: PodLike): number {
  const bound = Number(!b.spec?.nodeName) - Number(!a.spec?.nodeName);
  if (bound) return -bound;
  const t = ms(a.metadata?.creationTimestamp) - ms(b.metadata?.creationTimestamp);
  if (t) return t;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/**
 * The nodes that hold a rollout up. For every node the DaemonSet targets (`shouldRunOn`):
 * an available updated pod -> done; a NotReady node -> `node NotReady`; an updated pod that is not
 * available -> the pod's reason (ImagePullBackOff..., Pending: <scheduler message>, CrashLoopBackOff...);
 * only an old pod -> waiting for its turn; only pods being deleted -> `old pod terminating`; nothing ->
 * `no pod yet`. `pods` should be the DaemonSet's pods (others are ignored); `currentHash` is the
 * current ControllerRevision's hash (see `currentRevision`), when known.
 */
export function explainRollout(input: {
  ds: DaemonSetLike;
  pods: PodLike[];
  nodes: NodeLike[];
  currentHash?: string;
  now: number;
}): RolloutExplanation {
  const { ds, now } = input;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const byNode = new Map<string, PodLike[]>();
  for (const p of input.pods) {
    if (ds.metadata?.uid && !controlledBy(p, ds)) continue;
    const n = podTargetNode(p);
    if (!n) continue;
    const list = byNode.get(n) ?? [];
    list.push(p);
    byNode.set(n, list);
  }
  const out: RolloutExplanation = { blocking: [], waiting: [], done: [] };
  const nodes = [...input.nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const node of nodes) {
    if (!shouldRunOn(ds.spec?.template, node)) continue;
    const name = node.metadata?.name ?? '';
    const pods = (byNode.get(name) ?? []).sort(oldestFirst);
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    const fresh = live.filter((p) => isPodUpdated(p, ds, input.currentHash));
    if (fresh.some((p) => isPodAvailable(p, minReady, now))) {
      out.done.push(name);
      continue;
    }
    const pod = fresh[0];
    if (!isNodeReady(node)) out.blocking.push({ node: name, reason: 'node NotReady', ...(pod || live[0] ? { pod: (pod ?? live[0])!.metadata?.name } : {}) });
    else if (pod) out.blocking.push({ node: name, reason: podReason(pod, minReady, now), pod: pod.metadata?.name });
    else if (live.length) out.waiting.push(name);
    else if (pods.length) out.blocking.push({ node: name, reason: 'old pod terminating', pod: pods[0]!.metadata?.name });
    else out.blocking.push({ node: name, reason: 'no pod yet' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// ControllerRevisions: history, current, undo

/** The DaemonSet's revisions (controlled by it), oldest revision number first. */
export function ownedRevisions<R extends RevisionLike>(revisions: R[], ds: DaemonSetLike): R[] {
  return revisions.filter((r) => controlledBy(r, ds)).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
}

/** The pod template a revision stores (its `data.spec.template`, without `$patch`). */
export function revisionTemplate(rev: RevisionLike): PodTemplateLike | undefined {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = data?.spec?.template;
  if (!t || typeof t !== 'object') return undefined;
  const { $patch: _ignored, ...rest } = t;
  return rest as PodTemplateLike;
}

/** Plain JSON data with null/undefined members dropped and Dates as strings, for comparison. */
export function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === null || v === undefined || k === '$patch') continue;
      o[k] = normalize(v);
    }
    return o;
  }
  return value;
}

export function templatesEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** The revision whose template is the DaemonSet's current template (what the controller calls current). */
export function currentRevision<R extends RevisionLike>(owned: R[], ds: DaemonSetLike): R | undefined {
  const matches = owned.filter((r) => templatesEqual(revisionTemplate(r), ds.spec?.template));
  return matches.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0];
}

/** A revision's hash: its controller-revision-hash label, else the suffix of its name. */
export function revisionHash(rev: RevisionLike): string | undefined {
  return rev.metadata?.labels?.[HASH_LABEL] ?? rev.metadata?.name?.split('-').pop();
}

export function changeCause(rev: RevisionLike): string {
  return rev.metadata?.annotations?.['kubernetes.io/change-cause'] || '<none>';
}

/** `name=image` for each container (init containers first), comma-separated. */
export function templateImages(t: PodTemplateLike | undefined): string {
  const cs = [...(t?.spec?.initContainers ?? []), ...(t?.spec?.containers ?? [])];
  return cs.map((c) => `${c.name}=${c.image ?? ''}`).join(',') || '<none>';
}

export type UndoPlan =
  | { kind: 'error'; message: string }
  | { kind: 'skip'; revision: number; message: string }
  | { kind: 'patch'; revision: number; patch: unknown; template: PodTemplateLike | undefined };

/**
 * kubectl's DaemonSetRollbacker decision. `toRevision` 0 means the previous one (the second highest).
 * The patch is the revision's `data` as stored (`{"spec":{"template":{"$patch":"replace",...}}}`), sent
 * as a strategic-merge patch.
 */
export function planUndo(owned: RevisionLike[], ds: DaemonSetLike, toRevision: number): UndoPlan {
  const sorted = [...owned].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  let target: RevisionLike | undefined;
  if (toRevision === 0) {
    if (sorted.length <= 1) return { kind: 'error', message: 'no last revision to roll back to' };
    target = sorted[sorted.length - 2];
  } else {
    target = sorted.find((r) => r.revision === toRevision);
    if (!target) return { kind: 'error', message: `unable to find specified revision ${toRevision} in history` };
  }
  const revision = target!.revision ?? 0;
  if (templatesEqual(revisionTemplate(target!), ds.spec?.template)) {
    // kubectl names the revision as asked (so `0` for the default), and so do we.
    return { kind: 'skip', revision, message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  return { kind: 'patch', revision, patch: target!.data, template: revisionTemplate(target!) };
}
