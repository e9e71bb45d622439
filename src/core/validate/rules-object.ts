/**
 * The DaemonSet-level API rules: apiVersion and kind, metadata, the selector against the template labels,
 * and the update strategy (apps/v1 ValidateDaemonSet / ValidateDaemonSetSpec / ValidateDaemonSetUpdateStrategy
 * with apps/v1 defaulting). Messages use upstream's wording, then say what to do.
 */
import { dns1123LabelError, dns1123SubdomainError, labelKeyError, labelValueError, requirementMatches } from '../labels.js';
import { type Obj, type ObjectContext, isObj, listAt, numAt, objAt, quote, strAt, strMap } from './context.js';
import { levenshtein } from './fields.js';
import { formatPath as fmt } from './path.js';
import type { Segment } from './types.js';

export const REMOVED_DAEMONSET_VERSIONS = ['extensions/v1beta1', 'apps/v1beta2', 'apps/v1beta1'];

/** Is `kind` a DaemonSet, or a misspelling of one? (exact | typo | other) */
export function daemonSetKind(kind: unknown): 'exact' | 'typo' | 'other' {
  if (kind === 'DaemonSet') return 'exact';
  if (typeof kind !== 'string') return 'other';
  const k = kind.toLowerCase();
  if (k === 'ds' || k === 'daemonsets' || levenshtein(k, 'daemonset') <= 2) return 'typo';
  return 'other';
}

export function checkIdentity(ctx: ObjectContext, ds: Obj): void {
  const apiVersion = ds.apiVersion;
  if (apiVersion === undefined || apiVersion === null || apiVersion === '') {
    ctx.report('DS101', ['apiVersion'], 'apiVersion not set', 'add apiVersion: apps/v1');
  } else if (apiVersion !== 'apps/v1' && typeof apiVersion === 'string') {
    const removed = REMOVED_DAEMONSET_VERSIONS.includes(apiVersion);
    const sel = isObj(ds.spec) && ds.spec.selector != null;
    ctx.report(
      'DS101',
      ['apiVersion'],
      `no matches for kind "DaemonSet" in version ${quote(apiVersion)}` +
        (removed ? ': DaemonSets left extensions/v1beta1 and apps/v1beta2 in Kubernetes 1.16; apps/v1 is the only version' : ''),
      `use apiVersion: apps/v1${removed && !sel ? ' and add spec.selector (apps/v1 does not default it from the template labels)' : ''}`,
    );
  }
  const kind = ds.kind;
  if (kind === undefined || kind === null || kind === '') {
    ctx.report('DS102', ['kind'], 'kind not set', 'add kind: DaemonSet');
  } else if (kind !== 'DaemonSet') {
    ctx.report('DS102', ['kind'], `no matches for kind ${quote(kind)} in version "apps/v1"`, 'write kind: DaemonSet (kinds are case-sensitive)');
  }
}

