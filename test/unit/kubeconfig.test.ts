import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeconfig, selectTarget } from '../../src/kube/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kds-kc-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// Two files that both define cluster "shared" and set a current-context: kubectl keeps the first
// file's entries and the first file's current-context, and ignores files that do not exist.
const a = file(
  'a.yaml',
  `apiVersion: v1
kind: Config
current-context: ctx-a
clusters:
- name: shared
  cluster: {server: https://a.example:6443, certificate-authority: certs/ca.crt}
users:
- name: ua
  user: {token: aaa}
contexts:
- name: ctx-a
  context: {cluster: shared, user: ua, namespace: team-a}
`,
);
const b = file(
  'b.yaml',
  `apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: shared
  cluster: {server: https://b.example:6443}
- name: only-b
  cluster: {server: https://only-b.example:6443}
users:
- name: ub
  user: {token: bbb}
contexts:
- name: ctx-b
  context: {cluster: only-b, user: ub}
`,
);

describe('kubeconfig merging (kubectl rules)', () => {
  const env = { KUBECONFIG: [a, join(dir, 'missing.yaml'), b].join(':'), HOME: dir };

  it('keeps the first file for a repeated name and the first current-context; skips missing files', () => {
    const src = loadKubeconfig({}, env);
    expect(src.files).toEqual([a, b]);
    expect(src.config['current-context']).toBe('ctx-a');
    expect(src.config.clusters.map((c) => [c.name, c.cluster.server])).toEqual([
      ['shared', 'https://a.example:6443'],
      ['only-b', 'https://only-b.example:6443'],
    ]);
  });

  it('resolves relative file paths against the file that holds them', () => {
    const src = loadKubeconfig({}, env);
    expect(src.config.clusters[0]!.cluster['certificate-authority']).toBe(join(dir, 'certs/ca.crt'));
  });

  it("takes the namespace from -n, then the context's, then default", () => {
    const src = loadKubeconfig({}, env);
    expect(selectTarget(src, {}).namespace).toBe('team-a');
    expect(selectTarget(src, { namespace: 'x' }).namespace).toBe('x');
    expect(selectTarget(src, { context: 'ctx-b' }).namespace).toBe('default');
  });

  it('lets --cluster and --user override the context', () => {
    const src = loadKubeconfig({}, env);
    const t = selectTarget(src, { cluster: 'only-b', user: 'ub' });
    expect([t.contextName, t.clusterName, t.userName, t.cluster.server]).toEqual(['ctx-a', 'only-b', 'ub', 'https://only-b.example:6443']);
  });

  it('names the unknown context and the known ones', () => {
    const src = loadKubeconfig({}, env);
    expect(() => selectTarget(src, { context: 'nope' })).toThrow(/context "nope" does not exist .*known contexts: ctx-a, ctx-b/);
  });

  it('says clearly when there is no kubeconfig at all', () => {
    expect(() => loadKubeconfig({}, { HOME: dir })).toThrow(/no kubeconfig found: KUBECONFIG is unset and ~\/.kube\/config does not exist/);
    expect(() => loadKubeconfig({ kubeconfig: join(dir, 'nope') }, {})).toThrow(/does not exist/);
  });
});
