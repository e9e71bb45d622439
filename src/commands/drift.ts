import type { Command } from 'commander';
import { CliError, ExitCode, UsageError } from '../cli/errors.js';
import { globalsOf } from '../cli/globals.js';
import { compareDaemonSets, type ClusterCopy, type DaemonSetLike } from '../core/drift.js';
import { out, painter, renderTable, toJson, toYaml } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

/** `kubectl ds drift NAME`: is the DaemonSet the same on every selected cluster? */
export function define(cmd: Command): void {
  cmd
    .argument('<name>', 'the DaemonSet to compare')
    .option('-o, --output <format>', 'json or yaml: the report for scripts, with the cluster on every record')
    .usage('NAME (--context A --context B | --contexts A,B | --all-contexts [--context-selector RE]) [-n NS] [-o json|yaml]')
    .addHelpText(
      'after',
      `
Compares the DaemonSet across clusters: selector, update strategy, minReadySeconds and the pod template
(images, tolerations, node selector, resources, ...). Prints each field that differs with its value on
every cluster. Exit 0 when every cluster has the same DaemonSet; 1 when it differs, is missing somewhere,
or a cluster could not be read (the others are still compared).

Examples:
  kubectl ds drift fluentd -n logging --contexts prod-eu,prod-us,staging
  kubectl ds drift node-exporter --all-contexts --context-selector '^prod-'
  kubectl ds drift fluentd --context a --context b -o json`,
    )
    .action(async (name: string, opts: { output?: string }, command: Command) => {
      const g = globalsOf(command);
      const format = checkOutputFormat(opts.output, ['json', 'yaml']);
      const { resolveContexts, forEachCluster } = await import('../kube/multi.js');
      const contexts = resolveContexts(g);
      if (contexts.length < 2) throw new UsageError('drift compares clusters: give at least two contexts (--contexts a,b, --context repeated, or --all-contexts)');
      const results = await forEachCluster(
        g,
        contexts,
        async (c) => {
          const { getJson, httpCode, paths } = await import('../kube/client.js');
          try {
            return { namespace: c.namespace, ds: await getJson<DaemonSetLike>(c, paths.daemonSet(c.namespace, name)) };
          } catch (e) {
            if (httpCode(e) === 404) return { namespace: c.namespace, ds: undefined };
            throw e;
          }
        },
        `get daemonset ${name}`,
      );
      const copies: ClusterCopy[] = [];
      for (const r of results) if (r.ok) copies.push({ cluster: r.context, daemonSet: r.value.ds });
      const report = compareDaemonSets(copies);
      const failed = results.filter((r) => !r.ok) as { context: string; error: string }[];
      const namespaces = new Map(results.filter((r) => r.ok).map((r) => [r.context, (r as { value: { namespace: string } }).value.namespace]));

      if (format) {
        const doc = {
          kind: 'DaemonSetDrift',
          name,
          same: report.same && failed.length === 0,
          clusters: results.map((r) => ({
            cluster: r.context,
            ...(r.ok ? { namespace: r.value.namespace, present: r.value.ds !== undefined } : { error: r.error }),
          })),
          differences: report.differences.map((d) => ({ path: d.path, values: d.values.map((v) => ({ cluster: v.cluster, value: v.value ?? null })) })),
        };
        out(format === 'json' ? toJson(doc) : toYaml(doc));
      } else {
        const p = painter(process.stdout, g.color);
        const nsList = [...new Set(namespaces.values())];
        const where = nsList.length === 1 ? `in namespace "${nsList[0]}"` : 'in the namespaces of each context';
        for (const f of failed) process.stderr.write(`error: context "${f.context}": ${f.error}\n`);
        if (report.absent.length) out(p.red(`daemonset.apps/${name} not found on: ${report.absent.join(', ')}`));
        if (report.present.length === 0) {
          if (!failed.length) throw new CliError(`daemonset.apps/${name} was found on none of the clusters (${contexts.join(', ')})`);
        } else if (report.differences.length === 0) {
          const msg = `daemonset.apps/${name} ${where} is the same on ${report.present.length} cluster${report.present.length > 1 ? 's' : ''}: ${report.present.join(', ')}`;
          out(report.absent.length || failed.length ? msg : p.green(msg));
        } else {
          out(`daemonset.apps/${name} ${where}: ${report.differences.length} field${report.differences.length > 1 ? 's differ' : ' differs'} across ${report.present.join(', ')}`);
          const rows = report.differences.map((d) => [d.path, ...d.values.map((v) => (v.value === undefined ? p.dim('<unset>') : v.value))]);
          out(renderTable(['FIELD', ...report.present.map((c) => c.toUpperCase())], rows));
        }
      }
      if (!report.same || failed.length) throw new ExitCode(1);
    });
}
