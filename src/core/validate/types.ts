/**
 * The shapes shared by the validate core. A Finding is one problem (or note) at one place in one file.
 * The JSON output (`kubectl ds validate -o json`) prints these fields as they are; see README "validate".
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** The file as the user named it ("-" input is "<stdin>"). */
  file: string;
  /** 1-based line and column of the offending node (the key for unknown fields, the value otherwise). */
  line: number;
  column: number;
  /** JSON path into the object, upstream style: spec.template.spec.containers[0].image, requests[cpu]. "" for the whole document. */
  path: string;
  severity: Severity;
  /** Stable rule id, e.g. DS122 (see catalog.ts). */
  id: string;
  /** Stable rule name, e.g. selector-mismatch. */
  rule: string;
  /** What is wrong (upstream's wording where the API server has one). */
  message: string;
  /** What to do about it. */
  fix?: string;
  /** 0-based document index in the file (List items count as their List's document). */
  document?: number;
  /** The object, "DaemonSet/NAME", when known. */
  object?: string;
}

/** One path segment: a struct field name, a list index, or a key of a map field (printed as [key]). */
export type Segment = string | number | { key: string };

/** A position in a file, 1-based. */
export interface Pos {
  line: number;
  column: number;
}
