import type { Command } from 'commander';
import { readDaemonSets } from '../cli/build-flags.js';
import { CliError, UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster } from '../cli/globals.js';
import type { Obj } from '../core/from-deployment.js';
import type { Cluster } from '../kube/client.js';
import type { WriteResult } from '../kube/multi.js';
import { out, toJson, warn } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';
import { parseDryRun, parseValidate } from './create.js';

interface ApplyOptions {
  filename?: string[];
  dryRun?: string | boolean;
  output?: string;
  fieldManager: string;
  forceConflicts?: boolean;
  validate?: string | boolean;
}

type Applied = Omit<WriteResult, 'cluster'> & { object?: Obj };

/** What an apply may change and a user cares about: everything but the server's bookkeeping and status. */
function content(o: Obj | undefined): string {
  if (!o) return '';
  const md = { ...((o.metadata ?? {}) as Obj) };
  for (const k of ['resourceVersion', 'managedFields', 'generation', 'uid', 'creationTimestamp', 'selfLink']) delete md[k];
  return JSON.stringify({ metadata: md, spec: o.spec });
}

/**
 * Server-side apply of each DaemonSet to one cluster: GET it (404: it will be created), PATCH with
 * application/apply-patch+yaml, and compare: created, configured (labels, annotations or spec changed)
 * or unchanged. A field another manager owns is a conflict (409), reported, never forced unless asked.
 */
async function applyAll(c: Cluster, objects: Obj[], q: Record<string, string | undefined>): Promise<Applied[]> {
  const client = await import('../kube/client.js');
  const results: Applied[] = [];
  for (const obj of objects) {
    const md = (obj.metadata ?? {}) as Obj;
    const namespace = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : c.namespace;
    const name = String(md.name);
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets/${encodeURIComponent(name)}`;
    try {
      let before: Obj | undefined;
      try {
        before = (await client.requestJson(c, 'GET', path)).body as Obj;
      } catch (e) {
        if (client.httpCode(e) !== 404) throw e;
      }
      const r = await client.requestJson(c, 'PATCH', path, q, { ...obj, metadata: { ...md, namespace } }, 'application/apply-patch+yaml');
      for (const w of r.warnings) warn(`Warning: ${w}`);
      const after = r.body as Obj;
      const result = before === undefined ? 'created' : content(before) === content(after) ? 'unchanged' : 'configured';
      results.push({ namespace, name, result, object: after, ...(q.dryRun ? { detail: 'server dry run' } : {}) });
    } catch (e) {
      const st = client.statusOf(e);
      let detail = st?.message ?? client.apiError(e, c, `apply daemonset ${name}`).message;
      if (client.httpCode(e) === 409 && st?.reason === 'Conflict' && !q.force) detail += ' (another field manager owns these fields: --force-conflicts takes them over)';
      results.push({ namespace, name, result: 'failed', detail });
    }
  }
  return results;
}

/** `kubectl ds apply -f FILE`: create or update DaemonSets from manifests, on one cluster or several. */
export function define(cmd: Command): void {
  cmd
    .option('-f, --filename <file>', "a manifest file with DaemonSets, or '-' for stdin (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option('--dry-run [strategy]', 'server: the API server checks and merges it, nothing is stored; none: apply')
    .option('-o, --output <format>', 'name: daemonset.apps/NAME per DaemonSet; json: the applied objects (several clusters: one record per cluster and DaemonSet)')
    .option('--field-manager <name>', "the field manager that owns the applied fields (kubectl's own for apply --server-side)", 'kubectl')
    .option('--force-conflicts', 'take over fields another field manager owns (otherwise such an apply fails with a conflict)')
    .option('--validate [mode]', 'strict (or true): the server rejects unknown or duplicate fields; warn: it warns; ignore (or false)')
    .usage('-f FILE [-n NS] [--dry-run=server] [--force-conflicts] [-o name|json] [--context A --context B | --all-contexts]')
    .addHelpText(
      'after',
      `
Applies the DaemonSets in the files with server-side apply (as 'kubectl apply --server-side', field
manager "kubectl"), and reports each as kubectl's client-side apply does: "daemonset.apps/NAME created"
(it did not exist), "configured" (its labels, annotations or spec changed) or "unchanged".
Files must hold only DaemonSets (apps/v1); anything else is refused before a request is sent.
A field that another manager set differently (for example with kubectl edit) is a conflict: the apply
fails for that DaemonSet and says so; --force-conflicts takes the fields over.

With several clusters it applies on each (--parallel at a time) and prints one row per cluster and
DaemonSet: CLUSTER, DAEMONSET, RESULT (created, configured, unchanged, failed), DETAIL (why it failed).
Nothing is retried; exit 1 if any cluster failed (the others are still applied).

Examples:
  kubectl ds apply -f fluentd.yaml -n logging
  kubectl ds apply -f fluentd.yaml --dry-run=server          # what would change, nothing stored
  kubectl ds apply -f fluentd.yaml --contexts prod-eu,prod-us,staging
  kubectl ds apply -f agents/ --all-contexts --context-selector '^prod-' -o json`,
    )
    .action(async (opts: ApplyOptions, command: Command) => {
      const g = globalsOf(command);
      if (!opts.filename?.length) throw new UsageError('-f FILE is required: the manifest with the DaemonSets to apply (or -f - for stdin)');
      const dryRun = parseDryRun(opts.dryRun);
      if (dryRun === 'client') throw new UsageError('--dry-run=client is not offered: use --dry-run=server (the API server merges the change and stores nothing)');
      const validation = parseValidate(opts.validate);
      const format = checkOutputFormat(opts.output, ['json', 'name']);
      const objects = readDaemonSets(opts.filename, g.namespace);
      const q = {
        fieldManager: opts.fieldManager,
        fieldValidation: validation,
        force: opts.forceConflicts ? 'true' : undefined,
        dryRun: dryRun === 'server' ? 'All' : undefined,
      };
      const { writeOnClusters } = await import('../kube/multi.js');
      if (isMultiCluster(g)) {
        if (format === 'name') throw new UsageError('with several clusters, -o json is the only output format (one record per cluster and DaemonSet)');
        const targets = objects.map((o) => ({ name: String((o.metadata as Obj).name), namespace: (o.metadata as Obj).namespace as string | undefined }));
        return writeOnClusters(g, 'apply', targets, async (c) => (await applyAll(c, objects, q)).map(({ object: _, ...r }) => r), format as 'json' | undefined);
      }
      const { connect } = await import('../kube/client.js');
      const results = await applyAll(connect(g), objects, q);
      const ok = results.filter((r) => r.result !== 'failed');
      const suffix = dryRun === 'server' ? ' (server dry run)' : '';
      if (format === 'json') {
        if (ok.length) out(toJson(ok.length === 1 ? ok[0]!.object : { apiVersion: 'v1', kind: 'List', items: ok.map((r) => r.object), metadata: { resourceVersion: '' } }));
      } else for (const r of ok) out(format === 'name' ? `daemonset.apps/${r.name}` : `daemonset.apps/${r.name} ${r.result}${suffix}`);
      const failed = results.filter((r) => r.result === 'failed');
      for (const r of failed.slice(0, -1)) warn(`error: daemonset.apps/${r.name}: ${r.detail}`);
      if (failed.length) throw new CliError(`daemonset.apps/${failed[failed.length - 1]!.name}: ${failed[failed.length - 1]!.detail}`);
    });
}
