/**
 * The built `kubectl ds status/history/undo/restart` against the simulator (`mixed` scenario), driven
 * with the real kubectl. Expectations are written by hand from the Kubernetes rules: a DaemonSet with
 * nodeSelector disktype=ssd and no tolerations targets node-1, node-4 and node-5 (cp-1 and node-2 carry
 * NoSchedule taints, node-3 has no disktype label); node-4 has 1 cpu; the default RollingUpdate replaces
 * one node at a time (maxUnavailable 1). Images: "notfound" -> ImagePullBackOff, "crash" -> CrashLoopBackOff.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl as runKubectl, sourcesLoadedBy, startKds, testEnv, type RunResult, orThrow, sleep } from '../helpers/cli.js';
import { daemonSetManifest, historyRows, lines, type DsOpts } from '../helpers/rollout.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startSocksProxy } from '../helpers/socks-proxy.js';
import { startSim, type StartedSim } from '../helpers/sim.js';
import { nodeCanProxy } from '../../src/kube/proxy.js';

let s: StartedSim;
let env: NodeJS.ProcessEnv;
const ns = 'rollout';

const k = (args: string[], input?: string): Promise<RunResult> => runKubectl(['-n', ns, ...args], { env, input });
const ds = (args: string[]) => kds([...args, '-n', ns], { env });

const ok = orThrow(k);

const TARGETS = ['node-1', 'node-4', 'node-5'];
const WAITING = /^Waiting for daemon set "[a-z0-9-]+" rollout to finish: (\d+ out of \d+ new pods have been updated|\d+ of \d+ updated pods are available)\.\.\.$/;
const SPEC = 'Waiting for daemon set spec update to be observed...';

const manifest = (name: string, image: string, o: DsOpts = {}) => daemonSetManifest(name, image, { nodeSelector: { disktype: 'ssd' }, ...o });

async function create(name: string, image: string, o: DsOpts = {}) {
  await ok(['apply', '-f', '-'], manifest(name, image, o));
  await s.sim.settle();
}

async function rolledOut(name: string) {
  const r = await ds(['status', name, '--timeout', '30s']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** A rollout stuck on an image that cannot be pulled, with the controller idle. */
async function stuck(name: string, image = 'registry.example/notfound:1') {
  await create(name, 'registry.k8s.io/pause:3.9');
  await rolledOut(name);
  await ok(['set', 'image', `ds/${name}`, `c=${image}`]);
  await s.sim.settle();
  await sleep(300);
  await s.sim.settle();
}


