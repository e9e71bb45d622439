/**
 * The pure half of shell completion: reads the words typed so far against the commander tree (exactly
 * as commander would parse them) and says WHAT is being completed: a subcommand, a flag name, a flag's
 * value or a positional argument. No I/O; src/cli/completers.ts supplies the candidates and
 * src/commands/complete.ts prints them in cobra's `__complete` protocol.
 *
 * Protocol (spf13/cobra completions, used by kubectl's plugin completion too): the words after the
 * program name are given as arguments, the LAST one being the word under the cursor ("" after a space).
 * The answer is one candidate a line (`value` or `value<TAB>description`), then `:<directive>`.
 */
import { Option, type Command } from 'commander';

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

const DIRECTIVE_NAMES: [number, string][] = [
  [Directive.Error, 'ShellCompDirectiveError'],
  [Directive.NoSpace, 'ShellCompDirectiveNoSpace'],
  [Directive.NoFileComp, 'ShellCompDirectiveNoFileComp'],
  [Directive.FilterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [Directive.FilterDirs, 'ShellCompDirectiveFilterDirs'],
  [Directive.KeepOrder, 'ShellCompDirectiveKeepOrder'],
];

/** The text cobra prints on stderr after the candidates: "Completion ended with directive: ...". */
export function directiveName(d: number): string {
  if (d < 0 || d >= 64) return `ERROR: unexpected ShellCompDirective value: ${d}`;
  const names = DIRECTIVE_NAMES.filter(([bit]) => (d & bit) !== 0).map(([, n]) => n);
  return names.length ? names.join(', ') : 'ShellCompDirectiveDefault';
}

export interface Candidate {
  value: string;
  description?: string;
}

export interface CompletionResult {
  candidates: Candidate[];
  /** Defaults to NoFileComp. */
  directive?: number;
}

/** Formats the answer: candidates (descriptions on their first line only), then `:<directive>`. */
export function formatCompletion(r: CompletionResult, withDescriptions = true): string {
  const lines: string[] = [];
  for (const c of r.candidates) {
    const value = c.value.replace(/[\r\n\t]+/g, ' ');
    if (value === '') continue;
    const desc = withDescriptions && c.description ? c.description.split('\n')[0]!.replace(/\t/g, ' ').trim() : '';
    lines.push(desc ? `${value}\t${desc}` : value);
  }
  lines.push(`:${r.directive ?? Directive.NoFileComp}`);
  return lines.join('\n') + '\n';
}

/** What the word under the cursor is. */
export type Target =
  | { kind: 'flag-name' }
  | { kind: 'flag-value'; option: Option; optional: boolean; inline: boolean }
  | { kind: 'argument' };

export interface ParsedLine {
  /** The command the cursor is in (root for `kubectl ds <TAB>`). */
  command: Command;
  /** Its path below the root: 'status', 'sim start'; '' for the root. */
  path: string;
  /** Positional arguments already typed for that command. */
  args: string[];
  /** Every option already typed (on the command or its parents), with the values given. */
  given: Map<Option, string[]>;
  /** The word being completed (for `--flag=val`, only `val`). */
  toComplete: string;
  target: Target;
  afterDoubleDash: boolean;
}

/** True for an option that takes a value (`<v>` or `[v]`). */
export function takesValue(o: Option): boolean {
  return o.required || o.optional;
}

/** The options that apply in `cmd`: its own, then its parents' (commander accepts both after the subcommand). */
export function optionsIn(cmd: Command): Option[] {
  const out: Option[] = [];
  const seen = new Set<string>();
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const o of c.options) {
      const key = o.long ?? o.short ?? o.flags;
      if (seen.has(key) || (o.short && seen.has(o.short))) continue;
      seen.add(key);
      if (o.short) seen.add(o.short);
      out.push(o);
    }
  }
  return out;
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return optionsIn(cmd).find((o) => o.long === flag || o.short === flag);
}

export function isHidden(cmd: Command): boolean {
  return (cmd as unknown as { _hidden?: boolean })._hidden === true;
}

function findSubcommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

/** The path of `cmd` below the root, e.g. 'sim start'. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Says whether a long flag the command does not (yet) declare takes a value, e.g. because a completer
 * is registered for it: `(path, '--nodes') => true`. Such a flag is then read as `--flag <value>`.
 */
export type KnownFlags = (path: string, long: string) => boolean;

/**
 * Parses the typed words as commander does (long flags with `=` or a separate value, short flags
 * combined (`-Ay`) or with an attached value (`-nkube-system`), `--` ending the flags, the first
 * operand naming a subcommand) and finds what the last word is.
 */
