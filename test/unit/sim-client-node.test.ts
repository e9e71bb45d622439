// @kubernetes/client-node, through the product's own client module (src/kube/client.ts), against the
// simulator over HTTPS: the same client path the commands take (lists in pages, typed reads, patches
// with each content type, watches that reconnect after a dropped connection and relist after 410).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1DaemonSet, V1Node } from '@kubernetes/client-node';
import { apiError, connect, listAll, patchAs, watchResilient, type Cluster } from '../../src/kube/client.js';
import { startSim, type StartedSim } from '../helpers/sim.js';

let s: StartedSim;
let c: Cluster;

beforeAll(async () => {
  s = await startSim({ scenario: 'mixed', nodes: 8 });
  c = connect({ kubeconfig: s.kubeconfig, contexts: [], allContexts: false, parallel: 1, requestTimeoutMs: 10_000, color: false, verbosity: 0 });
});
afterAll(async () => {
  await s?.stop();
});

const ds = (name: string): V1DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
});

describe('client-node against the simulator', () => {
  it('lists in pages, with typed objects', async () => {
    let pages = 0;
    const { items, resourceVersion } = await listAll<V1Node>(async (p) => {
      pages++;
      return c.core.listNode({ limit: 3, _continue: p._continue });
    });
    expect(pages).toBe(3);
    expect(items.map((n) => n.metadata!.name)).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6', 'node-7']);
    expect(items[4]!.status!.capacity).toMatchObject({ cpu: '1', memory: '1Gi', pods: '110' });
    expect(resourceVersion).toMatch(/^\d+$/);
  });

  it('creates, reads, patches (strategic, merge, JSON) and deletes', async () => {
    const created = await c.apps.createNamespacedDaemonSet({ namespace: 'default', body: ds('cn') });
    expect(created.metadata!.generation).toBe(1);
    expect(created.spec!.updateStrategy!.rollingUpdate!.maxUnavailable).toBe(1);
    const p1 = await c.apps.patchNamespacedDaemonSet(
      { namespace: 'default', name: 'cn', body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } } },
      patchAs.strategic(),
    );
    expect(p1.spec!.template.spec!.containers[0]!.image).toBe('nginx:1.26');
    expect(p1.metadata!.generation).toBe(2);
    const p2 = await c.apps.patchNamespacedDaemonSet({ namespace: 'default', name: 'cn', body: { metadata: { labels: { team: 'a' } } } }, patchAs.merge());
    expect(p2.metadata!.labels).toEqual({ team: 'a' });
    const p3 = await c.apps.patchNamespacedDaemonSet({ namespace: 'default', name: 'cn', body: [{ op: 'add', path: '/spec/minReadySeconds', value: 5 }, { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }] }, patchAs.json());
    expect(p3.spec!.minReadySeconds).toBe(5);
    expect(p3.spec!.template.spec!.containers[0]!.image).toBe('nginx:1.27');
    await c.apps.deleteNamespacedDaemonSet({ namespace: 'default', name: 'cn', body: { propagationPolicy: 'Orphan' } });
    await s.sim.settle();
    const err = await c.apps.readNamespacedDaemonSet({ namespace: 'default', name: 'cn' }).catch((e) => e);
    expect(apiError(err, c, 'get daemonset cn').message).toBe('Error from server (NotFound): daemonsets.apps "cn" not found');
  });

  it('a watch reconnects after dropped connections and relists after 410 Gone', async () => {
    const seen: string[] = [];
    const list = await c.apps.listNamespacedDaemonSet({ namespace: 'default' });
    const w = watchResilient<V1DaemonSet>(
      c,
      '/apis/apps/v1/namespaces/default/daemonsets',
      {},
      list.metadata!.resourceVersion,
      (ev) => seen.push(`${ev.type} ${ev.object.metadata!.name} ${ev.object.metadata!.labels?.step ?? ''}`.trim()),
      async () => {
        const l = await c.apps.listNamespacedDaemonSet({ namespace: 'default' });
        return { items: l.items, resourceVersion: l.metadata!.resourceVersion };
      },
    );
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(pred()).toBe(true);
    };
    await new Promise((r) => setTimeout(r, 200));
    await c.apps.createNamespacedDaemonSet({ namespace: 'default', body: ds('w1') });
    await waitFor(() => seen.includes('ADDED w1'));
    s.sim.faults.dropWatches();
    await c.apps.patchNamespacedDaemonSet({ namespace: 'default', name: 'w1', body: { metadata: { labels: { step: 'after-drop' } } } }, patchAs.merge());
    await waitFor(() => seen.includes('MODIFIED w1 after-drop'));
    // Compact the history away, drop the connection: the reconnect from the old resourceVersion gets
    // 410 and the watch relists (a relist reports what exists as MODIFIED).
    const limit = s.sim.store.historyLimit;
    s.sim.store.historyLimit = 1;
    s.sim.faults.dropWatches();
    await c.apps.patchNamespacedDaemonSet({ namespace: 'default', name: 'w1', body: { metadata: { labels: { step: 'after-410' } } } }, patchAs.merge());
    await c.core.patchNode({ name: 'node-7', body: { metadata: { labels: { x: '1' } } } }, patchAs.merge());
    await waitFor(() => seen.includes('MODIFIED w1 after-410'));
    s.sim.store.historyLimit = limit;
    w.stop();
    await w.done;
  });
});
