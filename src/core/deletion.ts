/**
 * What deleting DaemonSets will do, worked out before anything is sent: the pods (and their nodes)
 * that are deleted or left running, the ControllerRevisions that are deleted or orphaned, and, for an
 * orphaning delete, which other DaemonSets will adopt the orphans and whether adoption replaces them.
 * Also the `--cascade` flag exactly as kubectl parses it. Pure: plain objects in, plain data out.
 *
 * The rules (daemonset-behaviour.md §4 and §6):
 * - Orphan: the garbage collector removes the DaemonSet's ownerReference from every dependent (pods AND
 *   ControllerRevisions); nothing is deleted; pods keep their controller-revision-hash and
 *   pod-template-generation labels.
 * - Background / Foreground: the pods and revisions the DaemonSet controls are deleted (after the owner,
 *   or before it).
 * - Adoption: a DaemonSet that is not being deleted claims every pod and revision in its namespace whose
 *   labels its selector matches and that has no controller (ClaimPods / ClaimControllerRevisions). An
 *   adopted pod counts as up to date when its controller-revision-hash equals the adopter's current hash
 *   (IsPodUpdated); otherwise RollingUpdate replaces it (maxUnavailable / maxSurge at a time) and
 *   OnDelete leaves it running until someone deletes it. IsPodUpdated also compares the pod's
 *   pod-template-generation label with the adopter's template generation: older controllers compare it
 *   with a printed pointer, so it never matches (v1.20 observed: such pods are replaced); the fixed
 *   comparison in later releases keeps such a pod with its old template.
 * - One pod per node: after adoption the adopter keeps the oldest pod on a node (bound first, then
 *   creationTimestamp, then name) and deletes the others; with maxSurge, the oldest updated and the
 *   oldest old pod (podsShouldBeOnNode).
 */
import { formatSelector, selectorMatches, type LabelSelector, type Labels } from './labels.js';

// ---------------------------------------------------------------------------------------------------
// --cascade

export type Cascade = 'background' | 'foreground' | 'orphan';

/** The propagationPolicy sent for each cascade mode. */
export const PROPAGATION_POLICY: Record<Cascade, 'Background' | 'Foreground' | 'Orphan'> = {
  background: 'Background',
  foreground: 'Foreground',
  orphan: 'Orphan',
};

export type CascadeParse = { ok: true; cascade: Cascade; warning?: string } | { ok: false; error: string };

// Go's strconv.ParseBool, which kubectl tries first.
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * kubectl's parseCascadingFlag: background|orphan|foreground; a bare `--cascade` (undefined value here,
 * or `true` from an optional-value flag) is background; the legacy booleans map to background/orphan
 * with kubectl's deprecation warning; anything else is kubectl's "invalid cascade value" error.
 */
export function parseCascade(value: string | boolean | undefined): CascadeParse {
  if (value === undefined || value === true) return { ok: true, cascade: 'background' };
  if (value === false) return parseCascade('false');
  if (GO_TRUE.has(value) || GO_FALSE.has(value)) {
    const cascade: Cascade = GO_TRUE.has(value) ? 'background' : 'orphan';
    return { ok: true, cascade, warning: `warning: --cascade=${value} is deprecated (boolean value) and can be replaced with --cascade=${cascade}.` };
  }
  if (value === 'background' || value === 'foreground' || value === 'orphan') return { ok: true, cascade: value };
  return { ok: false, error: `invalid cascade value (${value}). Must be "background", "foreground", or "orphan"` };
}

// ---------------------------------------------------------------------------------------------------
// The object shapes this module reads (client-node's V1DaemonSet, V1Pod, V1ControllerRevision fit them)

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Labels | null;
  annotations?: Labels | null;
  ownerReferences?: OwnerReference[] | null;
  deletionTimestamp?: Date | string | null;
  creationTimestamp?: Date | string | null;
  finalizers?: string[] | null;
}

export interface DaemonSetLike {
  metadata?: ObjectMeta;
  spec?: {
    selector?: LabelSelector | null;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } | null } | null;
    template?: { metadata?: { labels?: Labels | null } | null; spec?: { nodeSelector?: Labels | null; affinity?: unknown } | null } | null;
  } | null;
}

interface NodeSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[] | null;
}

