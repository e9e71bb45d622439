// The simulator at the scale the issue asks for: 5,000 nodes and a DaemonSet's 5,000 pods, served in
// pages of 500 over HTTPS, in bounded memory. Functional checks only (no timings: speed belongs in
// benchmarks); the heap use is printed for the record.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, getJson, listAll, listJson, paths, type Cluster, type ListPage } from '../../src/kube/client.js';
import { startSim, type StartedSim } from '../helpers/sim.js';
import { globals } from '../helpers/client.js';

const N = 5000;
let s: StartedSim;
let c: Cluster;
let heapBefore = 0;

beforeAll(async () => {
  heapBefore = process.memoryUsage().heapUsed;
  s = await startSim({ scenario: 'large', nodes: N });
  const store = s.sim.store;
  const ds = store.create('DaemonSet', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'big', namespace: 'default', generation: 1 },
    // OnDelete: the simulated DaemonSet controller keeps these hand-made pods (their hash is not the
    // revision's, so a RollingUpdate would replace them while the test lists).
    spec: { selector: { matchLabels: { app: 'big' } }, updateStrategy: { type: 'OnDelete' }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  });
  for (let i = 1; i <= N; i++) {
    store.create('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `big-${String(i).padStart(5, '0')}`,
        namespace: 'default',
        labels: { app: 'big', 'controller-revision-hash': '5d8f7c9b', 'pod-template-generation': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'big', uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { nodeName: `node-${i}`, containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '20Mi' } } }] },
      status: { phase: 'Running', podIP: `10.244.${i % 250}.${i % 200}`, containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} }, image: 'nginx:1.25', imageID: '' }] },
    });
  }
  c = connect(globals({ kubeconfig: s.kubeconfig, requestTimeoutMs: 60_000 }));
}, 120_000);

afterAll(async () => {
  await s?.stop();
});

describe(`${N} nodes and ${N} pods`, () => {
  it('every node, in pages of 500', async () => {
    let pages = 0;
    const { items } = await listAll<V1Node>((p) => {
      pages++;
      return getJson<ListPage<V1Node>>(c, paths.nodes(), p);
    });
    expect(pages).toBe(N / 500);
    expect(items).toHaveLength(N);
    expect(new Set(items.map((n) => n.metadata!.name)).size).toBe(N);
  });

  it("every pod of the DaemonSet by its selector, and one node's pod by field selector", async () => {
    const { items } = await listJson<V1Pod>(c, paths.pods('default'), { labelSelector: 'app=big' });
    expect(items).toHaveLength(N);
    expect(items[0]!.metadata!.name).toBe('big-00001');
    expect(items[N - 1]!.metadata!.name).toBe(`big-0${N}`);
    const one = await listJson<V1Pod>(c, paths.pods('default'), { fieldSelector: 'spec.nodeName=node-4321' });
    expect(one.items.map((p) => p.metadata!.name)).toEqual(['big-04321']);
  });

  it('fits in bounded memory', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const mb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    console.log(`sim scale: heap grew ${mb.toFixed(0)} MB for ${N} nodes + ${N} pods (rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB)`);
    expect(mb).toBeLessThan(400);
  });
});
