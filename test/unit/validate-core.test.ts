/**
 * The validate core's building blocks, with expectations from the Kubernetes rules: quantities
 * (resource.Quantity grammar and values), versions, "did you mean", source positions, the rule catalog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, parseKubeVersion, validateText } from '../../src/core/validate/index.js';
import { didYouMean } from '../../src/core/validate/fields.js';
import { compareQuantity, isInteger, parseQuantity } from '../../src/core/validate/quantity.js';
import { whereFieldLives } from '../../src/core/validate/schema.js';
import { parseSource } from '../../src/core/validate/source.js';

const q = (s: string | number) => {
  const v = parseQuantity(s);
  if (!v) throw new Error(`not a quantity: ${s}`);
  return v;
};

describe('quantities', () => {
  it('accepts the grammar: decimal and binary suffixes, exponents, signs, bare dots', () => {
    for (const s of ['1', '0.5', '.5', '5.', '100m', '1k', '1M', '1G', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei', '1e3', '1E-2', '+1', '-1', '10n', '10u']) {
      expect(parseQuantity(s), s).toBeDefined();
    }
  });
  it('rejects what the API server rejects', () => {
    for (const s of ['1.5.5', '', ' 1', '1 ', 'one', '1mi', '1KI', '1Kb', '1.0.0Gi', '--1', '1e', 'e3', 'Mi']) {
      expect(parseQuantity(s), JSON.stringify(s)).toBeUndefined();
    }
  });
  it('compares exact values', () => {
    expect(compareQuantity(q('1'), q('1000m'))).toBe(0);
    expect(compareQuantity(q(0.5), q('500m'))).toBe(0);
    expect(compareQuantity(q('1e3'), q('1k'))).toBe(0);
    expect(compareQuantity(q('1Gi'), q('1G'))).toBe(1); // 1073741824 > 1000000000
    expect(compareQuantity(q('128Mi'), q('134217728'))).toBe(0);
    expect(compareQuantity(q('250m'), q('0.3'))).toBe(-1);
  });
  it('knows whole units (extended resources must be integers)', () => {
    expect(isInteger(q('2'))).toBe(true);
    expect(isInteger(q('1000m'))).toBe(true);
    expect(isInteger(q('500m'))).toBe(false);
  });
});

describe('versions, names and positions', () => {
  it('parses server and flag versions', () => {
    expect(parseKubeVersion('1.20')).toEqual({ major: 1, minor: 20 });
    expect(parseKubeVersion('v1.32.4')).toEqual({ major: 1, minor: 32 });
    expect(parseKubeVersion('v1.21.3-gke.1100')).toEqual({ major: 1, minor: 21 });
    expect(parseKubeVersion('latest')).toBeUndefined();
  });
  it('suggests the field a typo meant', () => {
    expect(didYouMean('contianers', ['containers', 'initContainers', 'volumes'])).toBe('containers');
    expect(didYouMean('ImagePullPolicy', ['imagePullPolicy', 'image'])).toBe('imagePullPolicy');
    expect(didYouMean('tolerations', ['containers', 'volumes'])).toBeUndefined();
  });
  it('knows where a misplaced field lives, the plainest place first', () => {
    expect(whereFieldLives('containers')[0]).toBe('spec.template.spec.containers');
    expect(whereFieldLives('tolerations')).toEqual(['spec.template.spec.tolerations']);
    expect(whereFieldLives('maxSurge')).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge']);
  });
  it('maps paths to line:column: scalar values, collection keys, list items, missing paths to their parent', () => {
    const text = 'a:\n  b: [1, {c: 2}]\n  d:\n    - x: 1\n';
    const doc = parseSource(text).docs[0]!;
    expect(doc.locate(['a', 'b', 1, 'c'])).toEqual({ line: 2, column: 14 });
    expect(doc.locate(['a', 'b'])).toEqual({ line: 2, column: 3 });
    expect(doc.locate(['a', 'd', 0])).toEqual({ line: 4, column: 7 });
    expect(doc.locate(['a', 'd', 0, 'missing'])).toEqual({ line: 4, column: 7 });
    expect(doc.locate(['a', 'zzz'])).toEqual({ line: 1, column: 1 });
  });
  it('reads YAML as kubectl does (YAML 1.1 booleans, the last duplicate key wins)', () => {
    const doc = parseSource('a: yes\nb: on\nc: 1\nc: 2\n').docs[0]!;
    expect(doc.value).toEqual({ a: true, b: true, c: 2 });
    expect(doc.duplicates.map((d) => `${d.key}@${d.last.line}`)).toEqual(['c@4']);
  });
});

describe('the rule catalog', () => {
  it('ids are unique, ranges match severities', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      if (/^DS1/.test(r.id)) expect(r.severity === 'error' || r.id === 'DS112', r.id).toBe(true);
      if (/^DS2/.test(r.id)) expect(r.severity, r.id).toBe('warning');
      if (/^DS3/.test(r.id)) expect(r.severity, r.id).toBe('info');
    }
  });
  it('the README lists every check with its id, name and severity', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## validate'), readme.indexOf('## coverage'));
    for (const r of RULES) expect(section, r.id).toContain(`| ${r.id} | ${r.rule} | ${r.severity} |`);
  });

  it('every finding carries a fix', () => {
    const r = validateText('x.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: X}\nspec: {selector: {}, template: {spec: {containers: [{name: a}]}}}\n', {
      version: parseKubeVersion('1.32')!,
    });
    expect(r.findings.length).toBeGreaterThan(3);
    for (const f of r.findings) expect(f.fix, `${f.id} ${f.message}`).toBeTruthy();
  });
});
