/**
 * Deployment manifests to DaemonSets (`--from-deployment -f FILE`): the kind changes; replicas,
 * progressDeadlineSeconds, paused and status go; `strategy` becomes `updateStrategy` (see
 * convertStrategy); everything else is kept in place. Every change is returned as a note for stderr.
 *
 * Pure: text or plain objects in, plain objects and notes out.
 */
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, unknown>;

/** The file's content is not what we need (not YAML, no Deployment): exit 1, not a usage error. */
export class ManifestError extends Error {}

/** Parses YAML or JSON text (several documents allowed). Throws ManifestError "SOURCE:LINE:COL: ...". */
export function parseManifests(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const what = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ManifestError(`${source}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML or JSON: ${what}`);
    }
  }
  return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((d) => d !== null && d !== undefined);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '0' || v === '0%';
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Fields the server sets; an object to be created must not carry them. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'selfLink', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
/** Annotations that describe the Deployment, not the DaemonSet. */
const DEPLOYMENT_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration'];

/**
 * Maps a Deployment's `strategy` to a DaemonSet's `updateStrategy`. A DaemonSet rolls out either by
 * taking pods down (maxUnavailable > 0, maxSurge 0) or by surging (maxUnavailable 0, maxSurge > 0);
 * the API rejects both non-zero. So maxUnavailable decides: a non-zero one is kept and maxSurge
 * dropped; an explicit 0 keeps the surge (the Deployment's default 25% if unset); unset falls back to
 * the DaemonSet default (maxUnavailable 1). Recreate has no equivalent: the default is used.
 * Returns undefined to leave updateStrategy out (the API's default).
 */
export function convertStrategy(strategy: unknown, note: (s: string) => void): Obj | undefined {
  const DEFAULT = 'the DaemonSet default applies (RollingUpdate, maxUnavailable 1: one node at a time)';
  const INSTEAD = "instead of the Deployment's (25% unavailable, 25% surge)";
  if (strategy === undefined || strategy === null) {
    note(`no spec.strategy: ${DEFAULT} ${INSTEAD}`);
    return undefined;
  }
  if (!isObj(strategy)) {
    note(`spec.strategy ${show(strategy)} is not an object: dropped; ${DEFAULT}`);
    return undefined;
  }
  if (Object.keys(strategy).length === 0) {
    note(`spec.strategy {} -> spec.updateStrategy {}: ${DEFAULT} ${INSTEAD}`);
    return {};
  }
  const type = strategy.type ?? 'RollingUpdate';
  if (type === 'Recreate') {
    note(`spec.strategy Recreate has no DaemonSet equivalent (a DaemonSet replaces its pods node by node): dropped; ${DEFAULT}`);
    return undefined;
  }
  if (type !== 'RollingUpdate') {
    note(`spec.strategy -> spec.updateStrategy, unchanged (type ${show(type)} is not a Deployment strategy; the API accepts RollingUpdate or OnDelete)`);
    return strategy;
  }
  const ru = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const u = ru.maxUnavailable;
  const s = ru.maxSurge;
  if (u === undefined || u === null) {
    const surge = s === undefined || s === null ? '' : `, dropped maxSurge ${show(s)} (a surge needs maxUnavailable: 0)`;
    note(`spec.strategy -> spec.updateStrategy RollingUpdate without maxUnavailable${surge}: ${DEFAULT} ${INSTEAD}`);
    return { type: 'RollingUpdate' };
  }
  if (!isZero(u)) {
    const out: Obj = { maxUnavailable: u };
    if (s !== undefined && s !== null && !isZero(s)) {
      note(`spec.strategy -> spec.updateStrategy: kept maxUnavailable ${show(u)}, dropped maxSurge ${show(s)} (a DaemonSet allows only one of them to be non-zero)`);
    } else {
      if (s !== undefined && s !== null) out.maxSurge = s;
      note(`spec.strategy -> spec.updateStrategy (RollingUpdate, maxUnavailable ${show(u)})`);
    }
    return { type: 'RollingUpdate', rollingUpdate: out };
  }
  const surge = s === undefined || s === null ? '25%' : s;
  if (isZero(surge)) {
    note(`spec.strategy has maxUnavailable and maxSurge both 0, which the API rejects: dropped; ${DEFAULT}`);
    return { type: 'RollingUpdate' };
  }
  const dflt = s === undefined || s === null ? ' (the Deployment default)' : '';
  note(
    `spec.strategy -> spec.updateStrategy: maxUnavailable 0 with maxSurge ${show(surge)}${dflt}: a surge rollout (the new pod starts before the old one stops; needs Kubernetes 1.22 or newer)`,
  );
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: u, maxSurge: surge } };
}

/** One Deployment to a DaemonSet; `note` receives one line per change. */
export function deploymentToDaemonSet(d: Obj, note: (s: string) => void): Obj {
  const out: Obj = {};
  note('kind Deployment -> DaemonSet');
  for (const [k, v] of Object.entries(d)) {
    if (k === 'apiVersion') {
      if (v !== 'apps/v1') note(`apiVersion ${show(v)} -> apps/v1`);
      out.apiVersion = 'apps/v1';
    } else if (k === 'kind') {
      out.kind = 'DaemonSet';
    } else if (k === 'metadata' && isObj(v)) {
      out.metadata = convertMetadata(v, note);
    } else if (k === 'spec' && isObj(v)) {
      out.spec = convertSpec(v, note);
    } else if (k === 'status') {
      note('dropped status (the API server writes it)');
    } else {
      out[k] = v;
    }
  }
  if (!('spec' in out)) note('no spec: the API server will reject it');
  return out;
}