export interface PodLike {
  metadata?: ObjectMeta;
  spec?: {
    nodeName?: string;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: NodeSelectorRequirement[] | null }[] | null } | null } | null } | null;
  } | null;
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: { state?: { waiting?: { reason?: string } | null; terminated?: { reason?: string } | null } | null }[] | null;
  } | null;
}

export interface RevisionLike {
  metadata?: ObjectMeta;
  revision?: number;
}

export const HASH_LABEL = 'controller-revision-hash';
export const GENERATION_LABEL = 'pod-template-generation';
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The controller ownerReference of an object, if any. */
export function controllerOf(meta: ObjectMeta | undefined): OwnerReference | undefined {
  return (meta?.ownerReferences ?? []).find((r) => r.controller === true);
}

/** Does this object carry an ownerReference (controller or not) to the given owner UID? */
export function ownedBy(meta: ObjectMeta | undefined, uid: string | undefined): boolean {
  return uid !== undefined && (meta?.ownerReferences ?? []).some((r) => r.uid === uid);
}

/** The node a daemon pod is on or is meant for: spec.nodeName, else the matchFields metadata.name term (GetTargetNodeName). */
export function podNode(pod: PodLike): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** The STATUS column as kubectl get pods shows it, simplified: Terminating, a container's waiting/terminated reason, the pod reason, or the phase. */
export function podStatus(pod: PodLike): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  for (const c of pod.status?.containerStatuses ?? []) {
    const r = c.state?.waiting?.reason || c.state?.terminated?.reason;
    if (r) return r;
  }
  return pod.status?.reason || pod.status?.phase || 'Unknown';
}

export interface CurrentRevision {
  name: string;
  revision: number;
  hash?: string;
}

/** A DaemonSet's current revision as its controller keeps it: the owned ControllerRevision with the highest number. */
export function currentRevisionOf(ds: DaemonSetLike, revisions: RevisionLike[]): CurrentRevision | undefined {
  const uid = ds.metadata?.uid;
  let best: RevisionLike | undefined;
  for (const r of revisions) {
    if (controllerOf(r.metadata)?.uid !== uid || uid === undefined) continue;
    if (!best || (r.revision ?? 0) > (best.revision ?? 0)) best = r;
  }
  if (!best) return undefined;
  return { name: best.metadata?.name ?? '', revision: best.revision ?? 0, hash: best.metadata?.labels?.[HASH_LABEL] };
}

/** The DaemonSet's template generation (the deprecated.daemonset.template.generation annotation), if set and numeric. */
export function templateGenerationOf(ds: DaemonSetLike): number | undefined {
  const a = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return a !== undefined && /^\d+$/.test(a) ? Number(a) : undefined;
}

export function isRollingUpdate(ds: DaemonSetLike): boolean {
  return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'OnDelete';
}

// ---------------------------------------------------------------------------------------------------
// The plan

export interface PlanInput {
  /** The DaemonSets to delete. */
  targets: DaemonSetLike[];
  /** Pods in the targets' namespaces (at least every pod a target controls). */
  pods: PodLike[];
  /** ControllerRevisions in the targets' namespaces. */
  revisions: RevisionLike[];
  /** Every DaemonSet in the targets' namespaces (the targets themselves may be included; they are skipped). */
  daemonSets: DaemonSetLike[];
  cascade: Cascade;
  /**
   * Whether the cluster's DaemonSet controller counts a pod whose pod-template-generation label equals
   * the adopter's template generation as up to date. Older controllers print a pointer instead of the
   * number there, so the label never matches (v1.20, observed); newer ones compare the number.
   * Undefined: not known, and such pods are planned as 'depends'.
   */
  generationLabelCounts?: boolean;
}

/**
 * What becomes of a pod:
 * - delete: the garbage collector deletes it (background, foreground).
 * - orphan: left running with no controller; nothing in the namespace will adopt it now.
 * - keep: adopted; its template hash is the adopter's current one, so it keeps running.
 * - replace: adopted by a RollingUpdate DaemonSet with another template: replaced, maxUnavailable/maxSurge at a time.
 * - on-delete: adopted by an OnDelete DaemonSet (not known to run its template): keeps running until someone deletes it.
 * - stale: adopted and kept although its template differs: its pod-template-generation label equals the
 *   adopter's template generation, which this controller counts as up to date.
 * - depends: adopted; the hash differs but the pod-template-generation label equals the adopter's template
 *   generation: recent controllers keep it, older ones replace it.
 * - unknown: adopted, but the adopter has no ControllerRevision yet, so its current hash is not known.
 * - contested: several DaemonSets match; whichever controller syncs first adopts it.
 * - duplicate: adopted, then deleted at once: the adopter already runs a pod on that node that it keeps
 *   (one pod per node: the oldest; with maxSurge, the oldest updated and the oldest old one).
 */