/** Label maps: keys are qualified names, values valid label values (ValidateLabels). */
export function checkLabelMap(ctx: ObjectContext, id: string, path: Segment[], labels: unknown): void {
  if (!isObj(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const ke = labelKeyError(k);
    if (ke) ctx.report(id, [...path, { key: k }], `${fmt(path)}: Invalid value: ${quote(k)}: ${ke}`, 'use a key like example.com/name or app.kubernetes.io/name: letters, digits, - _ . and one optional DNS prefix', 'key');
    if (typeof v === 'string') {
      const ve = labelValueError(v);
      if (ve) ctx.report(id, [...path, { key: k }], `${fmt(path)}: Invalid value: ${quote(v)}: ${ve}`, 'use at most 63 letters, digits, - _ . starting and ending with a letter or digit');
    }
  }
}

export function checkMetadata(ctx: ObjectContext, ds: Obj): void {
  const md = objAt(ds.metadata);
  const name = strAt(md?.name);
  const gen = strAt(md?.generateName);
  if (!name && !gen) {
    ctx.report('DS103', ['metadata', 'name'], 'metadata.name: Required value: name or generateName is required', 'add metadata.name (a DNS-1123 subdomain, e.g. fluentd)');
  }
  if (name) {
    const e = dns1123SubdomainError(name);
    if (e) ctx.report('DS103', ['metadata', 'name'], `metadata.name: Invalid value: ${quote(name)}: ${e}`, `use lower-case letters, digits, '-' and '.', e.g. ${suggestName(name)}`);
  }
  if (gen) {
    const e = dns1123SubdomainError(gen.replace(/-$/, 'a'));
    if (e) ctx.report('DS103', ['metadata', 'generateName'], `metadata.generateName: Invalid value: ${quote(gen)}: ${e}`, `use a prefix such as ${suggestName(gen)}-`);
  }
  const ns = strAt(md?.namespace);
  if (ns !== undefined && ns !== '') {
    const e = dns1123LabelError(ns);
    if (e) ctx.report('DS104', ['metadata', 'namespace'], `metadata.namespace: Invalid value: ${quote(ns)}: ${e}`, `use a namespace name like ${suggestName(ns).replace(/\./g, '-')}`);
  }
  checkLabelMap(ctx, 'DS105', ['metadata', 'labels'], md?.labels);
  checkAnnotations(ctx, ['metadata', 'annotations'], md?.annotations);
  const tmd = objAt(objAt(objAt(ds.spec)?.template)?.metadata);
  checkLabelMap(ctx, 'DS105', ['spec', 'template', 'metadata', 'labels'], tmd?.labels);
  checkAnnotations(ctx, ['spec', 'template', 'metadata', 'annotations'], tmd?.annotations);
}

function suggestName(s: string): string {
  const t = s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return t || 'my-daemonset';
}

const ANNOTATIONS_MAX = 256 * 1024;

function checkAnnotations(ctx: ObjectContext, path: Segment[], ann: unknown): void {
  if (!isObj(ann)) return;
  let total = 0;
  for (const [k, v] of Object.entries(ann)) {
    const e = labelKeyError(k.toLowerCase());
    if (e) ctx.report('DS106', [...path, { key: k }], `${fmt(path)}: Invalid value: ${quote(k)}: ${e}`, 'use a key like example.com/name: letters, digits, - _ . and one optional DNS prefix', 'key');
    total += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (total > ANNOTATIONS_MAX) {
    ctx.report('DS106', path, `${fmt(path)}: Too long: must have at most ${ANNOTATIONS_MAX} bytes`, 'move large data into a ConfigMap');
  }
}

const SELECTOR_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** matchLabels and matchExpressions syntax (ValidateLabelSelector). Returns true when the selector is usable. */
export function checkLabelSelector(ctx: ObjectContext, id: string, path: Segment[], sel: Obj): boolean {
  let ok = true;
  checkLabelMap(ctx, 'DS105', [...path, 'matchLabels'], sel.matchLabels);
  if (isObj(sel.matchLabels)) {
    for (const [k, v] of Object.entries(sel.matchLabels)) if (labelKeyError(k) || (typeof v === 'string' && labelValueError(v))) ok = false;
  }
  listAt(sel.matchExpressions).forEach((r, i) => {
    if (!isObj(r)) return;
    const p = [...path, 'matchExpressions', i];
    const op = strAt(r.operator);
    const values = Array.isArray(r.values) ? r.values : [];
    const pf = fmt(p);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) {
        ok = false;
        ctx.report(id, [...p, 'values'], `${pf}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`, `add values: [...] or use operator ${op === 'In' ? 'Exists' : 'DoesNotExist'}`);
      }
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) {
        ok = false;
        ctx.report(id, [...p, 'values'], `${pf}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`, `remove values, or use operator ${op === 'Exists' ? 'In' : 'NotIn'}`);
      }
    } else if (op !== undefined) {
      ok = false;
      const close = SELECTOR_OPS.find((o) => o.toLowerCase() === op.toLowerCase());
      ctx.report(id, [...p, 'operator'], `${pf}.operator: Invalid value: ${quote(op)}: not a valid selector operator`, close ? `write ${close} (operators are case-sensitive)` : 'use In, NotIn, Exists or DoesNotExist');
    } else ok = false;
    const key = strAt(r.key);
    if (key !== undefined) {
      const e = labelKeyError(key);
      if (e) {
        ok = false;
        ctx.report(id, [...p, 'key'], `${pf}.key: Invalid value: ${quote(key)}: ${e}`, 'use a valid label key');
      }
    } else ok = false;
    values.forEach((v, j) => {
      if (typeof v !== 'string') return;
      const e = labelValueError(v);
      if (e) {
        ok = false;
        ctx.report(id, [...p, 'values', j], `${pf}.values[${j}]: Invalid value: ${quote(v)}: ${e}`, 'use a valid label value');
      }
    });
  });
  return ok;
}

