// The kubeconfig fast path (src/kube/simple-yaml.ts) must answer exactly as the yaml package does, or
// not at all (undefined: the caller falls back to the yaml package). Inputs: kubeconfigs written by the
// real kubectl (`kubectl config set-*`, every kind of cluster and user entry), the simulator's, and
// hand-written YAML at the edges of what the fast path reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSimpleYaml } from '../../src/kube/simple-yaml.js';
import { kubeconfigYaml } from '../../src/sim/cluster.js';

/** yaml's answer, or the error it throws (as a value). */
function reference(text: string): unknown {
  try {
    return { ok: parse(text) };
  } catch (e) {
    return { error: (e as Error).name };
  }
}

function expectAgrees(text: string, mustAnswer: boolean) {
  const fast = parseSimpleYaml(text);
  const ref = reference(text) as { ok?: unknown; error?: string };
  if (mustAnswer) expect(fast, `the fast path should read:\n${text}`).not.toBeUndefined();
  if (fast === undefined) return;
  // Where the fast path answers, yaml must parse the text and give the same value.
  expect(ref.error, `yaml rejects what the fast path read:\n${text}`).toBeUndefined();
  expect(fast).toEqual(ref.ok);
}

/** Kubeconfigs written by the installed kubectl. */
function kubectlWritten(): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'kds-yaml-')), 'config');
  const k = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', file, 'config', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const out: string[] = [];
  const snap = () => out.push(readFileSync(file, 'utf8'));
  k('set-cluster', 'c1', '--server=https://10.0.0.1:6443', '--insecure-skip-tls-verify=true');
  snap();
  k('set-cluster', 'c2', '--server=https://k8s.example.com', '--tls-server-name=api.internal', '--proxy-url=http://proxy:3128');
  k('set-credentials', 'u1', '--token=abc.def-ghi');
  k('set-credentials', 'u2', '--exec-command=/usr/bin/aws', '--exec-api-version=client.authentication.k8s.io/v1beta1', '--exec-arg=eks', '--exec-arg=get-token', '--exec-arg=--cluster-name=prod', '--exec-env=AWS_PROFILE=prod', '--exec-interactive-mode=Never');
  snap();
  k('set-credentials', 'u3', '--username=admin', `--password=p@ss: w#rd "x" 'y'`);
  k('set-credentials', 'u4', '--auth-provider=oidc', '--auth-provider-arg=idp-issuer-url=https://issuer', '--auth-provider-arg=client-id=kubectl');
  k('set-credentials', 'u5', '--token=123');
  k('set-credentials', 'u6', '--token=true');
  k('set-context', 'ctx1', '--cluster=c1', '--user=u1', '--namespace=kube-system');
  k('set-context', 'ctx: odd #name', '--cluster=c2', '--user=u2');
  k('use-context', 'ctx1');
  snap();
  k('set', 'clusters.c1.certificate-authority-data', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64'));
  snap();
  return out;
}

describe('kubeconfig fast path', () => {
  it('reads every kubeconfig kubectl writes, as the yaml package does', () => {
    const files = kubectlWritten();
    expect(files.length).toBe(4);
    for (const text of files) expectAgrees(text, true);
    // Spot checks written from the kubectl commands above, not from either parser.
    const last = parseSimpleYaml(files[3]!) as any;
    expect(last['current-context']).toBe('ctx1');
    expect(last.preferences).toEqual({});
    expect(last.clusters[0].cluster['insecure-skip-tls-verify']).toBe(true);
    const users = Object.fromEntries(last.users.map((u: any) => [u.name, u.user]));
    expect(users.u2.exec.args).toEqual(['eks', 'get-token', '--cluster-name=prod']);
    expect(users.u2.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'prod' }]);
    expect(users.u3.password).toBe(`p@ss: w#rd "x" 'y'`);
    expect(users.u5.token).toBe('123');
    expect(users.u6.token).toBe('true');
    expect(last.contexts.map((c: any) => c.name)).toContain('ctx: odd #name');
  });

  it("reads the simulator's kubeconfig", () => {
    expectAgrees(kubeconfigYaml('https://127.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', { admin: 'a'.repeat(32), viewer: 'b'.repeat(32) }), true);
  });

  const answered: [string, string][] = [
    ['scalars of the core schema', 'a: 1\nb: -2\nc: 1.5\nd: 1e3\ne: true\nf: False\ng: null\nh: ~\ni:\nj: "x"\nk: \'y\'\nl: 0123\nm: +7\n'],
    ['strings that only look special', 'a: yes\nb: no\nc: on\nd: 2026-11-23\ne: 1_000\nf: b#c\ng: http://x:80/p?q=1\nh: a - b\n'],
    ['double-quoted escapes', 'a: "tab\\there \\"q\\" \\\\ \\u00e9 \\/"\nb: ""\n'],
    ['single-quoted with doubled quotes', "a: 'it''s'\nb: ''\n"],
    ['comments and blank lines', '# head\n\na: 1\n  # indented comment\nb:\n  # between\n  c: 2\n'],
    ['compact and indented sequences', 'a:\n- 1\n- x: 1\n  y: 2\nb:\n  - p\n  - q\nc:\n  -   z: 3\n      w: 4\n'],
    ['empty items and values', 'a:\n-\n- x\nb:\nc: []\nd: {}\n'],
    ['quoted keys', '"a b": 1\n\'c: d\': 2\n'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n- 2\r\n'],
    ['a document of comments only', '# nothing\n'],
  ];
  it.each(answered)('answers as yaml: %s', (_, text) => expectAgrees(text, true));

  const declined: [string, string][] = [
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['flow collections', 'a: [1, 2]\nb: {c: 1}\n'],
    ['block scalars', 'a: |\n  line\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['a comment after a quoted scalar', 'a: "x" # c\n'],
    ['a comment after a plain scalar', 'a: x # c\n'],
    ['tabs in indentation', 'a:\n\t- 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['merge keys', 'a:\n  <<: {}\n'],
    ['nested sequences on one line', 'a:\n- - 1\n'],
    ['hex and octal', 'a: 0x1F\nb: 0o17\n'],
    ['infinity', 'a: .inf\n'],
    ['a top-level scalar', 'just text\n'],
    ['a top-level sequence', '- a\n- b\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['unknown escapes', 'a: "\\x41"\n'],
  ];
  it.each(declined)('declines (the yaml package decides): %s', (_, text) => {
    const fast = parseSimpleYaml(text);
    if (fast !== undefined) expectAgrees(text, false);
    // These all use YAML the fast path does not read, except where its answer equals yaml's.
    expect(['a top-level sequence'].includes(_) || fast === undefined).toBe(true);
  });
});
