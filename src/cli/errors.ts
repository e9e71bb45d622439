/**
 * The error types every command throws. main() turns them into one line on stderr and an exit code:
 *   UsageError  -> "error: ..."  exit 2  (bad flag, bad argument: the user typed something wrong)
 *   CliError    -> "error: ..."  exit 1  (a failure or findings: bad file content, cluster errors, ...)
 *   CliError with {raw: true} prints its message as is (kubectl's "Error from server (NotFound): ..." form).
 * Anything else is a bug: "error: <message>" and exit 1, with the stack only at -v 4 or more.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class CliError extends Error {
  readonly exitCode: number;
  readonly raw: boolean;
  constructor(message: string, opts: { raw?: boolean; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.raw = opts.raw ?? false;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Thrown to end a command with an exit code after it has printed everything itself (findings, for example). */
export class ExitCode extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
