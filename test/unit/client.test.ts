// The product's API client (src/kube/client.ts) against the simulator over HTTPS: the same path the
// commands take (lists in pages, reads, patches with each content type, deletes, watches that reconnect
// after a dropped connection and relist after 410), the credentials it sends (token, token file, an exec
// plugin through client-node), --request-timeout, and -v logging that pairs each answer with its request
// and never shows a credential.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1DaemonSet, V1Node } from '@kubernetes/client-node';
import { apiError, connect, getJson, listAll, listJson, paths, PATCH, requestJson, watchResilient, type Cluster, type ListPage } from '../../src/kube/client.js';
import { startSim, type StartedSim } from '../helpers/sim.js';
import { nodeCanProxy } from '../../src/kube/proxy.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { startSocksProxy } from '../helpers/socks-proxy.js';
import { globals, writeKubeconfig } from '../helpers/client.js';

let s: StartedSim;
let c: Cluster;

beforeAll(async () => {
  s = await startSim({ scenario: 'mixed', nodes: 8 });
  c = connect(globals({ kubeconfig: s.kubeconfig }));
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
const dsPath = (name: string) => paths.daemonSet('default', name);

/** A kubeconfig for the simulator (its server unless `serverOverride`, its CA, `clusterExtra`) with the given user entry. */
function kubeconfigWith(user: Record<string, unknown>, serverOverride?: string, clusterExtra: Record<string, unknown> = {}): string {
  const sim = s.sim.kubeconfig();
  const server = serverOverride ?? /server: (\S+)/.exec(sim)![1]!;
  const ca = /certificate-authority-data: (\S+)/.exec(sim)![1]!;
  return writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'kds-client-')), 'kubeconfig'), { server, 'certificate-authority-data': ca, ...clusterExtra }, user);
}

