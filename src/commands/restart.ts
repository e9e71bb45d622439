import type { Command } from 'commander';
import { CliError } from '../cli/errors.js';
import { globalsOf } from '../cli/globals.js';
import type { DaemonSetLike } from '../core/rollout.js';
import { out, warn } from '../output/print.js';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Go's time.Now().Format(time.RFC3339): seconds, and the local offset ("Z" for UTC). */
export function rfc3339Local(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  return off === 0 ? `${local}Z` : `${local}${off > 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

export function define(cmd: Command): void {
  cmd
    .argument('<name>', 'the DaemonSet')
    .option('-w, --watch', 'follow the rollout afterwards, as `kubectl ds status NAME`')
    .usage('NAME [-n NS] [--watch]')
    .addHelpText(
      'after',
      `
Restarts every daemon pod through a rolling update, as \`kubectl rollout restart\`: sets the pod template
annotation ${RESTARTED_AT} to the current time (strategic-merge patch, field manager
kubectl-rollout). With updateStrategy OnDelete nothing restarts until the pods are deleted.

Examples:
  kubectl ds restart fluentd -n logging
  kubectl ds restart fluentd --watch          # and follow the rollout until it ends`,
    )
    .action(async (name: string, opts: { watch?: boolean }, command: Command) => {
      const g = globalsOf(command);
      const { connect, apiError, getJson, paths, requestJson, PATCH } = await import('../kube/client.js');
      const c = connect(g);
      let ds: DaemonSetLike;
      try {
        ds = await getJson<DaemonSetLike>(c, paths.daemonSet(c.namespace, name));
      } catch (e) {
        throw apiError(e, c, `get daemonset ${name}`);
      }
      const now = rfc3339Local(new Date());
      // kubectl computes the patch against the object; the same timestamp twice makes an empty patch.
      if (ds.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === now) throw new CliError(`failed to create patch for ${name}: empty patch`);
      try {
        await requestJson(c, 'PATCH', paths.daemonSet(c.namespace, name), { fieldManager: 'kubectl-rollout' }, { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now } } } } }, PATCH.strategic);
      } catch (e) {
        throw apiError(e, c, `patch daemonset ${name}`);
      }
      out(`daemonset.apps/${name} restarted`);
      if (ds.spec?.updateStrategy?.type === 'OnDelete') {
        warn(`note: daemonset.apps/${name} uses updateStrategy OnDelete: each pod restarts only when it is deleted`);
        return;
      }
      if (opts.watch) {
        const [{ followRollout }, { followOptions }] = await Promise.all([import('./follow.js'), import('./status.js')]);
        await followRollout(c, name, followOptions({}, g.color));
      } else {
        const { followHint } = await import('./undo.js');
        followHint(name, c.namespace, g.color);
      }
    });
}