export type PodFate = 'delete' | 'orphan' | 'keep' | 'stale' | 'replace' | 'on-delete' | 'depends' | 'unknown' | 'contested' | 'duplicate';

export interface PodPlan {
  name: string;
  uid?: string;
  node?: string;
  status: string;
  hash?: string;
  fate: PodFate;
  /** The DaemonSets (names) whose selector matches the pod once orphaned. */
  adopters: string[];
}

export interface RevisionPlan {
  name: string;
  revision?: number;
  hash?: string;
  action: 'delete' | 'orphan';
  adopters: string[];
}

export interface AdopterPlan {
  name: string;
  strategy: 'RollingUpdate' | 'OnDelete';
  selector: string;
  currentHash?: string;
  templateGeneration?: number;
  maxUnavailable: string;
  maxSurge: string;
  /** Pod names by fate, for this adopter (contested pods are listed under every adopter). */
  keep: string[];
  stale: string[];
  replace: string[];
  onDelete: string[];
  depends: string[];
  unknown: string[];
  contested: string[];
  duplicate: string[];
  /** The adopter's own pods ("name on node") it deletes because an older adopted pod runs on the same node. */
  ownDeleted: string[];
  /** The adopter constrains nodes (nodeSelector or affinity): on nodes it does not run on, it deletes the adopted pod. */
  constrainsNodes: boolean;
}

export interface TargetPlan {
  namespace: string;
  name: string;
  uid?: string;
  selector: string;
  strategy: 'RollingUpdate' | 'OnDelete';
  /** Labels the orphaned pods carry that a later DaemonSet's selector must match to adopt them. */
  templateLabels: Labels;
  /** Being deleted already (deletionTimestamp set). */
  terminating: boolean;
  pods: PodPlan[];
  revisions: RevisionPlan[];
  adopters: AdopterPlan[];
  /** Other live DaemonSets whose selector matches this one's pods (they fight over them even before the delete). */
  overlapping: string[];
}

export interface DeletionPlan {
  cascade: Cascade;
  targets: TargetPlan[];
  warnings: string[];
}

function strategyOf(ds: DaemonSetLike): 'RollingUpdate' | 'OnDelete' {
  return isRollingUpdate(ds) ? 'RollingUpdate' : 'OnDelete';
}

