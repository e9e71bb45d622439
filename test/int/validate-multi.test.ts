/**
 * validate --live on several clusters: three simulators merged into one kubeconfig (a, b, c; c stopped).
 * Expectations from the rules, by hand: the selector of a DaemonSet is immutable (apps/v1), so a manifest
 * whose selector differs from the live object's is an error on the cluster that has it (DS401) and fine on
 * a cluster that does not; an unreachable cluster is reported and the others are still checked; exit 1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, testEnv } from '../helpers/cli.js';
import { dsManifest, mergeKubeconfigs } from '../helpers/multi.js';
import { startSim, type StartedSim } from '../helpers/sim.js';

const NS = 'vmulti';

describe('validate --live across clusters', () => {
  const sims: Record<string, StartedSim> = {};
  let env: NodeJS.ProcessEnv;
  let manifest: string;

  beforeAll(async () => {
    for (const n of ['a', 'b', 'c']) sims[n] = await startSim({ scenario: 'mixed', controllers: false });
    env = testEnv({ KUBECONFIG: mergeKubeconfigs(Object.fromEntries(Object.entries(sims).map(([n, s]) => [n, s.kubeconfig]))) });
    for (const n of ['a', 'b']) expect((await kubectl(['--context', n, 'create', 'namespace', NS], { env })).code).toBe(0);
    // a runs the agent with selector app=agent; b has no agent.
    const live = await kubectl(['--context', 'a', '-n', NS, 'create', '-f', '-'], { env, input: JSON.stringify(dsManifest('agent', 'busybox:1.36')) });
    expect(live.code, live.stderr).toBe(0);
    await sims.c!.stop();
    // The manifest adds a label to the selector (and the template): the same name, another selector.
    const base = dsManifest('agent', 'busybox:1.37');
    const labels = { app: 'agent', tier: 'node' };
    const changed = {
      ...base,
      metadata: { ...base.metadata, namespace: NS },
      spec: { ...base.spec, selector: { matchLabels: labels }, template: { ...base.spec.template, metadata: { labels } } },
    };
    const dir = mkdtempSync(join(tmpdir(), 'kds-vmulti-'));
    manifest = join(dir, 'agent.json');
    writeFileSync(manifest, JSON.stringify(changed, null, 2));
  });
  afterAll(async () => {
    for (const s of Object.values(sims)) await s.stop().catch(() => undefined);
  });

  it('each cluster with its own state: DS401 on a only, b fine, c unreachable and reported; exit 1', async () => {
    const r = await kds(['validate', '-f', manifest, '--live', '--contexts', 'a,b,c', '--request-timeout', '5s'], { env });
    expect(r.code).toBe(1);
    const section = (c: string) => {
      const from = r.stdout.indexOf(`=== cluster "${c}" ===`);
      expect(from, c).toBeGreaterThan(-1);
      const to = r.stdout.indexOf('\n=== ', from + 1);
      return r.stdout.slice(from, to === -1 ? r.stdout.indexOf('Across ') : to);
    };
    expect(section('a')).toContain('DS401');
    expect(section('b')).not.toContain('DS401');
    expect(r.stdout).not.toContain('=== cluster "c"');
    const rows = r.stdout.slice(r.stdout.indexOf('Across 3 clusters:')).split('\n');
    expect(rows[1]!.trim().split(/\s{2,}/)).toEqual(['CLUSTER', 'RULES', 'ERRORS', 'WARNINGS', 'INFOS', 'STATE']);
    expect(rows.find((l) => l.startsWith('a '))).toMatch(/\sfailed$/);
    expect(rows.find((l) => l.startsWith('b '))).toMatch(/\sok$/);
    expect(rows.find((l) => l.startsWith('c '))).toMatch(/\sunreachable$/);
    expect(r.stderr).toMatch(/^error: context "c": .*connection refused/m);
    expect(r.stderr).toMatch(/^error: validate --live failed on 2 of 3 clusters: a, c$/m);
  });

  it('-o json: one report per reachable cluster, the cluster on every finding, and every cluster in "clusters"', async () => {
    const r = await kds(['validate', '-f', manifest, '--live', '--contexts', 'a,b,c', '--request-timeout', '5s', '-o', 'json'], { env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      items: { cluster: string; summary: { failed: boolean }; findings: { cluster: string; id: string }[] }[];
      clusters: { cluster: string; ok: boolean; error?: string }[];
    };
    expect(doc.kind).toBe('ValidationReportList');
    expect(doc.items.map((i) => [i.cluster, i.summary.failed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    for (const i of doc.items) for (const f of i.findings) expect(f.cluster).toBe(i.cluster);
    expect(doc.items[0]!.findings.map((f) => f.id)).toContain('DS401');
    expect(doc.items[1]!.findings.map((f) => f.id)).not.toContain('DS401');
    expect(doc.clusters.map((c) => [c.cluster, c.ok, typeof c.error])).toEqual([
      ['a', false, 'undefined'],
      ['b', true, 'undefined'],
      ['c', false, 'string'],
    ]);
  });

  it('one context still prints the single-cluster report', async () => {
    const r = await kds(['validate', '-f', manifest, '--live', '--context', 'b'], { env });
    expect(r.stdout).not.toContain('=== cluster');
    expect(r.stdout).not.toContain('DS401');
  });
});
