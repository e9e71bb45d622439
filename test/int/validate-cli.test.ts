/**
 * `kubectl ds validate` as a user runs it: the built CLI as a separate process (and once through the real
 * kubectl's plugin discovery). Output formats, exit codes, stdin, directories, -R, bad input, usage errors.
 * Expected values come from the corpus manifests' hand-written findings and kubectl's conventions.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, ROOT, sourcesLoadedBy, testEnv } from '../helpers/cli.js';

const CORPUS = join(ROOT, 'test', 'corpus', 'validate');
const c = (name: string): string => join(CORPUS, name);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kds-validate-'));
});

describe('kubectl ds validate: text output and exit codes', () => {
  it('a clean manifest: exit 0, a one-line summary', async () => {
    const r = await kds(['validate', '-f', c('001-clean-agent.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✓ 0 errors, 0 warnings, 0 info (1 DaemonSet in 1 file, Kubernetes 1.32 rules)\n');
  });

  it('an invalid manifest: exit 1, the finding under its file with line:column, id, message and fix', async () => {
    const r = await kds(['validate', '-f', c('046-selector-mismatch.yaml')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(c('046-selector-mismatch.yaml'));
    expect(lines[1]).toMatch(/^ {2}12:7 {2}error {4}DS122 {2}spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`: the selector needs app\.kubernetes\.io\/name=agent; the template has app\.kubernetes\.io\/name=agnet$/);
    expect(lines[2]).toMatch(/^ +fix: set spec\.template\.metadata\.labels\.app\.kubernetes\.io\/name to agent/);
    expect(lines.at(-2)).toBe('✗ 1 error, 0 warnings, 0 info (1 DaemonSet in 1 file, Kubernetes 1.32 rules)');
  });

  it('the lost-indentation fluentd: the first finding says the indentation was lost and where the keys belong', async () => {
    const r = await kds(['validate', '-f', c('003-fluentd-lost-indentation.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/4:1 +error +DS110 +\d+ keys that belong deeper are at the top level \(name, namespace, labels, selector, matchLabels, template, tolerations, operator, \.\.\.\): the YAML's indentation appears to have been lost/);
    expect(r.stdout).toContain('unknown field "containers": `containers` is at the top level; did the indentation get lost? it belongs under spec.template.spec');
  });

  it('warnings alone pass; --strict makes them fail; info never fails', async () => {
    const w = await kds(['validate', '-f', c('092-hello-world.yaml')]);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('0 errors, 4 warnings, 1 info');
    const s = await kds(['validate', '-f', c('092-hello-world.yaml'), '--strict']);
    expect(s.code).toBe(1);
    expect(s.stdout).toContain('--strict');
    const i = await kds(['validate', '-f', c('076-only-configmap.yaml'), '--strict']);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/2:7 +info +DS005 +skipped ConfigMap "agent-config": not a DaemonSet/);
  });

  it('groups findings by file in the order the files were given', async () => {
    const r = await kds(['validate', '-f', c('031-name-invalid.yaml'), '-f', c('001-clean-agent.yaml'), '-f', c('029-kind-typo.yaml')]);
    expect(r.code).toBe(1);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('/'));
    expect(headers).toEqual([c('031-name-invalid.yaml'), c('029-kind-typo.yaml')]);
    expect(r.stdout).toContain('(3 DaemonSets in 3 files');
  });

  it('colours only when asked (FORCE_COLOR stands in for a terminal); never with NO_COLOR or --no-color', async () => {
    const coloured = await kds(['validate', '-f', c('046-selector-mismatch.yaml')], { env: testEnv({ NO_COLOR: '', FORCE_COLOR: '1' }) });
    expect(coloured.stdout).toContain('\u001b[31merror');
    const plain = await kds(['validate', '-f', c('046-selector-mismatch.yaml')]);
    expect(plain.stdout).not.toContain('\u001b[');
    const flag = await kds(['validate', '--no-color', '-f', c('046-selector-mismatch.yaml')], { env: testEnv({ NO_COLOR: '', FORCE_COLOR: '1' }) });
    expect(flag.stdout).not.toContain('\u001b[');
  });

  it('--kubernetes-version selects the rules: maxSurge is an unknown field on 1.20', async () => {
    const now = await kds(['validate', '-f', c('012-surge.yaml')]);
    expect(now.code).toBe(0);
    const old = await kds(['validate', '-f', c('012-surge.yaml'), '--kubernetes-version', 'v1.20.2']);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/9:7 +error +DS108 +unknown field "spec\.updateStrategy\.rollingUpdate\.maxSurge": Kubernetes 1\.20 has no such field \(it arrived in 1\.21\)/);
    expect(old.stdout).toContain('Kubernetes 1.20 rules');
  });
});

describe('kubectl ds validate -o json', () => {
  it('prints the documented schema', async () => {
    const r = await kds(['validate', '-f', c('057-quantities.yaml'), '-f', c('001-clean-agent.yaml'), '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'kubernetesVersion', 'strict', 'live', 'summary', 'findings']);
    expect(doc.apiVersion).toBe('kubectl-ds/v1');
    expect(doc.kind).toBe('ValidationReport');
    expect(doc.summary).toEqual({ files: 2, daemonSets: 2, errors: 2, warnings: 0, infos: 0, failed: true });
    expect(doc.findings).toHaveLength(2);
    const f = doc.findings[0];
    expect(Object.keys(f)).toEqual(['file', 'line', 'column', 'path', 'severity', 'id', 'rule', 'message', 'fix', 'object', 'document']);
    expect(f).toMatchObject({
      file: c('057-quantities.yaml'),
      line: 21,
      column: 37,
      path: 'spec.template.spec.containers[0].resources.requests[cpu]',
      severity: 'error',
      id: 'DS136',
      rule: 'quantity',
      object: 'DaemonSet/agent-quantity',
      document: 0,
    });
    expect(f.message).toContain("quantities must match the regular expression");
  });

  it('a clean run: failed false, exit 0, no findings', async () => {
    const r = await kds(['validate', '-f', c('002-fluentd-complete.yaml'), '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ files: 1, daemonSets: 1, errors: 0, warnings: 0, infos: 0, failed: false });
    expect(doc.findings).toEqual([]);
  });
});

describe('kubectl ds validate: inputs', () => {
  it('reads standard input with -f -', async () => {
    const text = readFileSync(c('031-name-invalid.yaml'), 'utf8');
    const r = await kds(['validate', '-f', '-', '-o', 'json'], { input: text });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.map((f: { file: string; id: string; line: number; column: number }) => `${f.file} ${f.id}@${f.line}:${f.column}`)).toEqual(['<stdin> DS103@4:9']);
  });

  it('a directory: its manifests only; subdirectories with -R', async () => {
    const dir = join(tmp, 'tree');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), readFileSync(c('001-clean-agent.yaml')));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest: ignored in a directory walk');
    writeFileSync(join(dir, 'nested', 'b.yml'), readFileSync(c('046-selector-mismatch.yaml')));
    const flat = await kds(['validate', '-f', dir, '-o', 'json']);
    expect(flat.code).toBe(0);
    expect(JSON.parse(flat.stdout).summary.files).toBe(1);
    const deep = await kds(['validate', '-f', dir, '-R', '-o', 'json']);
    expect(deep.code).toBe(1);
    const doc = JSON.parse(deep.stdout);
    expect(doc.summary.files).toBe(2);
    expect(doc.findings.map((f: { file: string; id: string }) => `${f.file} ${f.id}`)).toEqual([`${join(dir, 'nested', 'b.yml')} DS122`]);
  });

  it('the whole corpus directory in one run', async () => {
    const r = await kds(['validate', '-f', CORPUS, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.files).toBeGreaterThanOrEqual(60);
  });

  it('not YAML, empty, too large: one line with the position, exit 1', async () => {
    const bad = await kds(['validate', '-f', c('073-not-yaml-tabs.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n')[1]).toMatch(/^ {2}4:1 {2}error {4}DS001 {2}not valid YAML: /);
    const empty = join(tmp, 'empty.yaml');
    writeFileSync(empty, '');
    const e = await kds(['validate', '-f', empty]);
    expect(e.code).toBe(1);
    expect(e.stdout).toMatch(/1:1 +error +DS002 +no objects in the input/);
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    const b = await kds(['validate', '-f', big, '-o', 'json']);
    expect(b.code).toBe(1);
    const doc = JSON.parse(b.stdout);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ id: 'DS003', line: 1, column: 1, severity: 'error' });
    const bin = join(tmp, 'binary.yaml');
    writeFileSync(bin, Buffer.from([0x61, 0x3a, 0x20, 0x0a, 0x00, 0x01, 0x02]));
    const n = await kds(['validate', '-f', bin]);
    expect(n.code).toBe(1);
    expect(n.stdout).toMatch(/2:1 +error +DS001 +binary data/);
  });
});

describe('kubectl ds validate: usage errors', () => {
  it('no -f: exit 2 with one line', async () => {
    const r = await kds(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: must specify one of -f and -k (give a manifest: -f FILE, -f DIR or -f - for standard input)\n');
  });

  it('a bad -o or --kubernetes-version: exit 2', async () => {
    const o = await kds(['validate', '-f', c('001-clean-agent.yaml'), '-o', 'yaml']);
    expect(o.code).toBe(2);
    expect(o.stderr).toBe('error: unable to match a printer suitable for the output format "yaml", allowed formats are: text,json\n');
    const v = await kds(['validate', '-f', c('001-clean-agent.yaml'), '--kubernetes-version', 'latest']);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/^error: invalid value "latest" for --kubernetes-version/);
    const old = await kds(['validate', '-f', c('001-clean-agent.yaml'), '--kubernetes-version', '1.19']);
    expect(old.code).toBe(2);
  });

  it('a path that does not exist: kubectl\'s message, exit 1', async () => {
    const r = await kds(['validate', '-f', join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: the path "${join(tmp, 'nope.yaml')}" does not exist\n`);
    expect(r.stdout).toBe('');
  });
});

describe('kubectl ds validate: as a kubectl plugin, offline', () => {
  it('runs through kubectl plugin discovery', async () => {
    const r = await kubectl(['ds', 'validate', '-f', c('046-selector-mismatch.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DS122');
  });

  it('never loads the API client (or any cluster module) offline', async () => {
    const { result, sources } = await sourcesLoadedBy(['validate', '-f', c('001-clean-agent.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(sources).toContain('src/commands/validate.ts');
    expect(sources.filter((s) => /src\/kube\/client|@kubernetes\/client-node|node_modules\/(undici|ora)\//.test(s))).toEqual([]);
  });
});