export function parseLine(root: Command, words: string[], known: KnownFlags = () => false): ParsedLine {
  const typed = words.length ? words.slice(0, -1) : [];
  let toComplete = words.length ? words[words.length - 1]! : '';
  let cmd = root;
  const args: string[] = [];
  const given = new Map<Option, string[]>();
  const record = (o: Option, v: string) => given.set(o, [...(given.get(o) ?? []), v]);
  let dd = false;
  let pending: Option | undefined;

  const lookup = (flag: string): Option | undefined =>
    findOption(cmd, flag) ?? (flag.startsWith('--') && known(commandPath(cmd), flag) ? new Option(`${flag} <value>`) : undefined);
  for (let i = 0; i < typed.length; i++) {
    const w = typed[i]!;
    const last = i === typed.length - 1;
    if (dd) {
      args.push(w);
      continue;
    }
    if (w === '--') {
      dd = true;
      continue;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const o = lookup(eq >= 0 ? w.slice(0, eq) : w);
      if (!o) continue; // unknown: we cannot tell whether it takes a value
      if (!takesValue(o)) record(o, '');
      else if (eq >= 0) record(o, w.slice(eq + 1));
      else if (last) pending = o;
      else if (o.required || !typed[i + 1]!.startsWith('-')) record(o, typed[++i]!);
      else record(o, '');
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      for (let j = 1; j < w.length; j++) {
        const o = findOption(cmd, `-${w[j]}`);
        if (!o) break;
        if (!takesValue(o)) {
          record(o, '');
          continue;
        }
        const rest = w.slice(j + 1);
        if (rest) record(o, rest);
        else if (last) pending = o;
        else if (o.required || !typed[i + 1]!.startsWith('-')) record(o, typed[++i]!);
        else record(o, '');
        break;
      }
      continue;
    }
    const sub = args.length === 0 ? findSubcommand(cmd, w) : undefined;
    if (sub) cmd = sub;
    else args.push(w);
  }

  let target: Target;
  if (pending && !dd) {
    target = { kind: 'flag-value', option: pending, optional: pending.optional, inline: false };
  } else if (!dd && toComplete.startsWith('--') && toComplete.includes('=')) {
    const eq = toComplete.indexOf('=');
    const o = lookup(toComplete.slice(0, eq));
    toComplete = toComplete.slice(eq + 1);
    target = o && takesValue(o) ? { kind: 'flag-value', option: o, optional: false, inline: true } : { kind: 'flag-name' };
    if (!o || !takesValue(o)) toComplete = '\0'; // nothing can match a value for an unknown or boolean flag
  } else if (!dd && toComplete.startsWith('-')) {
    target = { kind: 'flag-name' };
  } else {
    target = { kind: 'argument' };
  }
  return { command: cmd, path: commandPath(cmd), args, given, toComplete, target, afterDoubleDash: dd };
}

/**
 * True when an option may be given again: variadic, or with a parser that accumulates (as the
 * `(v, prev = []) => [...prev, v]` collectors do).
 */
export function isRepeatable(o: Option): boolean {
  if (o.variadic) return true;
  if (!o.parseArg) return false;
  try {
    const r = o.parseArg('b', ['a'] as unknown as never) as unknown;
    return Array.isArray(r) && r.length >= 2;
  } catch {
    return false;
  }
}

/** The first line of a help text, as a one-line description. */
export function oneLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0]!.trim();
}

/** Flag-name candidates: long and short forms matching the prefix, minus flags already given (unless repeatable). */
export function flagCandidates(line: ParsedLine, extraRepeatable: (o: Option) => boolean = () => false): Candidate[] {
  const out: Candidate[] = [];
  const prefix = line.toComplete;
  const opts = optionsIn(line.command);
  for (const o of opts) {
    if (o.hidden) continue;
    if (line.given.has(o) && !isRepeatable(o) && !extraRepeatable(o)) continue;
    const description = oneLine(o.description);
    if (o.long && o.long.startsWith(prefix)) out.push({ value: o.long, description });
    if (o.short && o.short.startsWith(prefix)) out.push({ value: o.short, description });
  }
  // commander's own help flag is not in `options`.
  if (!opts.some((o) => o.long === '--help') && '--help'.startsWith(prefix)) out.push({ value: '--help', description: 'display help for command' });
  if (!opts.some((o) => o.short === '-h') && '-h'.startsWith(prefix)) out.push({ value: '-h', description: 'display help for command' });
  return out;
}

/** Subcommand candidates (visible ones) with their summaries. */
export function subcommandCandidates(cmd: Command, prefix: string): Candidate[] {
  return cmd.commands
    .filter((c) => !isHidden(c) && c.name().startsWith(prefix))
    .map((c) => ({ value: c.name(), description: oneLine(c.summary() || c.description()) }));
}

/** Keeps the candidates that start with the prefix. */
export function byPrefix(cands: Candidate[], prefix: string): Candidate[] {
  return cands.filter((c) => c.value.startsWith(prefix));
}

/**
 * Completion of one element of a comma-separated list (`--contexts a,b,c`, `--nodes n1,n2`): the
 * candidates are returned with the elements before the cursor's, minus those already listed, and
 * NoSpace so that another comma can follow.
 */
export function listElement(toComplete: string, all: Candidate[]): CompletionResult {
  const cut = toComplete.lastIndexOf(',');
  const head = cut >= 0 ? toComplete.slice(0, cut + 1) : '';
  const tail = toComplete.slice(cut + 1);
  const done = new Set(head.split(',').filter(Boolean));
  const candidates = all.filter((c) => !done.has(c.value) && c.value.startsWith(tail)).map((c) => ({ ...c, value: head + c.value }));
  return { candidates, directive: Directive.NoFileComp | Directive.NoSpace };
}
