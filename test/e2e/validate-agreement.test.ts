/**
 * The real API server is the ground truth for `kubectl ds validate`: every corpus manifest that validate
 * passes (no errors, with --kubernetes-version set to the server's) must be accepted by a server-side dry
 * run (`kubectl create --dry-run=server`), and every one it fails must be rejected. Warnings and notes do
 * not count as failing. Prints the agreement and requires 100%.
 *
 * Runs against the cluster in KUBECTL_DS_E2E_KUBECONFIG, in a namespace of its own (deleted afterwards).
 * Manifests that name a valid namespace are sent with the test namespace instead (a dry run elsewhere
 * would change nothing, but the test stays inside its namespace).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, ROOT, testEnv } from '../helpers/cli.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const DIR = join(ROOT, 'test', 'corpus', 'validate');
const NS = `kds-validate-${Date.now().toString(36)}`;

interface Verdict {
  file: string;
  validateFails: boolean;
  ids: string[];
  serverRejects: boolean;
  serverSays: string;
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe.skipIf(!kc)('validate agrees with the real API server', () => {
  const env = testEnv({ KUBECONFIG: kc });
  let version = '';

  beforeAll(async () => {
    const v = await kubectl(['version', '-o', 'json'], { env });
    const sv = JSON.parse(v.stdout).serverVersion as { major: string; minor: string };
    version = `${sv.major}.${sv.minor.replace(/\D+$/, '')}`;
    const r = await kubectl(['create', 'namespace', NS], { env });
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    if (kc) await kubectl(['delete', 'namespace', NS, '--wait=false'], { env });
  });

  it('every corpus manifest: validate fails <=> the API server rejects (100%)', async (ctx) => {
    // Agreement needs an API server that validates (a real one). A simulator that does not model the
    // API server's validation accepts a DaemonSet whose selector does not match its template: skip there.
    const probe = readFileSync(join(DIR, '046-selector-mismatch.yaml'), 'utf8');
    const p = await kubectl(['create', '--dry-run=server', '-n', NS, '-f', '-'], { env, input: probe });
    if (p.code === 0) {
      console.log('validate agreement skipped: this API server accepts a DaemonSet whose selector does not match its template, so it does not validate as Kubernetes does (a simulator?)');
      ctx.skip();
    }
    const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(60);

    const v = await kds(['validate', '-f', DIR, '--kubernetes-version', version, '-o', 'json'], { env });
    expect([0, 1], v.stderr).toContain(v.code);
    const report = JSON.parse(v.stdout) as { kubernetesVersion: string; findings: { file: string; severity: string; id: string }[] };
    expect(report.kubernetesVersion).toBe(version);

    const verdicts = await pool(files, 6, async (file): Promise<Verdict> => {
      const path = join(DIR, file);
      const mine = report.findings.filter((f) => f.file === path);
      const errors = mine.filter((f) => f.severity === 'error');
      const text = readFileSync(path, 'utf8').replace(/^ {2}namespace: [a-z0-9]([-a-z0-9]*[a-z0-9])?$/gm, `  namespace: ${NS}`).replace(/"namespace": "[a-z0-9-]+"/g, `"namespace": "${NS}"`);
      const k = await kubectl(['create', '--dry-run=server', '-n', NS, '-f', '-'], { env, input: text });
      return {
        file,
        validateFails: errors.length > 0,
        ids: [...new Set(errors.map((e) => e.id))],
        serverRejects: k.code !== 0,
        serverSays: (k.stderr || k.stdout).trim().split('\n').slice(0, 3).join(' | '),
      };
    });

    const agree = verdicts.filter((x) => x.validateFails === x.serverRejects);
    const pct = ((100 * agree.length) / verdicts.length).toFixed(1);
    console.log(`validate agreement with the API server (Kubernetes ${version}): ${agree.length}/${verdicts.length} = ${pct}%`);
    console.log(`  rejected by both: ${verdicts.filter((x) => x.validateFails && x.serverRejects).length}; accepted by both: ${verdicts.filter((x) => !x.validateFails && !x.serverRejects).length}`);
    const disagree = verdicts.filter((x) => x.validateFails !== x.serverRejects);
    for (const d of disagree) {
      console.log(`  DISAGREE ${d.file}: validate ${d.validateFails ? `fails (${d.ids.join(', ')})` : 'passes'}, server ${d.serverRejects ? 'rejects' : 'accepts'}: ${d.serverSays}`);
    }
    expect(disagree.map((d) => d.file)).toEqual([]);
  }, 600_000);
});
