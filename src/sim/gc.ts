/**
 * The garbage collector, the namespace controller's cleanup and the pod GC's orphan rule, as the
 * simulator needs them (../shared/reference/daemonset-behaviour.md §6):
 *   - Orphan: an owner being deleted with the `orphan` finalizer has its ownerReference removed from
 *     every dependent (Pods and ControllerRevisions alike), then the finalizer is dropped.
 *   - Foreground: an owner with `foregroundDeletion` has its dependents deleted; once none with
 *     blockOwnerDeletion is left, the finalizer is dropped.
 *   - Background: a dependent none of whose owners exists any more (by uid) is deleted.
 *   - A pod bound to a node that no longer exists is deleted (pod GC).
 *   - A Terminating namespace is emptied, then removed.
 * `faults.stallGarbageCollector(true)` stops all of it (finalizers stay) until it is turned off.
 *
 * Work is driven by store events through an owner index, so it stays cheap with thousands of objects.
 */
import type { Faults } from './faults.js';
import { RESOURCE, type KObj, type Kind, type Store, type StoreEvent } from './store.js';

interface Ref {
  kind: Kind;
  ns: string | undefined;
  name: string;
}
const refKey = (r: Ref) => `${r.kind}|${r.ns ?? ''}|${r.name}`;
const refOf = (kind: Kind, o: KObj): Ref => ({ kind, ns: o.metadata.namespace, name: o.metadata.name });

