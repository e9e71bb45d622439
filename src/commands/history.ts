import type { Command } from 'commander';
import { CliError, ExitCode, UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster } from '../cli/globals.js';
import { humanAge } from '../cli/duration.js';
import type { Cluster } from '../kube/client.js';
import { formatSelector } from '../core/labels.js';
import { unifiedHunks } from '../core/linediff.js';
import {
  changeCause,
  currentRevision,
  ownedRevisions,
  revisionTemplate,
  templateImages,
  type DaemonSetLike,
  type RevisionLike,
} from '../core/rollout.js';
import { formatObjects, out, painter, renderTable, toYaml } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

export interface History {
  ds: DaemonSetLike;
  /** The ControllerRevisions the DaemonSet controls, by revision number ascending. */
  revisions: RevisionLike[];
}

/**
 * The DaemonSet and its history, as kubectl reads them: GET the DaemonSet, list ControllerRevisions by
 * the DaemonSet's selector, keep those it controls.
 */
export async function loadHistory(c: Cluster, name: string): Promise<History> {
  const { apiError, getJson, listJson, paths } = await import('../kube/client.js');
  let ds: DaemonSetLike;
  try {
    ds = await getJson<DaemonSetLike>(c, paths.daemonSet(c.namespace, name));
  } catch (e) {
    throw apiError(e, c, `get daemonset ${name}`);
  }
  try {
    const labelSelector = formatSelector(ds.spec?.selector);
    const l = await listJson<RevisionLike>(c, paths.controllerRevisions(c.namespace), { labelSelector });
    return { ds, revisions: ownedRevisions(l.items, ds) };
  } catch (e) {
    throw apiError(e, c, `list controllerrevisions of daemonset ${name}`);
  }
}

/** A list item as a whole object: with its kind, which list items leave out. */
function wire(r: RevisionLike): unknown {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', ...r };
}

/** A revision number flag: a positive integer (0 allowed where `zero` says so). */
export function parseRevision(value: string, flag: string, zero = false): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`invalid value "${value}" for ${flag}: a revision number is an integer`);
  const n = Number(value);
  if (n < 0 || (!zero && n === 0)) throw new UsageError(`revision must be a positive integer: ${value}`);
  return n;
}

/** `--diff A..B` (or `A`, meaning A against the current revision). */
function parseDiff(value: string): { a: number; b?: number } {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)?)?\s*$/.exec(value);
  if (!m) throw new UsageError(`invalid value "${value}" for --diff: use two revision numbers, e.g. --diff 2..4 (or --diff 2 for 2 against the current one)`);
  return { a: Number(m[1]), b: m[2] !== undefined ? Number(m[2]) : undefined };
}

