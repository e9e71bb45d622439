import { ruleOf } from './catalog.js';
import { formatPath } from './path.js';
import type { SourceDoc } from './source.js';
import type { Finding, Segment } from './types.js';
import { atLeast, formatKubeVersion, type KubeVersion } from './version.js';

/** The findings of one object (a document, or one item of a List), with positions from its source. */
export class ObjectContext {
  readonly findings: Finding[] = [];
  object?: string;

  constructor(
    readonly file: string,
    readonly doc: SourceDoc,
    /** Where the object sits in the document: [] for a document, ['items', i] for a List item. */
    readonly base: Segment[],
    readonly version: KubeVersion,
  ) {}

  get versionText(): string {
    return formatKubeVersion(this.version);
  }

  atLeast(minor: string): boolean {
    return atLeast(this.version, minor);
  }

  /** Does the path exist in the source (even with a null value)? */
  has(path: readonly Segment[]): boolean {
    return this.doc.has([...this.base, ...path]);
  }

  report(id: string, path: readonly Segment[], message: string, fix?: string, at: 'key' | 'value' = 'value'): void {
    const rule = ruleOf(id);
    const pos = this.doc.locate([...this.base, ...path], at);
    const f: Finding = {
      file: this.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(path),
      severity: rule.severity,
      id: rule.id,
      rule: rule.rule,
      message,
      document: this.doc.index,
    };
    if (fix) f.fix = fix;
    if (this.object) f.object = this.object;
    this.findings.push(f);
  }
}

// Small readers for plain data whose types the field walker has already reported on.
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const objAt = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const listAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const strAt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const numAt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** A string-valued map (labels, nodeSelector), keeping only string values. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
export const quote = (v: unknown): string => JSON.stringify(v);
