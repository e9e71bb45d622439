import type { Command } from 'commander';
import { CliError } from '../cli/errors.js';

/** `kubectl ds scaffold`: not built yet. */
export function define(cmd: Command): void {
  cmd.allowUnknownOption().allowExcessArguments().action(() => {
    throw new CliError('kubectl ds scaffold is not implemented yet');
  });
}
