/** Output-format checks, apart from print.ts so that commands can check -o before loading the printers. */
import { UsageError } from '../cli/errors.js';

/** kubectl's answer to an -o the command does not offer. Returns the format, or undefined when none was given. */
export function checkOutputFormat(value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) {
    throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`);
  }
  return value;
}
