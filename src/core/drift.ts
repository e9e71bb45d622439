/**
 * Drift: is the same DaemonSet the same on every cluster? Compares the fields that decide what runs
 * (selector, update strategy, minReadySeconds, the pod template) and reports each field whose value
 * differs, with the value on every cluster. Pure: plain objects in, a report out.
 */

/** The parts of a DaemonSet that drift looks at. */
export interface DaemonSetLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    selector?: unknown;
    updateStrategy?: unknown;
    minReadySeconds?: number;
    template?: { metadata?: { labels?: unknown; annotations?: unknown }; spec?: unknown };
  };
}

export interface ClusterCopy {
  cluster: string;
  /** undefined: the DaemonSet does not exist there. */
  daemonSet?: DaemonSetLike;
}

export interface FieldDrift {
  path: string;
  /** One value per cluster that has the DaemonSet, in input order; undefined = field not set there. */
  values: { cluster: string; value?: string }[];
}

export interface DriftReport {
  present: string[];
  absent: string[];
  differences: FieldDrift[];
  /** True when every cluster has the DaemonSet and no field differs. */
  same: boolean;
}

/** The fields compared, as paths in the DaemonSet. */
export const COMPARED = ['spec.selector', 'spec.updateStrategy', 'spec.minReadySeconds', 'spec.template.metadata.labels', 'spec.template.metadata.annotations', 'spec.template.spec'] as const;

/** List items are keyed by what identifies them, so a reordered list is not drift. */
function itemKey(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.name === 'string') return o.name;
  if (typeof o.mountPath === 'string') return o.mountPath;
  if (typeof o.containerPort === 'number') return `${o.containerPort}/${typeof o.protocol === 'string' ? o.protocol : 'TCP'}`;
  if (typeof o.key === 'string' || typeof o.operator === 'string') return `${o.key ?? ''}:${o.operator ?? 'Equal'}:${o.effect ?? ''}`;
  return undefined;
}

/** Flattens to leaf paths: containers[fluentd].image = "fluentd:v1". Empty objects and lists are not leaves. */
export function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const keys = value.map(itemKey);
    if (keys.every((k) => k !== undefined) && new Set(keys).size === keys.length) {
      value.forEach((v, i) => flatten(v, `${path}[${keys[i]}]`, out));
    } else if (value.every((v) => v === null || typeof v !== 'object')) {
      out.set(path, JSON.stringify(value));
    } else {
      value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
    }
    return;
  }
  if (typeof value === 'object') {
    for (const k of Object.keys(value as object).sort()) flatten((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, typeof value === 'string' ? value : JSON.stringify(value));
}

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * Fields that only newer API servers default: an older server leaves them out, and its behaviour is
 * that default, so a cluster of another version is not drift. maxSurge exists from v1.21 (defaulted to
 * 0 under rollingUpdate); a v1.20 server stores no such field and never surges.
 */
const VERSION_DEFAULTS: [present: string, missing: string, value: string][] = [
  ['spec.updateStrategy.rollingUpdate.maxUnavailable', 'spec.updateStrategy.rollingUpdate.maxSurge', '0'],
];

/** A field's value for the comparison: as set, else the default an older server implies. */
function effective(fields: Map<string, string>, path: string): string | undefined {
  const v = fields.get(path);
  if (v !== undefined) return v;
  const d = VERSION_DEFAULTS.find(([present, missing]) => missing === path && fields.has(present));
  return d?.[2];
}

export function compareDaemonSets(copies: ClusterCopy[]): DriftReport {
  const present = copies.filter((c) => c.daemonSet).map((c) => c.cluster);
  const absent = copies.filter((c) => !c.daemonSet).map((c) => c.cluster);
  const flat = copies
    .filter((c) => c.daemonSet)
    .map((c) => {
      const m = new Map<string, string>();
      for (const p of COMPARED) flatten(get(c.daemonSet, p), p, m);
      return { cluster: c.cluster, fields: m };
    });
  const paths = new Set<string>();
  for (const f of flat) for (const k of f.fields.keys()) paths.add(k);
  const differences: FieldDrift[] = [];
  for (const path of [...paths].sort()) {
    const values = flat.map((f) => ({ cluster: f.cluster, value: f.fields.get(path) }));
    if (new Set(flat.map((f) => effective(f.fields, path))).size > 1) differences.push({ path, values });
  }
  return { present, absent, differences, same: absent.length === 0 && differences.length === 0 };
}
