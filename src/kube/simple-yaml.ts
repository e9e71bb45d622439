/**
 * A fast path for reading kubeconfig files. The yaml package takes ~15 ms on its first parse (cold
 * code), which is a tenth of a cluster command's start. Kubeconfigs, as kubectl and the tools that
 * write them lay them out, use a small part of YAML: block mappings and sequences, plain and quoted
 * one-line scalars, `{}` and `[]`, comments. This reads exactly that part and returns undefined for
 * anything else (anchors, tags, flow collections, multi-line scalars, tabs, several documents...), so
 * that the caller falls back to the full parser. Where it answers, it answers as the yaml package does
 * with its default (YAML 1.2 core) schema; test/unit/simple-yaml.test.ts compares the two.
 */

interface Line {
  indent: number;
  text: string;
}

class Unsupported extends Error {}
const bail = (): never => {
  throw new Unsupported();
};

const PLAIN_START_FORBIDDEN = /^[[\]{}&*!|>%@`'",#?]/;

function scalar(raw: string): unknown {
  const s = raw.trim();
  if (s === '') return null;
  if (s === '{}') return {};
  if (s === '[]') return [];
  if (s[0] === '"') return doubleQuoted(s);
  if (s[0] === "'") return singleQuoted(s);
  if (PLAIN_START_FORBIDDEN.test(s) || s.startsWith('- ') || s === '-' || s.includes(' #') || s.includes(': ') || s.endsWith(':') || s.includes('\t')) bail();
  if (/^(null|Null|NULL|~)$/.test(s)) return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(s) || /^0[oxOX]/.test(s)) bail();
  return s;
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', ' ': ' ' };

function doubleQuoted(s: string): string {
  let out = '';
  let i = 1;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') break;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = s[++i];
    if (e === undefined) bail();
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(Number.parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (ESCAPES[e!] !== undefined) out += ESCAPES[e!];
    else bail();
  }
  if (i !== s.length - 1) bail(); // unterminated, or something after the closing quote
  return out;
}

function singleQuoted(s: string): string {
  if (s.length < 2 || !s.endsWith("'")) bail();
  const inner = s.slice(1, -1);
  if (/'(?!')/.test(inner.replace(/''/g, ''))) bail();
  return inner.replace(/''/g, "'");
}

/** Splits `key: value` (or `key:`); undefined when the text is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  if (text[0] === '"' || text[0] === "'") {
    const close = text[0] === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(text) : /^'(?:[^']|'')*'/.exec(text);
    if (!close) bail();
    const after = text.slice(close![0].length);
    if (after !== ':' && !after.startsWith(': ')) return undefined;
    return { key: scalar(close![0]) as string, rest: after.slice(1) };
  }
  const m = /^([^:#]*?[^:\s]):(?: (.*)|)$/.exec(text);
  if (!m) return undefined;
  const key = m[1]!;
  if (PLAIN_START_FORBIDDEN.test(key) || key.startsWith('- ')) bail();
  return { key, rest: m[2] ?? '' };
}

const isItem = (text: string) => text === '-' || text.startsWith('- ');

function parseBlock(lines: Line[], pos: { i: number }, indent: number): unknown {
  return isItem(lines[pos.i]!.text) ? parseSequence(lines, pos, indent) : parseMapping(lines, pos, indent);
}

/** The value after `key:` with nothing on the line: a nested block, a same-indent sequence, or null. */
function nested(lines: Line[], pos: { i: number }, indent: number, seqAtSameIndent: boolean): unknown {
  const next = lines[pos.i];
  if (!next) return null;
  if (next.indent > indent) return parseBlock(lines, pos, next.indent);
  if (seqAtSameIndent && next.indent === indent && isItem(next.text)) return parseSequence(lines, pos, indent);
  return null;
}

function parseMapping(lines: Line[], pos: { i: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (pos.i < lines.length) {
    const line = lines[pos.i]!;
    if (line.indent < indent) break;
    if (line.indent > indent || isItem(line.text)) bail();
    const kv = splitKey(line.text);
    if (!kv) bail();
    const { key, rest } = kv!;
    if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__' || key === '<<') bail();
    pos.i++;
    if (rest.trim() === '' || rest.trim().startsWith('#')) {
      out[key] = nested(lines, pos, indent, true);
    } else {
      out[key] = scalar(rest);
      if (pos.i < lines.length && lines[pos.i]!.indent > indent) bail(); // a continued scalar
    }
  }
  return out;
}

function parseSequence(lines: Line[], pos: { i: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  while (pos.i < lines.length) {
    const line = lines[pos.i]!;
    if (line.indent < indent || (line.indent === indent && !isItem(line.text))) break;
    if (line.indent > indent) bail();
    const after = line.text.slice(1);
    const content = after.trimStart();
    if (content === '' || content.startsWith('#')) {
      pos.i++;
      out.push(nested(lines, pos, indent, false));
      continue;
    }
    if (isItem(content)) bail();
    const inner = indent + 1 + (after.length - content.length);
    if (splitKey(content)) {
      // `- key: value` opens a mapping whose keys sit at the column of `key`.
      lines[pos.i] = { indent: inner, text: content };
      out.push(parseMapping(lines, pos, inner));
    } else {
      pos.i++;
      out.push(scalar(content));
      if (pos.i < lines.length && lines[pos.i]!.indent > indent) bail();
    }
  }
  return out;
}

/** The document as the yaml package would parse it, or undefined when it uses more YAML than this reads. */
export function parseSimpleYaml(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const body = l.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = l.length - body.length;
    if (l.slice(0, indent).includes('\t') || body.startsWith('---') || body.startsWith('...') || body.startsWith('%')) return undefined;
    lines.push({ indent, text: body.trimEnd() });
  }
  if (lines.length === 0) return null;
  try {
    const pos = { i: 0 };
    if (lines[0]!.indent !== 0) return undefined;
    const doc = parseBlock(lines, pos, 0);
    return pos.i === lines.length ? doc : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