function convertMetadata(m: Obj, note: (s: string) => void): Obj {
  const out: Obj = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (SERVER_METADATA.includes(k) || (k === 'creationTimestamp' && v !== null)) {
      dropped.push(`metadata.${k}`);
    } else if (k === 'annotations' && isObj(v)) {
      const kept: Obj = {};
      for (const [ak, av] of Object.entries(v)) {
        if (DEPLOYMENT_ANNOTATIONS.includes(ak)) dropped.push(`annotation ${ak}`);
        else kept[ak] = av;
      }
      if (Object.keys(kept).length) out.annotations = kept;
    } else {
      out[k] = v;
    }
  }
  if (dropped.length) note(`dropped ${dropped.join(', ')} (they belong to the Deployment or are set by the API server)`);
  return out;
}

function convertSpec(spec: Obj, note: (s: string) => void): Obj {
  const out: Obj = {};
  let sawStrategy = false;
  for (const [k, v] of Object.entries(spec)) {
    switch (k) {
      case 'replicas':
        note(`dropped spec.replicas (${show(v)}): a DaemonSet runs one pod on each node its rules select`);
        break;
      case 'progressDeadlineSeconds':
        note(`dropped spec.progressDeadlineSeconds (${show(v)}): DaemonSets have no progress deadline`);
        break;
      case 'paused':
        note(`dropped spec.paused (${show(v)}): a DaemonSet cannot be paused`);
        break;
      case 'rollbackTo':
        note('dropped spec.rollbackTo (an old Deployment API field)');
        break;
      case 'strategy': {
        sawStrategy = true;
        const us = convertStrategy(v, note);
        if (us) out.updateStrategy = us;
        break;
      }
      default:
        out[k] = v;
    }
  }
  if (!sawStrategy) {
    const us = convertStrategy(undefined, note);
    if (us) out.updateStrategy = us;
  }
  if (!isObj(out.selector)) {
    const labels = isObj(out.template) && isObj(out.template.metadata) ? out.template.metadata.labels : undefined;
    if (isObj(labels)) {
      out.selector = { matchLabels: { ...labels } };
      note('no spec.selector: set matchLabels to the pod template labels (apps/v1 requires a selector)');
    }
  }
  return out;
}

export interface Converted {
  /** The DaemonSets, in file order. */
  objects: Obj[];
  /** True when the input was one List: print the result as a List too. */
  asList: boolean;
  /** One line per change or skipped object, prefixed with the Deployment's name. */
  notes: string[];
}

function describe(o: unknown): string {
  if (!isObj(o)) return `a ${Array.isArray(o) ? 'list' : typeof o}`;
  const name = isObj(o.metadata) && typeof o.metadata.name === 'string' ? ` "${o.metadata.name}"` : '';
  return `${typeof o.kind === 'string' ? o.kind : 'an object without kind'}${name}`;
}

/** Converts every Deployment in the documents (a List's items too). Throws ManifestError when there is none. */
export function convertDeployments(docs: unknown[], source: string): Converted {
  const objects: Obj[] = [];
  const notes: string[] = [];
  const seen: string[] = [];
  const one = (o: unknown) => {
    if (isObj(o) && o.kind === 'Deployment') {
      const name = isObj(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : `#${objects.length + 1}`;
      objects.push(deploymentToDaemonSet(o, (s) => notes.push(`Deployment "${name}": ${s}`)));
    } else {
      seen.push(describe(o));
      notes.push(`skipped ${describe(o)}: not a Deployment`);
    }
  };
  const asList = docs.length === 1 && isObj(docs[0]) && Array.isArray(docs[0].items) && String(docs[0].kind ?? '').endsWith('List');
  for (const d of docs) {
    if (isObj(d) && Array.isArray(d.items) && String(d.kind ?? '').endsWith('List')) d.items.forEach(one);
    else one(d);
  }
  if (objects.length === 0) {
    throw new ManifestError(`${source}: no Deployment found (${seen.length ? `found ${seen.join(', ')}` : 'the file is empty'}); --from-deployment converts kind: Deployment manifests`);
  }
  return { objects, asList, notes };
}

/**
 * The DaemonSets in the documents (a List's items too), for `create -f` and `apply -f`. Any other kind
 * is refused with ManifestError naming it: kubectl-ds only sends DaemonSets.
 */
export function daemonSetsIn(docs: unknown[], source: string): Obj[] {
  const objects: Obj[] = [];
  const others: string[] = [];
  const one = (o: unknown) => {
    if (isObj(o) && o.kind === 'DaemonSet' && (o.apiVersion === 'apps/v1' || o.apiVersion === undefined)) {
      const md = isObj(o.metadata) ? o.metadata : {};
      if (typeof md.name !== 'string' || md.name === '') throw new ManifestError(`${source}: DaemonSet #${objects.length + 1} has no metadata.name`);
      objects.push({ ...o, apiVersion: 'apps/v1' });
    } else others.push(isObj(o) && o.kind === 'DaemonSet' ? `DaemonSet of apiVersion ${show(o.apiVersion)}` : describe(o));
  };
  for (const d of docs) {
    if (isObj(d) && Array.isArray(d.items) && String(d.kind ?? '').endsWith('List')) d.items.forEach(one);
    else one(d);
  }
  if (others.length) throw new ManifestError(`${source}: found ${others.join(', ')}: kubectl ds sends only DaemonSets (apps/v1); use kubectl for the rest`);
  if (objects.length === 0) throw new ManifestError(`${source}: no DaemonSet found (the file is empty)`);
  return objects;
}
