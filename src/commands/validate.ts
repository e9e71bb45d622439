import type { Command } from 'commander';
import { CliError } from '../cli/errors.js';

/** `kubectl ds validate`: not built yet. */
export function define(cmd: Command): void {
  cmd.allowUnknownOption().allowExcessArguments().action(() => {
    throw new CliError('kubectl ds validate is not implemented yet');
  });
}
