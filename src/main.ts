import { Command, CommanderError } from 'commander';
import { COMMANDS, type CommandEntry } from './commands/index.js';
import { CliError, ExitCode, UsageError } from './cli/errors.js';
import { addGlobalOptions, GLOBAL_VALUE_FLAGS } from './cli/globals.js';

/** How the process was started: as `kubectl ds`, as `kubectl create daemonset`, or as `kubectl_complete-ds`. */
export type Mode = 'kubectl-ds' | 'create-daemonset' | 'complete';

/** Finds the subcommand in argv: the first word that is not a flag or a global flag's value. */
export function findSubcommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (GLOBAL_VALUE_FLAGS.includes(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

function entryFor(name: string | undefined): CommandEntry | undefined {
  if (name === undefined) return undefined;
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

function newRoot(name: string): Command {
  const program = new Command(name);
  program
    .exitOverride()
    // Help is laid out for 80 columns whatever the terminal, so that the top-level help can be rendered
    // once at build time (dist/help.txt, printed by bin/kubectl-ds.mjs without loading the CLI).
    .configureOutput({ outputError: (str, write) => write(str), getOutHelpWidth: () => 80, getErrHelpWidth: () => 80 })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  addGlobalOptions(program);
  return program;
}

/**
 * Builds the command tree. Only the named commands are defined in full (`'all'` defines every
 * command, for completion); the others are stubs that carry their name and summary for `--help`.
 */
export async function buildProgram(load: string[] | 'all'): Promise<Command> {
  const program = newRoot('kubectl ds');
  program
    .description('kubectl ds: the whole life of a DaemonSet, from creation to coverage, rollout and deletion.')
    .usage('[command] [flags]')
    .addHelpText(
      'after',
      `
Examples:
  kubectl ds sim start --scenario mixed          # a simulated 6-node cluster to try it all
  kubectl ds scaffold fluentd --preset log-collector
  kubectl ds create node-exporter --preset node-monitor
  kubectl ds coverage node-exporter              # which nodes run it, which should, and why not
  kubectl ds status node-exporter --timeout 5m   # follow a rollout; ends when stuck

Exit codes: 0 ok, 1 failure or findings, 2 usage error.`,
    );
  for (const entry of COMMANDS) {
    const cmd = program.command(entry.name, { hidden: entry.hidden }).summary(entry.summary).description(entry.summary);
    if (entry.aliases) cmd.aliases(entry.aliases);
    if (load === 'all' || load.includes(entry.name)) {
      const mod = await entry.load();
      mod.define(cmd);
    }
  }
  return program;
}

function exitWith(code: number): void {
  process.exitCode = code;
  // Let stdout drain (a pipe may still hold output), then leave even if handles (watches, servers) remain.
  process.stdout.write('', () => process.exit(code));
}

function verbosityOf(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '-v' || a === '--v') && argv[i + 1] !== undefined) return Number(argv[i + 1]) || 0;
    const m = /^--?v=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return 0;
}

export function reportError(e: unknown, argv: string[]): number {
  if (e instanceof ExitCode) return e.exitCode;
  if (e instanceof CommanderError) {
    // Commander already printed its message ("error: unknown option '--x'"); help and version exit 0.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof CliError) {
    process.stderr.write(e.raw ? `${e.message}\n` : `error: ${e.message}\n`);
    if (verbosityOf(argv) >= 4 && e.cause instanceof Error && e.cause.stack) process.stderr.write(`${e.cause.stack}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`error: ${err.message.split('\n')[0]}\n`);
  if (verbosityOf(argv) >= 4 && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

export async function main(argv: string[], mode: Mode = 'kubectl-ds'): Promise<void> {
  // `kubectl ds ... | head`: the reader went away; end quietly, as kubectl does, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  let code = 0;
  try {
    if (mode === 'create-daemonset') {
      // kubectl 1.29+ runs us for `kubectl create daemonset ...` (KEP-3638), with the words after `daemonset`.
      const program = newRoot('kubectl create daemonset');
      const mod = await import('./commands/create.js');
      mod.define(program);
      await program.parseAsync(argv, { from: 'user' });
    } else {
      const args = mode === 'complete' ? ['__complete', ...argv] : argv;
      if (args[0] === '__complete' || args[0] === '__completeNoDesc') {
        // Completion reads the raw words itself: commander would take -h, --help and the global flags.
        const { runComplete } = await import('./commands/complete.js');
        return await runComplete(args.slice(1), { descriptions: args[0] === '__complete' });
      }
      const sub = entryFor(findSubcommand(args));
      const program = await buildProgram(sub ? [sub.name] : []);
      await program.parseAsync(args, { from: 'user' });
    }
  } catch (e) {
    code = reportError(e, argv);
  }
  if (code !== 0) exitWith(code);
}
