/**
 * Which nodes a DaemonSet should run on, and why not: the DaemonSet controller's NodeShouldRunDaemonPod
 * (pkg/controller/daemon), rule for rule, with a verdict a person can act on.
 *
 * The controller simulates the daemon pod on each node (every node, no readiness filter):
 *  1. template `nodeName` set to another node            -> excluded
 *  2. `nodeSelector` (exact label match) AND the required node affinity (nodeSelectorTerms ORed,
 *     expressions ANDed; In/NotIn/Exists/DoesNotExist/Gt/Lt; matchFields on metadata.name;
 *     a term that does not parse never matches)          -> excluded
 *  3. taints: every NoSchedule/NoExecute taint must be tolerated by the template's tolerations plus the
 *     automatic daemon-pod tolerations (added to pods, never to the DaemonSet object); PreferNoSchedule
 *     is ignored. shouldContinueRunning stays true while every NoExecute taint is tolerated.
 * Resources and host ports are not checked: the scheduler decides those (the pod stays Pending).
 * `spec.unschedulable` is not read: cordoning works through the tolerated `unschedulable` taint.
 *
 * Pure: plain objects in, plain data out.
 */
import { labelKeyError, requirementMatches, type Labels } from './labels.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
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

/** The parts of a pod template eligibility reads. */
export interface SchedulingSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string> | null;
  affinity?: NodeAffinityLike | null;
  tolerations?: Toleration[] | null;
  hostNetwork?: boolean;
}

export interface EligibilityNode {
  metadata?: { name?: string; labels?: Labels | null };
  spec?: { taints?: Taint[] | null; unschedulable?: boolean };
}

/** The tolerations the controller adds to every daemon pod (AddOrUpdateDaemonPodTolerations). */
export const DAEMON_POD_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** Added as well when the pod uses the host network. */
export const HOST_NETWORK_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

/** The tolerations the daemon pod really has: the template's plus the automatic ones. */
export function daemonPodTolerations(spec: SchedulingSpec | undefined): Toleration[] {
  const out = [...(spec?.tolerations ?? []), ...DAEMON_POD_TOLERATIONS];
  if (spec?.hostNetwork) out.push(HOST_NETWORK_TOLERATION);
  return out;
}

const tolerationCache = new WeakMap<SchedulingSpec, Toleration[]>();
/** daemonPodTolerations, computed once per template (coverage checks one template against thousands of nodes). */
function tolerationsOf(spec: SchedulingSpec): Toleration[] {
  let t = tolerationCache.get(spec);
  if (!t) tolerationCache.set(spec, (t = daemonPodTolerations(spec)));
  return t;
}

/** core/v1 Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** `key=value:Effect` (or `key:Effect` without a value), as kubectl prints taints. */
export function formatTaint(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

// ---------------------------------------------------------------------------------------------------
// Node affinity

const INT64 = /^[+-]?\d+$/;

/** Why a node selector requirement does not parse (the controller then ignores its term), or undefined. */
function labelRequirementError(r: NodeSelectorRequirement): string | undefined {
  const vals = r.values ?? [];
  if (labelKeyError(r.key)) return `invalid key "${r.key}"`;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      return vals.length ? undefined : `${r.operator} needs at least one value`;
    case 'Exists':
    case 'DoesNotExist':
      return vals.length ? `${r.operator} takes no values` : undefined;
    case 'Gt':
    case 'Lt':
      return vals.length === 1 && INT64.test(vals[0]!) ? undefined : `${r.operator} needs exactly one integer value`;
    default:
      return `unknown operator "${r.operator}"`;
  }
}

function fieldRequirementError(r: NodeSelectorRequirement): string | undefined {
  if (r.key !== 'metadata.name') return `field "${r.key}" is not supported (only metadata.name)`;
  if ((r.values ?? []).length !== 1) return 'matchFields needs exactly one value';
  if (r.operator !== 'In' && r.operator !== 'NotIn') return `operator "${r.operator}" is not supported for fields (In or NotIn)`;
  return undefined;
}

function labelRequirementMatches(r: NodeSelectorRequirement, labels: Labels): boolean {
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    const v = labels[r.key];
    if (v === undefined || !INT64.test(v)) return false;
    const have = BigInt(v);
    const bound = BigInt(r.values![0]!);
    return r.operator === 'Gt' ? have > bound : have < bound;
  }
  return requirementMatches(r, labels);
}

/** `zone In [a,b]`, `gpu Exists`, `cores Gt 4`, `metadata.name In [node-1]`. */
export function formatRequirement(r: NodeSelectorRequirement): string {
  const vals = r.values ?? [];
  if (r.operator === 'Exists' || r.operator === 'DoesNotExist') return `${r.key} ${r.operator}`;
  if (r.operator === 'Gt' || r.operator === 'Lt') return `${r.key} ${r.operator} ${vals[0] ?? ''}`;
  return `${r.key} ${r.operator} [${vals.join(',')}]`;
}

/**
 * Does one term match? Undefined when it matches; otherwise the first expression that fails (or the
 * parse problem that makes the controller ignore the term), in the `key Op [values]` form.
 */
