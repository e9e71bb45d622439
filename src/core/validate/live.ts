/**
 * `validate --live`, the pure part: given a DaemonSet from the input and what the cluster holds (the live
 * object of that name, the pods and workloads of its namespace), what goes wrong at apply time or after:
 *   DS401  the selector differs from the live object's (immutable in apps/v1: the apply is rejected)
 *   DS402  pods the selector matches that the DaemonSet does not own (orphans it would adopt, or pods of
 *          another controller whose label query overlaps)
 *   DS403  other workloads (in the cluster or in the input) whose pod template labels the selector matches
 * No I/O: the command fetches the objects and hands them here.
 */
import { formatSelector, selectorMatches, type LabelSelector, type Labels } from '../labels.js';

export interface OwnerRef {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface LivePod {
  metadata?: { name?: string; labels?: Labels; ownerReferences?: OwnerRef[] };
}

export interface LiveWorkload {
  kind: string;
  metadata?: { name?: string; uid?: string };
  spec?: { selector?: LabelSelector; template?: { metadata?: { labels?: Labels } } };
}

export interface LiveState {
  namespace: string;
  /** The live DaemonSet of the same name, if there is one. */
  existing?: { metadata?: { uid?: string }; spec?: { selector?: LabelSelector } };
  pods: LivePod[];
  /** Deployments, StatefulSets, DaemonSets, ReplicaSets (not owned by a Deployment) of the namespace. */
  workloads: LiveWorkload[];
}

export interface LiveFinding {
  id: 'DS401' | 'DS402' | 'DS403';
  path: string[];
  message: string;
  fix: string;
}

/** A selector in a canonical form, for comparing a manifest's with the live object's. */
export function canonicalSelector(sel: LabelSelector | null | undefined): string {
  if (sel == null) return 'null';
  const ml = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const me = (sel.matchExpressions ?? [])
    .map((r) => ({ key: r.key, operator: r.operator, values: [...(r.values ?? [])].sort() }))
    .sort((a, b) => `${a.key}/${a.operator}`.localeCompare(`${b.key}/${b.operator}`));
  return JSON.stringify({ ml, me });
}

function list(names: string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function liveFindings(name: string, selector: LabelSelector | undefined, state: LiveState): LiveFinding[] {
  const out: LiveFinding[] = [];
  const ns = state.namespace;
  const liveSel = state.existing?.spec?.selector;
  if (state.existing && canonicalSelector(liveSel) !== canonicalSelector(selector)) {
    out.push({
      id: 'DS401',
      path: ['spec', 'selector'],
      message: `spec.selector: Invalid value: ${JSON.stringify(formatSelector(selector))}: field is immutable: the live DaemonSet ${ns}/${name} selects ${JSON.stringify(formatSelector(liveSel))}, so applying this is rejected`,
      fix: `keep the live selector; to change it, run kubectl ds delete ${name} -n ${ns} --orphan (its pods keep running), then create this manifest: the new DaemonSet adopts the old pods its selector matches and replaces them`,
    });
  }
  if (!selector) return out;
  const uid = state.existing?.metadata?.uid;
  const orphans: string[] = [];
  const foreign = new Map<string, string[]>();
  for (const p of state.pods) {
    if (!selectorMatches(selector, p.metadata?.labels ?? {})) continue;
    const ctrl = (p.metadata?.ownerReferences ?? []).find((o) => o.controller);
    const podName = p.metadata?.name ?? '?';
    if (!ctrl) orphans.push(podName);
    else if (!(ctrl.kind === 'DaemonSet' && ctrl.name === name && (!uid || ctrl.uid === uid))) {
      const owner = `${ctrl.kind}/${ctrl.name}`;
      foreign.set(owner, [...(foreign.get(owner) ?? []), podName]);
    }
  }
  if (orphans.length > 0) {
    out.push({
      id: 'DS402',
      path: ['spec', 'selector'],
      message: `${orphans.length} pod${orphans.length === 1 ? '' : 's'} in namespace ${ns} without a controller ${orphans.length === 1 ? 'matches' : 'match'} the selector (${list(orphans)}): the DaemonSet would adopt ${orphans.length === 1 ? 'it' : 'them'}, then delete those on nodes it does not run on and replace the rest in its next rolling update`,
      fix: 'give this DaemonSet a label those pods do not carry (selector and template), or relabel the pods',
    });
  }
  for (const [owner, pods] of foreign) {
    out.push({
      id: 'DS402',
      path: ['spec', 'selector'],
      message: `${pods.length} pod${pods.length === 1 ? '' : 's'} of ${owner} ${pods.length === 1 ? 'matches' : 'match'} the selector (${list(pods)}): not adopted, but every label query for this DaemonSet's pods (kubectl get -l, Services, kubectl ds status) sees them too`,
      fix: `add a label to this DaemonSet's selector and template that ${owner}'s pods do not carry`,
    });
  }
  for (const w of state.workloads) {
    if (w.kind === 'DaemonSet' && w.metadata?.name === name) continue;
    const labels = w.spec?.template?.metadata?.labels ?? {};
    if (!selectorMatches(selector, labels)) continue;
    out.push({
      id: 'DS403',
      path: ['spec', 'selector'],
      message: `the selector matches the pod template labels of ${w.kind}/${w.metadata?.name ?? '?'} in namespace ${ns}: the two would fight over each other's pods`,
      fix: `add a label to this DaemonSet's selector and template that ${w.kind}/${w.metadata?.name ?? '?'} does not use`,
    });
  }
  return out;
}
