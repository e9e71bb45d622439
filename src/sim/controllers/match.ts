/**
 * The scheduling predicates the simulated control plane shares: label selectors (metav1.LabelSelector),
 * node selectors and required node affinity (component-helpers nodeaffinity), taints against
 * tolerations (core/v1 helpers), resource quantities and a pod's requests.
 *
 * Written independently of the product's src/core on purpose: the simulator is a separate model of
 * upstream, so a bug in the product cannot hide behind the same bug here.
 */

export type Labels = Record<string, string>;

export interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: SelectorRequirement[];
}

/**
 * metav1.LabelSelectorAsSelector + Matches: nil matches nothing, {} matches everything; a requirement
 * that would not convert (In/NotIn without values, Exists/DoesNotExist with values, another operator)
 * matches nothing, as the controllers' claim fails on it. (selectors.ts's fromLabelSelector serves the
 * API server's list filtering, which never sees an invalid stored selector.)
 */
export function labelSelectorMatches(sel: LabelSelector | null | undefined, labels: Labels | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (!has(l, k) || l[k] !== v) return false;
  }
  for (const r of sel.matchExpressions ?? []) {
    const vals = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (!vals.length || !has(l, r.key) || !vals.includes(l[r.key]!)) return false;
        break;
      case 'NotIn':
        if (!vals.length) return false;
        if (has(l, r.key) && vals.includes(l[r.key]!)) return false;
        break;
      case 'Exists':
        if (vals.length || !has(l, r.key)) return false;
        break;
      case 'DoesNotExist':
        if (vals.length || has(l, r.key)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// ---------------------------------------------------------------------------------------------------
// Node selectors and affinity

export interface NodeSelectorTerm {
  matchExpressions?: SelectorRequirement[];
  matchFields?: SelectorRequirement[];
}

const INT = /^[+-]?\d+$/;

/** One label requirement of a node selector term; undefined when the requirement cannot be parsed (the term then fails). */
function nodeLabelRequirement(r: SelectorRequirement, labels: Labels): boolean | undefined {
  const vals = r.values ?? [];
  const present = has(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      if (!vals.length) return undefined;
      return present && vals.includes(v!);
    case 'NotIn':
      if (!vals.length) return undefined;
      return !present || !vals.includes(v!);
    case 'Exists':
      if (vals.length) return undefined;
      return present;
    case 'DoesNotExist':
      if (vals.length) return undefined;
      return !present;
    case 'Gt':
    case 'Lt': {
      if (vals.length !== 1 || !INT.test(vals[0]!)) return undefined;
      if (!present || !INT.test(v!)) return false;
      const n = BigInt(v!);
      const bound = BigInt(vals[0]!);
      return r.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return undefined;
  }
}

/** matchFields: only metadata.name, with In/NotIn and exactly one value. */
function nodeFieldRequirement(r: SelectorRequirement, nodeName: string): boolean | undefined {
  const vals = r.values ?? [];
  if (r.key !== 'metadata.name' || vals.length !== 1) return undefined;
  if (r.operator === 'In') return nodeName === vals[0];
  if (r.operator === 'NotIn') return nodeName !== vals[0];
  return undefined;
}

/** Terms are ORed, the requirements inside a term ANDed; an empty term or one that does not parse selects nothing. */
export function nodeSelectorTermsMatch(terms: NodeSelectorTerm[] | undefined, nodeName: string, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const t of terms ?? []) {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (!exprs.length && !fields.length) continue;
    let ok = true;
    for (const r of exprs) {
      if (nodeLabelRequirement(r, l) !== true) {
        ok = false;
        break;
      }
    }
    if (ok) {
      for (const r of fields) {
        if (nodeFieldRequirement(r, nodeName) !== true) {
          ok = false;
          break;
        }
      }
    }
    if (ok) return true;
  }
  return false;
}

/** The pod's nodeSelector (exact label matches) AND its required node affinity. */
export function podMatchesNode(podSpec: any, node: { metadata: { name: string; labels?: Labels } }): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((podSpec?.nodeSelector ?? {}) as Labels)) {
    if (!has(labels, k) || labels[k] !== v) return false;
  }
  const required = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms, node.metadata.name, labels);
  return true;
}

/** The node a DaemonSet pod is meant for: spec.nodeName, or the single matchFields metadata.name In [node] term. */
export function targetNodeName(pod: any): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: NodeSelectorTerm[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const t of terms ?? []) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.length === 1 ? f.values[0] : undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Taints and tolerations

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
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