describe('rollout commands on the simulator', () => {
  beforeAll(async () => {
    s = await startSim({ scenario: 'mixed' });
    env = testEnv({ KUBECONFIG: s.kubeconfig });
    await ok(['create', 'namespace', ns]);
  });

  afterAll(async () => {
    await s?.stop();
  });

  describe('kubectl ds status', () => {
    it('a clean rollout: kubectl\'s lines, ending with "successfully rolled out", exit 0', async () => {
      await create('clean', 'registry.k8s.io/pause:3.9');
      await rolledOut('clean');
      // minReadySeconds 3 keeps each node's new pod unavailable for 3 s; with maxUnavailable 1 the nodes go
      // one at a time, so the rollout lasts 9 s or more: long enough to be watched even on a loaded machine
      // (a status started on a rolled-out DaemonSet ends at once, as kubectl's does).
      await ok(['patch', 'ds', 'clean', '--type=merge', '-p', '{"spec":{"minReadySeconds":3}}']);
      // Pods Ready for less than minReadySeconds count as unavailable, and the controller replaces
      // unavailable pods without waiting: let the old pods become available again first.
      await rolledOut('clean');
      await ok(['set', 'image', 'ds/clean', 'c=registry.k8s.io/pause:3.10']);
      const w = startKds(['status', 'clean', '-n', ns, '--timeout', '60s'], { env });
      const r = await w.done;
      expect(r.code).toBe(0);
      const out = lines(r.stdout);
      expect(out.at(-1)).toBe('daemon set "clean" successfully rolled out');
      for (const l of out.slice(0, -1)) expect(l === SPEC || WAITING.test(l)).toBe(true);
      // The rollout went through the three target nodes: we saw it below 3 updated at some point.
      expect(out.some((l) => / out of 3 new pods have been updated/.test(l)), r.stdout).toBe(true);
    });

    it('stuck on an image that cannot be pulled: the blocking node is named; --progress-deadline 3s ends it with exit 1', async () => {
      await stuck('pull');
      const r = await ds(['status', 'pull', '--progress-deadline', '3s']);
      expect(r.code).toBe(1);
      expect(lines(r.stdout)).toEqual(['Waiting for daemon set "pull" rollout to finish: 1 out of 3 new pods have been updated...']);
      expect(r.stderr).toMatch(/^error: daemon set "pull" exceeded its progress deadline: updated \(1 of 3\) and available \(2 of 3\) pods have not changed for 3s$/m);
      const blocking = lines(r.stderr).filter((l) => /^node-\d: /.test(l));
      expect(blocking).toHaveLength(1);
      expect(blocking[0]).toMatch(/^node-[145]: ImagePullBackOff: Back-off pulling image "registry\.example\/notfound:1"$/);
      // The same, machine-readable.
      const j = JSON.parse((await ds(['status', 'pull', '--progress-deadline', '2s', '-o', 'json'])).stdout);
      expect(j).toMatchObject({ kind: 'DaemonSetRolloutStatus', name: 'pull', outcome: 'stalled', desired: 3, updated: 1, available: 2 });
      expect(j.blocking).toHaveLength(1);
      expect(TARGETS).toContain(j.blocking[0].node);
      expect(j.waiting.sort()).toEqual(TARGETS.filter((n) => n !== j.blocking[0].node));
    });

    it('a crash-looping image: CrashLoopBackOff with the restart count', async () => {
      await stuck('crashy', 'registry.example/crash:1');
      const j = JSON.parse((await ds(['status', 'crashy', '--progress-deadline', '2s', '-o', 'json'])).stdout);
      expect(j.outcome).toBe('stalled');
      expect(j.blocking).toHaveLength(1);
      expect(j.blocking[0].reason).toMatch(/^CrashLoopBackOff, \d+ restarts?/);
    });

    it('a node too small for the pod: node-4 (1 cpu) with a 2-cpu request is Pending with the scheduler\'s reason', async () => {
      await create('big', 'registry.k8s.io/pause:3.9', { cpu: '2' });
      const r = await ds(['status', 'big', '--progress-deadline', '2s', '-o', 'json']);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({ outcome: 'stalled', desired: 3, available: 2 });
      expect(j.blocking).toEqual([{ node: 'node-4', reason: expect.stringMatching(/^Pending: .*Insufficient cpu/), pod: expect.any(String) }]);
    });

    it('OnDelete: kubectl\'s error, exit 1', async () => {
      await create('ondelete', 'registry.k8s.io/pause:3.9', { strategy: 'OnDelete' });
      const r = await ds(['status', 'ondelete']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error: rollout status is only available for RollingUpdate strategy type\n');
    });

    it('--timeout: "error: timed out waiting for the condition", exit 1', async () => {
      await stuck('slowpoke');
      const r = await ds(['status', 'slowpoke', '--timeout', '2s']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: timed out waiting for the condition\n');
      expect(lines(r.stdout)).toEqual(['Waiting for daemon set "slowpoke" rollout to finish: 1 out of 3 new pods have been updated...']);
    });

    it('--watch=false: one evaluation, exit 0', async () => {
      const r = await ds(['status', 'slowpoke', '--watch=false']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('Waiting for daemon set "slowpoke" rollout to finish: 1 out of 3 new pods have been updated...\n');
    });

    it('a token kubeconfig needs our own client only: client-node (~160 ms to load) stays unloaded', async () => {
      const { result, sources } = await sourcesLoadedBy(['status', 'slowpoke', '-n', ns, '--watch=false'], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(sources).toContain('src/kube/client.ts');
      expect(sources.filter((f) => f.includes('@kubernetes/client-node') || f.includes('node_modules/undici/'))).toEqual([]);
    });

    it('deleted during the watch: "error: object has been deleted", exit 1', async () => {
      await stuck('doomed');
      const w = startKds(['status', 'doomed', '-n', ns, '--timeout', '60s'], { env });
      await w.waitForLine();
      await ok(['delete', 'ds', 'doomed', '--wait=false']);
      const r = await w.done;
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: object has been deleted\n');
    });

    it('dropped watches are re-established from the last resourceVersion; a 410 is answered with a fresh list', async () => {
      await stuck('flaky');
      const before = s.sim.requests.length;
      const w = startKds(['status', 'flaky', '-n', ns, '--timeout', '60s'], { env });
      await w.waitForLine();
      await sleep(300);
      s.sim.faults.dropWatches();
      await sleep(1000);
      // The next watch request is refused with 410 Gone: the CLI must relist, then watch again.
      s.sim.faults.failNext({ method: 'GET', path: /\/daemonsets\?.*watch=true/ }, 410, 'Expired');
      s.sim.faults.dropWatches();
      await sleep(1500);
      await ok(['set', 'image', 'ds/flaky', 'c=registry.k8s.io/pause:3.10']);
      const r = await w.done;
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(lines(r.stdout).at(-1)).toBe('daemon set "flaky" successfully rolled out');
      // The request log (answered requests; a dropped watch may not be in it): the first list, the watch
      // refused with 410 (it asked for a resourceVersion: the drop before it did not cause a list), then
      // the one fresh list answering the 410.
      const dsRequests = s.sim.requests.slice(before).filter((q) => q.method === 'GET' && /\/namespaces\/rollout\/daemonsets\?/.test(q.url) && /fieldSelector=metadata.name%3Dflaky/.test(q.url));
      const lists = dsRequests.filter((q) => !/watch=true/.test(q.url));
      const gone = dsRequests.findIndex((q) => /watch=true/.test(q.url) && q.code === 410);
      expect(lists).toHaveLength(2);
      expect(gone).toBeGreaterThan(dsRequests.indexOf(lists[0]!));
      expect(dsRequests[gone]!.url).toMatch(/resourceVersion=\d+/);
      expect(dsRequests.indexOf(lists[1]!)).toBeGreaterThan(gone);
      expect(dsRequests.filter((q) => /watch=true/.test(q.url)).every((q) => /resourceVersion=\d+/.test(q.url))).toBe(true);
    });

    it('a node stopped during the rollout holds it up: "node NotReady", the others wait for their turn', async () => {
      // A node agent that tolerates every taint (as log collectors do) keeps targeting a NotReady node,
      // so the rollout waits for it: with maxUnavailable 1 the stopped node uses the one slot.
      await create('stopper', 'registry.k8s.io/pause:3.9', { tolerateAll: true });
      await rolledOut('stopper');
      s.sim.stopNode('node-5');
      try {
        for (let i = 0; i < 120; i++) {
          const ready = await ok(['get', 'node', 'node-5', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
          if (ready !== 'True') break;
          await sleep(250);
        }
        await ok(['set', 'image', 'ds/stopper', 'c=registry.k8s.io/pause:3.10']);
        await s.sim.settle();
        const r = await ds(['status', 'stopper', '--progress-deadline', '3s', '-o', 'json']);
        expect(r.code).toBe(1);
        const j = JSON.parse(r.stdout);
        expect(j.outcome).toBe('stalled');
        // Targets: every disktype=ssd node (cp-1, node-1, node-2, node-4, node-5), taints tolerated.
        expect(j.desired).toBe(5);
        expect(j.blocking).toEqual([expect.objectContaining({ node: 'node-5', reason: 'node NotReady' })]);
        expect(j.waiting.sort()).toEqual(['cp-1', 'node-1', 'node-2', 'node-4']);
      } finally {
        s.sim.startNode('node-5');
      }
    });
  });

  describe('history, undo, restart', () => {
    const kubectlHistory = async (name: string) => historyRows(await ok(['rollout', 'history', `daemonset/${name}`]));

    beforeAll(async () => {
      await create('hist', 'registry.k8s.io/pause:3.9');
      for (const [image, cause] of [
        ['registry.k8s.io/pause:3.10', 'bump to 3.10'],
        ['registry.k8s.io/pause:3.8', 'back to 3.8'],
      ]) {
        await ok(['annotate', 'ds', 'hist', `kubernetes.io/change-cause=${cause}`, '--overwrite']);
        await ok(['set', 'image', 'ds/hist', `c=${image}`]);
        await s.sim.settle();
      }
    });

    it('history: the revisions kubectl lists, images, and the current one', async () => {
      const r = await ds(['history', 'hist']);
      expect(r.code).toBe(0);
      const rows = lines(r.stdout)
        .filter((l) => /^\d+\s/.test(l))
        .map((l) => l.split(/\s{3,}/));
      expect(rows.map((x) => [Number(x[0]), x[1]])).toEqual((await kubectlHistory('hist')).map((h) => [h.revision, h.cause]));
      expect(rows.map((x) => x[3])).toEqual(['c=registry.k8s.io/pause:3.9', 'c=registry.k8s.io/pause:3.10', 'c=registry.k8s.io/pause:3.8']);
      expect(rows.map((x) => x[4] ?? '')).toEqual(['', '', '*']);
    });

    it('history --diff 1..3 shows the image line changing', async () => {
      const r = await ds(['history', 'hist', '--diff', '1..3']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('--- daemonset.apps/hist revision 1\n+++ daemonset.apps/hist revision 3\n');
      expect(r.stdout).toMatch(/^-\s+- image: registry\.k8s\.io\/pause:3\.9$/m);
      expect(r.stdout).toMatch(/^\+\s+- image: registry\.k8s\.io\/pause:3\.8$/m);
    });

    it('undo: rolled back to the previous revision, which becomes the newest in kubectl\'s history', async () => {
      const r = await ds(['undo', 'hist']);
      expect(r.stdout).toBe('daemonset.apps/hist rolled back\n');
      await s.sim.settle();
      const image = await ok(['get', 'ds', 'hist', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
      expect(image).toBe('registry.k8s.io/pause:3.10');
      // Revision 2 is re-numbered 4 by the controller (kubectl's rule: a reused revision takes max+1).
      expect((await kubectlHistory('hist')).map((h) => h.revision)).toEqual([1, 3, 4]);
      const again = await ds(['undo', 'hist', '--to-revision', '4']);
      expect(again.stdout).toBe('daemonset.apps/hist skipped rollback (current template already matches revision 4)\n');
      const missing = await ds(['undo', 'hist', '--to-revision', '2']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('error: unable to find specified revision 2 in history\n');
    });

    it('restart: restartedAt on the template, a new revision', async () => {
      const r = await ds(['restart', 'hist']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('daemonset.apps/hist restarted\n');
      const ann = JSON.parse(await ok(['get', 'ds', 'hist', '-o', 'jsonpath={.spec.template.metadata.annotations}']));
      expect(ann['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
      await s.sim.settle();
      expect((await kubectlHistory('hist')).map((h) => h.revision)).toEqual([1, 3, 4, 5]);
    });
  });

  describe('behind a proxy', () => {
    it('HTTPS_PROXY: status takes the same tunnel as kubectl and prints the same; NO_PROXY sends both direct', async (ctx) => {
      if (!nodeCanProxy()) {
        console.log(`int rollout: the proxy case skipped: Node.js ${process.versions.node} has no proxy support in http.Agent (22.21+, 24.5+)`);
        ctx.skip();
      }
      await create('proxied', 'registry.k8s.io/pause:3.9');
      await rolledOut('proxied');
      const port = new URL(s.url).port;
      const proxy = await startConnectProxy(Number(port));
      try {
        // A server name only the proxy can reach (it sends every tunnel to the simulator, whose certificate names localhost).
        const file = join(mkdtempSync(join(tmpdir(), 'kds-proxy-')), 'kubeconfig');
        const remote = `api.cluster.invalid:${port}`;
        writeFileSync(file, readFileSync(s.kubeconfig, 'utf8').replace(/server: \S+/, `server: https://${remote}\n    tls-server-name: localhost`));
        const viaProxy = testEnv({ KUBECONFIG: file, HTTPS_PROXY: proxy.url });
        const ours = await kds(['status', 'proxied', '-n', ns, '--watch=false'], { env: viaProxy });
        const theirs = await runKubectl(['rollout', 'status', 'daemonset/proxied', '-n', ns, '--watch=false'], { env: viaProxy });
        expect(theirs.stdout).toBe('daemon set "proxied" successfully rolled out\n');
        expect([ours.code, ours.stdout, ours.stderr]).toEqual([0, theirs.stdout, '']);
        expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
        expect(new Set(proxy.seen.map((t) => t.target))).toEqual(new Set([remote]));

        // NO_PROXY names the domain: both go direct, where the name does not resolve; both fail, exit 1.
        const before = proxy.seen.length;
        const direct = testEnv({ KUBECONFIG: file, HTTPS_PROXY: proxy.url, NO_PROXY: 'invalid' });
        const ours2 = await kds(['status', 'proxied', '-n', ns, '--watch=false', '--request-timeout', '5s'], { env: direct });
        const theirs2 = await runKubectl(['rollout', 'status', 'daemonset/proxied', '-n', ns, '--watch=false', '--request-timeout', '5s'], { env: direct });
        expect(theirs2.code).toBe(1);
        expect(ours2.code).toBe(1);
        expect(lines(ours2.stderr)).toHaveLength(1);
        expect(ours2.stderr).toMatch(new RegExp(`^error: .*cannot talk to https://${remote.replaceAll('.', '\\.')}`));
        expect(proxy.seen.length).toBe(before);
      } finally {
        proxy.close();
      }
    });

    it('HTTPS_PROXY=socks5://: status and kubectl go through the same SOCKS5 proxy, asking it for the same host name, and print the same', async () => {
      await create('socksed', 'registry.k8s.io/pause:3.9');
      await rolledOut('socksed');
      const port = new URL(s.url).port;
      const socks = await startSocksProxy(Number(port), { auth: { user: 'ops', password: 's3cret' } });
      try {
        const file = join(mkdtempSync(join(tmpdir(), 'kds-proxy-')), 'kubeconfig');
        const remote = `api.cluster.invalid:${port}`;
        writeFileSync(file, readFileSync(s.kubeconfig, 'utf8').replace(/server: \S+/, `server: https://${remote}\n    tls-server-name: localhost`));
        const viaProxy = testEnv({ KUBECONFIG: file, HTTPS_PROXY: socks.url.replace('socks5://', 'socks5://ops:s3cret@') });
        const theirs = await runKubectl(['rollout', 'status', 'daemonset/socksed', '-n', ns, '--watch=false'], { env: viaProxy });
        const seenByKubectl = [...socks.seen];
        const ours = await kds(['status', 'socksed', '-n', ns, '--watch=false'], { env: viaProxy });
        expect(theirs.stdout).toBe('daemon set "socksed" successfully rolled out\n');
        expect([ours.code, ours.stdout, ours.stderr]).toEqual([0, theirs.stdout, '']);
        expect(new Set(seenByKubectl.map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify({ target: remote, user: 'ops' })]));
        expect(socks.seen.length).toBeGreaterThan(seenByKubectl.length);
        expect(new Set(socks.seen.slice(seenByKubectl.length).map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify({ target: remote, user: 'ops' })]));
      } finally {
        socks.close();
      }
    });
  });
});