export function checkSelector(ctx: ObjectContext, ds: Obj): void {
  const spec = objAt(ds.spec);
  if (!spec) return; // the spec itself is reported missing elsewhere
  const tmplLabels = strMap(objAt(objAt(spec.template)?.metadata)?.labels);
  const sel = spec.selector;
  const example = Object.keys(tmplLabels).length > 0 ? Object.entries(tmplLabels).map(([k, v]) => `${k}: ${v}`).join(', ') : 'app: NAME (and the same label in spec.template.metadata.labels)';
  if (sel === undefined || sel === null) {
    ctx.report(
      'DS120',
      ['spec', 'selector'],
      "spec.selector: Required value: apps/v1 has no default selector (a nil selector matches nothing, so the API server also says `selector` does not match template `labels`)",
      `add spec.selector.matchLabels: {${example}}`,
    );
    return;
  }
  if (!isObj(sel)) return;
  const ml = isObj(sel.matchLabels) ? sel.matchLabels : {};
  const me = listAt(sel.matchExpressions);
  if (Object.keys(ml).length === 0 && me.length === 0) {
    ctx.report('DS121', ['spec', 'selector'], 'spec.selector: Invalid value: {}: empty selector is invalid for daemonset', `add matchLabels that the template's labels carry: {${example}}`);
    return;
  }
  const usable = checkLabelSelector(ctx, 'DS123', ['spec', 'selector'], sel);
  if (!usable) return;
  // Evaluate: every matchLabels entry and every expression must hold for the template labels.
  const reasons: string[] = [];
  const fixes: string[] = [];
  for (const [k, v] of Object.entries(ml)) {
    if (typeof v !== 'string') return;
    if (!(k in tmplLabels)) {
      reasons.push(`the selector needs ${k}=${v}; the template has no ${k} label`);
      fixes.push(`add ${k}: ${v} to spec.template.metadata.labels`);
    } else if (tmplLabels[k] !== v) {
      reasons.push(`the selector needs ${k}=${v}; the template has ${k}=${tmplLabels[k]}`);
      fixes.push(`set spec.template.metadata.labels.${k} to ${v}`);
    }
  }
  for (const r of me) {
    if (!isObj(r)) continue;
    const req = { key: String(r.key), operator: String(r.operator), values: listAt(r.values).map(String) };
    if (requirementMatches(req, tmplLabels)) continue;
    const has = req.key in tmplLabels;
    const now = has ? `the template has ${req.key}=${tmplLabels[req.key]}` : `the template has no ${req.key} label`;
    switch (req.operator) {
      case 'In':
        reasons.push(`the selector needs ${req.key} in (${req.values.join(', ')}); ${now}`);
        fixes.push(`set spec.template.metadata.labels.${req.key} to ${req.values[0]}`);
        break;
      case 'NotIn':
        reasons.push(`the selector needs ${req.key} notin (${req.values.join(', ')}); ${now}`);
        fixes.push(`change or remove the template label ${req.key}`);
        break;
      case 'Exists':
        reasons.push(`the selector needs a ${req.key} label; ${now}`);
        fixes.push(`add a ${req.key} label to spec.template.metadata.labels`);
        break;
      case 'DoesNotExist':
        reasons.push(`the selector needs no ${req.key} label; ${now}`);
        fixes.push(`remove ${req.key} from spec.template.metadata.labels`);
        break;
    }
  }
  if (reasons.length === 0) return;
  ctx.report(
    'DS122',
    ['spec', 'template', 'metadata', 'labels'],
    `spec.template.metadata.labels: Invalid value: ${JSON.stringify(tmplLabels)}: \`selector\` does not match template \`labels\`: ${reasons.join('; ')}`,
    `${fixes.join('; ')} (change the template, not the selector: the selector is immutable once created)`,
  );
}

const PERCENT = /^[0-9]+%$/;

interface IntOrPercent {
  raw: unknown;
  zero: boolean;
  ok: boolean;
}

function checkIntOrPercent(ctx: ObjectContext, path: Segment[], v: unknown): IntOrPercent {
  const pf = fmt(path);
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (v < 0) {
      ctx.report('DS151', path, `${pf}: Invalid value: ${v}: must be greater than or equal to 0`, 'use 0 or more, or a percentage like 10%');
      return { raw: v, zero: false, ok: false };
    }
    return { raw: v, zero: v === 0, ok: true };
  }
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) {
      const hint = /^\d+$/.test(v) ? `write ${v} without quotes (a number) or ${v}% (a percentage)` : 'use an integer like 1 or a percentage like 10%';
      ctx.report('DS151', path, `${pf}: Invalid value: ${quote(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`, hint);
      return { raw: v, zero: false, ok: false };
    }
    const n = Number(v.slice(0, -1));
    if (n > 100) {
      ctx.report('DS151', path, `${pf}: Invalid value: ${quote(v)}: must not be greater than 100%`, 'use a percentage from 0% to 100%');
      return { raw: v, zero: false, ok: false };
    }
    return { raw: v, zero: n === 0, ok: true };
  }
  return { raw: v, zero: false, ok: false }; // a wrong type: reported by the field walker
}

/** The effective rolling-update limits after apps/v1 defaulting (undefined for OnDelete or invalid). */
export interface EffectiveStrategy {
  type: string;
  maxUnavailable?: unknown;
  maxSurge?: unknown;
  surgeNonZero: boolean;
}

