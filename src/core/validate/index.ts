/**
 * `kubectl ds validate`, the pure core: manifest text in, findings out. No I/O.
 *
 *   validateText(file, text, {version}) -> { findings, daemonSets, others }
 *
 * Every document is read (multi-document YAML, JSON, `List` objects); DaemonSets are checked against the
 * API rules (errors), the advice rules (warnings, info); other kinds are skipped with a note. The result
 * also carries each DaemonSet (with a reporter bound to its source) for the `--live` checks.
 */
import { ruleOf } from './catalog.js';
import { ObjectContext, isObj, listAt, objAt, strAt, strMap, type Obj } from './context.js';
import { checkFields } from './fields.js';
import { checkAdvice } from './rules-advice.js';
import { checkIdentity, checkMetadata, checkSelector, checkStrategy, daemonSetKind } from './rules-object.js';
import { POD, checkPod } from './rules-pod.js';
import { DaemonSet } from './schema.js';
import { parseSource, type SourceDoc } from './source.js';
import type { Finding, Segment } from './types.js';
import type { KubeVersion } from './version.js';

export type { Finding, Severity, Segment } from './types.js';
export { RULES, ruleOf } from './catalog.js';
export { DEFAULT_KUBERNETES_VERSION, OLDEST_KUBERNETES_VERSION, formatKubeVersion, parseKubeVersion, compareKubeVersion, type KubeVersion } from './version.js';

export interface ValidateOptions {
  version: KubeVersion;
}

/** A DaemonSet found in the input, for the --live checks. */
export interface FoundDaemonSet {
  name?: string;
  namespace?: string;
  value: Obj;
  /** Adds a finding positioned in this object's source. */
  report(id: string, path: Segment[], message: string, fix?: string): void;
}

/** Another workload in the input (its pod template labels), for the --live overlap check. */
export interface FoundWorkload {
  kind: string;
  name?: string;
  namespace?: string;
  templateLabels: Record<string, string>;
  document: number;
}

export interface FileResult {
  findings: Finding[];
  daemonSets: FoundDaemonSet[];
  others: FoundWorkload[];
}

function inputFinding(file: string, id: string, line: number, column: number, message: string, fix?: string): Finding {
  const r = ruleOf(id);
  const f: Finding = { file, line, column, path: '', severity: r.severity, id: r.id, rule: r.rule, message };
  if (fix) f.fix = fix;
  return f;
}

const PROBLEM_IDS = { 'not-yaml': 'DS001', empty: 'DS002', 'too-large': 'DS003' } as const;
const PROBLEM_FIX = {
  'not-yaml': 'fix the YAML at that position (indent with spaces, not tabs; close every quote and bracket)',
  empty: 'give it at least one object (apiVersion, kind, metadata, spec)',
  'too-large': 'split it, or check that this is the file you meant',
} as const;

export function validateText(file: string, text: string, opts: ValidateOptions): FileResult {
  const result: FileResult = { findings: [], daemonSets: [], others: [] };
  const parsed = parseSource(text);
  if (parsed.problem) {
    const p = parsed.problem;
    result.findings.push(inputFinding(file, PROBLEM_IDS[p.kind], p.pos.line, p.pos.column, p.message, PROBLEM_FIX[p.kind]));
    return result;
  }
  for (const doc of parsed.docs) {
    for (const d of doc.duplicates) {
      const f = inputFinding(file, 'DS006', d.last.line, d.last.column, `duplicate key ${JSON.stringify(d.key)} (first at line ${d.first.line}): kubectl keeps this last one and ignores the first silently`, 'remove one of the two');
      f.path = d.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
      f.document = doc.index;
      result.findings.push(f);
    }
    const v = doc.value;
    if (!isObj(v)) {
      result.findings.push({ ...inputFinding(file, 'DS004', doc.start.line, doc.start.column, `the document is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not an object`, 'a manifest document is a mapping with apiVersion, kind, metadata and spec'), document: doc.index });
      continue;
    }
    const isList = typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
    if (isList) {
      listAt(v.items).forEach((item, i) => validateObject(file, doc, ['items', i], item, opts, result));
    } else {
      validateObject(file, doc, [], v, opts, result);
    }
  }
  return result;
}

