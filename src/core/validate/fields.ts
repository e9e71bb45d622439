/**
 * Strict field validation against the hand-written schema, as `kubectl --validate=strict` and the API
 * server's decoder do it: unknown fields (DS108, with "did you mean" and "it belongs under ..."), wrong
 * types (DS107), missing required fields (DS109), fixed value sets (DS111), malformed quantities (DS136),
 * fields that this Kubernetes version does not have or drops (DS108 / DS112), and YAML whose indentation
 * was lost (DS110).
 */
import { type ObjectContext, isObj, quote } from './context.js';
import { formatPath } from './path.js';
import { QUANTITY_SYNTAX_MESSAGE, isNegative, parseQuantity } from './quantity.js';
import { type Field, type ObjectType, type Type, whereFieldLives } from './schema.js';
import type { Segment } from './types.js';
import { compareKubeVersion, parseKubeVersion } from './version.js';

/** Required fields that have their own, more specific rule. */
const REQUIRED_ELSEWHERE = new Set(['DaemonSetSpec.selector', 'PodSpec.containers', 'Container.name', 'EphemeralContainer.name']);

export function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest known name, if close enough to be a typo. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  return bestD <= limit ? best : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
  intOrString: 'an integer or a string',
  quantity: 'a quantity (e.g. 100m, 128Mi, 1)',
  object: 'a mapping',
  list: 'a list',
  map: 'a mapping',
};

const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

export interface FieldWalkResult {
  /** Keys at the top level of the object that belong deeper (the lost-indentation signal). */
  misplacedTopLevel: { key: string; home: string }[];
}

