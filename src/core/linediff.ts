/**
 * A small line diff (longest common subsequence) and its unified rendering, for `kubectl ds history
 * --diff`. Pure. Inputs are small (pod templates as YAML), so the quadratic table is fine.
 */

export type DiffOp = { op: ' ' | '-' | '+'; line: string; a: number; b: number };

/** The edit script from a to b: every line of both, marked kept (' '), removed ('-') or added ('+'). */
export function diffLines(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i]!, a: i++, b: j++ });
    } else if (j < m && (i >= n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      ops.push({ op: '+', line: b[j]!, a: i, b: j++ });
    } else {
      ops.push({ op: '-', line: a[i]!, a: i++, b: j });
    }
  }
  // Within each changed run, show removals before additions (as diff -u does).
  for (let k = 0; k < ops.length; ) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    let end = k;
    while (end < ops.length && ops[end]!.op !== ' ') end++;
    const run = ops.slice(k, end);
    const sorted = [...run.filter((o) => o.op === '-'), ...run.filter((o) => o.op === '+')];
    ops.splice(k, run.length, ...sorted);
    k = end;
  }
  return ops;
}

export interface Hunk {
  header: string;
  lines: { op: ' ' | '-' | '+'; line: string }[];
}

/** Unified-diff hunks with `context` lines around each change; none when a equals b. */
export function unifiedHunks(a: string[], b: string[], context = 3): Hunk[] {
  const ops = diffLines(a, b);
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(ops.length - 1, k + context);
    const last = ranges[ranges.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else ranges.push([lo, hi]);
  }
  return ranges.map(([lo, hi]) => {
    const slice = ops.slice(lo, hi + 1);
    const aLines = slice.filter((o) => o.op !== '+').length;
    const bLines = slice.filter((o) => o.op !== '-').length;
    const aStart = Math.min(...slice.map((o) => o.a)) + (aLines ? 1 : 0);
    const bStart = Math.min(...slice.map((o) => o.b)) + (bLines ? 1 : 0);
    const fmt = (start: number, len: number) => (len === 1 ? `${start}` : `${start},${len}`);
    return { header: `@@ -${fmt(aStart, aLines)} +${fmt(bStart, bLines)} @@`, lines: slice.map((o) => ({ op: o.op, line: o.line })) };
  });
}
