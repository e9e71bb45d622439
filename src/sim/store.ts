/**
 * The simulator's object store: what etcd plus the generic registry are to a real API server.
 * Objects of every kind live here with a cluster-wide resourceVersion counter; every change is an event
 * kept in a bounded history, so watches can resume from a resourceVersion (or get 410 Gone when it
 * has been compacted away). Deletion follows the API server: graceful pod deletion and finalizers set
 * deletionTimestamp first; the object disappears when its finalizers are gone.
 *
 * Part of the simulator: it must never import the product's src/core (the simulator is an independent
 * model of the control plane, so tests that use it prove something).
 */
import { randomUUID } from 'node:crypto';

export type Kind = 'Namespace' | 'Node' | 'Pod' | 'DaemonSet' | 'ControllerRevision' | 'Event' | 'Lease';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  generateName?: string;
  managedFields?: unknown[];
  [k: string]: unknown;
}

export interface KObj {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [k: string]: any;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  type: EventType;
  kind: Kind;
  object: KObj;
  rv: number;
  /** The object before this change (MODIFIED, DELETED); given to live subscribers only, not kept in history. */
  prev?: KObj;
}

/** An API error, answered as a metav1 Status. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message: string; field?: string }[] },
  ) {
    super(message);
  }
  toStatus(): KObj {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {} as ObjectMeta,
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "daemonsets.apps" etc., for messages. */
export const RESOURCE: Record<Kind, { plural: string; group: string; namespaced: boolean; apiVersion: string }> = {
  Namespace: { plural: 'namespaces', group: '', namespaced: false, apiVersion: 'v1' },
  Node: { plural: 'nodes', group: '', namespaced: false, apiVersion: 'v1' },
  Pod: { plural: 'pods', group: '', namespaced: true, apiVersion: 'v1' },
  Event: { plural: 'events', group: '', namespaced: true, apiVersion: 'v1' },
  DaemonSet: { plural: 'daemonsets', group: 'apps', namespaced: true, apiVersion: 'apps/v1' },
  ControllerRevision: { plural: 'controllerrevisions', group: 'apps', namespaced: true, apiVersion: 'apps/v1' },
  Lease: { plural: 'leases', group: 'coordination.k8s.io', namespaced: true, apiVersion: 'coordination.k8s.io/v1' },
};

export function qualifiedResource(kind: Kind): string {
  const r = RESOURCE[kind];
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function notFound(kind: Kind, name: string): StatusError {
  const r = RESOURCE[kind];
  return new StatusError(404, 'NotFound', `${qualifiedResource(kind)} "${name}" not found`, { name, group: r.group || undefined, kind: r.plural });
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
/**
 * A deep copy of JSON data (what the store holds). Several times faster than structuredClone for
 * these plain objects, which matters with thousands of nodes and pods; undefined fields are dropped, as
 * in JSON.
 */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = cloneJson(x);
  }
  return out as T;
}
const clone = cloneJson;

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  /** A precondition: delete only if the uid matches. */
  uid?: string;
}

export class Store {
  private objects = new Map<Kind, Map<string, KObj>>();
  private rv = 1;
  /** Past events, oldest first, with the object as JSON text (a third of the memory of live objects). */
  private history: { type: EventType; kind: Kind; rv: number; json: string }[] = [];
  private listeners = new Set<(e: StoreEvent) => void>();
  /** How many events are kept for watch resumption; older resourceVersions answer 410 Gone. */
  historyLimit = 20_000;
  /** The clock every timestamp comes from (tests may replace it). */
  now: () => Date = () => new Date();

  constructor() {
    for (const k of Object.keys(RESOURCE) as Kind[]) this.objects.set(k, new Map());
  }

  currentResourceVersion(): string {
    return String(this.rv);
  }

  /** The oldest resourceVersion a watch can still start from. */
  oldestResourceVersion(): number {
    return this.history.length ? this.history[0]!.rv - 1 : this.rv;
  }

  get(kind: Kind, ns: string | undefined, name: string): KObj | undefined {
    const o = this.objects.get(kind)!.get(key(RESOURCE[kind].namespaced ? ns : undefined, name));
    return o ? clone(o) : undefined;
  }

