/**
 * Label selectors as the API server evaluates them (apimachinery labels + LabelSelectorAsSelector):
 * matchLabels and matchExpressions ANDed; In / NotIn / Exists / DoesNotExist; a nil selector matches
 * nothing, an empty one everything. Also the `-l` string form (k=v, k!=v, k in (a,b), k notin (a), k, !k)
 * and label key/value syntax. Pure: no I/O.
 */
export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export function requirementMatches(r: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false; // an invalid operator makes the selector unusable; validation reports it
  }
}

/** Does the selector select these labels? nil selects nothing; {} selects everything. */
export function selectorMatches(sel: LabelSelector | null | undefined, labels: Labels | null | undefined): boolean {
  if (sel == null) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of sel.matchExpressions ?? []) if (!requirementMatches(r, l)) return false;
  return true;
}

export function selectorIsEmpty(sel: LabelSelector | null | undefined): boolean {
  return sel != null && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** The `-l` / labelSelector query form of a LabelSelector (kubectl's FormatLabelSelector; "" for empty). */
export function formatSelector(sel: LabelSelector | null | undefined): string {
  if (sel == null) return '<none>';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) parts.push(`${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort();
    if (r.operator === 'In') parts.push(`${r.key} in (${vals.join(',')})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals.join(',')})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.join(',');
}

/**
 * Parses the `-l` string form into requirements. Throws Error with a message naming the problem.
 * Supports: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k.
 */
export function parseSelector(text: string): LabelSelectorRequirement[] {
  const out: LabelSelectorRequirement[] = [];
  const s = text.trim();
  if (s === '') return out;
  // split on commas that are not inside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      out.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([^\s=!(),]+)\s*!=\s*([^\s=!(),]*)$/.exec(p))) {
      out.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([^\s=!(),]+)\s*==?\s*([^\s=!(),]*)$/.exec(p))) {
      out.push({ key: m[1]!, operator: 'In', values: [m[2]!] });
    } else if ((m = /^!\s*([^\s=!(),]+)$/.exec(p))) {
      out.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = /^([^\s=!(),]+)$/.exec(p))) {
      out.push({ key: m[1]!, operator: 'Exists' });
    } else {
      throw new Error(`unable to parse requirement: "${p}" (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`);
    }
  }
  for (const r of out) {
    const e = labelKeyError(r.key);
    if (e) throw new Error(`invalid label key "${r.key}": ${e}`);
    for (const v of r.values ?? []) {
      const ve = labelValueError(v);
      if (ve) throw new Error(`invalid label value "${v}": ${ve}`);
    }
  }
  return out;
}

const NAME_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a string is not a DNS-1123 subdomain (object names), or undefined when it is one. */
export function dns1123SubdomainError(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN_RE.test(s)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}

/** Why a string is not a DNS-1123 label (container names, port names), or undefined. */
export function dns1123LabelError(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > 63) return 'must be no more than 63 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  }
  return undefined;
}

/** Why a string is not a qualified name (label and annotation keys: [prefix/]name), or undefined. */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const pe = dns1123SubdomainError(prefix);
    if (pe) return `prefix part ${pe}`;
    name = n;
  } else if (parts.length > 2) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME_RE.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  }
  return undefined;
}

/** Why a string is not a valid label value (may be empty), or undefined. */
export function labelValueError(v: string): string | undefined {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (v !== '' && !NAME_RE.test(v)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  }
  return undefined;
}
