/**
 * Working on several clusters at once: which contexts (--context repeated, --contexts, --all-contexts
 * with --context-selector), and a runner that works on them in parallel with a bound (--parallel),
 * where one unreachable or forbidden cluster never stops the others.
 */
import { CliError, UsageError } from '../cli/errors.js';
import type { Globals } from '../cli/globals.js';
import { apiError, connect, type Cluster } from './client.js';
import { loadKubeconfig } from './kubeconfig.js';

/** The context names the flags select, in kubeconfig order for --all-contexts, as given otherwise. */
export function resolveContexts(g: Globals): string[] {
  const source = loadKubeconfig({ kubeconfig: g.kubeconfig });
  const known = source.config.contexts.map((c) => c.name);
  if (g.allContexts) {
    let re: RegExp | undefined;
    if (g.contextSelector !== undefined) {
      try {
        re = new RegExp(g.contextSelector);
      } catch (e) {
        throw new UsageError(`invalid --context-selector "${g.contextSelector}": ${(e as Error).message}`);
      }
    }
    const names = known.filter((n) => !re || re.test(n));
    if (names.length === 0) throw new CliError(`no context in the kubeconfig matches --context-selector "${g.contextSelector}" (contexts: ${known.join(', ')})`);
    return names;
  }
  if (g.contexts.length) {
    const unknown = g.contexts.filter((c) => !known.includes(c));
    if (unknown.length) throw new CliError(`context${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} not found in the kubeconfig (known: ${known.join(', ')})`);
    return g.contexts;
  }
  const current = source.config['current-context'];
  if (!current) throw new CliError(`no current context is set in the kubeconfig; pass --context (known contexts: ${known.join(', ') || 'none'})`);
  return [current];
}

export type ClusterResult<R> = { context: string; ok: true; value: R } | { context: string; ok: false; error: string };

/**
 * Runs `work` once per context, at most `g.parallel` at a time. Each cluster gets its own client (and so
 * its own --request-timeout per request); a failure becomes that cluster's one-line error and the others
 * go on. Results come back in the order of `contexts`.
 */
export async function forEachCluster<R>(
  g: Globals,
  contexts: string[],
  work: (c: Cluster) => Promise<R>,
  what = 'request',
): Promise<ClusterResult<R>[]> {
  const results: ClusterResult<R>[] = new Array(contexts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < contexts.length) {
      const i = next++;
      const context = contexts[i]!;
      let cluster: Cluster | undefined;
      try {
        cluster = connect(g, { context });
        results[i] = { context, ok: true, value: await work(cluster) };
      } catch (e) {
        const err = cluster ? apiError(e, cluster, what) : e instanceof Error ? e : new Error(String(e));
        results[i] = { context, ok: false, error: err.message.replace(/^error: /, '') };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(g.parallel, contexts.length) }, worker));
  return results;
}

/** What happened to one object on one cluster, for the writing commands (create, apply). */
export interface WriteResult {
  cluster: string;
  namespace: string;
  name: string;
  result: 'created' | 'configured' | 'unchanged' | 'failed';
  /** Why it failed, or what qualified it (server dry run). */
  detail?: string;
}

/**
 * Runs a write (`perCluster` returns one WriteResult per object, without the cluster) on every
 * selected cluster and prints one table, CLUSTER DAEMONSET RESULT DETAIL, or with -o json one document
 * with the cluster on every record. A cluster that cannot be reached gets a failed row per object.
 * Nothing is retried. Exit 1 (CliError) naming the failed clusters when any row failed.
 */
export async function writeOnClusters(
  g: Globals,
  operation: 'create' | 'apply',
  objects: { namespace?: string; name: string }[],
  perCluster: (c: Cluster) => Promise<Omit<WriteResult, 'cluster'>[]>,
  format: 'json' | undefined,
): Promise<void> {
  const { out, renderTable, toJson, painter } = await import('../output/print.js');
  const contexts = resolveContexts(g);
  const per = await forEachCluster(g, contexts, perCluster, `${operation} daemonset`);
  const rows: WriteResult[] = [];
  for (const r of per) {
    if (r.ok) rows.push(...r.value.map((v) => ({ cluster: r.context, ...v })));
    else for (const o of objects) rows.push({ cluster: r.context, namespace: o.namespace ?? '', name: o.name, result: 'failed', detail: r.error });
  }
  if (format === 'json') {
    out(toJson({ kind: 'DaemonSetWriteResults', operation, items: rows.map((r) => ({ cluster: r.cluster, namespace: r.namespace, name: r.name, result: r.result, ...(r.detail ? { detail: r.detail } : {}) })) }));
  } else {
    const p = painter(process.stdout, g.color);
    const paint = (s: WriteResult['result']) => (s === 'failed' ? p.red(s) : s === 'unchanged' ? s : p.green(s));
    out(renderTable(['CLUSTER', 'DAEMONSET', 'RESULT', 'DETAIL'], rows.map((r) => [r.cluster, r.namespace ? `${r.namespace}/${r.name}` : r.name, paint(r.result), r.detail ?? ''])));
  }
  const failed = [...new Set(rows.filter((r) => r.result === 'failed').map((r) => r.cluster))];
  if (failed.length) {
    const rest = failed.length < contexts.length ? 'the others were done; ' : '';
    throw new CliError(`${operation} failed on ${failed.length} of ${contexts.length} cluster${contexts.length > 1 ? 's' : ''}: ${failed.join(', ')} (${rest}nothing was retried)`);
  }
}
