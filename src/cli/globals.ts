import { Command, Option } from 'commander';
import { parseDuration } from './duration.js';

/**
 * kubectl's global flags. kubectl hands a plugin its arguments untouched, so we parse them ourselves.
 * They are declared once on the root command and are accepted before or after the subcommand
 * (`kubectl ds status foo -n bar` and `kubectl ds -n bar status foo`).
 */
export interface Globals {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  /** --request-timeout in ms; 0 means no timeout. */
  requestTimeoutMs: number;
  color: boolean;
  /** -v level: 0 quiet; 4 stack traces; 6 each request; 8 request and response bodies (secrets redacted). */
  verbosity: number;
}

/** The global flags that take a value; main() uses this to find the subcommand in argv. */
export const GLOBAL_VALUE_FLAGS = ['--kubeconfig', '--context', '--cluster', '--user', '-n', '--namespace', '--request-timeout', '-v', '--v'];

export const DEFAULT_REQUEST_TIMEOUT = '30s';

export function addGlobalOptions(cmd: Command): void {
  cmd
    .option('--kubeconfig <path>', 'path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--cluster <name>', 'the kubeconfig cluster to use')
    .option('--user <name>', 'the kubeconfig user to use')
    .option('-n, --namespace <ns>', "the namespace (default: the context's namespace, then \"default\")")
    .option(
      '--request-timeout <duration>',
      'how long to wait for a single API request before giving up (0 = no limit; e.g. 10s, 1m)',
      DEFAULT_REQUEST_TIMEOUT,
    )
    .option('--no-color', 'never colour output (colour is used only on a terminal with NO_COLOR unset)')
    .addOption(
      new Option('-v, --v <level>', 'log level: 4 adds stack traces, 6 logs each API request, 8 adds bodies (secrets are never shown)')
        .default('0')
        .argParser((v) => v),
    );
}

export function globalsOf(cmd: Command): Globals {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  const level = Number(o.v ?? 0);
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    context: o.context as string | undefined,
    cluster: o.cluster as string | undefined,
    user: o.user as string | undefined,
    namespace: o.namespace as string | undefined,
    requestTimeoutMs: parseDuration(String(o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT), '--request-timeout', { bareSeconds: true }),
    color: o.color !== false,
    verbosity: Number.isFinite(level) ? level : 0,
  };
}