export function define(cmd: Command): void {
  cmd
    .argument('<name>', 'the DaemonSet')
    .option('--revision <n>', "show this revision's pod template")
    .option('--diff <a..b>', 'show what changed in the pod template from revision A to revision B (A alone: A to the current one)')
    .option('-o, --output <format>', 'yaml or json: the ControllerRevision objects (with --revision: that one)')
    .usage('NAME [-n NS] [--revision N | --diff A..B] [-o yaml|json]')
    .addHelpText(
      'after',
      `
Lists the DaemonSet's revisions as \`kubectl rollout history\` finds them (ControllerRevisions selected by
the DaemonSet's selector and controlled by it): REVISION, CHANGE-CAUSE (the kubernetes.io/change-cause
annotation), AGE, IMAGES, and CURRENT (*) for the revision whose pod template the DaemonSet has now.

Examples:
  kubectl ds history fluentd -n logging
  kubectl ds history fluentd --revision 3          # that revision's pod template
  kubectl ds history fluentd --diff 2..3           # what changed between two revisions
  kubectl ds history fluentd --diff 2              # revision 2 against the current one
  kubectl ds history fluentd -o yaml               # the ControllerRevisions
  kubectl ds history fluentd --contexts prod-eu,prod-us   # every cluster's revisions, a CLUSTER column

Several clusters (--context repeated, --contexts, --all-contexts) list every cluster's revisions in one
table with a CLUSTER column; -o json|yaml gives one record per cluster and revision, each naming its
cluster. A cluster that cannot be read is reported on stderr (exit 1) and the others are listed.`,
    )
    .action(async (name: string, opts: { revision?: string; diff?: string; output?: string }, command: Command) => {
      const g = globalsOf(command);
      const format = checkOutputFormat(opts.output, ['yaml', 'json']) as 'yaml' | 'json' | undefined;
      const revision = opts.revision !== undefined ? parseRevision(opts.revision, '--revision', true) : 0;
      const diff = opts.diff !== undefined ? parseDiff(opts.diff) : undefined;
      if (diff && opts.revision !== undefined) throw new UsageError('--revision and --diff cannot be used together');
      if (diff && format) throw new UsageError('--diff prints a text diff; it cannot be combined with -o');
      if (isMultiCluster(g)) {
        if (diff || opts.revision !== undefined) throw new UsageError('--revision and --diff read one cluster: give a single --context (several contexts list the revisions of each)');
        return historyAcrossClusters(g, name, format);
      }
      const { connect } = await import('../kube/client.js');
      const c = connect(g);
      const { ds, revisions } = await loadHistory(c, name);
      const p = painter(process.stdout, g.color);
      const find = (n: number) => revisions.find((r) => r.revision === n);

      if (revisions.length === 0) {
        if (format) return out(formatObjects([], format));
        out(`daemonset.apps/${name}`);
        return out('No rollout history found.');
      }
      const current = currentRevision(revisions, ds);

      if (diff) {
        const b = diff.b ?? current?.revision;
        if (b === undefined) throw new CliError('the current pod template has no revision yet (the controller has not recorded it); give both revisions: --diff A..B');
        const ra = find(diff.a);
        const rb = find(b);
        if (!ra || !rb) throw new CliError(`unable to find the specified revision ${!ra ? diff.a : b}`);
        const ya = toYaml(revisionTemplate(ra) ?? {}).trimEnd().split('\n');
        const yb = toYaml(revisionTemplate(rb) ?? {}).trimEnd().split('\n');
        const hunks = unifiedHunks(ya, yb);
        if (hunks.length === 0) return out(`revisions ${diff.a} and ${b} of daemonset.apps/${name} have the same pod template`);
        const lines = [p.bold(`--- daemonset.apps/${name} revision ${diff.a}`), p.bold(`+++ daemonset.apps/${name} revision ${b}`)];
        for (const h of hunks) {
          lines.push(p.cyan(h.header));
          for (const l of h.lines) lines.push(l.op === '-' ? p.red(`-${l.line}`) : l.op === '+' ? p.green(`+${l.line}`) : ` ${l.line}`);
        }
        return out(lines.join('\n'));
      }

      if (revision > 0) {
        const r = find(revision);
        if (!r) throw new CliError('unable to find the specified revision');
        if (format) return out(formatObjects([wire(r)], format));
        const created = r.metadata?.creationTimestamp;
        const body = toYaml(revisionTemplate(r) ?? {})
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n');
        return out(
          [
            `daemonset.apps/${name} with revision #${revision}${r === current ? ' (current)' : ''}`,
            `Change-cause:  ${changeCause(r)}`,
            `Created:       ${created ? `${humanAge(Date.now() - new Date(created).getTime())} ago` : '<unknown>'}`,
            'Pod Template:',
            body,
          ].join('\n'),
        );
      }

      if (format) return out(formatObjects(revisions.map(wire), format));
      const rows = revisions.map((r) => [
        r.revision ?? 0,
        changeCause(r),
        r.metadata?.creationTimestamp ? humanAge(Date.now() - new Date(r.metadata.creationTimestamp).getTime()) : '<unknown>',
        templateImages(revisionTemplate(r)),
        r === current ? p.green('*') : '',
      ]);
      out(`daemonset.apps/${name}`);
      out(renderTable(['REVISION', 'CHANGE-CAUSE', 'AGE', 'IMAGES', 'CURRENT'], rows));
      if (!current) out(p.dim('(no revision holds the current pod template yet: the controller has not recorded it)'));
    });
}

/** One row of a revision list: what the table shows, as data. */
function revisionRow(r: RevisionLike, current: RevisionLike | undefined) {
  return {
    revision: r.revision ?? 0,
    changeCause: changeCause(r),
    created: r.metadata?.creationTimestamp ? new Date(r.metadata.creationTimestamp).toISOString() : null,
    images: templateImages(revisionTemplate(r)),
    current: r === current,
  };
}

/** `history NAME` on several clusters: one table with a CLUSTER column, or one record per cluster and revision. */
async function historyAcrossClusters(g: import('../cli/globals.js').Globals, name: string, format: 'yaml' | 'json' | undefined): Promise<void> {
  const { resolveContexts, forEachCluster } = await import('../kube/multi.js');
  const results = await forEachCluster(g, resolveContexts(g), (c) => loadHistory(c, name), `get daemonset ${name}`);
  const per = results.map((r) => (r.ok ? { cluster: r.context, rows: r.value.revisions.map((x) => revisionRow(x, currentRevision(r.value.revisions, r.value.ds))) } : { cluster: r.context, error: r.error }));
  if (format) {
    const doc = {
      kind: 'DaemonSetHistoryList',
      name,
      items: per.map((x) => ('error' in x ? { cluster: x.cluster, error: x.error } : { cluster: x.cluster, revisions: x.rows.map((row) => ({ cluster: x.cluster, ...row })) })),
    };
    out(format === 'json' ? `${JSON.stringify(doc, null, 4)}\n` : toYaml(doc));
  } else {
    const p = painter(process.stdout, g.color);
    const rows: (string | number)[][] = [];
    for (const x of per) {
      if ('error' in x) continue;
      if (!x.rows.length) rows.push([x.cluster, '<none>', '', '', '', '']);
      for (const r of x.rows) rows.push([x.cluster, r.revision, r.changeCause, r.created ? humanAge(Date.now() - new Date(r.created).getTime()) : '<unknown>', r.images, r.current ? p.green('*') : '']);
    }
    out(`daemonset.apps/${name}`);
    if (rows.length) out(renderTable(['CLUSTER', 'REVISION', 'CHANGE-CAUSE', 'AGE', 'IMAGES', 'CURRENT'], rows));
  }
  const failed = per.filter((x) => 'error' in x) as { cluster: string; error: string }[];
  for (const f of failed) process.stderr.write(`error: cluster "${f.cluster}": ${f.error}\n`);
  if (failed.length) throw new ExitCode(1);
}
