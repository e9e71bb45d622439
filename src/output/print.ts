/**
 * The one place that decides presentation: colour (only on a TTY, NO_COLOR unset, --no-color absent),
 * kubectl-style plain tables, YAML/JSON/name output, and spinners (only on a TTY, on stderr).
 * Commands build plain data and hand it here; nothing else writes escape codes.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { stringify } from 'yaml';
import { UsageError } from '../cli/errors.js';

export type Stream = NodeJS.WriteStream;

/** Colour is used only when the stream is a terminal, NO_COLOR is unset or empty, and --no-color was not given. */
export function colorEnabled(stream: Stream, flagColor = true, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flagColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function painter(stream: Stream = process.stdout, flagColor = true): ChalkInstance {
  return new Chalk({ level: colorEnabled(stream, flagColor) ? 1 : 0 });
}

/**
 * A kubectl-style table: upper-case headers, columns separated by three spaces, no borders,
 * no trailing spaces. Cells may hold ANSI colour; widths are measured without it.
 */
export function renderTable(headers: string[], rows: (string | number)[][]): string {
  const t = new Table({
    head: headers,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 3 },
    wordWrap: false,
  });
  for (const r of rows) t.push(r.map((c) => String(c)));
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

export const OUTPUT_FORMATS = ['yaml', 'json', 'name'] as const;

/** Checks an -o value against the formats a command offers, with kubectl's wording. */
export function checkOutputFormat(value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) {
    throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`);
  }
  return value;
}

/** YAML as kubectl writes it: YAML 1.1-safe quoting of on/yes/no, block style. */
export function toYaml(obj: unknown): string {
  return stringify(obj, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

export function toJson(obj: unknown): string {
  return `${JSON.stringify(obj, null, 4)}\n`;
}

/** Prints one object or a list as kubectl does for -o yaml|json (several objects become a v1 List). */
export function formatObjects(objs: unknown[], format: 'yaml' | 'json'): string {
  const body = objs.length === 1 ? objs[0] : { apiVersion: 'v1', kind: 'List', items: objs, metadata: { resourceVersion: '' } };
  return format === 'json' ? toJson(body) : toYaml(body);
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`${text}\n`);
}

export interface Spinner {
  text(t: string): void;
  stop(final?: string): void;
}

/** A spinner on stderr when stderr is a sized terminal; otherwise nothing at all (ora is not even loaded). */
export async function spinner(initial: string, flagColor = true): Promise<Spinner> {
  const s = process.stderr;
  if (!s.isTTY || !(s.columns > 0) || process.env.TERM === 'dumb') return { text() {}, stop() {} };
  const { default: ora } = await import('ora');
  const o = ora({ text: initial, stream: s, discardStdin: false, color: colorEnabled(s, flagColor) ? 'cyan' : false }).start();
  return {
    text(t) {
      o.text = t;
    },
    stop(final) {
      o.stop();
      if (final) s.write(`${final}\n`);
    },
  };
}

/**
 * YAML exactly as `kubectl -o yaml` writes an object: keys sorted (kubectl goes through a map), list
 * items level with their key, YAML 1.1-safe quoting.
 */
export function toKubeYaml(obj: unknown): string {
  return stringify(obj, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: true, indentSeq: false });
}