export function checkStrategy(ctx: ObjectContext, ds: Obj): EffectiveStrategy | undefined {
  const spec = objAt(ds.spec);
  if (!spec) return undefined;
  for (const f of ['minReadySeconds', 'revisionHistoryLimit']) {
    const n = numAt(spec[f]);
    if (n !== undefined && n < 0) ctx.report('DS154', ['spec', f], `spec.${f}: Invalid value: ${n}: must be greater than or equal to 0`, `set ${f} to 0 or more${f === 'revisionHistoryLimit' ? ' (default 10)' : ''}`);
  }
  const us = spec.updateStrategy === undefined || spec.updateStrategy === null ? {} : objAt(spec.updateStrategy);
  if (!us) return undefined;
  const rawType = us.type;
  const type = rawType === undefined || rawType === null || rawType === '' ? 'RollingUpdate' : rawType;
  if (typeof type !== 'string') return undefined;
  if (type !== 'RollingUpdate' && type !== 'OnDelete') {
    const close = ['RollingUpdate', 'OnDelete'].find((t) => t.toLowerCase() === type.toLowerCase().replace(/[-_ ]/g, ''));
    ctx.report('DS150', ['spec', 'updateStrategy', 'type'], `spec.updateStrategy.type: Unsupported value: ${quote(type)}: supported values: "OnDelete", "RollingUpdate"`, close ? `write ${close}` : 'use RollingUpdate (the default) or OnDelete');
    return undefined;
  }
  const ruPresent = us.rollingUpdate !== undefined && us.rollingUpdate !== null;
  if (type === 'OnDelete') {
    if (ruPresent) {
      ctx.report('DS205', ['spec', 'updateStrategy', 'rollingUpdate'], 'spec.updateStrategy.rollingUpdate is ignored: the strategy type is OnDelete', 'remove rollingUpdate, or set type: RollingUpdate');
    }
    return { type, surgeNonZero: false };
  }
  const ru = ruPresent ? objAt(us.rollingUpdate) : {};
  if (!ru) return undefined;
  const base: Segment[] = ['spec', 'updateStrategy', 'rollingUpdate'];
  const muSet = ru.maxUnavailable !== undefined && ru.maxUnavailable !== null;
  const msSetRaw = ru.maxSurge !== undefined && ru.maxSurge !== null;
  const surgeExists = ctx.atLeast('1.21');
  const surgeOn = ctx.atLeast('1.22');
  const mu = muSet ? checkIntOrPercent(ctx, [...base, 'maxUnavailable'], ru.maxUnavailable) : { raw: 1, zero: false, ok: true };
  if (!surgeOn) {
    // maxSurge does not exist (1.20: reported as an unknown field) or is dropped (1.21, DaemonSetUpdateSurge off).
    // When dropping it leaves maxUnavailable at 0, 1.21 sets maxUnavailable back to its default, 1.
    const droppedTo1 = surgeExists && msSetRaw && mu.ok && mu.zero;
    if (mu.ok && mu.zero && !droppedTo1) {
      ctx.report(
        'DS153',
        [...base, 'maxUnavailable'],
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: ${quote(mu.raw)}: cannot be 0 (Kubernetes ${ctx.versionText}: DaemonSets have no maxSurge before 1.22)`,
        'set maxUnavailable to 1 or more',
      );
    }
    return { type, maxUnavailable: droppedTo1 ? 1 : mu.raw, maxSurge: 0, surgeNonZero: false };
  }
  const ms = msSetRaw ? checkIntOrPercent(ctx, [...base, 'maxSurge'], ru.maxSurge) : { raw: 0, zero: true, ok: true };
  if (!mu.ok || !ms.ok) return undefined;
  if (!mu.zero && !ms.zero) {
    ctx.report(
      'DS152',
      [...base, 'maxSurge'],
      `spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: ${quote(ms.raw)}: may not be set when maxUnavailable is non-zero` +
        (muSet ? '' : ' (maxUnavailable defaults to 1 when it is not set)'),
      muSet ? 'set maxUnavailable: 0 to surge (new pod first), or maxSurge: 0 to replace pods in place' : 'set maxUnavailable: 0 next to maxSurge (a surge rollout starts the new pod before stopping the old one)',
    );
    return undefined;
  }
  if (mu.zero && ms.zero) {
    ctx.report(
      'DS153',
      [...base, 'maxUnavailable'],
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      'set maxUnavailable: 1 (replace in place) or maxSurge: 1 with maxUnavailable: 0 (surge)',
    );
    return undefined;
  }
  return { type, maxUnavailable: mu.raw, maxSurge: ms.raw, surgeNonZero: !ms.zero };
}
