/**
 * The API server's generic registry over the simulator's store: create, update, patch, delete, list
 * and get with each kind's strategy (defaults, PrepareForCreate/PrepareForUpdate, validation), dry-run,
 * preconditions, status subresources, pagination and selectors. No HTTP here (see server.ts), so it is
 * testable on its own. Controllers bypass this layer and write to the store directly, as the real
 * controllers' writes are not re-defaulted in any way that matters here.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { jsonPatch, mergePatch, removalsPatch, strategicMergePatch } from './patch.js';
import { checkShape } from './shape.js';
import { matches, matchesFields, parseFieldSelector, parseLabelSelector, type FieldRequirement, type Requirement } from './selectors.js';
import { cloneJson, notFound, qualifiedResource, RESOURCE, StatusError, type DeleteOptions, type KObj, type Kind, type Store } from './store.js';
import {
  defaultDaemonSet,
  defaultPod,
  invalidError,
  semanticEqual,
  validateDaemonSet,
  validateDaemonSetUpdate,
  validateGeneric,
  validateNode,
  validatePod,
  validatePodUpdate,
  type FieldError,
} from './validation.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export interface WriteOptions {
  dryRun?: boolean;
  /** "status" for the /status subresource. */
  subresource?: string;
  /** The manager managedFields record the write under (writes without one record nothing). */
  fieldManager?: string;
  /** How managedFields record the write: Apply for server-side apply, else Update. */
  operation?: 'Apply' | 'Update';
  /** For managedFields: what the client sent (a patch), when it is not the whole object. */
  written?: unknown;
  force?: boolean;
}

/**
 * managedFields, approximated: one entry per manager, operation and subresource, with the time of its
 * last write and, as fieldsV1, every field the write set (the real API server records only the fields
 * the manager owns after conflict resolution, and marks list items and map keys in more detail).
 */