export class GarbageCollector {
  private byUid = new Map<string, Ref>();
  /** owner uid -> dependents (by refKey) */
  private dependents = new Map<string, Map<string, Ref>>();
  private queue = new Map<string, Ref>();
  private scheduled = false;
  private unsubscribe: () => void;
  private unStall: () => void;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private store: Store,
    private faults: Faults,
  ) {
    for (const kind of Object.keys(RESOURCE) as Kind[]) {
      for (const o of store.peekAll(kind)) this.index(kind, o as KObj);
    }
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    this.unStall = faults.onGcStall((stalled) => {
      if (!stalled) this.enqueueEverything();
    });
    this.enqueueEverything();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.unStall();
  }

  /** Resolves when the collector has no queued work. */
  idle(): Promise<void> {
    if (!this.queue.size && !this.scheduled) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get busy(): boolean {
    return this.queue.size > 0 || this.scheduled;
  }

  private index(kind: Kind, o: KObj): void {
    const ref = refOf(kind, o);
    if (o.metadata.uid) this.byUid.set(o.metadata.uid, ref);
    for (const or of o.metadata.ownerReferences ?? []) {
      let m = this.dependents.get(or.uid);
      if (!m) this.dependents.set(or.uid, (m = new Map()));
      m.set(refKey(ref), ref);
    }
  }

  private unindex(kind: Kind, o: KObj): void {
    if (o.metadata.uid && this.byUid.get(o.metadata.uid)?.kind === kind) this.byUid.delete(o.metadata.uid);
    const key = refKey(refOf(kind, o));
    for (const or of o.metadata.ownerReferences ?? []) {
      const m = this.dependents.get(or.uid);
      if (m) {
        m.delete(key);
        if (!m.size) this.dependents.delete(or.uid);
      }
    }
  }

  private onEvent(e: StoreEvent): void {
    if (e.prev) this.unindex(e.kind, e.prev);
    if (e.type !== 'DELETED') this.index(e.kind, e.object);
    const o = e.object;
    const ref = refOf(e.kind, o);
    if (e.type === 'DELETED') {
      // Its dependents may now be orphans (Background) and its owners may be waiting for it (Foreground).
      for (const d of this.dependents.get(o.metadata.uid ?? '')?.values() ?? []) this.enqueue(d);
      for (const or of o.metadata.ownerReferences ?? []) {
        const owner = this.byUid.get(or.uid);
        if (owner) this.enqueue(owner);
      }
      if (e.kind === 'Node') for (const p of this.store.peekAll('Pod')) if (p.spec?.nodeName === o.metadata.name) this.enqueue(refOf('Pod', p as KObj));
      if (o.metadata.namespace) this.enqueue({ kind: 'Namespace', ns: undefined, name: o.metadata.namespace });
      return;
    }
    if (o.metadata.deletionTimestamp) this.enqueue(ref);
    if (o.metadata.ownerReferences?.length) this.enqueue(ref);
    if (e.kind === 'Pod' && o.spec?.nodeName && e.type === 'ADDED') this.enqueue(ref);
    if (e.kind === 'Pod' && o.spec?.nodeName && e.prev && !e.prev.spec?.nodeName) this.enqueue(ref);
  }

  private enqueueEverything(): void {
    for (const kind of Object.keys(RESOURCE) as Kind[]) {
      for (const o of this.store.peekAll(kind)) {
        if (o.metadata.deletionTimestamp || o.metadata.ownerReferences?.length || (kind === 'Pod' && o.spec?.nodeName)) this.enqueue(refOf(kind, o as KObj));
      }
    }
  }

  private enqueue(r: Ref): void {
    if (this.stopped) return;
    this.queue.set(refKey(r), r);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.stopped) return;
    if (!this.faults.gcStalled) {
      // Items processed now may enqueue more; those run in the next turn.
      const batch = [...this.queue.values()];
      this.queue.clear();
      for (const r of batch) {
        try {
          this.process(r);
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (!/not found/.test(msg)) process.stderr.write(`sim: garbage collector: ${refKey(r)}: ${msg}\n`);
        }
      }
    } else {
      this.queue.clear(); // re-enqueued when the stall ends
    }
    if (!this.queue.size && !this.scheduled) for (const w of this.idleWaiters.splice(0)) w();
  }

  private process(r: Ref): void {
    const o = this.store.peek(r.kind, r.ns, r.name);
    if (!o) return;
    const fin = o.metadata.finalizers ?? [];
    if (r.kind === 'Namespace' && o.metadata.deletionTimestamp) return this.finishNamespace(o as KObj);
    if (o.metadata.deletionTimestamp && fin.includes('orphan')) return this.orphanDependents(r, o as KObj);
    if (o.metadata.deletionTimestamp && fin.includes('foregroundDeletion')) return this.deleteDependentsFirst(r, o as KObj);
    if (o.metadata.ownerReferences?.length && !o.metadata.deletionTimestamp) {
      const anyOwnerLeft = o.metadata.ownerReferences.some((or) => this.ownerExists(or.uid));
      if (!anyOwnerLeft) {
        this.store.requestDeletion(r.kind, r.ns, r.name, { propagationPolicy: 'Background' });
        return;
      }
    }
    if (r.kind === 'Pod' && o.spec?.nodeName && !this.store.peek('Node', undefined, o.spec.nodeName)) {
      // Pod GC: the node is gone, so is the pod (at once: no kubelet is left to wait for).
      this.store.requestDeletion('Pod', r.ns, r.name, { gracePeriodSeconds: 0 });
    }
  }

  private ownerExists(uid: string): boolean {
    const ref = this.byUid.get(uid);
    return !!ref && this.store.peek(ref.kind, ref.ns, ref.name)?.metadata.uid === uid;
  }

  private dependentsOf(uid: string): Ref[] {
    return [...(this.dependents.get(uid)?.values() ?? [])];
  }

  private orphanDependents(r: Ref, owner: KObj): void {
    const uid = owner.metadata.uid!;
    for (const d of this.dependentsOf(uid)) {
      const dep = this.store.get(d.kind, d.ns, d.name);
      if (!dep) continue;
      const refs = (dep.metadata.ownerReferences ?? []).filter((or) => or.uid !== uid);
      if (refs.length) dep.metadata.ownerReferences = refs;
      else delete dep.metadata.ownerReferences;
      this.store.update(d.kind, dep);
    }
    this.dropFinalizer(r, 'orphan');
  }

  private deleteDependentsFirst(r: Ref, owner: KObj): void {
    const uid = owner.metadata.uid!;
    let blocking = 0;
    for (const d of this.dependentsOf(uid)) {
      const dep = this.store.peek(d.kind, d.ns, d.name);
      if (!dep) continue;
      const or = dep.metadata.ownerReferences?.find((x) => x.uid === uid);
      if (!or) continue;
      if (or.blockOwnerDeletion) blocking++;
      if (!dep.metadata.deletionTimestamp) this.store.requestDeletion(d.kind, d.ns, d.name, { propagationPolicy: 'Foreground' });
    }
    const stillBlocking = this.dependentsOf(uid).filter((d) => this.store.peek(d.kind, d.ns, d.name)?.metadata.ownerReferences?.some((x) => x.uid === uid && x.blockOwnerDeletion));
    if (!stillBlocking.length || blocking === 0) this.dropFinalizer(r, 'foregroundDeletion');
  }

  private dropFinalizer(r: Ref, name: string): void {
    const o = this.store.get(r.kind, r.ns, r.name);
    if (!o) return;
    o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== name);
    this.store.update(r.kind, o);
  }

  private finishNamespace(ns: KObj): void {
    const name = ns.metadata.name;
    let left = 0;
    for (const kind of Object.keys(RESOURCE) as Kind[]) {
      if (!RESOURCE[kind].namespaced) continue;
      for (const o of this.store.peekAll(kind, name)) {
        left++;
        // (a pod already being deleted waits for its kubelet; the namespace waits for the pod)
        if (!o.metadata.deletionTimestamp) this.store.requestDeletion(kind, name, o.metadata.name, { propagationPolicy: 'Background' });
      }
    }
    if (left === 0) {
      const cur = this.store.get('Namespace', undefined, name);
      if (!cur) return;
      cur.spec = { ...(cur.spec ?? {}), finalizers: [] };
      this.store.update('Namespace', cur); // no finalizer left: the store removes it
    }
  }
}
