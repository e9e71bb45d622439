import { Command, Option } from 'commander';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';

/**
 * kubectl's global flags. kubectl hands a plugin its arguments untouched, so we parse them ourselves.
 * They are declared once on the root command and are accepted before or after the subcommand
 * (`kubectl ds status foo -n bar` and `kubectl ds -n bar status foo`).
 */
export interface Globals {
  kubeconfig?: string;
  /** The one context to use (the last --context given); undefined = the kubeconfig's current context. */
  context?: string;
  /**
   * Several clusters: every --context given (it may be repeated), --contexts a,b,c, or with
   * --all-contexts every context of the merged kubeconfig (filtered by --context-selector).
   * Resolved to names by resolveContexts() in src/kube/multi.ts.
   */
  contexts: string[];
  allContexts: boolean;
  contextSelector?: string;
  /** How many clusters are worked on at once. */
  parallel: number;
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
export const GLOBAL_VALUE_FLAGS = [
  '--kubeconfig', '--context', '--contexts', '--context-selector', '--parallel', '--cluster', '--user', '-n', '--namespace', '--request-timeout', '-v', '--v',
];

export const DEFAULT_REQUEST_TIMEOUT = '30s';

export function addGlobalOptions(cmd: Command): void {
  cmd
    .option('--kubeconfig <path>', 'path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use (repeat it to work on several clusters)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--contexts <a,b,c>', 'work on several clusters: these kubeconfig contexts, comma-separated')
    .option('--all-contexts', 'work on every context of the kubeconfig (see --context-selector)')
    .option('--context-selector <regex>', 'with --all-contexts: only the contexts whose name matches this regular expression')
    .option('--parallel <n>', 'with several clusters: how many are worked on at once', '4')
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
  const repeated = (o.context as string[] | undefined) ?? [];
  const listed = typeof o.contexts === 'string' ? o.contexts.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const contexts = [...new Set([...repeated, ...listed])];
  const parallel = Number(o.parallel ?? 4);
  if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`invalid value "${String(o.parallel)}" for --parallel: must be a whole number of at least 1`);
  if (o.contextSelector !== undefined && !o.allContexts) throw new UsageError('--context-selector needs --all-contexts');
  if (o.allContexts && contexts.length) throw new UsageError('use either --all-contexts or --context/--contexts, not both');
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    context: contexts.length === 1 ? contexts[0] : repeated.length ? repeated[repeated.length - 1] : undefined,
    contexts,
    allContexts: o.allContexts === true,
    contextSelector: o.contextSelector as string | undefined,
    parallel,
    cluster: o.cluster as string | undefined,
    user: o.user as string | undefined,
    namespace: o.namespace as string | undefined,
    requestTimeoutMs: parseDuration(String(o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT), '--request-timeout', { bareSeconds: true }),
    color: o.color !== false,
    verbosity: Number.isFinite(level) ? level : 0,
  };
}

/** True when the flags ask for more than the one current context. */
export function isMultiCluster(g: Globals): boolean {
  return g.allContexts || g.contexts.length > 1;
}
