/**
 * A small YAML writer for the common case, byte for byte what print.ts's YAML library calls write
 * (YAML 1.1 quoting, block style, no line folding), without loading that library (~10 ms at start-up,
 * which `kubectl ds scaffold` cannot afford). It writes JSON-like data (plain objects, arrays, strings,
 * safe integers, booleans, null) and returns undefined for anything it is not certain to write exactly
 * as the library would: multi-line or non-ASCII strings, strings that need quotes and hold `"` or `\`,
 * fractions, and the like. Callers then use the library. Pure: no I/O.
 */

export interface EmitOptions {
  /** Keys in code-unit order (kubectl's output); otherwise insertion order. */
  sortKeys: boolean;
  /** List items indented under their key (`key:\n  - x`) rather than level with it (`key:\n- x`, kubectl's style). */
  indentSeq: boolean;
}

/** kubectl's layout (`kubectl -o yaml`): sorted keys, list items level with their key. */
export const KUBE_STYLE: EmitOptions = { sortKeys: true, indentSeq: false };

class Decline extends Error {}

// What a plain scalar resolves to under YAML 1.1 (yaml.org/type: null, bool, int, float), when it is
// not a string: such a string has to be quoted to stay a string.
const NON_STRING = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?0b[01_]+$/, // binary
  /^[-+]?0[0-7_]+$/, // octal
  /^[-+]?[0-9][0-9_]*$/, // decimal
  /^[-+]?0x[0-9a-fA-F_]+$/, // hexadecimal
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // base 60
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // float with exponent
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, // float
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
];

/**
 * Where a plain scalar cannot be used: a first character with a meaning in YAML, a lone or spaced
 * `-`/`?`, `: ` or ` #` inside, a space or `:` at the end.
 */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #| $|:$/;

function scalarString(s: string): string {
  if (s === '') return '""';
  // Tabs, line breaks, control and non-ASCII characters; document markers; timestamps (the library
  // resolves some date-like strings and not others) and the merge key: left to the library.
  if (/[^\x20-\x7e]/.test(s) || s.startsWith('---') || s.startsWith('...') || /^[0-9]{4}-[0-9]/.test(s) || s === '<<') throw new Decline();
  if (!NOT_PLAIN.test(s) && !NON_STRING.some((re) => re.test(s))) return s;
  // Double quotes, with nothing to escape.
  if (s.includes('"') || s.includes('\\')) throw new Decline();
  return `"${s}"`;
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return scalarString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new Decline();
    return String(v);
  }
  if (Array.isArray(v)) return v.length ? undefined : '[]';
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v as object).some((k) => (v as Record<string, unknown>)[k] !== undefined) ? undefined : '{}';
  throw new Decline(); // undefined, functions, bigints, symbols, class instances (Date, Map, ...)
}

function block(v: unknown, indent: string, o: EmitOptions, depth: number, lines: string[]): void {
  if (depth > 100) throw new Decline(); // a cycle, or deeper than any manifest
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalar(item);
      if (s !== undefined) {
        lines.push(`${indent}- ${s}`);
        continue;
      }
      // A collection in a list: written one level in, its first line then starts with the dash.
      const inner = `${indent}  `;
      const at = lines.length;
      block(item, inner, o, depth + 1, lines);
      lines[at] = `${indent}- ${lines[at]!.slice(inner.length)}`;
    }
    return;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (o.sortKeys) keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const k of keys) {
    if (k.length > 1000) throw new Decline(); // long keys are written as explicit keys
    const key = scalarString(k);
    const val = obj[k];
    const s = scalar(val);
    if (s !== undefined) {
      lines.push(`${indent}${key}: ${s}`);
      continue;
    }
    lines.push(`${indent}${key}:`);
    block(val, Array.isArray(val) && !o.indentSeq ? indent : `${indent}  `, o, depth + 1, lines);
  }
}

/** The YAML document for an object or array (with a final newline), or undefined when the library must write it. */
export function emitYaml(value: unknown, o: EmitOptions): string | undefined {
  try {
    const s = scalar(value);
    if (s !== undefined) return typeof value === 'object' ? `${s}\n` : undefined;
    const lines: string[] = [];
    block(value, '', o, 0, lines);
    return `${lines.join('\n')}\n`;
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}