function termMismatch(term: NodeSelectorTerm, node: EligibilityNode): string | undefined {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return 'empty term (matches no node)';
  for (const r of exprs) {
    const err = labelRequirementError(r);
    if (err) return `${formatRequirement(r)} is invalid: ${err}, so the term is ignored`;
  }
  for (const r of fields) {
    const err = fieldRequirementError(r);
    if (err) return `${formatRequirement(r)} is invalid: ${err}, so the term is ignored`;
  }
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!labelRequirementMatches(r, labels)) return formatRequirement(r);
  const fieldSet = { 'metadata.name': node.metadata?.name ?? '' };
  for (const r of fields) if (!requirementMatches(r, fieldSet)) return formatRequirement(r);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// The verdict

export type ExclusionRule = 'nodeName' | 'nodeSelector' | 'nodeAffinity' | 'taint';

export interface Exclusion {
  rule: ExclusionRule;
  /** What excludes the node, in words a user can act on. */
  message: string;
  /** For rule `taint`: the taint that is not tolerated. */
  taint?: Taint;
}

export interface Eligibility {
  /** The controller's shouldRun: the node counts in DESIRED and gets a pod. */
  shouldRun: boolean;
  /** The controller's shouldContinueRunning: an existing pod is left alone (every NoExecute taint tolerated). */
  shouldContinueRunning: boolean;
  /** Every rule that excludes the node (empty when shouldRun). */
  reasons: Exclusion[];
}

/** Well-known taints the node lifecycle controller sets, worded as what is wrong with the node. */
const NODE_CONDITION_TAINTS: Record<string, string> = {
  'node.kubernetes.io/not-ready': 'node is not ready',
  'node.kubernetes.io/unreachable': 'node is unreachable',
  'node.kubernetes.io/network-unavailable': 'node network is unavailable',
  'node.kubernetes.io/disk-pressure': 'node has disk pressure',
  'node.kubernetes.io/memory-pressure': 'node has memory pressure',
  'node.kubernetes.io/pid-pressure': 'node has PID pressure',
  'node.kubernetes.io/out-of-disk': 'node is out of disk',
  'node.kubernetes.io/unschedulable': 'node is cordoned',
  'node.cloudprovider.kubernetes.io/uninitialized': 'node is not initialized by the cloud provider',
  'node.cloudprovider.kubernetes.io/shutdown': 'node is shut down',
};

function taintMessage(t: Taint): string {
  const cond = NODE_CONDITION_TAINTS[t.key];
  return cond ? `${cond} (taint ${formatTaint(t)})` : `taint ${formatTaint(t)} is not tolerated`;
}

/**
 * NodeShouldRunDaemonPod for a DaemonSet's pod template spec on one node, with every excluding rule.
 * `template` is `ds.spec.template.spec` (the DaemonSet object: the automatic tolerations are added here).
 */
export function nodeEligibility(template: SchedulingSpec | undefined, node: EligibilityNode): Eligibility {
  const spec = template ?? {};
  const name = node.metadata?.name ?? '';
  const reasons: Exclusion[] = [];
  if (spec.nodeName && spec.nodeName !== name) {
    reasons.push({ rule: 'nodeName', message: `template nodeName is ${spec.nodeName}` });
    return { shouldRun: false, shouldContinueRunning: false, reasons };
  }
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    const have = labels[k];
    if (have === v) continue;
    reasons.push({
      rule: 'nodeSelector',
      message: have === undefined ? `nodeSelector ${k}=${v}: node has no label ${k}` : `nodeSelector ${k}=${v}: node has ${k}=${have}`,
    });
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const terms = required.nodeSelectorTerms ?? [];
    const misses: string[] = [];
    let matched = false;
    for (const [i, term] of terms.entries()) {
      const miss = termMismatch(term, node);
      if (miss === undefined) {
        matched = true;
        break;
      }
      misses.push(`term ${i + 1}: ${miss}`);
    }
    if (!matched) {
      reasons.push({ rule: 'nodeAffinity', message: `required node affinity not matched (${misses.join('; ') || 'no nodeSelectorTerms'})` });
    }
  }
  const affinityOk = reasons.length === 0;
  const taints = node.spec?.taints ?? [];
  const tols = taints.length ? tolerationsOf(spec) : [];
  let untoleratedNoExecute = false;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (tols.some((t) => tolerates(t, taint))) continue;
    if (taint.effect === 'NoExecute') untoleratedNoExecute = true;
    reasons.push({ rule: 'taint', message: taintMessage(taint), taint });
  }
  return { shouldRun: reasons.length === 0, shouldContinueRunning: affinityOk && !untoleratedNoExecute, reasons };
}

/** Should the controller run a daemon pod on this node (its shouldRun)? */
export function shouldRunOn(template: { spec?: SchedulingSpec } | undefined, node: EligibilityNode): boolean {
  return nodeEligibility(template?.spec, node).shouldRun;
}

/** All the reasons in one line (for a WHY NOT column). */
export function whyNot(e: Eligibility): string {
  return e.reasons.map((r) => r.message).join('; ');
}

/**
 * The node a daemon pod belongs to (GetTargetNodeName): spec.nodeName, or the controller's
 * `matchFields metadata.name In [NODE]` affinity term while the pod is not bound yet.
 */
export function podTargetNode(pod: { spec?: { nodeName?: string | null; affinity?: NodeAffinityLike | null } | null }): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}
