// The simulator's garbage collector (src/sim/gc.ts), against the deletion rules of
// daemonset-behaviour.md §6: Orphan removes the owner's ownerReference from every dependent (pods AND
// ControllerRevisions) and then the finalizer; Foreground deletes dependents first; Background deletes
// dependents whose owner is gone; a stalled collector keeps finalizers.
import { afterEach, describe, expect, it } from 'vitest';
import { Faults } from '../../src/sim/faults.js';
import { GarbageCollector } from '../../src/sim/gc.js';
import { Registry } from '../../src/sim/registry.js';
import { Store, type KObj, type OwnerReference } from '../../src/sim/store.js';

let gc: GarbageCollector | undefined;
afterEach(() => gc?.stop());

function setup() {
  const store = new Store();
  for (const ns of ['default', 'team']) store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  store.create('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
  const faults = new Faults();
  gc = new GarbageCollector(store, faults);
  const registry = new Registry(store);
  const ds = registry.create('DaemonSet', 'default', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  });
  const owner: OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true };
  // Unbound pods (no kubelet needed to finish their deletion) and a revision, all controlled by the DaemonSet.
  for (const name of ['d-a', 'd-b']) {
    store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'd', 'controller-revision-hash': 'h1' }, ownerReferences: [owner] }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  }
  store.create('ControllerRevision', { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'd-h1', namespace: 'default', ownerReferences: [owner] }, revision: 1, data: {} });
  return { store, faults, registry, gc: gc!, ds };
}

const refs = (o: KObj | undefined) => o?.metadata.ownerReferences;

describe('garbage collector', () => {
  it('Orphan: ownerReferences go from pods and revisions, then the owner goes; labels stay', async () => {
    const { store, registry, gc } = setup();
    const r = registry.delete('DaemonSet', 'default', 'd', { propagationPolicy: 'Orphan' });
    expect(r.gone).toBe(false);
    expect(r.object.metadata.finalizers).toEqual(['orphan']);
    expect(r.object.metadata.deletionTimestamp).toBeTruthy();
    await gc.idle();
    expect(store.get('DaemonSet', 'default', 'd')).toBeUndefined();
    for (const p of ['d-a', 'd-b']) {
      const pod = store.get('Pod', 'default', p);
      expect(pod).toBeDefined();
      expect(refs(pod)).toBeUndefined();
      expect(pod!.metadata.labels).toEqual({ app: 'd', 'controller-revision-hash': 'h1' });
    }
    expect(refs(store.get('ControllerRevision', 'default', 'd-h1'))).toBeUndefined();
  });

  it('Orphan keeps other owners of a dependent', async () => {
    const { store, registry, gc } = setup();
    const other = store.create('ControllerRevision', { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'keeper', namespace: 'default' }, revision: 1 });
    const pod = store.get('Pod', 'default', 'd-a')!;
    pod.metadata.ownerReferences!.push({ apiVersion: 'apps/v1', kind: 'ControllerRevision', name: 'keeper', uid: other.metadata.uid! });
    store.update('Pod', pod);
    registry.delete('DaemonSet', 'default', 'd', { propagationPolicy: 'Orphan' });
    await gc.idle();
    expect(refs(store.get('Pod', 'default', 'd-a'))?.map((r) => r.name)).toEqual(['keeper']);
  });

  it('Background: the owner goes at once, then its dependents', async () => {
    const { store, registry, gc } = setup();
    const r = registry.delete('DaemonSet', 'default', 'd', { propagationPolicy: 'Background' });
    expect(r.gone).toBe(true);
    await gc.idle();
    expect(store.list('Pod', 'default')).toEqual([]);
    expect(store.list('ControllerRevision', 'default')).toEqual([]);
  });

  it('Foreground: dependents first, then the owner', async () => {
    const { store, registry, gc } = setup();
    const seen: string[] = [];
    store.subscribe((e) => {
      if (e.type === 'DELETED') seen.push(`${e.kind}/${e.object.metadata.name}`);
    });
    const r = registry.delete('DaemonSet', 'default', 'd', { propagationPolicy: 'Foreground' });
    expect(r.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    await gc.idle();
    expect(store.get('DaemonSet', 'default', 'd')).toBeUndefined();
    expect(seen[seen.length - 1]).toBe('DaemonSet/d');
    expect(seen.sort()).toEqual(['ControllerRevision/d-h1', 'DaemonSet/d', 'Pod/d-a', 'Pod/d-b']);
  });

  it('a stalled collector keeps the orphan finalizer until it resumes', async () => {
    const { store, faults, registry, gc } = setup();
    faults.stallGarbageCollector(true);
    registry.delete('DaemonSet', 'default', 'd', { propagationPolicy: 'Orphan' });
    await gc.idle();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.get('DaemonSet', 'default', 'd')?.metadata.finalizers).toEqual(['orphan']);
    expect(refs(store.get('Pod', 'default', 'd-a'))).toHaveLength(1);
    faults.stallGarbageCollector(false);
    await gc.idle();
    expect(store.get('DaemonSet', 'default', 'd')).toBeUndefined();
    expect(refs(store.get('Pod', 'default', 'd-a'))).toBeUndefined();
  });

  it('a pod bound to a node that is removed is deleted', async () => {
    const { store, gc } = setup();
    store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i' }] } });
    await gc.idle();
    expect(store.get('Pod', 'default', 'bound')).toBeDefined();
    store.requestDeletion('Node', undefined, 'node-1');
    await gc.idle();
    expect(store.get('Pod', 'default', 'bound')).toBeUndefined();
  });

  it('a deleted namespace is Terminating until it is empty, then gone', async () => {
    const { store, registry, gc } = setup();
    store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const r = registry.delete('Namespace', undefined, 'team', {});
    expect(r.gone).toBe(false);
    expect(r.object.status.phase).toBe('Terminating');
    await gc.idle();
    expect(store.get('Pod', 'team', 'p')).toBeUndefined();
    expect(store.get('Namespace', undefined, 'team')).toBeUndefined();
    expect(() => registry.delete('Namespace', undefined, 'default', {})).toThrow('namespaces "default" is forbidden: this namespace may not be deleted');
  });
});