  /** Without cloning: read-only access for hot paths (controllers, list filtering). Never mutate the result. */
  peek(kind: Kind, ns: string | undefined, name: string): Readonly<KObj> | undefined {
    return this.objects.get(kind)!.get(key(RESOURCE[kind].namespaced ? ns : undefined, name));
  }

  /** Read-only view of every object of a kind (optionally one namespace), sorted by namespace/name. Never mutate. */
  peekAll(kind: Kind, ns?: string): readonly Readonly<KObj>[] {
    const out: KObj[] = [];
    for (const o of this.objects.get(kind)!.values()) if (ns === undefined || o.metadata.namespace === ns) out.push(o);
    return out.sort((a, b) => key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)));
  }

  list(kind: Kind, ns?: string): KObj[] {
    return this.peekAll(kind, ns).map(clone);
  }

  private bump(): number {
    return ++this.rv;
  }

  private emit(type: EventType, kind: Kind, object: KObj, rv: number, prev?: KObj): void {
    const ev: StoreEvent = { type, kind, object: clone(object), rv };
    this.history.push({ type, kind, rv, json: JSON.stringify(object) });
    // Trimmed in batches: splicing the front of a long array on every event would cost more than the event.
    if (this.history.length > this.historyLimit + Math.ceil(this.historyLimit / 20)) this.history.splice(0, this.history.length - this.historyLimit);
    const live: StoreEvent = prev ? { ...ev, prev } : ev;
    for (const l of this.listeners) {
      try {
        l(live);
      } catch (e) {
        process.stderr.write(`sim: listener failed: ${(e as Error).stack}\n`);
      }
    }
  }

  /** Events (of one kind, if given) after resourceVersion `since`, or 'gone' when history no longer reaches back that far. */
  eventsSince(since: number, kind?: Kind): StoreEvent[] | 'gone' {
    if (since < this.oldestResourceVersion()) return 'gone';
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= since) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.history.length; i++) {
      const e = this.history[i]!;
      if (!kind || e.kind === kind) out.push({ type: e.type, kind: e.kind, rv: e.rv, object: JSON.parse(e.json) as KObj });
    }
    return out;
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  create(kind: Kind, obj: KObj): KObj {
    const o = clone(obj);
    const meta = o.metadata;
    if (!RESOURCE[kind].namespaced) delete meta.namespace;
    const map = this.objects.get(kind)!;
    if (!meta.name && meta.generateName) {
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
      do {
        meta.name = meta.generateName + Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
      } while (map.has(key(meta.namespace, meta.name)));
    }
    if (map.has(key(meta.namespace, meta.name))) {
      const r = RESOURCE[kind];
      throw new StatusError(409, 'AlreadyExists', `${qualifiedResource(kind)} "${meta.name}" already exists`, { name: meta.name, group: r.group || undefined, kind: r.plural });
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = this.now().toISOString().replace(/\.\d+Z$/, 'Z');
    delete meta.deletionTimestamp;
    delete meta.resourceVersion;
    o.apiVersion = RESOURCE[kind].apiVersion;
    o.kind = kind;
    const rv = this.bump();
    meta.resourceVersion = String(rv);
    map.set(key(meta.namespace, meta.name), o);
    this.emit('ADDED', kind, o, rv);
    return clone(o);
  }

  /**
   * Replaces an object. With `checkResourceVersion`, a stale metadata.resourceVersion is a 409 Conflict
   * (as a PUT is); controllers pass false to write over whatever is there. uid, creationTimestamp and
   * deletionTimestamp are kept from the stored object. An object being deleted whose finalizers become
   * empty is removed.
   */
  update(kind: Kind, obj: KObj, opts: { checkResourceVersion?: boolean } = {}): KObj {
    const map = this.objects.get(kind)!;
    const ns = RESOURCE[kind].namespaced ? obj.metadata.namespace : undefined;
    const k = key(ns, obj.metadata.name);
    const cur = map.get(k);
    if (!cur) throw notFound(kind, obj.metadata.name);
    if (opts.checkResourceVersion && obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(kind)} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: obj.metadata.name, group: RESOURCE[kind].group || undefined, kind: RESOURCE[kind].plural },
      );
    }
    const o = clone(obj);
    o.apiVersion = cur.apiVersion;
    o.kind = cur.kind;
    o.metadata.uid = cur.metadata.uid;
    o.metadata.creationTimestamp = cur.metadata.creationTimestamp;
    if (cur.metadata.namespace) o.metadata.namespace = cur.metadata.namespace;
    if (cur.metadata.deletionTimestamp) {
      o.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
      if (cur.metadata.deletionGracePeriodSeconds !== undefined) o.metadata.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
    }
    if (o.metadata.finalizers && o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
    if (JSON.stringify(o) === JSON.stringify({ ...cur, metadata: { ...cur.metadata, resourceVersion: o.metadata.resourceVersion } })) {
      return clone(cur); // no-op writes do not bump the resourceVersion, as on a real server
    }
    const rv = this.bump();
    o.metadata.resourceVersion = String(rv);
    if (o.metadata.deletionTimestamp && !o.metadata.finalizers?.length && !this.waitsForKubelet(kind, o)) {
      map.delete(k);
      this.emit('DELETED', kind, o, rv, cur);
      return clone(o);
    }
    map.set(k, o);
    this.emit('MODIFIED', kind, o, rv, cur);
    return clone(o);
  }

  /**
   * Whether something other than metadata.finalizers holds a deleted object: a bound pod with a grace
   * period is removed by its kubelet, a namespace by the namespace controller (its spec.finalizers).
   */
  private waitsForKubelet(kind: Kind, o: KObj): boolean {
    if (kind === 'Namespace') return (o.spec?.finalizers?.length ?? 0) > 0;
    return kind === 'Pod' && !!o.spec?.nodeName && (o.metadata.deletionGracePeriodSeconds ?? 0) > 0 && !!this.peek('Node', undefined, o.spec.nodeName);
  }

  /**
   * Deletes as the API server does: Orphan and Foreground add their finalizer and set deletionTimestamp
   * (the garbage collector finishes the job); a bound pod with a grace period gets deletionTimestamp and
   * waits for its kubelet; everything else goes at once (Background: the garbage collector then removes
   * dependents). Returns the object as it is after the call, and whether it is gone.
   */
  requestDeletion(kind: Kind, ns: string | undefined, name: string, opts: DeleteOptions = {}): { object: KObj; gone: boolean } {
    const map = this.objects.get(kind)!;
    const k = key(RESOURCE[kind].namespaced ? ns : undefined, name);
    const cur = map.get(k);
    if (!cur) throw notFound(kind, name);
    if (opts.uid && opts.uid !== cur.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    const o = clone(cur);
    const fin = new Set(o.metadata.finalizers ?? []);
    const policy = opts.propagationPolicy;
    if (policy === 'Orphan') fin.add('orphan');
    if (policy === 'Foreground') fin.add('foregroundDeletion');
    const grace =
      kind === 'Pod' ? (opts.gracePeriodSeconds ?? o.spec?.terminationGracePeriodSeconds ?? 30) : 0;
    const alreadyDeleting = !!o.metadata.deletionTimestamp;
    if (!alreadyDeleting) o.metadata.deletionTimestamp = this.now().toISOString().replace(/\.\d+Z$/, 'Z');
    if (kind === 'Pod') o.metadata.deletionGracePeriodSeconds = Math.min(grace, o.metadata.deletionGracePeriodSeconds ?? grace);
    if (kind === 'Namespace') o.status = { ...(o.status ?? {}), phase: 'Terminating' };
    o.metadata.finalizers = [...fin];
    if (o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
    const rv = this.bump();
    o.metadata.resourceVersion = String(rv);
    if (!o.metadata.finalizers && !this.waitsForKubelet(kind, o)) {
      map.delete(k);
      this.emit('DELETED', kind, o, rv, cur);
      return { object: clone(o), gone: true };
    }
    map.set(k, o);
    this.emit('MODIFIED', kind, o, rv, cur);
    return { object: clone(o), gone: false };
  }

  /** Removes an object now, whatever its finalizers (the kubelet's final delete, node removal). */
  forceRemove(kind: Kind, ns: string | undefined, name: string): void {
    const map = this.objects.get(kind)!;
    const k = key(RESOURCE[kind].namespaced ? ns : undefined, name);
    const cur = map.get(k);
    if (!cur) return;
    map.delete(k);
    const o = clone(cur);
    const rv = this.bump();
    o.metadata.resourceVersion = String(rv);
    this.emit('DELETED', kind, o, rv, cur);
  }
}
