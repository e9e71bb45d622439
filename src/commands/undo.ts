import type { Command } from 'commander';
import { CliError } from '../cli/errors.js';

/** `kubectl ds undo`: not built yet. */
export function define(cmd: Command): void {
  cmd.allowUnknownOption().allowExcessArguments().action(() => {
    throw new CliError('kubectl ds undo is not implemented yet');
  });
}
