import type { Command } from 'commander';
import { CliError, UsageError } from '../cli/errors.js';
import { globalsOf } from '../cli/globals.js';
import { planUndo } from '../core/rollout.js';
import { out, painter, toYaml } from '../output/print.js';

/** kubectl's --dry-run values; a bare --dry-run is not accepted (kubectl deprecated it). */
export function parseDryRun(value: string): 'none' | 'client' | 'server' {
  if (value === 'none' || value === 'client' || value === 'server') return value;
  throw new UsageError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** On a terminal, after a change that starts a rollout: how to follow it. */
export function followHint(name: string, namespace: string, color: boolean): void {
  if (process.stdout.isTTY !== true) return;
  out(painter(process.stdout, color).dim(`Follow the rollout with: kubectl ds status ${name} -n ${namespace}   (or add --watch)`));
}

export function define(cmd: Command): void {
  cmd
    .argument('<name>', 'the DaemonSet')
    .option('--to-revision <n>', 'the revision to roll back to (default 0: the previous revision)', '0')
    .option('--dry-run <mode>', 'none, client (print the template it would roll back to) or server (the API server checks the change, nothing is saved)', 'none')
    .option('-w, --watch', 'follow the rollout afterwards, as `kubectl ds status NAME`')
    .usage('NAME [-n NS] [--to-revision N] [--dry-run=none|client|server] [--watch]')
    .addHelpText(
      'after',
      `
Rolls the DaemonSet's pod template back to an earlier revision exactly as \`kubectl rollout undo\` does:
a strategic-merge PATCH with the revision's template ("$patch: replace"). Nothing is sent when the
current template already matches (skipped rollback). The controller then rolls the pods as for any
template change; \`kubectl ds status NAME\` (or --watch) follows it.

Examples:
  kubectl ds undo fluentd -n logging                    # back to the previous revision
  kubectl ds undo fluentd --to-revision 3
  kubectl ds undo fluentd --to-revision 3 --dry-run=client   # show the template it would restore
  kubectl ds undo fluentd --watch                       # and follow the rollout until it ends`,
    )
    .action(async (name: string, opts: { toRevision: string; dryRun: string; watch?: boolean }, command: Command) => {
      const g = globalsOf(command);
      const { parseRevision, loadHistory } = await import('./history.js');
      const toRevision = parseRevision(opts.toRevision, '--to-revision', true);
      const dryRun = parseDryRun(opts.dryRun);
      const { connect, apiError, statusOf, paths, requestJson, PATCH } = await import('../kube/client.js');
      const c = connect(g);
      const { ds, revisions } = await loadHistory(c, name);
      const plan = planUndo(revisions, ds, toRevision);
      const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
      if (plan.kind === 'error') throw new CliError(plan.message);
      if (dryRun === 'client') {
        // As kubectl: the client dry run shows the target template and does not check for a match.
        const body = toYaml(plan.kind === 'patch' ? plan.template : ds.spec?.template)
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n');
        return out(`daemonset.apps/${name} will roll back to Pod Template:\n${body}\n${suffix}`);
      }
      if (plan.kind === 'skip') return out(`daemonset.apps/${name} ${plan.message}${suffix}`);
      try {
        await requestJson(c, 'PATCH', paths.daemonSet(c.namespace, name), { fieldManager: 'kubectl-ds', dryRun: dryRun === 'server' ? 'All' : undefined }, plan.patch, PATCH.strategic);
      } catch (e) {
        const st = statusOf(e);
        throw new CliError(`failed restoring revision ${toRevision}: ${st?.message ?? apiError(e, c, `patch daemonset ${name}`).message}`, { cause: e });
      }
      out(`daemonset.apps/${name} rolled back${suffix}`);
      if (dryRun !== 'none') return;
      if (opts.watch) {
        const [{ followRollout }, { followOptions }] = await Promise.all([import('./follow.js'), import('./status.js')]);
        await followRollout(c, name, followOptions({}, g.color));
      } else followHint(name, c.namespace, g.color);
    });
}
