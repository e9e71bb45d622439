/**
 * `kubectl ds status NAME`: the command's flags and help. Following the rollout is follow.ts, loaded
 * once kubectl's first request is on its way, so that the request is not held up by loading it.
 */
import type { Command } from 'commander';
import { UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster } from '../cli/globals.js';
import { parseDuration } from '../cli/duration.js';
import { checkOutputFormat } from '../output/format.js';
import type { FollowOptions } from './follow.js';

/** The progress deadline a terminal gets when --progress-deadline is not given. */
export const TERMINAL_PROGRESS_DEADLINE = '10m';

/** `-w/--watch[=bool]`: kubectl's boolean flag form. A word that is not a boolean is the NAME that followed a bare -w. */
function watchFlag(stray: { name?: string }) {
  return (value: string): boolean => {
    if (/^(true|t|1)$/i.test(value)) return true;
    if (/^(false|f|0)$/i.test(value)) return false;
    if (stray.name !== undefined) throw new UsageError(`invalid value "${value}" for --watch: use --watch=true or --watch=false`);
    stray.name = value;
    return true;
  };
}

/** A terminal the live view can draw on. */
export function isTerminal(): boolean {
  return process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0 && process.env.TERM !== 'dumb';
}

/**
 * How a rollout is followed, from status's flags; `undo --watch` and `restart --watch` give none and get
 * status's defaults on the same stdout (the live view and a progress deadline on a terminal).
 */
export function followOptions(flags: { watch?: boolean; timeout?: string; progressDeadline?: string; json?: boolean }, color: boolean): FollowOptions {
  const timeoutMs = parseDuration(flags.timeout ?? '0s', '--timeout');
  const live = !flags.json && isTerminal();
  const progressDeadlineText = flags.progressDeadline ?? (live ? TERMINAL_PROGRESS_DEADLINE : '0');
  return {
    watch: flags.watch !== false,
    timeoutMs,
    progressDeadlineMs: parseDuration(progressDeadlineText, '--progress-deadline'),
    progressDeadlineText,
    mode: flags.json ? 'json' : live ? 'live' : 'lines',
    color,
  };
}

export function define(cmd: Command): void {
  const stray: { name?: string } = {};
  cmd
    .argument('[name]', 'the DaemonSet')
    .option('-w, --watch [bool]', 'watch until the rollout ends; --watch=false evaluates once and exits 0', watchFlag(stray), true)
    .option('--timeout <duration>', 'give up after this long with exit 1 (0 = wait forever, as kubectl)', '0s')
    .option(
      '--progress-deadline <duration>',
      `exit 1 when neither the updated nor the available count has moved for this long, and print the nodes that block the rollout (default ${TERMINAL_PROGRESS_DEADLINE} on a terminal; off when stdout is not a terminal, as kubectl; 0 = off)`,
    )
    .option('-o, --output <format>', 'json: print one machine-readable summary at the end instead of progress lines')
    .usage('NAME [-n NS] [--watch=false] [--timeout DURATION] [--progress-deadline DURATION] [-o json]')
    .addHelpText(
      'after',
      `
Follows a DaemonSet rollout with the decisions, messages and exit codes of
\`kubectl rollout status daemonset/NAME\`: it watches the DaemonSet and, when stdout is not a terminal,
prints kubectl's line on every change ("Waiting for daemon set ... rollout to finish: 2 out of 5 new pods
have been updated...", "daemon set \\"NAME\\" successfully rolled out").
On a terminal it shows a live view instead: progress bars for updated and available pods, the elapsed
time, and each node whose new pod is not available yet with the reason (ImagePullBackOff, Pending: the
scheduler's message, CrashLoopBackOff with restarts, node NotReady, no pod yet).

DaemonSets have no progress deadline of their own; --progress-deadline adds one (default ${TERMINAL_PROGRESS_DEADLINE} on a
terminal, off otherwise so that scripts behave as with kubectl).

Several clusters (--context repeated, --contexts, --all-contexts): the rollout is followed on every
cluster at once (all watched together, whatever --parallel says), with kubectl's line prefixed by the
cluster ("prod-eu: daemon set ... successfully rolled out") each time a cluster's status changes, then
a table per cluster (CLUSTER OUTCOME UPDATED AVAILABLE DESIRED DETAIL) and, on stderr, the nodes that
block ("prod-us/node-3: ImagePullBackOff ..."). It ends when every cluster is done, or exits 1 naming
the clusters and nodes that block (an unreachable or forbidden cluster is one of them). --timeout and
--progress-deadline apply to each cluster. -o json: one document, the cluster on every record.

Exit codes: 0 rolled out (or --watch=false); 1 OnDelete strategy, --timeout reached, progress deadline
exceeded, DaemonSet deleted, or an API error; 2 usage error.

Examples:
  kubectl ds status fluentd -n logging
  kubectl ds status fluentd --timeout 5m                 # kubectl-compatible, with a time limit
  kubectl ds status fluentd --progress-deadline 2m       # fail fast when a node blocks the rollout
  kubectl ds status fluentd --watch=false                # one evaluation, exit 0
  kubectl ds status fluentd -o json | jq .blocking       # outcome, counts, blocking nodes and reasons
  kubectl ds status fluentd --contexts prod-eu,prod-us   # every cluster at once (see below)`,
    )
    .action(async (nameArg: string | undefined, opts: { watch: boolean; timeout: string; progressDeadline?: string; output?: string }, command: Command) => {
      const g = globalsOf(command);
      let name = nameArg;
      if (stray.name !== undefined) {
        if (name !== undefined) throw new UsageError(`invalid value "${stray.name}" for --watch: use --watch=true or --watch=false`);
        name = stray.name;
      }
      if (!name) throw new UsageError('a DaemonSet name is required: kubectl ds status NAME');
      const o = followOptions({ ...opts, json: checkOutputFormat(opts.output, ['json']) === 'json' }, g.color);
      if (isMultiCluster(g)) {
        const { followAcrossClusters } = await import('./follow.js');
        return followAcrossClusters(g, name, o);
      }
      const client = await import('../kube/client.js');
      const c = client.connect(g);
      // kubectl's first request (GET the DaemonSet) goes out before the code that follows the rollout is
      // loaded, which then loads while the answer is on its way. Not sooner: loading is synchronous, and
      // would hold up the connection's TLS handshake (it needs the event loop) and so the request.
      let sent!: () => void;
      const onItsWay = new Promise<void>((resolve) => (sent = resolve));
      const first = client.getJson(c, client.paths.daemonSet(c.namespace, name), {}, sent);
      await Promise.race([onItsWay, first.then(() => undefined, () => undefined)]); // errors: handled by followRollout
      const { followRollout } = await import('./follow.js');
      await followRollout(c, name, o, first);
    });
}