function validateObject(file: string, doc: SourceDoc, base: Segment[], v: unknown, opts: ValidateOptions, result: FileResult): void {
  const ctx = new ObjectContext(file, doc, base, opts.version);
  if (!isObj(v)) {
    const pos = doc.locate(base);
    result.findings.push({ ...inputFinding(file, 'DS004', pos.line, pos.column, `${base.join('.').replace(/\.(\d+)/g, '[$1]')} is not an object`, 'each List item is an object with apiVersion and kind'), document: doc.index });
    return;
  }
  const kind = v.kind;
  const dsKind = daemonSetKind(kind);
  const name = strAt(objAt(v.metadata)?.name);
  const namespace = strAt(objAt(v.metadata)?.namespace);
  if (dsKind === 'other' && !(kind === undefined || kind === null || kind === '')) {
    const pos = doc.locate([...base, 'kind']);
    result.findings.push({
      ...inputFinding(file, 'DS005', pos.line, pos.column, `skipped ${String(kind)}${name ? ` ${JSON.stringify(name)}` : ''}: not a DaemonSet`),
      document: doc.index,
    });
    const tmpl = objAt(objAt(v.spec)?.template);
    if (tmpl) result.others.push({ kind: String(kind), name, namespace, templateLabels: strMap(objAt(tmpl.metadata)?.labels), document: doc.index });
    return;
  }
  if (name) ctx.object = `DaemonSet/${name}`;
  checkIdentity(ctx, v);
  const unset = (x: unknown): boolean => x === undefined || x === null || x === '';
  if (unset(v.apiVersion) && unset(v.kind)) {
    // Neither apiVersion nor kind: some other YAML (a Helm values file, a config), not a manifest.
    result.findings.push(...ctx.findings);
    return;
  }
  const { misplacedTopLevel } = checkFields(ctx, v, DaemonSet);
  if (misplacedTopLevel.length >= 2) {
    const first = misplacedTopLevel[0]!;
    const keys = misplacedTopLevel.map((m) => m.key);
    const byHome = new Map<string, string>();
    for (const m of misplacedTopLevel) if (!byHome.has(m.home)) byHome.set(m.home, m.key);
    const picks = [...byHome.entries()].slice(0, 2);
    // The containers (the heart of the manifest) make the best third example; otherwise the deepest key.
    const containers = misplacedTopLevel.find((m) => m.key === 'containers');
    const third: [string, string] = containers ? [containers.home, 'containers'] : [...byHome.entries()].sort((x, y) => y[0].split('.').length - x[0].split('.').length)[0]!;
    if (!picks.some(([h]) => h === third[0])) picks.push(third);
    const examples = picks.map(([home, key]) => `${key} under ${home}`).join(', ');
    const before = ctx.findings.length;
    ctx.report(
      'DS110',
      [first.key],
      `${misplacedTopLevel.length} keys that belong deeper are at the top level (${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}): the YAML's indentation appears to have been lost, so metadata and spec are empty`,
      `restore the nesting: ${examples}; indent each level by two spaces`,
      'key',
    );
    ctx.findings.unshift(...ctx.findings.splice(before, 1)); // the summary first, before the per-key findings
    result.findings.push(...ctx.findings);
    return; // with the structure gone, the other rules would only repeat the damage
  }
  checkMetadata(ctx, v);
  if (v.spec === undefined || v.spec === null) {
    ctx.report('DS109', ['spec'], 'spec: Required value: a DaemonSet needs spec.selector and spec.template', 'add spec with selector and template (with labels the selector matches)');
  }
  checkSelector(ctx, v);
  const strategy = checkStrategy(ctx, v);
  const spec = objAt(v.spec);
  const tmpl = objAt(spec?.template);
  const pod = objAt(tmpl?.spec);
  if (pod) checkPod(ctx, pod);
  else if (tmpl && (tmpl.spec === undefined || tmpl.spec === null)) {
    ctx.report('DS132', [...POD, 'containers'], 'spec.template.spec.containers: Required value', 'add spec.template.spec with at least one container');
  }
  checkAdvice(ctx, v, strategy);
  result.findings.push(...ctx.findings);
  result.daemonSets.push({
    name,
    namespace,
    value: v,
    report: (id, path, message, fix) => {
      ctx.findings.length = 0;
      ctx.report(id, path, message, fix);
      result.findings.push(...ctx.findings);
    },
  });
}

/** Sorts one file's findings by position; findings at the same position keep the order the rules gave them. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.line - b.line || a.column - b.column);
}
