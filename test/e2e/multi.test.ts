/**
 * Several clusters with a real control plane as one of them: the cluster of KUBECTL_DS_E2E_KUBECONFIG
 * (context "real") and a simulator (context "sim", and "sim-viewer" read-only) merged into one
 * kubeconfig. Expectations on the real cluster are what its controller and garbage collector do, read
 * back with the real kubectl. Works on any cluster: its own namespace, removed at the end.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, testEnv } from '../helpers/cli.js';
import { dsManifest, mergeKubeconfigs } from '../helpers/multi.js';
import { startSim, type StartedSim } from '../helpers/sim.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const ns = `kds-multi-e2e-${Date.now().toString(36)}`;
const LONG = 240_000;
type Obj = { metadata: { name: string; uid: string; namespace?: string; ownerReferences?: unknown[] }; status?: { desiredNumberScheduled?: number } };

describe.skipIf(!kc)('several clusters: a real control plane and a simulator', () => {
  let sim: StartedSim;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const run = (args: string[]) => kds([...args, '-n', ns], { env, timeoutMs: LONG });
  const k = async (context: string, args: string[]) => {
    const r = await kubectl(['--context', context, '-n', ns, ...args], { env, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`kubectl --context ${context} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const getDs = async (context: string, name: string): Promise<Obj | null> => {
    const out = await k(context, ['get', 'ds', name, '-o', 'json', '--ignore-not-found']);
    return out.trim() ? (JSON.parse(out) as Obj) : null;
  };
  const pods = async (context: string, app: string) => (JSON.parse(await k(context, ['get', 'pods', '-l', `app=${app}`, '-o', 'json'])) as { items: Obj[] }).items;
  const file = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(body));
    return p;
  };
  beforeAll(async () => {
    sim = await startSim({ scenario: 'mixed' });
    dir = mkdtempSync(join(tmpdir(), 'kds-multi-e2e-'));
    env = testEnv({ KUBECONFIG: mergeKubeconfigs({ real: kc!, sim: sim.kubeconfig }, 'real') });
    for (const c of ['real', 'sim']) await kubectl(['--context', c, 'create', 'namespace', ns], { env });
  }, LONG);
  afterAll(async () => {
    await kubectl(['--context', 'real', 'delete', 'namespace', ns, '--wait=false'], { env });
    await sim?.stop();
  });

  it('apply -f on both: created on each, the real controller rolls it out, status follows both to the end', async () => {
    const r = await run(['apply', '-f', file('agent.json', dsManifest('agent', 'busybox:1.36')), '--contexts', 'real,sim']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^real\\s+${ns}/agent\\s+created`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^sim\\s+${ns}/agent\\s+created`, 'm'));
    const s = await run(['status', 'agent', '--contexts', 'real,sim', '--timeout', '180s']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^real: daemon set "agent" successfully rolled out$/m);
    expect(s.stdout).toMatch(/^sim: daemon set "agent" successfully rolled out$/m);
    const desired = (await getDs('real', 'agent'))!.status!.desiredNumberScheduled!;
    expect(desired).toBeGreaterThan(0);
    expect(s.stdout).toMatch(new RegExp(`^real\\s+complete\\s+${desired}\\s+${desired}\\s+${desired}\\s`, 'm'));
  }, LONG);

  it('apply again: unchanged on both; the viewer context is forbidden and reported, exit 1', async () => {
    const r = await run(['apply', '-f', file('agent.json', dsManifest('agent', 'busybox:1.36')), '--contexts', 'real,sim-viewer']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^real\\s+${ns}/agent\\s+unchanged`, 'm'));
    expect(r.stdout).toMatch(/^sim-viewer\s+\S+\s+failed\s+.*forbidden/m);
  }, LONG);

  it('drift: the same on both, then the image differs after a change on the real cluster', async () => {
    let r = await run(['drift', 'agent', '--contexts', 'real,sim']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await run(['apply', '-f', file('agent2.json', dsManifest('agent', 'busybox:1.37')), '--context', 'real']).then((x) => x.code)).toBe(0);
    r = await run(['drift', 'agent', '--contexts', 'real,sim', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { differences: { path: string; values: { cluster: string; value: unknown }[] }[] };
    expect(doc.differences.find((d) => /image/.test(d.path))?.values).toEqual([
      { cluster: 'real', value: 'busybox:1.37' },
      { cluster: 'sim', value: 'busybox:1.36' },
    ]);
  }, LONG);

  it('delete --orphan on both: every pod keeps running with its UID and without an owner', async () => {
    await run(['status', 'agent', '--context', 'real', '--timeout', '180s']);
    const before: Record<string, string[]> = {};
    for (const c of ['real', 'sim']) {
      before[c] = (await pods(c, 'agent')).map((p) => p.metadata.uid).sort();
      expect(before[c]!.length).toBeGreaterThan(0);
    }
    const r = await run(['delete', 'agent', '--orphan', '--contexts', 'real,sim', '--timeout', '120s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^real\s+deleted\s+orphan/m);
    expect(r.stdout).toMatch(/^sim\s+deleted\s+orphan/m);
    for (const c of ['real', 'sim']) {
      expect(await getDs(c, 'agent')).toBeNull();
      const now = await pods(c, 'agent');
      expect(now.map((p) => p.metadata.uid).sort()).toEqual(before[c]);
      for (const p of now) expect(p.metadata.ownerReferences ?? []).toEqual([]);
    }
  }, LONG);
});