/** Runs `fn` with stderr captured. */
async function captureStderr(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

describe('the API client against the simulator', () => {
  it('lists in pages of the given size, and in pages of 500 by default', async () => {
    let pages = 0;
    const { items, resourceVersion } = await listAll<V1Node>(async (p) => {
      pages++;
      return getJson<ListPage<V1Node>>(c, paths.nodes(), { limit: 3, continue: p.continue });
    });
    expect(pages).toBe(3);
    expect(items.map((n) => n.metadata!.name)).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5', 'node-6', 'node-7']);
    expect(items[4]!.status!.capacity).toMatchObject({ cpu: '1', memory: '1Gi', pods: '110' });
    expect(resourceVersion).toMatch(/^\d+$/);
    const before = s.sim.requests.length;
    expect((await listJson(c, paths.nodes())).items).toHaveLength(8);
    expect(s.sim.requests.slice(before).map((r) => r.url)).toEqual(['/api/v1/nodes?limit=500']);
  });

  it('creates, reads, patches (strategic, merge, JSON), deletes, and objects stay as the server sent them', async () => {
    const created = (await requestJson(c, 'POST', paths.daemonSets('default'), {}, ds('cn'))).body as V1DaemonSet;
    expect(created.metadata!.generation).toBe(1);
    expect(created.spec!.updateStrategy!.rollingUpdate!.maxUnavailable).toBe(1);
    // Timestamps are the server's strings, not Date objects.
    expect(typeof created.metadata!.creationTimestamp).toBe('string');
    const p1 = (await requestJson(c, 'PATCH', dsPath('cn'), {}, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } }, PATCH.strategic)).body as V1DaemonSet;
    expect(p1.spec!.template.spec!.containers[0]!.image).toBe('nginx:1.26');
    expect(p1.metadata!.generation).toBe(2);
    const p2 = (await requestJson(c, 'PATCH', dsPath('cn'), {}, { metadata: { labels: { team: 'a' } } }, PATCH.merge)).body as V1DaemonSet;
    expect(p2.metadata!.labels).toEqual({ team: 'a' });
    const p3 = (
      await requestJson(c, 'PATCH', dsPath('cn'), {}, [{ op: 'add', path: '/spec/minReadySeconds', value: 5 }, { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }], PATCH.json)
    ).body as V1DaemonSet;
    expect(p3.spec!.minReadySeconds).toBe(5);
    expect(p3.spec!.template.spec!.containers[0]!.image).toBe('nginx:1.27');
    await requestJson(c, 'DELETE', dsPath('cn'), { propagationPolicy: 'Orphan' }, { propagationPolicy: 'Orphan' });
    await s.sim.settle();
    const err = await getJson(c, dsPath('cn')).catch((e) => e);
    expect(apiError(err, c, 'get daemonset cn').message).toBe('Error from server (NotFound): daemonsets.apps "cn" not found');
  });

  it('onSent: called once, when the request has left and before its answer; never when it cannot leave', async () => {
    const events: string[] = [];
    const nodes = getJson(c, paths.nodes(), {}, () => events.push('sent')).then(() => events.push('answer'));
    await nodes;
    expect(events).toEqual(['sent', 'answer']);
    const refused = connect(globals({ kubeconfig: kubeconfigWith({ token: 'x' }, 'https://127.0.0.1:1') }));
    let sent = 0;
    await expect(getJson(refused, paths.nodes(), {}, () => sent++)).rejects.toThrow();
    expect(sent).toBe(0);
  });

  it('a watch reconnects after dropped connections and relists after 410 Gone', async () => {
    const seen: string[] = [];
    const list = await listJson<V1DaemonSet>(c, paths.daemonSets('default'));
    const w = watchResilient<V1DaemonSet>(
      c,
      paths.daemonSets('default'),
      {},
      list.resourceVersion,
      (ev) => seen.push(`${ev.type} ${ev.object.metadata!.name} ${ev.object.metadata!.labels?.step ?? ''}`.trim()),
      () => listJson<V1DaemonSet>(c, paths.daemonSets('default')),
    );
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(pred()).toBe(true);
    };
    await new Promise((r) => setTimeout(r, 200));
    await requestJson(c, 'POST', paths.daemonSets('default'), {}, ds('w1'));
    await waitFor(() => seen.includes('ADDED w1'));
    s.sim.faults.dropWatches();
    await requestJson(c, 'PATCH', dsPath('w1'), {}, { metadata: { labels: { step: 'after-drop' } } }, PATCH.merge);
    await waitFor(() => seen.includes('MODIFIED w1 after-drop'));
    // Compact the history away, drop the connection: the reconnect from the old resourceVersion gets
    // 410 and the watch relists (a relist reports what exists as MODIFIED).
    const limit = s.sim.store.historyLimit;
    s.sim.store.historyLimit = 1;
    s.sim.faults.dropWatches();
    await requestJson(c, 'PATCH', dsPath('w1'), {}, { metadata: { labels: { step: 'after-410' } } }, PATCH.merge);
    await requestJson(c, 'PATCH', paths.nodes() + '/node-7', {}, { metadata: { labels: { x: '1' } } }, PATCH.merge);
    await waitFor(() => seen.includes('MODIFIED w1 after-410'));
    s.sim.store.historyLimit = limit;
    w.stop();
    await w.done;
  });

  it('a watch refused with 403 ends with the error; stop() ends it quietly', async () => {
    const viewer = connect(globals({ kubeconfig: s.kubeconfig, context: 'ds-sim-viewer' }));
    // Reads are allowed to the viewer: the watch runs until stopped.
    const w = watchResilient(viewer, paths.daemonSets('default'), {}, undefined, () => undefined, () => listJson(viewer, paths.daemonSets('default')));
    await new Promise((r) => setTimeout(r, 200));
    w.stop();
    await expect(w.done).resolves.toBeUndefined();
    s.sim.faults.failNext({ method: 'GET', path: /watch=true/ }, 403, 'Forbidden');
    const refused = watchResilient(c, paths.daemonSets('default'), {}, '1', () => undefined, () => listJson(c, paths.daemonSets('default')));
    const e = await refused.done.catch((x) => x);
    expect(apiError(e, c, 'watch daemonsets').message).toMatch(/^Error from server \(Forbidden\)/);
  });

  it('--request-timeout: a server slower than the timeout ends the request with a line that names the flag', async () => {
    const quick = connect(globals({ kubeconfig: s.kubeconfig, requestTimeoutMs: 300 }));
    const undo = s.sim.faults.delay({ method: 'GET', path: /\/api\/v1\/nodes/ }, 2000);
    try {
      const e = await getJson(quick, paths.nodes()).catch((x) => x);
      expect(apiError(e, quick, 'list nodes').message).toMatch(/^list nodes: https:\/\/127\.0\.0\.1:\d+ did not answer within 0\.3s \(--request-timeout\)/);
    } finally {
      undo();
    }
  });

  it('a quiet watch outlives --request-timeout: the timeout bounds the wait for the answer, not the stream', async () => {
    const quick = connect(globals({ kubeconfig: s.kubeconfig, requestTimeoutMs: 300, verbosity: 6 }));
    const log = await captureStderr(async () => {
      const w = watchResilient(quick, paths.daemonSets('kube-public'), {}, undefined, () => undefined, () => listJson(quick, paths.daemonSets('kube-public')));
      await new Promise((r) => setTimeout(r, 1200));
      w.stop();
      await w.done;
    });
    // -v 6 logs each (re)connection of the watch: one, then quiet for four times the timeout.
    expect(log.split('\n').filter((l) => / WATCH https:/.test(l))).toHaveLength(1);
    expect(log).not.toMatch(/reconnecting/);
  });

  it('-v 6 pairs every answer with its own request under parallel calls, and never shows the token', async () => {
    const loud = connect(globals({ kubeconfig: s.kubeconfig, verbosity: 6 }));
    const undo = s.sim.faults.delay({ method: 'GET', path: /\/api\/v1\/nodes\/node-1$/ }, 300);
    let log = '';
    try {
      log = await captureStderr(() =>
        Promise.all([getJson(loud, `${paths.nodes()}/node-1`), getJson(loud, `${paths.nodes()}/node-2`), getJson(loud, `${paths.nodes()}/nope`).catch(() => undefined)]),
      );
    } finally {
      undo();
    }
    const answers = log.split('\n').filter((l) => / in \d+ milliseconds$/.test(l));
    expect(answers).toHaveLength(3);
    const byNode = (n: string) => answers.find((l) => l.includes(`/api/v1/nodes/${n} `));
    expect(byNode('node-1')).toMatch(/ 200 in \d+ milliseconds$/);
    expect(byNode('node-2')).toMatch(/ 200 in \d+ milliseconds$/);
    expect(byNode('nope')).toMatch(/ 404 in \d+ milliseconds$/);
    // node-1 was held back 300 ms: its answer is logged last, with its own time.
    expect(answers[2]).toBe(byNode('node-1'));
    expect(Number(/ in (\d+) milliseconds$/.exec(byNode('node-1')!)![1])).toBeGreaterThanOrEqual(300);
    expect(log).not.toContain(s.sim.tokens.admin);
  });

  it('-v 8 shows bodies with credential-looking fields redacted', async () => {
    const loud = connect(globals({ kubeconfig: s.kubeconfig, verbosity: 8 }));
    const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, stringData: { token: 'hunter2-token', password: 'hunter2-pw' } };
    const log = await captureStderr(() => requestJson(loud, 'POST', '/api/v1/namespaces/default/secrets', {}, body).catch(() => undefined));
    expect(log).toContain('Request Body: ');
    expect(log).not.toContain('hunter2');
    expect(log).not.toContain(s.sim.tokens.admin);
  });

  it('a token file is read (and an unreadable one is named); an exec plugin is run through client-node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-client-'));
    writeFileSync(join(dir, 'token'), `${s.sim.tokens.viewer}\n`);
    const viaFile = connect(globals({ kubeconfig: kubeconfigWith({ tokenFile: join(dir, 'token') }) }));
    expect((await listJson(viaFile, paths.nodes())).items).toHaveLength(8);
    expect(s.sim.requests.at(-1)!.user).toBe('viewer');
    expect(() => connect(globals({ kubeconfig: kubeconfigWith({ tokenFile: join(dir, 'missing') }) }))).toThrow(/cannot read the token file .*missing of user "u"/);

    // An exec credential plugin (client.authentication.k8s.io/v1) that prints the admin token.
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(plugin, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(s.sim.tokens.admin)} } }));\n`);
    const viaExec = connect(globals({ kubeconfig: kubeconfigWith({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } }) }));
    expect((await listJson(viaExec, paths.nodes())).items).toHaveLength(8);
    expect(s.sim.requests.at(-1)!.user).toBe('admin');
  });

  it('network failures are one line: connection refused', async (ctx) => {
    // Port 1 (tcpmux): privileged and unused on any machine these tests run on. A port freed by another
    // test could be taken again meanwhile by a parallel one.
    const { connect: tcp } = await import('node:net');
    const open = await new Promise<boolean>((resolve) => {
      const sock = tcp(1, '127.0.0.1', () => (sock.destroy(), resolve(true))).on('error', () => resolve(false));
    });
    if (open) {
      console.log('client: the connection-refused case skipped: something listens on 127.0.0.1:1 here');
      ctx.skip();
    }
    const down = connect(globals({ kubeconfig: kubeconfigWith({ token: 'x' }, 'https://127.0.0.1:1') }));
    const e = await getJson(down, paths.nodes()).catch((x) => x);
    expect(apiError(e, down, 'list nodes').message).toBe('list nodes: cannot talk to https://127.0.0.1:1: connection refused: is the cluster running, and is this the right --context?');
  });

  describe('HTTPS_PROXY', () => {
    /** Lists the nodes through `pc`, and watches them while `node` changes: the watch sees it. */
    async function listAndWatch(pc: Cluster, node: string): Promise<void> {
      const list = await listJson<V1Node>(pc, paths.nodes());
      expect(list.items).toHaveLength(8);
      const events: string[] = [];
      const w = watchResilient<V1Node>(pc, paths.nodes(), {}, list.resourceVersion, (e) => events.push(`${e.type} ${e.object.metadata!.name}`), () => listJson<V1Node>(pc, paths.nodes()));
      await new Promise((r) => setTimeout(r, 200));
      await requestJson(c, 'PATCH', `${paths.nodes()}/${node}`, {}, { metadata: { labels: { through: 'proxy' } } }, PATCH.merge);
      for (let i = 0; i < 100 && !events.includes(`MODIFIED ${node}`); i++) await new Promise((r) => setTimeout(r, 50));
      w.stop();
      await w.done;
      expect(events).toContain(`MODIFIED ${node}`);
    }

    /** A kubeconfig for `server` (certificate for localhost) whose credentials come from an exec plugin that gives the viewer's token. */
    function execPluginKubeconfig(server: string): string {
      const plugin = join(mkdtempSync(join(tmpdir(), 'kds-client-')), 'plugin.mjs');
      writeFileSync(plugin, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(s.sim.tokens.viewer)} } }));\n`);
      return kubeconfigWith({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } }, server, { 'tls-server-name': 'localhost' });
    }

    /** Runs fn with the variables set in process.env (this test file has its own process). */
    async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
      const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
      const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
      for (const n of names) delete process.env[n];
      Object.assign(process.env, vars);
      try {
        return await fn();
      } finally {
        for (const n of names) {
          if (saved[n] === undefined) delete process.env[n];
          else process.env[n] = saved[n];
        }
      }
    }

    it('requests and watches to a remote server go through the proxy (CONNECT to its host:port), with the proxy credentials; NO_PROXY and loopback servers go direct', async (ctx) => {
      if (!nodeCanProxy()) {
        console.log(`client: HTTPS_PROXY cases skipped: Node.js ${process.versions.node} has no proxy support in http.Agent (22.21+, 24.5+)`);
        ctx.skip();
      }
      const proxy = await startConnectProxy(Number(new URL(s.sim.url).port));
      try {
        const port = new URL(s.sim.url).port;
        // A name only the proxy resolves (it sends every tunnel to the simulator); the simulator's certificate names localhost.
        const remote = kubeconfigWith({ token: s.sim.tokens.admin }, `https://api.cluster.invalid:${port}`, { 'tls-server-name': 'localhost' });
        await withEnv({ HTTPS_PROXY: proxy.url.replace('http://', 'http://ops:s3cret@'), http_proxy: 'http://127.0.0.1:1' }, async () => {
          await listAndWatch(connect(globals({ kubeconfig: remote })), 'node-6');
        });
        expect(proxy.seen.length).toBeGreaterThanOrEqual(1);
        expect(proxy.seen[0]).toEqual({ target: `api.cluster.invalid:${port}`, auth: `Basic ${Buffer.from('ops:s3cret').toString('base64')}` });

        // Credentials from an exec plugin (client-node's transport) take the same way.
        const viaExec = execPluginKubeconfig(`https://api.cluster.invalid:${port}`);
        const tunnels = proxy.seen.length;
        await withEnv({ HTTPS_PROXY: proxy.url }, async () => {
          expect((await listJson(connect(globals({ kubeconfig: viaExec })), paths.nodes())).items).toHaveLength(8);
        });
        expect(s.sim.requests.at(-1)!.user).toBe('viewer');
        expect(proxy.seen.slice(tunnels)).toEqual([{ target: `api.cluster.invalid:${port}`, auth: undefined }]);

        // NO_PROXY names the host (as a parent domain): no tunnel; the name does not resolve, so the request fails.
        const before = proxy.seen.length;
        await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com, .invalid' }, async () => {
          const c = connect(globals({ kubeconfig: remote }));
          const e = await getJson(c, paths.nodes()).catch((x) => x);
          expect(apiError(e, c, 'list nodes').message).toMatch(/^list nodes: cannot talk to https:\/\/api\.cluster\.invalid:\d+: /);
          // The simulator itself, on 127.0.0.1: loopback is never proxied, as in kubectl.
          expect((await listJson(connect(globals({ kubeconfig: s.kubeconfig })), paths.nodes())).items).toHaveLength(8);
        });
        expect(proxy.seen.length).toBe(before);
      } finally {
        proxy.close();
      }
    });

    it('-v 6 names the proxy without its password; a proxy that is down or refuses the tunnel is named; a SOCKS4 proxy is refused in one line', async () => {
      const port = new URL(s.sim.url).port;
      const remote = kubeconfigWith({ token: 'x' }, `https://api.cluster.invalid:${port}`);
      await withEnv({ HTTPS_PROXY: 'http://ops:s3cret@proxy.corp:3128' }, async () => {
        if (!nodeCanProxy()) return expect(() => connect(globals({ kubeconfig: remote }))).toThrow(/cannot use one: run kubectl-ds on Node.js 22.21\+ or 24.5\+/);
        const log = await captureStderr(async () => connect(globals({ kubeconfig: remote, verbosity: 6 })));
        expect(log).toContain('through the proxy http://proxy.corp:3128 (from HTTPS_PROXY)');
        expect(log).not.toContain('s3cret');
      });
      // A proxy that is down, or refuses the tunnel: the line names the proxy and the variable, not the cluster.
      const tls = kubeconfigWith({ token: 'x' }, `https://api.cluster.invalid:${port}`, { 'tls-server-name': 'localhost' });
      const refusing = await startConnectProxy(Number(port), '403 Forbidden');
      try {
        for (const [proxyUrl, expected] of [
          ['http://127.0.0.1:1', `list nodes: cannot reach the proxy http://127.0.0.1:1 (HTTPS_PROXY) on the way to https://api.cluster.invalid:${port}: connection refused: check HTTPS_PROXY, or add the server's host to NO_PROXY`],
          [refusing.url, `list nodes: the proxy ${refusing.url} (HTTPS_PROXY) would not open a tunnel to https://api.cluster.invalid:${port}: HTTP/1.1 403 Forbidden: check the proxy, or add the server's host to NO_PROXY`],
        ] as const) {
          await withEnv({ HTTPS_PROXY: proxyUrl }, async () => {
            if (!nodeCanProxy()) return;
            const pc = connect(globals({ kubeconfig: tls }));
            const e = await getJson(pc, paths.nodes()).catch((x) => x);
            expect(apiError(e, pc, 'list nodes').message).toBe(expected);
          });
        }
      } finally {
        refusing.close();
      }
      await withEnv({ https_proxy: 'socks4://proxy.corp:1080' }, async () => {
        expect(() => connect(globals({ kubeconfig: remote }))).toThrow('HTTPS_PROXY is a socks4 proxy; kubectl-ds goes through HTTP, HTTPS and SOCKS5 proxies only: set NO_PROXY=api.cluster.invalid, or give the cluster a proxy-url in the kubeconfig');
      });
    });

    it('SOCKS5 (socks5:// and socks5h://): requests, a watch and exec-plugin credentials go through it, the host name sent for the proxy to resolve, with user and password; its refusals are named', async () => {
      const port = new URL(s.sim.url).port;
      const remote = kubeconfigWith({ token: s.sim.tokens.admin }, `https://api.cluster.invalid:${port}`, { 'tls-server-name': 'localhost' });
      const socks = await startSocksProxy(Number(port), { auth: { user: 'ops', password: 's3cret' } });
      try {
        await withEnv({ HTTPS_PROXY: socks.url.replace('socks5://', 'socks5://ops:s3cret@') }, async () => {
          await listAndWatch(connect(globals({ kubeconfig: remote })), 'node-7');
        });
        expect(socks.seen.length).toBeGreaterThanOrEqual(1); // kept alive: the list's tunnel may carry the watch too
        expect(new Set(socks.seen.map((x) => JSON.stringify(x)))).toEqual(new Set([JSON.stringify({ target: `api.cluster.invalid:${port}`, user: 'ops' })]));

        // An exec plugin's credentials (client-node's transport) through the same proxy, as socks5h.
        const viaExec = execPluginKubeconfig(`https://api.cluster.invalid:${port}`);
        const tunnels = socks.seen.length;
        await withEnv({ HTTPS_PROXY: socks.url.replace('socks5://', 'socks5h://ops:s3cret@') }, async () => {
          expect((await listJson(connect(globals({ kubeconfig: viaExec })), paths.nodes())).items).toHaveLength(8);
        });
        expect(s.sim.requests.at(-1)!.user).toBe('viewer');
        expect(socks.seen.slice(tunnels)).toEqual([{ target: `api.cluster.invalid:${port}`, user: 'ops' }]);

        // Wrong password; no password at all: the proxy's refusal, in one line naming the proxy.
        for (const [proxyUrl, why] of [
          [socks.url.replace('socks5://', 'socks5://ops:wrong@'), 'the proxy refused the user name and password'],
          [socks.url, 'the proxy wants a user name and password (socks5://USER:PASSWORD@HOST:PORT)'],
        ] as const) {
          await withEnv({ HTTPS_PROXY: proxyUrl }, async () => {
            const pc = connect(globals({ kubeconfig: remote }));
            const e = await getJson(pc, paths.nodes()).catch((x) => x);
            expect(apiError(e, pc, 'list nodes').message).toBe(`list nodes: the proxy ${socks.url} (HTTPS_PROXY) would not open a tunnel to https://api.cluster.invalid:${port}: ${why}: check the proxy, or add the server's host to NO_PROXY`);
          });
        }
      } finally {
        socks.close();
      }
      // A proxy that cannot reach the server (REP 5), and one that is down.
      const refusing = await startSocksProxy(Number(port), { reply: 5 });
      try {
        for (const [proxyUrl, expected] of [
          [refusing.url, `list nodes: the proxy ${refusing.url} (HTTPS_PROXY) would not open a tunnel to https://api.cluster.invalid:${port}: connection refused: check the proxy, or add the server's host to NO_PROXY`],
          ['socks5://127.0.0.1:1', `list nodes: cannot reach the proxy socks5://127.0.0.1:1 (HTTPS_PROXY) on the way to https://api.cluster.invalid:${port}: connection refused: check HTTPS_PROXY, or add the server's host to NO_PROXY`],
        ] as const) {
          await withEnv({ HTTPS_PROXY: proxyUrl }, async () => {
            const pc = connect(globals({ kubeconfig: remote }));
            const e = await getJson(pc, paths.nodes()).catch((x) => x);
            expect(apiError(e, pc, 'list nodes').message).toBe(expected);
          });
        }
        expect(refusing.seen).toEqual([{ target: `api.cluster.invalid:${port}`, user: undefined }]);
      } finally {
        refusing.close();
      }

      // A proxy that takes the connection and never answers: --request-timeout ends the request, and the
      // connection to the proxy is closed too, not left open for the life of the process.
      const silent = (await import('node:net')).createServer((sock) => sock.on('close', () => closed++).on('error', () => {}).resume());
      let closed = 0;
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      try {
        const silentUrl = `socks5://127.0.0.1:${(silent.address() as { port: number }).port}`;
        await withEnv({ HTTPS_PROXY: silentUrl }, async () => {
          const pc = connect(globals({ kubeconfig: remote, requestTimeoutMs: 300 }));
          await expect(getJson(pc, paths.nodes())).rejects.toThrow(/within 300 ms/);
        });
        for (let i = 0; i < 40 && closed === 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(closed).toBe(1);
      } finally {
        silent.close();
      }
    });
  });
});