export function checkFields(ctx: ObjectContext, value: unknown, root: ObjectType): FieldWalkResult {
  const misplacedTopLevel: FieldWalkResult['misplacedTopLevel'] = [];

  const typeError = (path: Segment[], t: Type, v: unknown): void => {
    const expected = EXPECTED[t.kind]!;
    const src = ctx.doc.sourceText([...ctx.base, ...path]);
    let fix: string | undefined;
    let why = '';
    if (t.kind === 'string' && (typeof v === 'number' || typeof v === 'boolean')) {
      const text = src ?? String(v);
      if (typeof v === 'boolean' && YAML11_BOOL.test(text)) {
        why = ` (kubectl reads YAML 1.1, where an unquoted ${text} is a boolean)`;
      }
      fix = `quote the value: "${text}"`;
    } else if (t.kind === 'integer' && typeof v === 'string' && /^-?\d+$/.test(v)) {
      fix = `remove the quotes: ${v}`;
    } else if (t.kind === 'boolean' && typeof v === 'string' && /^(true|false)$/i.test(v)) {
      fix = `remove the quotes: ${v.toLowerCase()}`;
    } else if (t.kind === 'list' && isObj(v)) {
      fix = 'make it a list: start each item with "- "';
    } else if (t.kind === 'object' && Array.isArray(v)) {
      fix = 'make it a mapping: remove the leading "- "';
    } else {
      fix = `give it ${expected}`;
    }
    ctx.report('DS107', path, `${formatPath(path)}: invalid type: expected ${expected}, got ${describe(v)}${why}`, fix);
  };

  const walk = (v: unknown, t: Type, path: Segment[]): void => {
    if (v === null || v === undefined) return; // null is "not set", as in the API server's decoder
    switch (t.kind) {
      case 'any':
        return;
      case 'string':
        if (typeof v !== 'string') return typeError(path, t, v);
        if (t.enum && !t.enum.includes(v)) {
          const want = t.enum.map((e) => quote(e)).join(', ');
          const close = t.enum.find((e) => e.toLowerCase() === v.toLowerCase());
          ctx.report('DS111', path, `${formatPath(path)}: Unsupported value: ${quote(v)}: supported values: ${want}`, close ? `write ${close}` : `use one of ${want}`);
        }
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(path, t, v);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') return typeError(path, t, v);
        return;
      case 'intOrString':
        if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) return typeError(path, t, v);
        return;
      case 'quantity': {
        if (typeof v !== 'string' && typeof v !== 'number') return typeError(path, t, v);
        const q = parseQuantity(v);
        if (!q) {
          ctx.report('DS136', path, `${formatPath(path)}: Invalid value: ${quote(v)}: ${QUANTITY_SYNTAX_MESSAGE}`, 'write a number with an optional suffix, e.g. 250m (CPU) or 128Mi (memory)');
        } else if (isNegative(q)) {
          ctx.report('DS136', path, `${formatPath(path)}: Invalid value: ${quote(v)}: must be greater than or equal to 0`, 'use a quantity of 0 or more');
        }
        return;
      }
      case 'list':
        if (!Array.isArray(v)) return typeError(path, t, v);
        v.forEach((item, i) => {
          if (item === null && (t.of.kind === 'object')) {
            ctx.report('DS107', [...path, i], `${formatPath([...path, i])}: invalid type: expected a mapping, got null (an empty list item)`, 'remove the empty "-" item');
            return;
          }
          walk(item, t.of, [...path, i]);
        });
        return;
      case 'map':
        if (!isObj(v)) return typeError(path, t, v);
        for (const [k, x] of Object.entries(v)) {
          if (x === null && t.of.kind === 'string') {
            ctx.report('DS107', [...path, { key: k }], `${formatPath([...path, { key: k }])}: invalid type: expected a string, got null`, `give ${k} a value (quote "" for an empty one)`, 'key');
            continue;
          }
          walk(x, t.of, [...path, { key: k }]);
        }
        return;
      case 'object':
        if (!isObj(v)) return typeError(path, t, v);
        checkObject(v, t, path);
        return;
    }
  };

  const checkObject = (v: Record<string, unknown>, t: ObjectType, path: Segment[]): void => {
    if (t.open) return;
    const known = Object.keys(t.fields).filter((k) => fieldExists(t.fields[k]!));
    for (const [k, x] of Object.entries(v)) {
      const f = t.fields[k];
      const p = [...path, k];
      const where = formatPath(p);
      if (f && fieldExists(f)) {
        if (f.gate && x !== null && x !== undefined && !(f.on && ctx.atLeast(f.on))) {
          const since = f.since ? ` (alpha since ${f.since}${f.on ? `, on by default from ${f.on}` : ''})` : '';
          ctx.report(
            'DS112',
            p,
            `${where}: Kubernetes ${ctx.versionText} drops this field silently unless the ${f.gate} feature gate is enabled${since}`,
            `enable the ${f.gate} feature gate on the API server, or remove the field`,
            'key',
          );
        }
        walk(x, f.type, p);
        continue;
      }
      if (f) {
        // Known to the schema, but not in this Kubernetes version.
        const tooNew = f.since && !ctx.atLeast(f.since);
        const detail = tooNew
          ? `Kubernetes ${ctx.versionText} has no such field (it arrived in ${f.since}); kubectl's validation rejects it, and with --validate=false the API server drops it silently`
          : `this field was removed after Kubernetes ${f.until}`;
        ctx.report('DS108', p, `unknown field ${quote(where)}: ${detail}`, tooNew ? `remove it, or upgrade the cluster to ${f.since} or later` : 'remove it', 'key');
        continue;
      }
      const homes = whereFieldLives(k).filter((h) => h !== formatPath(p.filter((s) => typeof s === 'string')));
      const guess = didYouMean(k, known);
      let message = `unknown field ${quote(where)}`;
      let fix: string;
      if (guess) {
        message += ` (did you mean ${quote(guess)}?)`;
        fix = `rename ${k} to ${guess}`;
      } else if (homes.length > 0) {
        const home = homes[0]!.split('.').slice(0, -1).join('.');
        if (path.length === 0) {
          misplacedTopLevel.push({ key: k, home });
          message += `: \`${k}\` is at the top level; did the indentation get lost? it belongs under ${home}`;
          fix = `indent ${k} under ${home}`;
        } else {
          message += `: \`${k}\` is not a field of ${t.name}; it belongs under ${home}`;
          fix = `move ${k} (with its indentation) under ${home}`;
        }
      } else {
        fix = `remove it; ${t.name} has the fields ${known.join(', ')}`;
      }
      ctx.report('DS108', p, message, fix, 'key');
    }
    for (const [k, f] of Object.entries(t.fields)) {
      if (!f.required || !fieldExists(f)) continue;
      if (v[k] !== null && v[k] !== undefined) continue;
      if (REQUIRED_ELSEWHERE.has(`${t.name}.${k}`)) continue;
      const p = [...path, k];
      ctx.report('DS109', p, `${formatPath(p)}: Required value: missing required field ${quote(k)} in ${t.name}`, `add ${k}`);
    }
  };

  const fieldExists = (f: Field): boolean => {
    if (f.since && !ctx.atLeast(f.since)) return false;
    if (f.until && compareKubeVersion(ctx.version, parseKubeVersion(f.until)!) > 0) return false;
    return true;
  };

  walk(value, root, []);
  return { misplacedTopLevel };
}
