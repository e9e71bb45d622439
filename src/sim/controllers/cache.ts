/**
 * What the controllers' informers would hold, as indexes over the store: nodes (sorted by name), pods
 * by node, by controller (owner uid) and orphan pods by namespace, DaemonSets and ControllerRevisions
 * by namespace. Objects are read with store.peek() when needed, so an index only holds keys.
 *
 * Every store event updates the indexes first, then goes to the controllers' handlers, so a handler
 * (and anything that runs later) sees the indexes consistent with the store.
 */
import type { KObj, Store, StoreEvent } from '../store.js';

export const podKey = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
export const splitKey = (k: string): [string, string] => {
  const i = k.indexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
};

export function controllerRef(o: { metadata: { ownerReferences?: any[] } }): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return (o.metadata.ownerReferences ?? []).find((r: any) => r?.controller === true);
}

interface PodIndexEntry {
  node: string | undefined;
  owner: string | undefined;
}

export type Handler = (e: StoreEvent, prevPod?: PodIndexEntry) => void;

function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function removeFrom(m: Map<string, Set<string>>, k: string | undefined, v: string): void {
  if (k === undefined) return;
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}

export class Cache {
  private nodeNames = new Set<string>();
  private sortedNodes: string[] | undefined;
  /** spec.nodeName -> pod keys */
  readonly podsByNode = new Map<string, Set<string>>();
  /** controller ownerReference uid -> pod keys */
  readonly podsByOwner = new Map<string, Set<string>>();
  /** namespace -> keys of pods without a controller */
  readonly orphanPods = new Map<string, Set<string>>();
  private podIndex = new Map<string, PodIndexEntry>();
  readonly dsByNs = new Map<string, Set<string>>();
  readonly crsByNs = new Map<string, Set<string>>();
  private handlers: Handler[] = [];
  private unsubscribe: () => void;

  constructor(readonly store: Store) {
    for (const n of store.peekAll('Node')) this.nodeNames.add(n.metadata.name);
    for (const p of store.peekAll('Pod')) this.indexPod(p as KObj);
    for (const d of store.peekAll('DaemonSet')) addTo(this.dsByNs, d.metadata.namespace ?? '', d.metadata.name);
    for (const c of store.peekAll('ControllerRevision')) addTo(this.crsByNs, c.metadata.namespace ?? '', c.metadata.name);
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe();
    this.handlers = [];
  }

  on(h: Handler): void {
    this.handlers.push(h);
  }

  /** Node names, sorted. Do not mutate. */
  nodes(): readonly string[] {
    if (!this.sortedNodes) this.sortedNodes = [...this.nodeNames].sort();
    return this.sortedNodes;
  }

  node(name: string): Readonly<KObj> | undefined {
    return this.store.peek('Node', undefined, name);
  }

  pod(key: string): Readonly<KObj> | undefined {
    const [ns, name] = splitKey(key);
    return this.store.peek('Pod', ns, name);
  }

  podsOn(node: string): Readonly<KObj>[] {
    const out: Readonly<KObj>[] = [];
    for (const k of this.podsByNode.get(node) ?? []) {
      const p = this.pod(k);
      if (p) out.push(p);
    }
    return out;
  }

  private indexPod(p: KObj): void {
    const k = podKey(p.metadata.namespace, p.metadata.name);
    const entry: PodIndexEntry = { node: p.spec?.nodeName || undefined, owner: controllerRef(p)?.uid };
    this.podIndex.set(k, entry);
    if (entry.node) addTo(this.podsByNode, entry.node, k);
    if (entry.owner) addTo(this.podsByOwner, entry.owner, k);
    else addTo(this.orphanPods, p.metadata.namespace ?? '', k);
  }

  private unindexPod(k: string, ns: string): PodIndexEntry | undefined {
    const prev = this.podIndex.get(k);
    if (!prev) return undefined;
    this.podIndex.delete(k);
    removeFrom(this.podsByNode, prev.node, k);
    if (prev.owner) removeFrom(this.podsByOwner, prev.owner, k);
    else removeFrom(this.orphanPods, ns, k);
    return prev;
  }

  private onEvent(e: StoreEvent): void {
    const o = e.object;
    const ns = o.metadata.namespace ?? '';
    let prevPod: PodIndexEntry | undefined;
    switch (e.kind) {
      case 'Node':
        if (e.type === 'DELETED') {
          if (this.nodeNames.delete(o.metadata.name)) this.sortedNodes = undefined;
        } else if (!this.nodeNames.has(o.metadata.name)) {
          this.nodeNames.add(o.metadata.name);
          this.sortedNodes = undefined;
        }
        break;
      case 'Pod': {
        const k = podKey(ns, o.metadata.name);
        prevPod = this.unindexPod(k, ns);
        if (e.type !== 'DELETED') this.indexPod(o);
        break;
      }
      case 'DaemonSet':
        if (e.type === 'DELETED') removeFrom(this.dsByNs, ns, o.metadata.name);
        else addTo(this.dsByNs, ns, o.metadata.name);
        break;
      case 'ControllerRevision':
        if (e.type === 'DELETED') removeFrom(this.crsByNs, ns, o.metadata.name);
        else addTo(this.crsByNs, ns, o.metadata.name);
        break;
      default:
        return;
    }
    for (const h of this.handlers) {
      try {
        h(e, prevPod);
      } catch (err) {
        process.stderr.write(`sim controllers: handler failed: ${(err as Error)?.stack ?? err}\n`);
      }
    }
  }
}
