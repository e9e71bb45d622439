/**
 * Several clusters at once: three simulators (a, b, c) merged into one kubeconfig under distinct
 * context names (each also has a read-only "-viewer" context), driven by the built CLI as a user would.
 * c is stopped for the "unreachable" cases; the viewer contexts are the "forbidden" ones.
 *
 * Expectations are Kubernetes' rules written by hand: apply reports created the first time, configured
 * when the spec changed, unchanged otherwise; a viewer may read but not write (403); an orphaning delete
 * leaves every pod with its UID and without an ownerReference. a, b and c run the simulated controllers;
 * d and e have none, for a DaemonSet status written by hand as the controller would write it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, testEnv } from '../helpers/cli.js';
import { dsManifest, mergeKubeconfigs, writeDaemonSetStatus } from '../helpers/multi.js';
import { startSim, type StartedSim } from '../helpers/sim.js';

const NS = 'multi';
type Obj = { metadata: { name: string; uid: string; generation?: number; ownerReferences?: { uid: string }[] }; spec?: any; status?: any };

describe('several clusters at once (three simulators in one kubeconfig)', () => {
  const sims: Record<string, StartedSim> = {};
  let env: NodeJS.ProcessEnv;
  let dir: string;

  const file = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };
  const run = (args: string[]) => kds([...args, '-n', NS], { env });
  const get = async (context: string, what: string, name: string): Promise<Obj | null> => {
    const r = await kubectl(['--context', context, '-n', NS, 'get', what, name, '-o', 'json', '--ignore-not-found'], { env });
    return r.stdout.trim() ? (JSON.parse(r.stdout) as Obj) : null;
  };
  const pods = async (context: string, app: string): Promise<Obj[]> =>
    JSON.parse((await kubectl(['--context', context, '-n', NS, 'get', 'pods', '-l', `app=${app}`, '-o', 'json'], { env })).stdout).items as Obj[];

  const setStatus = (cluster: string, name: string, status: Record<string, number>) => writeDaemonSetStatus(sims[cluster]!.sim.store, NS, name, status);

  beforeAll(async () => {
    for (const n of ['a', 'b', 'c']) sims[n] = await startSim({ scenario: 'mixed' });
    // d and e: no controllers, for states written by hand.
    for (const n of ['d', 'e']) sims[n] = await startSim({ scenario: 'mixed', controllers: false });
    dir = mkdtempSync(join(tmpdir(), 'kds-multi-test-'));
    env = testEnv({ KUBECONFIG: mergeKubeconfigs(Object.fromEntries(Object.entries(sims).map(([n, s]) => [n, s.kubeconfig]))) });
    for (const n of Object.keys(sims)) {
      const r = await kubectl(['--context', n, 'create', 'namespace', NS], { env });
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    for (const s of Object.values(sims)) await s.stop().catch(() => undefined);
  });

  it('apply -f on two clusters: created on each, then unchanged, then configured; one row per cluster', async () => {
    const f = file('agent.json', dsManifest('agent', 'busybox:1.36'));
    let r = await run(['apply', '-f', f, '--context', 'a', '--context', 'b']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CLUSTER\s+DAEMONSET\s+RESULT\s+DETAIL\n/);
    expect(r.stdout).toMatch(/^a\s+multi\/agent\s+created\s*$/m);
    expect(r.stdout).toMatch(/^b\s+multi\/agent\s+created\s*$/m);
    for (const c of ['a', 'b']) expect((await get(c, 'ds', 'agent'))?.spec.template.spec.containers[0].image).toBe('busybox:1.36');

    r = await run(['apply', '-f', f, '--contexts', 'a,b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a\s+multi\/agent\s+unchanged\s*$/m);
    expect(r.stdout).toMatch(/^b\s+multi\/agent\s+unchanged\s*$/m);

    const f2 = file('agent2.json', dsManifest('agent', 'busybox:1.37'));
    r = await run(['apply', '-f', f2, '--contexts', 'a,b', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { items: { cluster: string; name: string; namespace: string; result: string }[] };
    expect(doc.items).toEqual([
      { cluster: 'a', namespace: NS, name: 'agent', result: 'configured' },
      { cluster: 'b', namespace: NS, name: 'agent', result: 'configured' },
    ]);
    for (const c of ['a', 'b']) expect((await get(c, 'ds', 'agent'))?.spec.template.spec.containers[0].image).toBe('busybox:1.37');
  });

  it('apply on one cluster keeps kubectl\'s single line', async () => {
    const r = await run(['apply', '-f', file('solo.json', dsManifest('solo', 'busybox:1.36')), '--context', 'a']);
    expect(r.stdout).toBe('daemonset.apps/solo created\n');
    expect(r.code).toBe(0);
  });

  it('create NAME on two clusters; a second create fails on each with AlreadyExists, exit 1', async () => {
    let r = await run(['create', 'web', '--image=nginx:1.27', '--contexts', 'a,b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a\s+multi\/web\s+created/m);
    expect(r.stdout).toMatch(/^b\s+multi\/web\s+created/m);
    expect(await get('b', 'ds', 'web')).not.toBeNull();
    r = await run(['create', 'web', '--image=nginx:1.27', '--contexts', 'a,b']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^a\s+multi\/web\s+failed\s+daemonsets\.apps "web" already exists/m);
    expect(r.stdout).toMatch(/^b\s+multi\/web\s+failed\s+daemonsets\.apps "web" already exists/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: create failed on 2 of 2 clusters: a, b/);
  });

  it('create -f FILE on every context the selector picks', async () => {
    const r = await run(['create', '-f', file('filed.json', dsManifest('filed', 'busybox:1.36')), '--all-contexts', '--context-selector', '^[ab]$']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    for (const c of ['a', 'b']) expect(await get(c, 'ds', 'filed')).not.toBeNull();
    expect(await get('c', 'ds', 'filed')).toBeNull();
  });

  it('a forbidden cluster is reported, the others are done, exit 1', async () => {
    const r = await run(['apply', '-f', file('guarded.json', dsManifest('guarded', 'busybox:1.36')), '--contexts', 'a,b-viewer']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^a\s+multi\/guarded\s+created/m);
    expect(r.stdout).toMatch(/^b-viewer\s+multi\/guarded\s+failed\s+.*forbidden/m);
    expect(r.stderr).toMatch(/^error: apply failed on 1 of 2 clusters: b-viewer \(the others were done; nothing was retried\)\n$/);
    expect(await get('a', 'ds', 'guarded')).not.toBeNull();
    expect(await get('b', 'ds', 'guarded')).toBeNull();
  });

  it('drift: the same DaemonSet on a and b is found the same; after a change on b, the image differs', async () => {
    const f = file('drifty.json', dsManifest('drifty', 'busybox:1.36'));
    expect((await run(['apply', '-f', f, '--contexts', 'a,b'])).code).toBe(0);
    let r = await run(['drift', 'drifty', '--contexts', 'a,b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is the same on 2 clusters: a, b/);
    expect((await run(['apply', '-f', file('drifty-b.json', dsManifest('drifty', 'busybox:1.37')), '--context', 'b'])).code).toBe(0);
    r = await run(['drift', 'drifty', '--contexts', 'a,b', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { same: boolean; differences: { path: string; values: { cluster: string; value: unknown }[] }[] };
    expect(doc.same).toBe(false);
    const image = doc.differences.find((d) => /image/.test(d.path));
    expect(image?.values).toEqual([
      { cluster: 'a', value: 'busybox:1.36' },
      { cluster: 'b', value: 'busybox:1.37' },
    ]);
  });

  it('status on several clusters: done on d, blocking on e, with the nodes that block (status as the controller writes it)', async () => {
    // d and e have no controllers: the status is written by hand, as a controller would write it.
    expect((await run(['apply', '-f', file('roll.json', dsManifest('roll', 'busybox:1.36')), '--contexts', 'd,e'])).code).toBe(0);
    // The mixed nodes a DaemonSet without tolerations runs on: node-1, node-3, node-4, node-5 (cp-1 and node-2 are tainted).
    setStatus('d', 'roll', { desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4, numberReady: 4 });
    setStatus('e', 'roll', { desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 2, numberReady: 2, numberUnavailable: 2 });

    let r = await run(['status', 'roll', '--contexts', 'd,e', '--watch=false']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^d: daemon set "roll" successfully rolled out$/m);
    expect(r.stdout).toMatch(/^e: Waiting for daemon set "roll" rollout to finish: 2 of 4 updated pods are available\.\.\.$/m);

    r = await run(['status', 'roll', '--contexts', 'd,e', '--timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^d\s+complete\s+4\s+4\s+4\s/m);
    expect(r.stdout).toMatch(/^e\s+timeout\s+4\s+2\s+4\s/m);
    // No pod exists on e, so each target node blocks with "no pod yet".
    for (const n of ['node-1', 'node-3', 'node-4', 'node-5']) expect(r.stderr).toMatch(new RegExp(`^e/${n}: no pod yet$`, 'm'));
    expect(r.stderr).not.toMatch(/^d\//m);
    expect(r.stderr).toMatch(/^error: rollout of daemon set "roll" not finished on 1 of 2 clusters: e \(nodes node-1, node-3, node-4, node-5; timed out waiting for the condition\)$/m);

    r = await run(['status', 'roll', '--contexts', 'd,e', '--timeout', '2s', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { done: boolean; items: { cluster: string; outcome: string; blocking: { cluster: string; node: string }[] }[] };
    expect(doc.done).toBe(false);
    expect(doc.items.map((i) => [i.cluster, i.outcome])).toEqual([
      ['d', 'complete'],
      ['e', 'timeout'],
    ]);
    expect(doc.items[1]!.blocking.map((b) => `${b.cluster}/${b.node}`)).toEqual(['e/node-1', 'e/node-3', 'e/node-4', 'e/node-5']);
  });

  it('status with the real controller: a clean rollout on a, an image that cannot be pulled on b', async () => {
    expect((await run(['apply', '-f', file('live.json', dsManifest('live', 'busybox:1.36')), '--context', 'a'])).code).toBe(0);
    expect((await run(['apply', '-f', file('live-b.json', dsManifest('live', 'registry.example/notfound:1')), '--context', 'b'])).code).toBe(0);
    const r = await run(['status', 'live', '--contexts', 'a,b', '--progress-deadline', '8s', '--timeout', '50s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^a: daemon set "live" successfully rolled out$/m);
    expect(r.stdout).toMatch(/^a\s+complete\s/m);
    expect(r.stdout).toMatch(/^b\s+stalled\s/m);
    expect(r.stderr).toMatch(/^b\/node-1: .*(ImagePullBackOff|ErrImagePull)/m);
    expect(r.stderr).toMatch(/not finished on 1 of 2 clusters: b \(nodes node-1, node-3, node-4, node-5/);
  });

  it('history on several clusters: a CLUSTER column, the cluster on every JSON record', async () => {
    expect((await run(['apply', '-f', file('hist.json', dsManifest('hist', 'busybox:1.36')), '--contexts', 'a,b'])).code).toBe(0);
    await Promise.all([sims.a!.sim.settle(), sims.b!.sim.settle()]);
    let r = await run(['history', 'hist', '--contexts', 'a,b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CLUSTER\s+REVISION\s+CHANGE-CAUSE\s+AGE\s+IMAGES\s+CURRENT$/m);
    expect(r.stdout).toMatch(/^a\s+1\s+<none>\s+\S+\s+agent=busybox:1\.36/m);
    expect(r.stdout).toMatch(/^b\s+1\s+<none>\s+\S+\s+agent=busybox:1\.36/m);
    r = await run(['history', 'hist', '--contexts', 'a,b', '-o', 'json']);
    const doc = JSON.parse(r.stdout) as { items: { cluster: string; revisions: { cluster: string; revision: number }[] }[] };
    expect(doc.items.flatMap((i) => i.revisions.map((x) => [x.cluster, x.revision]))).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    r = await run(['history', 'hist', '--contexts', 'a,b', '--revision', '1']);
    expect(r.code).toBe(2);
  });

  it('delete --orphan on two clusters: every pod keeps running with its UID and loses its owner; no pod DELETE', async () => {
    expect((await run(['apply', '-f', file('orph.json', dsManifest('orph', 'busybox:1.36')), '--contexts', 'a,b'])).code).toBe(0);
    await Promise.all([sims.a!.sim.settle(), sims.b!.sim.settle()]);
    const before: Record<string, string[]> = {};
    for (const c of ['a', 'b']) {
      before[c] = (await pods(c, 'orph')).map((p) => p.metadata.uid).sort();
      expect(before[c]!.length).toBeGreaterThan(0);
    }
    const podDeletes = () => ['a', 'b'].map((c) => (sims[c]!.sim.requests as { method: string; url: string }[]).filter((x) => x.method === 'DELETE' && /\/pods/.test(x.url)).length);
    const deletesBefore = podDeletes();

    const r = await run(['delete', 'orph', '--orphan', '--contexts', 'a,b', '--timeout', '30s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Both plans come before either delete.
    const out = r.stdout;
    expect(out.indexOf('=== plan on cluster "b" ===')).toBeLessThan(out.indexOf('=== delete on cluster "a" ==='));
    expect(out).toMatch(/^a\s+deleted\s+orphan: daemonset\.apps orph$/m);
    expect(out).toMatch(/^b\s+deleted\s+orphan: daemonset\.apps orph$/m);
    for (const c of ['a', 'b']) {
      expect(await get(c, 'ds', 'orph')).toBeNull();
      const now = await pods(c, 'orph');
      expect(now.map((p) => p.metadata.uid).sort()).toEqual(before[c]);
      for (const p of now) expect(p.metadata.ownerReferences ?? []).toEqual([]);
    }
    expect(podDeletes()).toEqual(deletesBefore);
  });

  it('delete -o json: one document, the cluster on every record', async () => {
    expect((await run(['apply', '-f', file('jd.json', dsManifest('jd', 'busybox:1.36')), '--contexts', 'a,b'])).code).toBe(0);
    const r = await run(['delete', 'jd', '--contexts', 'a,b', '-o', 'json', '--timeout', '30s']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { items: { cluster: string; result: string; daemonSets: { cluster: string; name: string }[] }[] };
    expect(doc.items.map((i) => [i.cluster, i.result, i.daemonSets.map((d) => `${d.cluster}/${d.name}`)])).toEqual([
      ['a', 'deleted', ['a/jd']],
      ['b', 'deleted', ['b/jd']],
    ]);
  });

  it('delete with a forbidden cluster: the viewer keeps its DaemonSet, the other cluster deletes, exit 1', async () => {
    expect((await run(['apply', '-f', file('fd.json', dsManifest('fd', 'busybox:1.36')), '--contexts', 'a,b'])).code).toBe(0);
    const r = await run(['delete', 'fd', '--orphan', '--contexts', 'a,b-viewer', '--timeout', '30s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^a\s+deleted\s/m);
    expect(r.stdout).toMatch(/^b-viewer\s+failed\s+Error from server \(Forbidden\)/m);
    expect(await get('a', 'ds', 'fd')).toBeNull();
    expect(await get('b', 'ds', 'fd')).not.toBeNull();
  });

  describe('with cluster c unreachable (its simulator stopped)', () => {
    beforeAll(async () => {
      await sims.c!.sim.stop();
    });

    it('apply: done on a, c failed with the reason, exit 1', async () => {
      const r = await run(['apply', '-f', file('down.json', dsManifest('down', 'busybox:1.36')), '--contexts', 'a,c', '--request-timeout', '5s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^a\s+multi\/down\s+created/m);
      expect(r.stdout).toMatch(/^c\s+multi\/down\s+failed\s+.*cannot talk to https:\/\/127\.0\.0\.1:\d+/m);
      expect(r.stderr).toMatch(/^error: apply failed on 1 of 2 clusters: c /);
      expect(await get('a', 'ds', 'down')).not.toBeNull();
    });

    it('drift: a and b compared, c reported, exit 1', async () => {
      expect((await run(['apply', '-f', file('d3.json', dsManifest('d3', 'busybox:1.36')), '--contexts', 'a,b'])).code).toBe(0);
      const r = await run(['drift', 'd3', '--contexts', 'a,b,c', '--request-timeout', '5s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/is the same on 2 clusters: a, b/);
      expect(r.stderr).toMatch(/^error: context "c": .*cannot talk to/m);
    });

    it('status: c is named as blocking, a is still evaluated', async () => {
      const r = await run(['status', 'down', '--contexts', 'a,c', '--watch=false', '--request-timeout', '5s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^a\s+progressing|^a\s+complete/m);
      expect(r.stdout).toMatch(/^c\s+error\s/m);
      expect(r.stderr).toMatch(/not finished on 1 of 2 clusters: c \(.*cannot talk to/);
    });

    it('delete: a deleted, c reported as failed with nothing deleted, exit 1', async () => {
      const r = await run(['delete', 'down', '--contexts', 'a,c', '--request-timeout', '5s', '--timeout', '30s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^a\s+deleted\s/m);
      expect(r.stdout).toMatch(/^c\s+failed\s+.*cannot talk to.*nothing was deleted/m);
      expect(await get('a', 'ds', 'down')).toBeNull();
    });
  });
});
