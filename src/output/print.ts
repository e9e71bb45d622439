/**
 * The one place that decides presentation: colour (only on a TTY, NO_COLOR unset, --no-color absent),
 * kubectl-style plain tables, YAML/JSON/name output, and spinners (only on a TTY, on stderr).
 * Commands build plain data and hand it here; nothing else writes escape codes.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { stringify } from 'yaml';
import { emitYaml, KUBE_STYLE } from './yaml-emit.js';

/** require() for modules needed only on some paths, resolved at run time (not bundled up front). */
const requireLazy = process.getBuiltinModule('node:module').createRequire(import.meta.url);

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
 * no trailing spaces. Cells may hold ANSI colour; widths are measured without it. A cell with line
 * breaks takes several lines. Plain single-line text takes a linear fast path; anything else goes to
 * cli-table3, loaded only then (loading it costs ~10 ms at start-up).
 */
export function renderTable(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const fast = fastTable(headers, cells);
  if (fast !== undefined) return fast;
  const Table = requireLazy('cli-table3') as typeof import('cli-table3');
  const t = new Table({
    head: headers,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 3 },
    wordWrap: false,
  });
  for (const r of cells) t.push(r);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
/** Characters one column wide for certain (ASCII, Latin-1, the glyphs and box characters we print). */
const NARROW_TEXT = /^[\x20-\x7e\u00a0-\u00ff✓✗↻·█░]*$/;

/**
 * renderTable without cli-table3 when every cell is single-line text of one-column characters: the same
 * layout, in linear time (cli-table3 measures every cell many times; 5,000 rows took seconds).
 * Undefined when a cell needs cli-table3 (wide characters, several lines).
 */
function fastTable(headers: string[], rows: string[][]): string | undefined {
  const all = [headers, ...rows];
  const width: number[] = [];
  const visible: number[][] = [];
  for (const r of all) {
    const vr: number[] = [];
    for (let i = 0; i < r.length; i++) {
      const plain = r[i]!.includes('\x1b') ? r[i]!.replace(SGR, '') : r[i]!;
      if (!NARROW_TEXT.test(plain)) return undefined;
      vr.push(plain.length);
      if (plain.length > (width[i] ?? 0)) width[i] = plain.length;
    }
    visible.push(vr);
  }
  const lines: string[] = [];
  for (let j = 0; j < all.length; j++) {
    const r = all[j]!;
    let line = '';
    for (let i = 0; i < r.length; i++) line += r[i]! + ' '.repeat(width[i]! - visible[j]![i]! + 3);
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}

export const OUTPUT_FORMATS = ['yaml', 'json', 'name'] as const;


/** YAML as kubectl writes it: YAML 1.1-safe quoting of on/yes/no, block style. */
export function toYaml(obj: unknown): string {
  return emitYaml(obj, { sortKeys: false, indentSeq: true }) ?? stringify(obj, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
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

/** A finding as the file-grouped printer needs it (validate's Finding has these fields and more). */
export interface PrintableFinding {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  id: string;
  message: string;
  fix?: string;
}

/**
 * Findings grouped by file, in the order the files were given: a file header, then one line per finding
 * (`LINE:COL  SEVERITY  ID  message`) with its fix on the next line. Files without findings are left out.
 */
export function renderFindings(files: string[], findings: PrintableFinding[], paint: ChalkInstance): string {
  const sev = { error: paint.red('error'), warning: paint.yellow('warning'), info: paint.cyan('info') };
  const pad = { error: '  ', warning: '', info: '   ' };
  const out: string[] = [];
  for (const file of files) {
    const mine = findings.filter((f) => f.file === file);
    if (mine.length === 0) continue;
    out.push(paint.bold.underline(file));
    const posWidth = Math.max(...mine.map((f) => `${f.line}:${f.column}`.length));
    for (const f of mine) {
      const pos = `${f.line}:${f.column}`.padEnd(posWidth);
      out.push(`  ${paint.dim(pos)}  ${sev[f.severity]}${pad[f.severity]}  ${paint.dim(f.id)}  ${f.message}`);
      if (f.fix) out.push(`  ${' '.repeat(posWidth)}  ${' '.repeat(7)}  ${' '.repeat(f.id.length)}  ${paint.green(`fix: ${f.fix}`)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Live views (a region of a terminal redrawn in place) and their parts

const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** One frame of a dots spinner, by tick number (100 ms per frame looks right). */
export function spinnerFrame(tick: number): string {
  return SPINNER_FRAMES[tick % SPINNER_FRAMES.length]!;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/y;

/** Cuts a line to `width` visible characters, keeping colour codes intact (and resetting them if cut). */
export function truncateVisible(s: string, width: number): string {
  if (width <= 0) return '';
  let out = '';
  let visible = 0;
  let sawAnsi = false;
  for (let i = 0; i < s.length; ) {
    ANSI.lastIndex = i;
    const m = ANSI.exec(s);
    if (m) {
      out += m[0];
      sawAnsi = true;
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    if (visible + 1 > width) return sawAnsi ? `${out}\x1b[0m` : out;
    out += ch;
    visible++;
    i += ch.length;
  }
  return out;
}

/** A text progress bar: `width` cells, the done share filled. Colour through the given painter. */
export function progressBar(n: number, total: number, width: number, p: ChalkInstance): string {
  const share = total > 0 ? Math.min(1, Math.max(0, n / total)) : 1;
  const filled = Math.round(share * width);
  return p.green('█'.repeat(filled)) + p.dim('░'.repeat(width - filled));
}

export interface LiveRegion {
  /** Replaces the region with these lines (each cut to the terminal width). */
  render(lines: string[]): void;
  /** Draws the last frame and leaves it on screen; the cursor comes back. */
  stop(lines?: string[]): void;
}

/**
 * A block of lines redrawn in place on a terminal (cursor up, clear to end of screen, write).
 * Only for a TTY: callers decide (a pipe gets plain lines instead).
 */
export function liveRegion(stream: Stream = process.stdout): LiveRegion {
  let drawn = 0;
  let stopped = false;
  const showCursor = () => stream.write('\x1b[?25h');
  process.once('exit', showCursor);
  stream.write('\x1b[?25l');
  const draw = (lines: string[]) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    const body = lines.map((l) => `${truncateVisible(l, width)}\n`).join('');
    stream.write(`${drawn ? `\r\x1b[${drawn}A` : '\r'}\x1b[J${body}`);
    drawn = lines.length;
  };
  return {
    render(lines) {
      if (!stopped) draw(lines);
    },
    stop(lines) {
      if (stopped) return;
      if (lines) draw(lines);
      stopped = true;
      showCursor();
      process.removeListener('exit', showCursor);
    },
  };
}

/**
 * YAML exactly as `kubectl -o yaml` writes an object: keys sorted (kubectl goes through a map), list
 * items level with their key, YAML 1.1-safe quoting.
 */
export function toKubeYaml(obj: unknown): string {
  return emitYaml(obj, KUBE_STYLE) ?? stringify(obj, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: true, indentSeq: false });
}