/** The first taint (in the node's order) passing `filter` that no toleration tolerates. */
export function firstUntolerated(taints: Taint[] | undefined, tolerations: Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!filter(taint)) continue;
    if (!(tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}

export const isScheduleEffect = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
export const isNoExecute = (t: Taint) => t.effect === 'NoExecute';

export const TAINT = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

/**
 * AddOrUpdateDaemonPodTolerations: what every DaemonSet pod tolerates, in upstream's order. Added to
 * the pods the controller creates (and to the pod it simulates per node), never to the DaemonSet.
 */
export function withDaemonTolerations(spec: any): Toleration[] {
  const out: Toleration[] = [...((spec?.tolerations ?? []) as Toleration[])];
  const add = (key: string, effect: string) => {
    const t: Toleration = { key, operator: 'Exists', effect };
    const i = out.findIndex((x) => (x.key ?? '') === key && (x.operator ?? 'Equal') === 'Exists' && (x.value ?? '') === '' && (x.effect ?? '') === effect);
    if (i >= 0) {
      if (out[i]!.tolerationSeconds !== undefined) out[i] = t;
    } else out.push(t);
  };
  add(TAINT.notReady, 'NoExecute');
  add(TAINT.unreachable, 'NoExecute');
  add(TAINT.diskPressure, 'NoSchedule');
  add(TAINT.memoryPressure, 'NoSchedule');
  add(TAINT.pidPressure, 'NoSchedule');
  add(TAINT.unschedulable, 'NoSchedule');
  if (spec?.hostNetwork) add(TAINT.networkUnavailable, 'NoSchedule');
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Quantities and requests

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource.Quantity as a number of base units (cores, bytes, pods); NaN when it does not parse. */
export function parseQuantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null) return NaN;
  if (typeof q === 'number') return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  const suffix = m[2]!;
  if (has(SUFFIX, suffix)) return n * SUFFIX[suffix]!;
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exp) return n * 10 ** Number(exp[1]);
  return NaN;
}

export interface Resources {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
}

function containerRequests(c: any): Resources {
  const req = c?.resources?.requests ?? {};
  const lim = c?.resources?.limits ?? {};
  const cpu = parseQuantity(req.cpu ?? lim.cpu);
  const mem = parseQuantity(req.memory ?? lim.memory);
  return { cpu: Number.isFinite(cpu) ? Math.ceil(cpu * 1000 - 1e-9) : 0, memory: Number.isFinite(mem) ? Math.ceil(mem - 1e-9) : 0 };
}

/** What the scheduler charges a node for a pod: the containers' sum, at least the largest init container, plus overhead. */
export function podRequests(spec: any): Resources {
  const sum: Resources = { cpu: 0, memory: 0 };
  for (const c of spec?.containers ?? []) {
    const r = containerRequests(c);
    sum.cpu += r.cpu;
    sum.memory += r.memory;
  }
  for (const c of spec?.initContainers ?? []) {
    const r = containerRequests(c);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  const oh = spec?.overhead ?? {};
  const ohCpu = parseQuantity(oh.cpu);
  const ohMem = parseQuantity(oh.memory);
  if (Number.isFinite(ohCpu)) sum.cpu += Math.ceil(ohCpu * 1000 - 1e-9);
  if (Number.isFinite(ohMem)) sum.memory += Math.ceil(ohMem - 1e-9);
  return sum;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

export function podHostPorts(spec: any): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const p of c?.ports ?? []) {
      if (p?.hostPort > 0) out.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Two host ports clash when protocol and port agree and either address is the wildcard or both are the same. */
export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0');
}

// ---------------------------------------------------------------------------------------------------
// Pod status helpers

export function podCondition(pod: any, type: string): any | undefined {
  return (pod?.status?.conditions ?? []).find((c: any) => c.type === type);
}

export function isPodReady(pod: any): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** podutil.IsPodAvailable: ready, and for at least minReadySeconds (by the Ready condition's lastTransitionTime). */
export function isPodAvailable(pod: any, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isFinite(t) && t + minReadySeconds * 1000 < nowMs;
}

/** When a ready pod turns available (ms epoch), or undefined if it is not ready. */
export function availableAt(pod: any, minReadySeconds: number): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isFinite(t) ? t + minReadySeconds * 1000 : undefined;
}

export const isTerminal = (pod: any) => pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed';

/** The Go-style "2006-01-02T15:04:05Z" timestamp. */
export const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
