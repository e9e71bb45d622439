/**
 * Runs the validate core over test/corpus/validate/ and compares with the findings written by hand in
 * comment lines at the end of each manifest (so they do not shift the positions above them; JSON
 * manifests have a NAME.json.expect file beside them):
 *
 *   # case: what the manifest shows
 *   # kubernetes-version: 1.20              (optional; default 1.32; the case depends on the version)
 *   # expect: DS122 @15:7 spec.template.metadata.labels
 *   # expect: none
 *
 * Every finding must be expected and every expectation found (id, line, column, and path when given).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, parseKubeVersion, validateText } from '../../src/core/validate/index.js';

const DIR = join(import.meta.dirname, '..', 'corpus', 'validate');

interface Case {
  file: string;
  text: string;
  version: string;
  expected: string[];
  paths: Map<string, string>;
  title: string;
}

function loadCases(): Case[] {
  const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  return files.map((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const header = file.endsWith('.json') ? readFileSync(join(DIR, `${file}.expect`), 'utf8') : text;
    let version = '1.32';
    let title = '';
    const expected: string[] = [];
    const paths = new Map<string, string>();
    let none = false;
    for (const line of header.split('\n')) {
      let m: RegExpExecArray | null;
      if ((m = /^#\s*case:\s*(.*)$/.exec(line))) title = m[1]!;
      else if ((m = /^#\s*kubernetes-version:\s*(\S+)/.exec(line))) version = m[1]!;
      else if (/^#\s*expect:\s*none\s*$/.test(line)) none = true;
      else if ((m = /^#\s*expect:\s*(DS\d{3})\s+@(\d+):(\d+)(?:\s+(.+?))?\s*$/.exec(line))) {
        const key = `${m[1]}@${m[2]}:${m[3]}`;
        expected.push(key);
        if (m[4]) paths.set(key, m[4]);
      } else if (/^#\s*expect/.test(line)) throw new Error(`${file}: malformed expectation line: ${line}`);
    }
    if (!none && expected.length === 0) throw new Error(`${file}: no "# expect:" lines (write "# expect: none" for a clean manifest)`);
    if (none && expected.length > 0) throw new Error(`${file}: "# expect: none" together with expectations`);
    return { file, text, version, expected: expected.sort(), paths, title };
  });
}

const cases = loadCases();

describe('validate corpus', () => {
  it('has at least 60 manifests, valid and invalid', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const clean = cases.filter((c) => !c.expected.some((k) => RULES.find((r) => r.id === k.slice(0, 5))?.severity === 'error'));
    expect(clean.length).toBeGreaterThanOrEqual(15);
    expect(cases.length - clean.length).toBeGreaterThanOrEqual(30);
  });

  it('covers every offline check', () => {
    const seen = new Set(cases.flatMap((c) => c.expected.map((k) => k.slice(0, 5))));
    // DS003 (input too large) is tested in test/int/validate-cli.test.ts; DS4xx need a live cluster.
    const offline = RULES.filter((r) => !r.id.startsWith('DS4') && r.id !== 'DS003').map((r) => r.id);
    expect(offline.filter((id) => !seen.has(id))).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.file}${c.version !== '1.32' ? ` (Kubernetes ${c.version})` : ''}: ${c.title}`, () => {
      const r = validateText(c.file, c.text, { version: parseKubeVersion(c.version)! });
      const actual = r.findings.map((f) => `${f.id}@${f.line}:${f.column}`).sort();
      const detail = r.findings.map((f) => `${f.id}@${f.line}:${f.column} ${f.path} ${f.message}`).sort();
      expect(actual, detail.join('\n')).toEqual(c.expected);
      for (const [key, path] of c.paths) {
        const f = r.findings.find((x) => `${x.id}@${x.line}:${x.column}` === key && x.path === path);
        expect(f, `${key} should be at path ${path}; got ${r.findings.filter((x) => `${x.id}@${x.line}:${x.column}` === key).map((x) => x.path).join(', ')}`).toBeDefined();
      }
    });
  }
});
