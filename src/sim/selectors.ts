/**
 * Label and field selectors as the API server parses and applies them (k8s.io/apimachinery
 * pkg/labels/selector.go, pkg/fields; metav1 LabelSelectorAsSelector).
 *
 * Duplicated BY DESIGN from the product's src/core/labels.ts: the simulator is an independent model of
 * the control plane, so a bug in the product's selector code cannot hide behind the same bug here.
 */
import { StatusError, type KObj } from './store.js';

export type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}
/** A parsed selector: every requirement must hold (AND). `null` is the selector that matches nothing. */
export type Selector = Requirement[] | null;

export function matches(sel: Selector, labels: Record<string, string> | undefined): boolean {
  if (sel === null) return false;
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v!)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

const badRequest = (msg: string) => new StatusError(400, 'BadRequest', msg);

/**
 * Parses the string form (`a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`). Errors are 400 BadRequest with
 * the parser's wording (`unable to parse requirement: ...`).
 */
export function parseLabelSelector(input: string): Requirement[] {
  const s = input;
  let i = 0;
  const reqs: Requirement[] = [];
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const isKeyChar = (c: string) => /[A-Za-z0-9\-_./]/.test(c);
  const word = (): string => {
    const start = i;
    while (i < s.length && isKeyChar(s[i]!)) i++;
    return s.slice(start, i);
  };
  const fail = (found: string, expected: string): never => {
    throw badRequest(`unable to parse requirement: found '${found}', expected: ${expected}`);
  };
  ws();
  if (i >= s.length) return [];
  for (;;) {
    ws();
    let negate = false;
    if (s[i] === '!') {
      negate = true;
      i++;
      ws();
    }
    const key = word();
    if (!key) fail(s[i] ?? '', 'identifier');
    checkKey(key);
    ws();
    if (negate) {
      reqs.push({ key, op: '!', values: [] });
    } else if (i >= s.length || s[i] === ',') {
      reqs.push({ key, op: 'exists', values: [] });
    } else {
      let op: Op;
      if (s.startsWith('==', i)) (op = '='), (i += 2);
      else if (s.startsWith('!=', i)) (op = '!='), (i += 2);
      else if (s[i] === '=') (op = '='), (i += 1);
      else if (s[i] === '>') (op = 'gt'), (i += 1);
      else if (s[i] === '<') (op = 'lt'), (i += 1);
      else {
        const w = word();
        if (w === 'in') op = 'in';
        else if (w === 'notin') op = 'notin';
        else return fail(w || s[i]!, "'=', '!=', '==', 'in', notin'");
      }
      ws();
      if (op === 'in' || op === 'notin') {
        if (s[i] !== '(') fail(s[i] ?? '', "'('");
        i++;
        const values: string[] = [];
        for (;;) {
          ws();
          const v = word();
          checkValue(v);
          values.push(v);
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          fail(s[i] ?? '', "',' or ')'");
        }
        reqs.push({ key, op, values });
      } else {
        const v = word();
        if (op === 'gt' || op === 'lt') {
          if (!/^-?\d+$/.test(v)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        } else checkValue(v);
        reqs.push({ key, op, values: [v] });
      }
    }
    ws();
    if (i >= s.length) break;
    if (s[i] !== ',') fail(s[i]!, "',' or end of string");
    i++;
  }
  return reqs;
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The problems with a qualified name (label key), in upstream's words; empty when valid. */
export function qualifiedNameErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let namePart = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    namePart = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      errs.push(
        prefix.length > 253
          ? 'prefix part must be no more than 253 characters'
          : "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (namePart.length === 0) errs.push('name part must be non-empty');
  else if (namePart.length > 63) errs.push('name part must be no more than 63 characters');
  if (!NAME_PART.test(namePart)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs;
}

/** The problems with a label value; empty when valid (the empty string is valid). */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (v !== '' && !NAME_PART.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

function checkKey(k: string): void {
  const e = qualifiedNameErrors(k);
  if (e.length) throw badRequest(`unable to parse requirement: ${`key: Invalid value: "${k}": ${e.join('; ')}`}`);
}
function checkValue(v: string): void {
  const e = labelValueErrors(v);
  if (e.length) throw badRequest(`unable to parse requirement: ${`values[0]: Invalid value: "${v}": ${e.join('; ')}`}`);
}

/** metav1.LabelSelector (the structured form in DaemonSet.spec.selector) as a Selector. nil matches nothing. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

export function fromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of ls.matchExpressions ?? []) {
    if (!e) return null;
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (!op) return null; // an invalid selector converts with an error upstream; treat as matching nothing
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** Prints a metav1.LabelSelector as kubectl/the printers do (FormatLabelSelector): `a=b,c in (d,e)`; `<none>` when empty. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  if (!ls) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(ls.matchLabels ?? {}).sort()) parts.push(`${k}=${ls.matchLabels![k]}`);
  for (const e of ls.matchExpressions ?? []) {
    if (!e) continue;
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

// ---- field selectors ------------------------------------------------------------------------------

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** The fields each kind can be selected on (registry GetAttrs / AddFieldLabelConversionFunc). */
const FIELDS: Record<string, string[]> = {
  '*': ['metadata.name', 'metadata.namespace'],
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Node: ['spec.unschedulable'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Namespace: ['status.phase'],
};

export function parseFieldSelector(input: string, kind: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (input.trim() === '') return out;
  for (const raw of input.split(',')) {
    const part = raw.trim();
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = m[1]!;
    if (![...FIELDS['*']!, ...(FIELDS[kind] ?? [])].includes(field)) throw badRequest(`field label not supported: ${field}`);
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
  }
  return out;
}

function fieldValue(o: KObj, field: string): string {
  if (field === 'source') return String(o.source?.component ?? '');
  let v: any = o;
  for (const p of field.split('.')) v = v?.[p];
  if (v === undefined || v === null) return field === 'spec.unschedulable' ? 'false' : '';
  return String(v);
}

export function matchesFields(reqs: FieldRequirement[], o: KObj): boolean {
  for (const r of reqs) {
    const v = fieldValue(o, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