function key(ds: DaemonSetLike): string {
  return ds.metadata?.uid ?? `${ds.metadata?.namespace}/${ds.metadata?.name}`;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Does `ds` claim an object with these labels (ClaimPods' match: selector matches, and ds is live)? */
function claims(ds: DaemonSetLike, labels: Labels | null | undefined): boolean {
  return !ds.metadata?.deletionTimestamp && selectorMatches(ds.spec?.selector, labels ?? {});
}

/** The fate of a pod adopted by a single DaemonSet (IsPodUpdated, then the adopter's strategy). */
function adoptedFate(pod: PodLike, adopter: DaemonSetLike, revisions: RevisionLike[], generationLabelCounts: boolean | undefined): PodFate {
  const current = currentRevisionOf(adopter, revisions);
  const podHash = pod.metadata?.labels?.[HASH_LABEL];
  if (current?.hash && podHash === current.hash) return 'keep';
  const gen = templateGenerationOf(adopter);
  const genMatches = gen !== undefined && pod.metadata?.labels?.[GENERATION_LABEL] === String(gen);
  if (!isRollingUpdate(adopter)) return 'on-delete';
  if (!current?.hash) return 'unknown';
  if (!genMatches || generationLabelCounts === false) return 'replace';
  return generationLabelCounts ? 'stale' : 'depends';
}

/** Does a maxSurge value allow surging (any positive count or percentage; percentages round up)? */
function surgeAllowed(v: number | string | undefined): boolean {
  if (v === undefined) return false;
  if (typeof v === 'number') return v > 0;
  const m = /^(\d+)%?$/.exec(v);
  return m !== null && Number(m[1]) > 0;
}

function time(t: Date | string | null | undefined): number {
  if (t == null) return Number.POSITIVE_INFINITY;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** The controller's podByCreationTimestampAndPhase: bound pods first, then older first, then by name. */
function oldestFirst(a: PodLike, b: PodLike): number {
  const ba = a.spec?.nodeName ? 0 : 1;
  const bb = b.spec?.nodeName ? 0 : 1;
  if (ba !== bb) return ba - bb;
  const ta = time(a.metadata?.creationTimestamp);
  const tb = time(b.metadata?.creationTimestamp);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

export function planDeletion(input: PlanInput): DeletionPlan {
  const targetKeys = new Set(input.targets.map(key));
  const warnings: string[] = [];
  const targets: TargetPlan[] = [];
  for (const ds of input.targets) {
    const ns = ds.metadata?.namespace ?? '';
    const uid = ds.metadata?.uid;
    const others = input.daemonSets.filter((o) => (o.metadata?.namespace ?? '') === ns && !targetKeys.has(key(o)));
    const owned = input.pods.filter((p) => (p.metadata?.namespace ?? ns) === ns && uid !== undefined && controllerOf(p.metadata)?.uid === uid);
    const ownedRevs = input.revisions.filter((r) => (r.metadata?.namespace ?? ns) === ns && uid !== undefined && controllerOf(r.metadata)?.uid === uid);
    const orphan = input.cascade === 'orphan';
    const adopterMap = new Map<string, AdopterPlan>();
    const adopterPlan = (a: DaemonSetLike): AdopterPlan => {
      const k = key(a);
      let ap = adopterMap.get(k);
      if (!ap) {
        const ru = a.spec?.updateStrategy?.rollingUpdate;
        const ts = a.spec?.template?.spec;
        ap = {
          name: a.metadata?.name ?? '',
          strategy: strategyOf(a),
          selector: formatSelector(a.spec?.selector),
          currentHash: currentRevisionOf(a, input.revisions)?.hash,
          templateGeneration: templateGenerationOf(a),
          maxUnavailable: String(ru?.maxUnavailable ?? 1),
          maxSurge: String(ru?.maxSurge ?? 0),
          keep: [],
          stale: [],
          replace: [],
          onDelete: [],
          depends: [],
          unknown: [],
          contested: [],
          duplicate: [],
          ownDeleted: [],
          constrainsNodes: Object.keys(ts?.nodeSelector ?? {}).length > 0 || ts?.affinity != null,
        };
        adopterMap.set(k, ap);
      }
      return ap;
    };

    const overlapping = new Set<string>();
    const source = new Map<PodPlan, PodLike>();
    const adopterOf = new Map<PodPlan, DaemonSetLike>();
    const pods: PodPlan[] = owned.map((p) => {
      const matching = others.filter((o) => claims(o, p.metadata?.labels));
      for (const o of matching) overlapping.add(o.metadata?.name ?? '');
      const base = { name: p.metadata?.name ?? '', uid: p.metadata?.uid, node: podNode(p), status: podStatus(p), hash: p.metadata?.labels?.[HASH_LABEL] };
      let plan: PodPlan;
      if (!orphan) plan = { ...base, fate: 'delete', adopters: [] };
      else {
        // A pod already being deleted is not adopted (ClaimPods skips it); it goes away by itself.
        const adopters = p.metadata?.deletionTimestamp ? [] : matching;
        const fate: PodFate = adopters.length > 1 ? 'contested' : adopters.length === 1 ? adoptedFate(p, adopters[0]!, input.revisions, input.generationLabelCounts) : 'orphan';
        plan = { ...base, fate, adopters: adopters.map((a) => a.metadata?.name ?? '') };
        if (adopters.length === 1) adopterOf.set(plan, adopters[0]!);
        for (const a of adopters) adopterPlan(a);
      }
      source.set(plan, p);
      return plan;
    });

    // One pod per node: where an adopter already runs its own pod, its controller keeps the oldest
    // (bound first, then creationTimestamp, then name) and deletes the rest; with maxSurge it keeps the
    // oldest updated pod and the oldest old one (the rolling update then replaces the old one).
    for (const a of new Set(adopterOf.values())) {
      const ap = adopterPlan(a);
      const own = input.pods.filter((p) => controllerOf(p.metadata)?.uid === a.metadata?.uid && !p.metadata?.deletionTimestamp);
      const surge = isRollingUpdate(a) && surgeAllowed(a.spec?.updateStrategy?.rollingUpdate?.maxSurge) && ap.currentHash !== undefined;
      const nodes = new Map<string, { pod: PodLike; plan?: PodPlan }[]>();
      const add = (node: string | undefined, e: { pod: PodLike; plan?: PodPlan }) => {
        if (node === undefined) return;
        nodes.set(node, [...(nodes.get(node) ?? []), e]);
      };
      for (const p of own) add(podNode(p), { pod: p });
      for (const [plan, ad] of adopterOf) if (ad === a) add(plan.node, { pod: source.get(plan)!, plan });
      for (const [node, list] of nodes) {
        if (list.length < 2) continue;
        list.sort((x, y) => oldestFirst(x.pod, y.pod));
        let keptNew = false;
        let keptOld = false;
        for (const [i, e] of list.entries()) {
          let keep: boolean;
          if (!surge) keep = i === 0;
          else if (e.pod.metadata?.labels?.[HASH_LABEL] === ap.currentHash) keep = !keptNew && (keptNew = true);
          else keep = !keptOld && (keptOld = true);
          if (keep) continue;
          if (e.plan) e.plan.fate = 'duplicate';
          else ap.ownDeleted.push(`${e.pod.metadata?.name} on ${node}`);
        }
      }
    }
    for (const [plan, a] of adopterOf) {
      const ap = adopterPlan(a);
      const list: Record<string, string[]> = { keep: ap.keep, stale: ap.stale, replace: ap.replace, 'on-delete': ap.onDelete, depends: ap.depends, unknown: ap.unknown, duplicate: ap.duplicate };
      list[plan.fate]?.push(plan.name);
    }
    for (const plan of pods) if (plan.fate === 'contested') for (const n of plan.adopters) [...adopterMap.values()].find((x) => x.name === n)?.contested.push(plan.name);
    // Also an overlap when another DaemonSet's selector matches this one's template labels (pods yet to be created).
    const templateLabels = { ...(ds.spec?.template?.metadata?.labels ?? {}) };
    for (const o of others) if (claims(o, templateLabels)) overlapping.add(o.metadata?.name ?? '');

    const revisions: RevisionPlan[] = ownedRevs.map((r) => {
      const adopters = orphan ? others.filter((o) => claims(o, r.metadata?.labels)).map((o) => o.metadata?.name ?? '') : [];
      return { name: r.metadata?.name ?? '', revision: r.revision, hash: r.metadata?.labels?.[HASH_LABEL], action: orphan ? 'orphan' : 'delete', adopters };
    });
    pods.sort((a, b) => (a.node ?? '').localeCompare(b.node ?? '') || a.name.localeCompare(b.name));
    revisions.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    const plan: TargetPlan = {
      namespace: ns,
      name: ds.metadata?.name ?? '',
      uid,
      selector: formatSelector(ds.spec?.selector),
      strategy: strategyOf(ds),
      templateLabels,
      terminating: Boolean(ds.metadata?.deletionTimestamp),
      pods,
      revisions,
      adopters: [...adopterMap.values()].sort(byName),
      overlapping: [...overlapping].sort(),
    };
    targets.push(plan);
    const where = `daemonset.apps "${plan.name}"${ns ? ` in namespace "${ns}"` : ''}`;
    if (plan.overlapping.length) {
      warnings.push(
        `warning: ${where} overlaps with ${plan.overlapping.map((n) => `"${n}"`).join(', ')}: their selectors match the same pods, so the controllers fight over them; give each DaemonSet a distinct selector`,
      );
    }
    if (plan.terminating) warnings.push(`warning: ${where} is already being deleted (deletionTimestamp set); its finalizers decide what happens to its pods`);
  }
  return { cascade: input.cascade, targets, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Words for the plan (shared by the text report and -o json)

/** The AFTER THE DELETE words for a pod. */
export function fateText(p: Pick<PodPlan, 'fate' | 'adopters'>): string {
  const by = p.adopters.join(', ');
  switch (p.fate) {
    case 'delete':
      return 'deleted';
    case 'orphan':
      return 'left running, no owner';
    case 'keep':
      return `adopted by ${by}, kept (same template)`;
    case 'stale':
      return `adopted by ${by}, kept with its OLD template (counted as up to date by its generation label)`;
    case 'replace':
      return `adopted by ${by}, then replaced (other template, RollingUpdate)`;
    case 'on-delete':
      return `adopted by ${by}, kept until deleted (OnDelete)`;
    case 'depends':
      return `adopted by ${by}; replaced or kept, depending on the controller version`;
    case 'unknown':
      return `adopted by ${by}; replaced if its template differs`;
    case 'contested':
      return `adopted by whichever of ${by} syncs first`;
    case 'duplicate':
      return `adopted by ${by}, then DELETED (it keeps its own pod on this node)`;
  }
}

/** Explanations of what adoption will do, one paragraph per adopter, for a target's plan. */
export function adoptionNotes(t: TargetPlan): string[] {
  const notes: string[] = [];
  for (const a of t.adopters) {
    const n = a.keep.length + a.stale.length + a.replace.length + a.onDelete.length + a.depends.length + a.unknown.length + a.contested.length + a.duplicate.length;
    const parts: string[] = [`daemonset.apps "${a.name}" (selector ${a.selector}, ${a.strategy}) will adopt ${n} pod${n === 1 ? '' : 's'}`];
    if (a.keep.length) parts.push(`${a.keep.length} already run${a.keep.length === 1 ? 's' : ''} its current template (hash ${a.currentHash}) and stay${a.keep.length === 1 ? 's' : ''}`);
    if (a.stale.length) {
      parts.push(
        `${a.stale.length} run${a.stale.length === 1 ? 's' : ''} another template but carr${a.stale.length === 1 ? 'ies' : 'y'} pod-template-generation=${a.templateGeneration}, equal to its template generation, which this cluster's controller counts as up to date: ${a.stale.length === 1 ? 'it keeps' : 'they keep'} running the old template until deleted`,
      );
    }
    if (a.replace.length) {
      parts.push(
        `${a.replace.length} run${a.replace.length === 1 ? 's' : ''} another template and will be replaced (maxUnavailable ${a.maxUnavailable}, maxSurge ${a.maxSurge})`,
      );
    }
    if (a.onDelete.length) {
      parts.push(
        `${a.onDelete.length} ${a.currentHash ? `run${a.onDelete.length === 1 ? 's' : ''} another template and` : ''} keep${a.onDelete.length === 1 ? 's' : ''} running until deleted (OnDelete)`.replace('  ', ' '),
      );
    }
    if (a.depends.length) {
      parts.push(
        `${a.depends.length} run${a.depends.length === 1 ? 's' : ''} another template but carr${a.depends.length === 1 ? 'ies' : 'y'} pod-template-generation=${a.templateGeneration}, equal to its template generation: recent controllers count ${a.depends.length === 1 ? 'it' : 'them'} as up to date and keep ${a.depends.length === 1 ? 'it' : 'them'}, older ones (v1.20) replace ${a.depends.length === 1 ? 'it' : 'them'}`,
      );
    }
    if (a.unknown.length) parts.push(`${a.unknown.length} will be compared with its template once its controller has recorded a revision`);
    if (a.duplicate.length) {
      parts.push(`${a.duplicate.length} ${a.duplicate.length === 1 ? 'is' : 'are'} deleted at once because it already runs a pod it keeps on ${a.duplicate.length === 1 ? 'that node' : 'those nodes'}`);
    }
    if (a.ownDeleted.length) {
      parts.push(
        `it deletes ${a.ownDeleted.length === 1 ? 'its own pod' : `${a.ownDeleted.length} of its own pods`} (${a.ownDeleted.join(', ')}): one pod per node, and the adopted one is older`,
      );
    }
    if (a.contested.length) parts.push(`${a.contested.length} also match${a.contested.length === 1 ? 'es' : ''} another DaemonSet`);
    if (a.constrainsNodes) parts.push(`on nodes its nodeSelector/affinity excludes it deletes the adopted pod`);
    notes.push(`${parts.join('; ')}.`);
  }
  return notes;
}

/** The note about DaemonSets created later (always true after an orphaning delete). */
export function laterAdoptionNote(t: TargetPlan): string {
  const labels = Object.entries(t.templateLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return (
    `Any DaemonSet created later in namespace "${t.namespace}" whose selector matches these pods (labels ${labels || '<none>'}) adopts them and their revisions: ` +
    `under RollingUpdate it replaces the pods whose controller-revision-hash differs from its template's; under OnDelete they keep running until deleted.`
  );
}
