/**
 * Manifest text -> documents with source positions. YAML is read as kubectl reads it (YAML 1.1: `yes`,
 * `on`, `y` are booleans; duplicate keys allowed, the last one wins; `<<` merge keys), and JSON is YAML.
 * Every document keeps its syntax tree so that a JSON path maps back to line:column. Pure: text in.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import { segName } from './path.js';
import type { Pos, Segment } from './types.js';

/** Bigger than any manifest the API server accepts (its request limit is 3 MiB). */
export const MAX_INPUT_BYTES = 3 * 1024 * 1024;

export interface DuplicateKey {
  path: Segment[];
  key: string;
  first: Pos;
  last: Pos;
}

export interface SourceDoc {
  /** 0-based index of the document in its file. */
  index: number;
  /** The document as plain data (what kubectl sends). */
  value: unknown;
  /** Where the document starts. */
  start: Pos;
  /**
   * The position for a path: the value for scalars, the key for collections held in a map, the item for
   * list items. A path that does not exist resolves to its deepest existing ancestor.
   */
  locate(path: readonly Segment[], at?: 'key' | 'value'): Pos;
  /** Does the path exist in the source (a key present, even with a null value)? */
  has(path: readonly Segment[]): boolean;
  /** The text of the scalar at the path as written (e.g. `yes` for a value read as true). */
  sourceText(path: readonly Segment[]): string | undefined;
  duplicates: DuplicateKey[];
}

export interface InputProblem {
  /** DS001 not YAML, DS002 empty, DS003 too large. */
  kind: 'not-yaml' | 'empty' | 'too-large';
  pos: Pos;
  message: string;
}

export interface ParsedSource {
  docs: SourceDoc[];
  problem?: InputProblem;
}

type AnyNode = Node | Pair | null | undefined;

function rangeStart(n: AnyNode): number | undefined {
  if (!n) return undefined;
  if (isPair(n)) return rangeStart(n.key as AnyNode);
  return (n as Node).range?.[0];
}

function keyString(k: unknown): string {
  if (isScalar(k)) return String(k.value);
  return String(k);
}

/** The LAST pair with this key (kubectl keeps the last of duplicate keys). */
function pairFor(map: AnyNode, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  let found: Pair | undefined;
  for (const p of map.items) if (keyString(p.key) === key) found = p as Pair;
  return found;
}

export function parseSource(text: string): ParsedSource {
  const lc = new LineCounter();
  const posOf = (offset: number): Pos => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
    return { docs: [], problem: { kind: 'too-large', pos: { line: 1, column: 1 }, message: `input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, more than the API server accepts in one request; this is not a manifest` } };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    let line = 1;
    let col = 1;
    for (let i = 0; i < nul; i++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
    }
    return { docs: [], problem: { kind: 'not-yaml', pos: { line, column: col }, message: 'binary data (a NUL byte), not YAML or JSON' } };
  }
  const parsed = parseAllDocuments(text, {
    version: '1.1',
    // kubectl's YAML reader (go-yaml v2) has no base-60 numbers (1:20 stays a string) and leaves
    // unquoted dates as strings; the yaml library's YAML 1.1 schema would turn them into 80 and a Date.
    customTags: (tags) => tags.filter((t) => (t as { format?: string }).format !== 'TIME' && (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
    uniqueKeys: false,
    merge: true,
    lineCounter: lc,
    prettyErrors: true,
  });
  const all = Array.isArray(parsed) ? parsed : [];
  const docs: SourceDoc[] = [];
  for (const [index, doc] of all.entries()) {
    const err = doc.errors[0];
    if (err) {
      const lp = err.linePos?.[0];
      const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { docs: [], problem: { kind: 'not-yaml', pos: lp ? { line: lp.line, column: lp.col } : { line: 1, column: 1 }, message: `not valid YAML: ${first}` } };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return { docs: [], problem: { kind: 'not-yaml', pos: posOf(doc.range[0]), message: `not valid YAML: ${(e as Error).message}` } };
    }
    if (value === null || value === undefined) continue; // an empty document (a bare `---`, comments only)
    const root = doc.contents as AnyNode;

    const walk = (path: readonly Segment[]): { node: AnyNode; pair?: Pair; depth: number } => {
      let node: AnyNode = root;
      let pair: Pair | undefined;
      let depth = 0;
      for (const seg of path) {
        const s = segName(seg);
        let next: AnyNode;
        let nextPair: Pair | undefined;
        if (typeof s === 'number') {
          next = isSeq(node) ? (node.items[s] as AnyNode) : undefined;
        } else {
          nextPair = pairFor(node, s);
          next = nextPair ? ((nextPair.value as AnyNode) ?? null) : undefined;
        }
        if (next === undefined) break;
        if (isAlias(next)) next = next.resolve(doc) as AnyNode;
        node = next;
        pair = nextPair;
        depth++;
        if (next === null) break;
      }
      return { node, pair, depth };
    };

    const locate = (path: readonly Segment[], at: 'key' | 'value' = 'value'): Pos => {
      const { node, pair, depth } = walk(path);
      const last = depth > 0 ? segName(path[depth - 1]!) : undefined;
      const exact = depth === path.length;
      let off: number | undefined;
      if (pair && typeof last === 'string') {
        const valueIsScalar = isScalar(node) && (node as Node).range && (node as { value: unknown }).value !== null;
        if (exact && at === 'value' && valueIsScalar) off = rangeStart(node);
        else off = rangeStart(pair.key as AnyNode);
      } else {
        off = rangeStart(node);
      }
      return posOf(off ?? rangeStart(root) ?? doc.range[0]);
    };

    const has = (path: readonly Segment[]): boolean => walk(path).depth === path.length;
    const sourceText = (path: readonly Segment[]): string | undefined => {
      const { node, depth } = walk(path);
      if (depth !== path.length || !isScalar(node)) return undefined;
      return typeof node.source === 'string' && node.source !== '' ? node.source : String(node.value);
    };

    const duplicates: DuplicateKey[] = [];
    const scan = (n: AnyNode, path: Segment[]): void => {
      if (isMap(n)) {
        const seen = new Map<string, Pair>();
        for (const p of n.items) {
          const k = keyString(p.key);
          const prev = seen.get(k);
          if (prev && k !== '<<') {
            duplicates.push({ path: [...path, k], key: k, first: posOf(rangeStart(prev.key as AnyNode) ?? 0), last: posOf(rangeStart(p.key as AnyNode) ?? 0) });
          }
          seen.set(k, p as Pair);
          scan(p.value as AnyNode, [...path, k]);
        }
      } else if (isSeq(n)) {
        n.items.forEach((it, i) => scan(it as AnyNode, [...path, i]));
      }
    };
    scan(root, []);

    docs.push({ index, value, start: posOf(rangeStart(root) ?? doc.range[0]), locate, has, sourceText, duplicates });
  }
  if (docs.length === 0) {
    return { docs, problem: { kind: 'empty', pos: { line: 1, column: 1 }, message: 'no objects in the input (it is empty or holds only comments)' } };
  }
  return { docs };
}
