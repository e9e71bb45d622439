/**
 * `kubectl ds validate --live` against the cluster in KUBECTL_DS_E2E_KUBECONFIG. Expectations come from
 * what the real control plane does: the API server rejects the changed selector (field is immutable), and
 * the real DaemonSet controller adopts the orphan pod that validate warned about.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, testEnv } from '../helpers/cli.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const NS = `kds-vlive-${Date.now().toString(36)}`;

function ds(name: string, labels: Record<string, string>): string {
  const l = JSON.stringify(labels);
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: ${l}
  template:
    metadata:
      labels: ${l}
    spec:
      tolerations: [{operator: Exists}]
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.9
        resources: {requests: {cpu: 1m, memory: 4Mi}, limits: {memory: 16Mi}}
        readinessProbe: {exec: {command: ["true"]}}
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!kc)('validate --live against a real cluster', () => {
  const env = testEnv({ KUBECONFIG: kc });
  const k = (args: string[], input?: string) => kubectl(['-n', NS, ...args], { env, input });

  beforeAll(async () => {
    expect((await kubectl(['create', 'namespace', NS], { env })).code).toBe(0);
    const a = await k(['apply', '-f', '-'], ds('live-a', { 'app.kubernetes.io/name': 'live-a' }));
    expect(a.code, a.stderr).toBe(0);
  });

  afterAll(async () => {
    if (kc) await kubectl(['delete', 'namespace', NS, '--wait=false'], { env });
  });

  it('a changed selector: DS401, and the API server does reject the apply', async () => {
    const changed = ds('live-a', { 'app.kubernetes.io/name': 'live-a', tier: 'node' });
    const r = await kds(['validate', '--live', '-n', NS, '-f', '-', '-o', 'json'], { env, input: changed });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.live).toBe(true);
    const f = doc.findings.find((x: { id: string }) => x.id === 'DS401');
    expect(f).toMatchObject({ severity: 'error', path: 'spec.selector', line: 6, column: 3 });
    expect(f.message).toContain('field is immutable');
    expect(f.fix).toContain(`kubectl ds delete live-a -n ${NS} --orphan`);
    const server = await k(['apply', '--dry-run=server', '-f', '-'], changed);
    expect(server.code).not.toBe(0);
    expect(server.stderr).toContain('field is immutable');
  });

  it('the live server version selects the rules', async () => {
    const v = JSON.parse((await kubectl(['version', '-o', 'json'], { env })).stdout).serverVersion as { major: string; minor: string };
    const r = await kds(['validate', '--live', '-n', NS, '-f', '-', '-o', 'json'], { env, input: ds('live-a', { 'app.kubernetes.io/name': 'live-a' }) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).kubernetesVersion).toBe(`${v.major}.${v.minor.replace(/\D+$/, '')}`);
  });

  it('an orphan pod the selector matches: DS402, and the real controller adopts it', async () => {
    const pod = await k(['run', 'stray', '--image=registry.k8s.io/pause:3.9', '--labels=app.kubernetes.io/name=live-b']);
    expect(pod.code, pod.stderr).toBe(0);
    const manifest = ds('live-b', { 'app.kubernetes.io/name': 'live-b' });
    const r = await kds(['validate', '--live', '-n', NS, '-f', '-', '-o', 'json'], { env, input: manifest });
    expect(r.code, r.stderr).toBe(0); // a warning
    const f = JSON.parse(r.stdout).findings.find((x: { id: string }) => x.id === 'DS402');
    expect(f?.message).toMatch(/^1 pod in namespace \S+ without a controller matches the selector \(stray\): the DaemonSet would adopt it/);
    expect((await k(['apply', '-f', '-'], manifest)).code).toBe(0);
    let owner = '';
    for (let i = 0; i < 60 && owner === ''; i++) {
      const g = await k(['get', 'pod', 'stray', '-o', 'jsonpath={.metadata.ownerReferences[?(@.controller==true)].kind}/{.metadata.ownerReferences[?(@.controller==true)].name}']);
      if (g.code !== 0) owner = 'deleted'; // adopted, then removed as an extra pod: the controller took it either way
      else if (g.stdout.startsWith('DaemonSet/')) owner = g.stdout;
      else await sleep(500);
    }
    expect(['DaemonSet/live-b', 'deleted']).toContain(owner);
  });

  it('another workload whose template the selector matches: DS403 (also for workloads in the input)', async () => {
    const dep = await k(['create', 'deployment', 'live-c-web', '--image=registry.k8s.io/pause:3.9', '--dry-run=client', '-o', 'yaml']);
    const depYaml = dep.stdout.replace(/app: live-c-web/g, 'app: live-c');
    const manifest = ds('live-c', { app: 'live-c' });
    const applied = await k(['apply', '-f', '-'], depYaml);
    if (applied.code !== 0 && /doesn't have a resource type|could not find the requested resource|no matches for kind/.test(applied.stderr)) {
      console.log('validate --live: this cluster serves no Deployments (a simulator?); checking workloads in the input only');
    } else {
      expect(applied.code, applied.stderr).toBe(0);
      const r = await kds(['validate', '--live', '-n', NS, '-f', '-', '-o', 'json'], { env, input: manifest });
      const ids = JSON.parse(r.stdout).findings.map((x: { id: string; message: string }) => `${x.id} ${x.message}`);
      expect(ids.some((s: string) => /^DS403 the selector matches the pod template labels of Deployment\/live-c-web in namespace /.test(s))).toBe(true);
    }
    const both = await kds(['validate', '--live', '-n', NS, '-f', '-', '-o', 'json'], {
      env,
      input: `${manifest}---\n${depYaml.replace(/live-c-web/g, 'live-c-api')}`,
    });
    const msgs = JSON.parse(both.stdout).findings.map((x: { id: string; message: string }) => `${x.id} ${x.message}`);
    expect(msgs.some((s: string) => s.startsWith('DS403') && s.includes('Deployment/live-c-api (in the input)'))).toBe(true);
  });

  it('an unreachable cluster: one line, exit 1, nothing else printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-vlive-'));
    const cfg = join(dir, 'kubeconfig');
    writeFileSync(cfg, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
    const r = await kds(['validate', '--live', '--kubeconfig', cfg, '-f', '-'], { env, input: ds('x', { a: 'b' }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: get the server version: cannot talk to https:\/\/127\.0\.0\.1:1: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
