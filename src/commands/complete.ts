import type { Command } from 'commander';
import { directiveName, Directive, formatCompletion, parseLine, type CompletionResult } from '../cli/complete-engine.js';

/**
 * `kubectl-ds __complete WORDS... CURRENT` (hidden): the candidates for the word under the cursor, in
 * cobra's protocol, for the scripts of `kubectl ds completion` and for kubectl's plugin completion
 * (`kubectl_complete-ds WORDS... CURRENT`). `__completeNoDesc` leaves the descriptions out.
 *
 * main() sends `__complete` here before commander parses anything (commander would take the global
 * flags, -h and --help for itself); the command below only shows it in the tree.
 */
export function define(cmd: Command): void {
  cmd
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[words...]', 'the words typed so far, the last one being the word to complete ("" for a new word)')
    .action(async (_words: string[], _opts: unknown, command: Command) => {
      const raw = (command.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
      await runComplete(raw.slice(raw.indexOf('__complete') + 1));
    });
}

/** The completion for the words typed after the program name. Never throws. */
export async function completeWords(words: string[]): Promise<CompletionResult> {
  try {
    const [{ buildProgram }, { resolveCompletion, hasFlagCompleter }] = await Promise.all([import('../main.js'), import('../cli/completers.js')]);
    const root = await buildProgram('all');
    return await resolveCompletion(parseLine(root, words, hasFlagCompleter));
  } catch {
    return { candidates: [], directive: Directive.Error };
  }
}

/** Prints the completion as cobra does and ends the process (a look-up left behind must not hold the shell). */
export async function runComplete(words: string[], opts: { descriptions?: boolean } = {}): Promise<void> {
  // Nothing a library might log may reach the user's command line.
  const quiet = () => undefined;
  console.log = console.info = console.warn = console.error = console.debug = quiet;
  const r = await completeWords(words);
  process.stdout.write(formatCompletion(r, opts.descriptions !== false));
  process.stderr.write(`Completion ended with directive: ${directiveName(r.directive ?? Directive.NoFileComp)}\n`);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(0);
}