function recordManager(o: KObj, old: KObj | undefined, opts: WriteOptions, now: Date, written: unknown = o): void {
  if (!opts.fieldManager) {
    if (old?.metadata.managedFields) o.metadata.managedFields = old.metadata.managedFields;
    return;
  }
  const operation = opts.operation ?? 'Update';
  const entry: Record<string, unknown> = {
    manager: opts.fieldManager,
    operation,
    apiVersion: o.apiVersion,
    time: stamp(now),
    fieldsType: 'FieldsV1',
    fieldsV1: fieldsV1(written, opts.subresource),
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  const same = (m: any) => m.manager === entry.manager && m.operation === operation && (m.subresource ?? '') === (opts.subresource ?? '');
  const kept = ((old?.metadata.managedFields ?? []) as any[]).filter((m) => !same(m));
  o.metadata.managedFields = [...kept, entry];
}

function fieldsV1(written: unknown, subresource?: string): Record<string, unknown> {
  const walk = (v: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!isObj(v)) return out;
    for (const [k, x] of Object.entries(v)) out[`f:${k}`] = Array.isArray(x) ? list(x) : walk(x);
    return out;
  };
  const list = (items: unknown[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const it of items) {
      if (isObj(it) && typeof it.name === 'string') out[`k:{"name":${JSON.stringify(it.name)}}`] = { '.': {}, ...walk(it) };
      else out[`v:${JSON.stringify(it)}`] = {};
    }
    return out;
  };
  if (!isObj(written)) return {};
  if (subresource === 'status') return { 'f:status': walk(written.status) };
  const out: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  const m = isObj(written.metadata) ? written.metadata : {};
  for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers']) {
    if (m[k] !== undefined) meta[`f:${k}`] = Array.isArray(m[k]) ? list(m[k]) : walk(m[k]);
  }
  if (Object.keys(meta).length) out['f:metadata'] = meta;
  for (const [k, x] of Object.entries(written)) {
    if (['apiVersion', 'kind', 'metadata', 'status'].includes(k)) continue;
    out[`f:${k}`] = Array.isArray(x) ? list(x) : walk(x);
  }
  return out;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: readonly KObj[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';
const badRequest = (msg: string) => new StatusError(400, 'BadRequest', msg);
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export interface Selectors {
  labels: Requirement[];
  fields: FieldRequirement[];
}

export function parseSelectors(kind: Kind, labelSelector?: string, fieldSelector?: string): Selectors {
  return { labels: parseLabelSelector(labelSelector ?? ''), fields: parseFieldSelector(fieldSelector ?? '', kind) };
}

export const selected = (sel: Selectors, o: KObj) => matches(sel.labels, o.metadata.labels) && matchesFields(sel.fields, o);

export class Registry {
  /** The last configuration each field manager applied (server-side apply): object uid -> manager -> config. */
  private applied = new Map<string, Map<string, unknown>>();

  constructor(readonly store: Store) {
    store.subscribe((e) => {
      if (e.type === 'DELETED' && e.object.metadata.uid) this.applied.delete(e.object.metadata.uid);
    });
  }

  private lastApplied(o: KObj, manager: string | undefined): unknown {
    return this.applied.get(o.metadata.uid ?? '')?.get(manager ?? '');
  }

  private rememberApplied(o: KObj, manager: string | undefined, config: unknown): void {
    const { apiVersion: _a, kind: _k, ...rest } = config as Record<string, unknown>;
    let m = this.applied.get(o.metadata.uid ?? '');
    if (!m) this.applied.set(o.metadata.uid ?? '', (m = new Map()));
    m.set(manager ?? '', rest);
  }

  get(kind: Kind, ns: string | undefined, name: string): KObj {
    const o = this.store.get(kind, ns, name);
    if (!o) throw notFound(kind, name);
    return o;
  }

  list(kind: Kind, ns: string | undefined, opts: ListOptions = {}): ListResult {
    const sel = parseSelectors(kind, opts.labelSelector, opts.fieldSelector);
    const all = this.store.peekAll(kind, ns);
    const keyOf = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    let start = 0;
    let rv = this.store.currentResourceVersion();
    if (opts.continue) {
      let token: { rv: string; key: string };
      try {
        token = JSON.parse(Buffer.from(opts.continue, 'base64url').toString('utf8'));
        if (typeof token.key !== 'string' || typeof token.rv !== 'string') throw new Error('bad');
      } catch {
        throw badRequest('continue key is not valid: the continue token could not be decoded');
      }
      rv = token.rv;
      // first index whose key sorts after the token's key (the list is sorted by namespace/name)
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keyOf(all[mid] as KObj).localeCompare(token.key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KObj[] = [];
    let i = start;
    for (; i < all.length && items.length < limit; i++) {
      const o = all[i] as KObj;
      if (selected(sel, o)) items.push(o);
    }
    let more = false;
    for (let j = i; j < all.length; j++) {
      if (selected(sel, all[j] as KObj)) {
        more = true;
        break;
      }
    }
    const result: ListResult = { items, resourceVersion: rv };
    if (more && items.length) {
      result.continue = Buffer.from(JSON.stringify({ rv, key: keyOf(items[items.length - 1]!) })).toString('base64url');
      if (!sel.labels.length && !sel.fields.length) result.remainingItemCount = all.length - i;
    }
    return result;
  }

  // ---- create ---------------------------------------------------------------------------------------

  create(kind: Kind, ns: string | undefined, body: unknown, opts: WriteOptions = {}): KObj {
    const o = this.decode(kind, body, ns);
    if (o.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    this.checkNamespace(kind, ns);
    for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'] as const) delete o.metadata[f];
    this.prepareForCreate(kind, o);
    this.validate(kind, o, this.validateCreate(kind, o));
    recordManager(o, undefined, opts, this.store.now());
    if (opts.dryRun) {
      if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + randomUUID().slice(0, 5);
      if (this.store.peek(kind, ns, o.metadata.name)) {
        throw new StatusError(409, 'AlreadyExists', `${qualifiedResource(kind)} "${o.metadata.name}" already exists`, { name: o.metadata.name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural });
      }
      o.metadata.uid = randomUUID();
      o.metadata.creationTimestamp = stamp(this.store.now());
      return o;
    }
    return this.store.create(kind, o);
  }

  private checkNamespace(kind: Kind, ns: string | undefined): void {
    if (!RESOURCE[kind].namespaced) return;
    const n = this.store.peek('Namespace', undefined, ns ?? '');
    if (!n) throw notFound('Namespace', ns ?? '');
    if (n.metadata.deletionTimestamp) {
      throw new StatusError(403, 'Forbidden', `${qualifiedResource(kind)} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
        group: RESOURCE[kind].group || undefined,
        kind: RESOURCE[kind].plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /** The body as an object of this kind, with the namespace of the URL. */
  decode(kind: Kind, body: unknown, ns: string | undefined): KObj {
    if (!isObj(body)) throw badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: expected an object`);
    const o = cloneJson(body) as KObj;
    const r = RESOURCE[kind];
    if (o.apiVersion !== undefined && o.apiVersion !== r.apiVersion) {
      throw badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${r.apiVersion})`);
    }
    if (o.kind !== undefined && o.kind !== kind) throw badRequest(`the kind in the data (${o.kind}) does not match the expected kind (${kind})`);
    checkShape(kind, o, r.apiVersion);
    o.apiVersion = r.apiVersion;
    o.kind = kind;
    if (!isObj(o.metadata)) o.metadata = {} as KObj['metadata'];
    if (r.namespaced) {
      if (o.metadata.namespace && ns && o.metadata.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      o.metadata.namespace = ns;
    } else delete o.metadata.namespace;
    return o;
  }

  private prepareForCreate(kind: Kind, o: KObj): void {
    switch (kind) {
      case 'DaemonSet':
        defaultDaemonSet(o);
        o.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
        o.metadata.generation = 1;
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: '1' };
        break;
      case 'Pod':
        defaultPod(o);
        o.status = { phase: 'Pending', qosClass: o.status?.qosClass ?? 'BestEffort' };
        break;
      case 'Namespace':
        o.spec = { finalizers: ['kubernetes'] };
        o.status = { phase: 'Active' };
        break;
      case 'Node':
        o.spec ??= {};
        break;
      default:
        break;
    }
  }

  private validateCreate(kind: Kind, o: KObj): FieldError[] {
    switch (kind) {
      case 'DaemonSet':
        return validateDaemonSet(o);
      case 'Pod':
        return validatePod(o);
      case 'Node':
        return validateNode(o);
      default:
        return validateGeneric(o, kind);
    }
  }

  private validate(kind: Kind, o: KObj, errs: FieldError[]): void {
    if (errs.length) throw invalidError(kind, o.metadata.name || o.metadata.generateName || '', errs);
  }

  // ---- update ---------------------------------------------------------------------------------------

  update(kind: Kind, ns: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KObj {
    const o = this.decode(kind, body, ns);
    if (o.metadata.name !== undefined && o.metadata.name !== name) {
      throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${name})`);
    }
    o.metadata.name = name;
    const old = this.get(kind, ns, name);
    if (o.metadata.uid && o.metadata.uid !== old.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${o.metadata.uid}, UID in object meta: ${old.metadata.uid}`, { name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural });
    }
    if (o.metadata.resourceVersion && o.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(kind)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural },
      );
    }
    for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'] as const) delete o.metadata[f];
    const written = opts.written ?? cloneJson(o);
    this.prepareForUpdate(kind, o, old, opts.subresource);
    this.validate(kind, o, this.validateUpdate(kind, o, old));
    recordManager(o, old, opts, this.store.now(), written);
    o.metadata.resourceVersion = old.metadata.resourceVersion;
    if (opts.dryRun) {
      return { ...o, metadata: { ...o.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, ...(old.metadata.deletionTimestamp ? { deletionTimestamp: old.metadata.deletionTimestamp } : {}) } };
    }
    return this.store.update(kind, o, { checkResourceVersion: true });
  }

  private prepareForUpdate(kind: Kind, o: KObj, old: KObj, sub: string | undefined): void {
    if (sub === 'status') {
      // A status write changes nothing but status (ResetObjectMetaForStatus).
      const status = o.status;
      const keep = cloneJson(old);
      keep.metadata.resourceVersion = o.metadata.resourceVersion;
      Object.assign(o, keep, { status });
      o.metadata = { ...keep.metadata };
      return;
    }
    o.metadata.generation = old.metadata.generation;
    if (kind === 'DaemonSet' || kind === 'Pod' || kind === 'Node' || kind === 'Namespace') {
      if (old.status === undefined) delete o.status;
      else o.status = cloneJson(old.status);
    }
    switch (kind) {
      case 'DaemonSet': {
        defaultDaemonSet(o);
        const oldTg = Number(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? '0') || 0;
        let tg = oldTg;
        const gen = old.metadata.generation ?? 1;
        if (!semanticEqual(o.spec?.template, old.spec?.template)) {
          tg = oldTg + 1;
          o.metadata.generation = gen + 1;
        } else if (!semanticEqual(o.spec, old.spec)) {
          o.metadata.generation = gen + 1;
        }
        // The template generation is the server's; whatever the client sent is replaced.
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(tg) };
        break;
      }
      case 'Pod':
        // Not re-defaulted: pods written by the controllers keep their shape (validatePodUpdate compares
        // both sides defaulted).
        o.status = cloneJson(old.status);
        if (old.spec?.nodeName && o.spec) o.spec.nodeName = old.spec.nodeName;
        break;
      case 'Namespace':
        o.spec = cloneJson(old.spec);
        break;
      default:
        break;
    }
  }

  private validateUpdate(kind: Kind, o: KObj, old: KObj): FieldError[] {
    switch (kind) {
      case 'DaemonSet':
        return validateDaemonSetUpdate(o, old);
      case 'Pod':
        return validatePodUpdate(o, old);
      case 'Node':
        return validateNode(o);
      default:
        return validateGeneric(o, kind);
    }
  }

  // ---- patch ----------------------------------------------------------------------------------------

  patch(kind: Kind, ns: string | undefined, name: string, type: PatchType, raw: string, opts: WriteOptions = {}): { object: KObj; created: boolean } {
    let patch: unknown;
    try {
      patch = type === 'apply' ? parseYaml(raw) : JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message.split('\n')[0]}`);
    }
    const cur = this.store.get(kind, ns, name);
    if (!cur) {
      if (type !== 'apply') throw notFound(kind, name);
      if (!isObj(patch)) throw badRequest('error decoding patch: the apply configuration must be an object');
      const o = cloneJson(patch) as KObj;
      o.metadata = { ...(isObj(o.metadata) ? o.metadata : {}), name } as KObj['metadata'];
      const object = this.create(kind, ns, o, { ...opts, operation: 'Apply' });
      if (!opts.dryRun) this.rememberApplied(object, opts.fieldManager, patch);
      return { object, created: true };
    }
    let patched: any;
    switch (type) {
      case 'json':
        patched = jsonPatch(cur, patch);
        break;
      case 'merge':
        if (!isObj(patch)) throw badRequest('error decoding patch: a merge patch must be an object');
        patched = mergePatch(cur, patch);
        break;
      case 'strategic':
        patched = strategicMergePatch(cur, patch, kind);
        break;
      case 'apply': {
        if (!isObj(patch)) throw badRequest('error decoding patch: the apply configuration must be an object');
        // An approximation of server-side apply: the configuration merged into the live object, minus
        // what the same field manager applied last time and no longer does.
        const { apiVersion: _a, kind: _k, ...rest } = patch as Record<string, unknown>;
        const prev = this.lastApplied(cur, opts.fieldManager);
        patched = strategicMergePatch(prev ? strategicMergePatch(cur, removalsPatch(prev, rest, kind), kind) : cur, rest, kind);
        break;
      }
    }
    if (!isObj(patched)) throw new StatusError(422, 'Invalid', `${qualifiedResource(kind)} "${name}" is invalid: the patch did not produce an object`);
    if (!isObj(patched.metadata)) patched.metadata = {};
    if (patched.metadata.name !== name) throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
    // A resourceVersion in the patch is a precondition; otherwise the patch applies to what is there now.
    const rvFromPatch = isObj(patch) && isObj((patch as any).metadata) ? (patch as any).metadata.resourceVersion : undefined;
    patched.metadata.resourceVersion = rvFromPatch ?? cur.metadata.resourceVersion;
    // managedFields record what the patch set, not the whole object.
    const object = this.update(kind, ns, name, patched, { ...opts, operation: type === 'apply' ? 'Apply' : 'Update', written: patch });
    if (type === 'apply' && !opts.dryRun) this.rememberApplied(object, opts.fieldManager, patch);
    return { object, created: false };
  }

  // ---- delete ---------------------------------------------------------------------------------------

  delete(kind: Kind, ns: string | undefined, name: string, opts: DeleteOptions & { dryRun?: boolean; resourceVersion?: string }): { object: KObj; gone: boolean } {
    const cur = this.get(kind, ns, name);
    if (kind === 'Namespace' && PROTECTED_NAMESPACES.includes(name)) {
      throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    if (opts.uid && opts.uid !== cur.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${cur.metadata.uid}`, { name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural });
    }
    if (opts.resourceVersion && opts.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(kind)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural },
      );
    }
    if (opts.dryRun) return { object: cur, gone: false };
    return this.store.requestDeletion(kind, ns, name, { propagationPolicy: opts.propagationPolicy, gracePeriodSeconds: opts.gracePeriodSeconds });
  }

  /** POST pods/NAME/binding: what the scheduler does. */
  bind(ns: string, name: string, body: unknown): void {
    const pod = this.get('Pod', ns, name);
    const target = isObj(body) && isObj(body.target) ? body.target : undefined;
    if (!target?.name) throw invalidError('Pod', name, [{ type: 'Required', field: 'target.name' }]);
    if (pod.spec?.nodeName) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`, { name, kind: 'pods/binding' });
    }
    pod.spec.nodeName = target.name;
    const conds = (pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: stamp(this.store.now()) });
    pod.status.conditions = conds;
    this.store.update('Pod', pod);
  }
}
