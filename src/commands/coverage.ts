import type { Command } from 'commander';
import type { ChalkInstance } from 'chalk';
import { CliError, ExitCode, UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster, type Globals } from '../cli/globals.js';
import { humanAge } from '../cli/duration.js';
import {
  clusterTotals,
  computeCoverage,
  coverageMatrix,
  coverageRecord,
  isProblem,
  LEGEND,
  problemList,
  type Coverage,
  type NodeRow,
} from '../core/coverage.js';
import { formatSelector, parseSelector } from '../core/labels.js';
import { currentRevision, ownedRevisions, revisionHash, type DaemonSetLike, type NodeLike, type PodLike, type RevisionLike } from '../core/rollout.js';
import { out, painter, renderTable, toJson, toYaml, warn } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';
import type { Cluster } from '../kube/client.js';

interface Opts {
  allNamespaces?: boolean;
  selector?: string;
  nodeSelector?: string;
  nodes?: string;
  problems?: boolean;
  output?: string;
  watch?: boolean;
}

/** What one cluster holds for the command: its DaemonSets and their coverage over the same nodes. */
interface ClusterView {
  coverages: Coverage[];
  nodes: number;
}

const DS_PATH = (ns: string | undefined) => (ns ? `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets` : '/apis/apps/v1/daemonsets');
const POD_PATH = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;
const REV_PATH = (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`;

/** `kubectl ds coverage [NAME]`: which nodes run the daemon, which should and don't, and why. */
export function define(cmd: Command): void {
  cmd
    .argument('[name]', 'the DaemonSet (without it: every DaemonSet of the namespace, or of all with -A)')
    .option('-A, --all-namespaces', 'every DaemonSet in every namespace')
    .option('-l, --selector <selector>', 'only the DaemonSets with these labels (e.g. app=agent,tier!=test)')
    .option('--node-selector <selector>', 'only the nodes with these labels (e.g. node-role.kubernetes.io/worker)')
    .option('--nodes <names>', 'only these nodes (comma-separated names)')
    .option('--problems', 'only the nodes (and DaemonSets) with something wrong')
    .option('-o, --output <format>', 'wide (pod IP, revision, node taints), json or yaml (the documented schema)')
    .option('-w, --watch', 'keep watching and redraw as nodes, pods and DaemonSets change (from watch events)')
    .usage('[NAME] [-n NS | -A] [-l SELECTOR] [--node-selector SEL] [--nodes a,b] [--problems] [-o wide|json|yaml] [-w]')
    .addHelpText(
      'after',
      `
For one DaemonSet: a row per node with SHOULD RUN, WHY NOT (the rule that excludes the node: a taint
that is not tolerated, a nodeSelector label, required node affinity, a NotReady node, the template's
nodeName), the pod and its STATUS (Running, Pending with the scheduler's reason, ImagePullBackOff,
CrashLoopBackOff, Terminating, MISSING, MISSCHEDULED), READY, UP-TO-DATE (against the current revision),
RESTARTS and AGE; then the summary as \`kubectl get ds\` counts it and one line saying what is wrong.
Eligibility follows the DaemonSet controller exactly, including the tolerations it adds to daemon pods.

Without NAME: a matrix of nodes x DaemonSets with one glyph per cell and COVERED (covered/eligible) per
DaemonSet; on a terminal too narrow for it, the list of problems instead.

Several clusters (--context repeated, --contexts, --all-contexts): a CLUSTER column and a cross-cluster
summary (nodes covered out of eligible, per cluster and in total); an unreachable cluster is reported
and the others are shown.

Exit status: 0 when every eligible node runs a ready, up-to-date pod and nothing is misscheduled
(no duplicates, no stray pods); 1 otherwise, when a DaemonSet does not exist, or when a cluster could
not be read; 2 for usage errors.

Examples:
  kubectl ds coverage fluentd -n logging
  kubectl ds coverage fluentd -n logging -o wide
  kubectl ds coverage fluentd -n logging --problems
  kubectl ds coverage -A                               # every DaemonSet: the matrix
  kubectl ds coverage -A -l tier=node-agent --problems
  kubectl ds coverage fluentd --nodes node-1,node-2
  kubectl ds coverage fluentd --node-selector disktype=ssd -o json
  kubectl ds coverage fluentd --contexts prod-eu,prod-us
  kubectl ds coverage fluentd -n logging --watch`,
    )
    .action(async (name: string | undefined, opts: Opts, command: Command) => {
      const g = globalsOf(command);
      const format = checkOutputFormat(opts.output, ['wide', 'json', 'yaml']);
      if (name && opts.selector !== undefined) throw new UsageError('name cannot be provided when a selector is specified');
      if (name && opts.allNamespaces) throw new UsageError('a DaemonSet name cannot be combined with -A (--all-namespaces): give -n NAMESPACE instead');
      for (const [flag, v] of [['-l', opts.selector], ['--node-selector', opts.nodeSelector]] as const) {
        if (v === undefined) continue;
        try {
          parseSelector(v);
        } catch (e) {
          throw new UsageError(`invalid ${flag} "${v}": ${(e as Error).message}`);
        }
      }
      const nodeNames = opts.nodes !== undefined ? opts.nodes.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      if (nodeNames && nodeNames.length === 0) throw new UsageError('--nodes needs at least one node name');

      const { resolveContexts, forEachCluster } = await import('../kube/multi.js');
      const multi = isMultiCluster(g);
      if (opts.watch) {
        if (multi) throw new UsageError('--watch works on one cluster at a time: give a single --context');
        if (format === 'json' || format === 'yaml') throw new UsageError('--watch draws tables: it cannot be combined with -o json|yaml');
        const { connect } = await import('../kube/client.js');
        return watchCoverage(connect(g), g, name, opts, nodeNames, format);
      }
      const contexts = multi ? resolveContexts(g) : [undefined];
      const gather = async (c: Cluster) => {
        const state = await load(c, name, opts, nodeNames);
        return view(state, name, nodeNames, opts);
      };
      let results: { context: string; ok: boolean; value?: ClusterView; error?: string }[];
      if (multi) {
        results = await forEachCluster(g, contexts as string[], gather, name ? `get daemonset ${name}` : 'list daemonsets');
      } else {
        const { connect, apiError } = await import('../kube/client.js');
        const c = connect(g);
        try {
          results = [{ context: c.contextName, ok: true, value: await gather(c) }];
        } catch (e) {
          throw apiError(e, c, name ? `get daemonset ${name}` : 'list daemonsets');
        }
      }
      const failed = results.filter((r) => !r.ok);
      const okResults = results.filter((r) => r.ok) as { context: string; value: ClusterView }[];
      const allOk = failed.length === 0 && okResults.every((r) => r.value.coverages.every((c) => c.ok));

      if (format === 'json' || format === 'yaml') {
        const totals = clusterTotals(okResults.map((r) => ({ cluster: r.context, coverages: r.value.coverages })));
        const doc = {
          apiVersion: 'kubectl-ds/v1',
          kind: 'DaemonSetCoverage',
          ok: allOk,
          items: okResults.flatMap((r) => r.value.coverages.map((c) => coverageRecord(c, r.context))),
          clusters: results.map((r) => {
            const t = totals.clusters.find((x) => x.cluster === r.context);
            return r.ok ? { cluster: r.context, ok: t!.ok, daemonSets: t!.daemonSets, eligible: t!.eligible, covered: t!.covered, problems: t!.problems } : { cluster: r.context, ok: false, error: r.error };
          }),
          total: { daemonSets: totals.total.daemonSets, eligible: totals.total.eligible, covered: totals.total.covered, problems: totals.total.problems },
        };
        out(format === 'json' ? toJson(doc) : toYaml(doc));
      } else {
        const p = painter(process.stdout, g.color);
        const text = renderText(okResults.map((r) => ({ cluster: multi ? r.context : undefined, view: r.value })), { name, opts, wide: format === 'wide', p, namespaceShown: !!opts.allNamespaces });
        if (text) out(text);
        for (const f of failed) warn(`error: context "${f.context}": ${f.error}`);
        if (multi) {
          const totals = clusterTotals(okResults.map((r) => ({ cluster: r.context, coverages: r.value.coverages })));
          const rows: (string | number)[][] = results.map((r) => {
            const t = totals.clusters.find((x) => x.cluster === r.context);
            return t ? [r.context, t.daemonSets, `${t.covered}/${t.eligible}`, t.problems, t.ok ? p.green('ok') : p.red('problems')] : [r.context, '-', '-', '-', p.red('unreachable')];
          });
          rows.push(['TOTAL', totals.total.daemonSets, `${totals.total.covered}/${totals.total.eligible}`, totals.total.problems, allOk ? p.green('ok') : p.red(failed.length ? `${failed.length} cluster${failed.length > 1 ? 's' : ''} failed` : 'problems')]);
          out(`\nAcross ${results.length} clusters:\n${renderTable(['CLUSTER', 'DAEMONSETS', 'COVERED', 'PROBLEMS', 'STATE'], rows)}`);
        }
      }
      if (!allOk) throw new ExitCode(1);
    });
}

// ---------------------------------------------------------------------------------------------------
// Reading a cluster

interface State {
  daemonSets: DaemonSetLike[];
  nodes: NodeLike[];
  /** Pods per DaemonSet (namespace/name), by its selector. */
  pods: Map<string, PodLike[]>;
  revisions: Map<string, RevisionLike[]>;
}

const keyOf = (ds: DaemonSetLike) => `${ds.metadata?.namespace}/${ds.metadata?.name}`;

async function runBounded<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The DaemonSet's pods (by its selector, as the controller finds them) and its ControllerRevisions. */
async function loadOwned(c: Cluster, ds: DaemonSetLike): Promise<{ pods: PodLike[]; revisions: RevisionLike[] }> {
  const { listJson } = await import('../kube/client.js');
  const ns = ds.metadata?.namespace ?? c.namespace;
  const sel = ds.spec?.selector;
  if (sel == null) return { pods: [], revisions: [] };
  const labelSelector = formatSelector(sel) || undefined;
  const [pods, revs] = await Promise.all([listJson<PodLike>(c, POD_PATH(ns), { labelSelector }), listJson<RevisionLike>(c, REV_PATH(ns), { labelSelector })]);
  return { pods: pods.items, revisions: revs.items };
}

async function load(c: Cluster, name: string | undefined, opts: Opts, nodeNames: string[] | undefined): Promise<State> {
  const { listJson, requestJson, httpCode } = await import('../kube/client.js');
  let daemonSets: DaemonSetLike[];
  const nodesP = listJson<NodeLike>(c, '/api/v1/nodes', { labelSelector: opts.nodeSelector });
  nodesP.catch(() => undefined); // awaited below; a failure that comes first must not be "unhandled"
  if (name) {
    try {
      daemonSets = [(await requestJson(c, 'GET', `${DS_PATH(c.namespace)}/${encodeURIComponent(name)}`)).body as DaemonSetLike];
    } catch (e) {
      if (httpCode(e) === 404) throw new CliError(`daemonsets.apps "${name}" not found in namespace "${c.namespace}"`);
      throw e;
    }
  } else {
    daemonSets = (await listJson<DaemonSetLike>(c, DS_PATH(opts.allNamespaces ? undefined : c.namespace), { labelSelector: opts.selector })).items;
    daemonSets.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }
  const pods = new Map<string, PodLike[]>();
  const revisions = new Map<string, RevisionLike[]>();
  await runBounded(daemonSets, 4, async (ds) => {
    const o = await loadOwned(c, ds);
    pods.set(keyOf(ds), o.pods);
    revisions.set(keyOf(ds), o.revisions);
  });
  let nodes = (await nodesP).items;
  if (nodeNames) {
    const known = new Set(nodes.map((n) => n.metadata?.name));
    const unknown = nodeNames.filter((n) => !known.has(n));
    if (unknown.length) throw new CliError(`node${unknown.length > 1 ? 's' : ''} not found${opts.nodeSelector ? ` (with --node-selector ${opts.nodeSelector})` : ''}: ${unknown.join(', ')}`);
    const wanted = new Set(nodeNames);
    nodes = nodes.filter((n) => wanted.has(n.metadata?.name ?? ''));
  }
  return { daemonSets, nodes, pods, revisions };
}

/** The current revision's hash: the revision matching the template, else the newest once observed. */
function currentHash(ds: DaemonSetLike, revisions: RevisionLike[]): string | undefined {
  const owned = ownedRevisions(revisions, ds);
  const observed = (ds.metadata?.generation ?? 0) <= (ds.status?.observedGeneration ?? 0);
  const rev = currentRevision(owned, ds) ?? (observed ? owned[owned.length - 1] : undefined);
  return rev ? revisionHash(rev) : undefined;
}

function view(s: State, _name: string | undefined, nodeNames: string[] | undefined, opts: Opts): ClusterView {
  const now = Date.now();
  const coverages = s.daemonSets.map((ds) =>
    computeCoverage({
      ds,
      nodes: s.nodes,
      pods: s.pods.get(keyOf(ds)) ?? [],
      currentHash: currentHash(ds, s.revisions.get(keyOf(ds)) ?? []),
      now,
      allNodes: !nodeNames && opts.nodeSelector === undefined,
    }),
  );
  return { coverages, nodes: s.nodes.length };
}

// ---------------------------------------------------------------------------------------------------
// Text

interface TextOptions {
  name: string | undefined;
  opts: Opts;
  wide: boolean;
  p: ChalkInstance;
  namespaceShown: boolean;
}

function colourStatus(r: NodeRow, p: ChalkInstance): string {
  const s = r.status + (r.status === 'Pending' && r.detail ? ` (${r.detail})` : '');
  switch (r.state) {
    case 'ok':
      return p.green(s);
    case 'missing':
    case 'failing':
      return p.red(s);
    case 'misscheduled':
    case 'outdated':
      return p.yellow(s);
    default:
      return s === '' ? '-' : s;
  }
}

function nodeTable(list: { cluster?: string; c: Coverage }[], t: TextOptions): string {
  const { p, wide } = t;
  const multi = list.some((x) => x.cluster !== undefined);
  const headers = [...(multi ? ['CLUSTER'] : []), 'NODE', 'SHOULD RUN', 'WHY NOT', 'POD', 'STATUS', 'READY', 'UP-TO-DATE', 'RESTARTS', 'AGE'];
  if (wide) headers.push('IP', 'REVISION', 'TAINTS');
  const now = Date.now();
  const rows: string[][] = [];
  for (const { cluster, c } of list) {
    for (const r of c.rows) {
      if (t.opts.problems && !isProblem(r)) continue;
      const first = r.pods[0];
      const extra = r.pods.length > 1 ? p.red(` (+${r.pods.length - 1})`) : '';
      const row = [
        ...(multi ? [cluster ?? ''] : []),
        r.node,
        r.shouldRun ? 'yes' : 'no',
        r.reasons.map((x) => x.message).join('; ') || '-',
        first ? `${first.name}${first.orphan ? ' (orphan)' : ''}${extra}` : '-',
        colourStatus(r, p),
        first ? first.containers : '-',
        first ? (first.upToDate ? 'yes' : p.yellow('no')) : '-',
        first ? String(first.restarts) : '-',
        first ? humanAge(now - first.created) : '-',
      ];
      if (wide) row.push(first?.ip ?? '-', first?.revision ?? '-', r.taints.join(',') || '<none>');
      rows.push(row);
    }
    for (const sp of c.strayPods) {
      const row = [
        ...(multi ? [cluster ?? ''] : []),
        sp.node ? `${sp.node} (not a node)` : '<none>',
        '-',
        sp.node ? 'the node does not exist' : 'not bound to any node',
        sp.name,
        p.red(sp.status),
        sp.containers,
        sp.upToDate ? 'yes' : 'no',
        String(sp.restarts),
        humanAge(now - sp.created),
      ];
      if (wide) row.push(sp.ip ?? '-', sp.revision ?? '-', '-');
      rows.push(row);
    }
  }
  return rows.length ? renderTable(headers, rows) : '';
}

function summaryTable(list: { cluster?: string; c: Coverage }[], p: ChalkInstance, showNs: boolean): string {
  const multi = list.some((x) => x.cluster !== undefined);
  const headers = [...(multi ? ['CLUSTER'] : []), ...(showNs ? ['NAMESPACE'] : []), 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'MISSCHEDULED', 'COVERED'];
  const rows = list.map(({ cluster, c }) => {
    const s = c.summary;
    return [
      ...(multi ? [cluster ?? ''] : []),
      ...(showNs ? [c.namespace] : []),
      c.name,
      s.desired,
      s.current,
      s.ready,
      s.upToDate,
      s.available,
      s.misscheduled ? p.yellow(String(s.misscheduled)) : 0,
      c.ok ? p.green(`${s.covered}/${s.desired}`) : p.red(`${s.covered}/${s.desired}`),
    ];
  });
  return renderTable(headers, rows);
}

function diagnosisLines(list: { cluster?: string; c: Coverage }[], p: ChalkInstance): string {
  const single = list.length === 1;
  return list
    .map(({ cluster, c }) => {
      const who = single ? '' : `${cluster ? `${cluster}: ` : ''}${c.namespace}/${c.name}: `;
      return c.ok ? p.green(`${who}${c.diagnosis}`) : p.red(`${who}${c.diagnosis}`);
    })
    .join('\n');
}

function matrixText(list: { cluster?: string; coverages: Coverage[] }[], t: TextOptions): string {
  const { p } = t;
  const parts: string[] = [];
  const width = process.stdout.isTTY ? process.stdout.columns || 0 : 0;
  for (const { cluster, coverages } of list) {
    if (cluster !== undefined) parts.push(p.bold(`Cluster ${cluster}:`));
    if (coverages.length === 0) {
      parts.push('No DaemonSets found.');
      continue;
    }
    const m = coverageMatrix(coverages, !!t.opts.problems);
    const paint = (g: string) => (g === '✓' ? p.green(g) : g === '✗' || g === '!' ? p.red(g) : g === '·' || g === ' ' ? p.dim(g) : p.yellow(g));
    let table = '';
    if (m.columns.length) {
      const rows: string[][] = m.rows.map((r) => [r.node, ...r.cells.map(paint)]);
      rows.push([p.bold('COVERED'), ...m.totals]);
      table = renderTable(['NODE', ...m.columns.map((c) => c.toUpperCase())], rows);
    }
    const tooWide = width > 0 && table.split('\n').some((l) => l.replace(/\x1b\[[0-9;]*m/g, '').length > width);
    if (tooWide) {
      const probs = problemList(coverages);
      parts.push(`(terminal too narrow for ${m.columns.length} DaemonSet columns: the problems instead)`);
      parts.push(
        probs.length
          ? renderTable(['NAMESPACE', 'DAEMONSET', 'NODE', 'PROBLEM'], probs.map((x) => [x.namespace, x.daemonSet, x.node, x.problem]))
          : p.green('no problems'),
      );
    } else if (table) {
      parts.push(table, p.dim(LEGEND));
    } else {
      parts.push(p.green('no problems'));
    }
    parts.push('', summaryTable(coverages.map((c) => ({ cluster, c })), p, true), '', diagnosisLines(coverages.map((c) => ({ cluster, c })), p), '');
  }
  return parts.join('\n').trimEnd();
}

function renderText(list: { cluster?: string; view: ClusterView }[], t: TextOptions): string {
  if (t.name) {
    const items = list.flatMap(({ cluster, view: v }) => v.coverages.map((c) => ({ cluster, c })));
    const table = nodeTable(items, t);
    const parts: string[] = [];
    if (table) parts.push(table, '');
    else if (t.opts.problems) parts.push(t.p.green('no problems'), '');
    parts.push(summaryTable(items, t.p, false), '', diagnosisLines(items, t.p));
    return parts.join('\n');
  }
  if (list.every((x) => x.view.coverages.length === 0) && list.length === 1) {
    warn(t.namespaceShown ? 'No resources found' : 'No resources found in this namespace.');
    return '';
  }
  return matrixText(
    list.map(({ cluster, view: v }) => ({ cluster, coverages: v.coverages })),
    t,
  );
}

// ---------------------------------------------------------------------------------------------------
// --watch: redraw from watch events

async function watchCoverage(c: Cluster, g: Globals, name: string | undefined, opts: Opts, nodeNames: string[] | undefined, format: string | undefined): Promise<void> {
  const client = await import('../kube/client.js');
  const { liveRegion } = await import('../output/print.js');
  let state: State;
  try {
    state = await load(c, name, opts, nodeNames);
  } catch (e) {
    throw client.apiError(e, c, name ? `get daemonset ${name}` : 'list daemonsets');
  }
  const p = painter(process.stdout, g.color);
  const tty = process.stdout.isTTY === true && process.env.TERM !== 'dumb';
  const region = tty ? liveRegion(process.stdout) : undefined;
  const nodes = new Map(state.nodes.map((n) => [n.metadata?.name ?? '', n]));
  const dss = new Map(state.daemonSets.map((d) => [keyOf(d), d]));
  const pods = new Map<string, Map<string, PodLike>>();
  for (const [k, list] of state.pods) pods.set(k, new Map(list.map((x) => [x.metadata?.name ?? '', x])));
  const watches = new Map<string, { stop(): void }>();
  let timer: NodeJS.Timeout | undefined;
  let lastText = '';
  const draw = () => {
    timer = undefined;
    const s: State = {
      daemonSets: [...dss.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
      nodes: [...nodes.values()],
      pods: new Map([...pods].map(([k, m]) => [k, [...m.values()]])),
      revisions: state.revisions,
    };
    const text = renderText([{ view: view(s, name, nodeNames, opts) }], { name, opts, wide: format === 'wide', p, namespaceShown: !!opts.allNamespaces });
    if (text === lastText) return;
    lastText = text;
    if (region) region.render([`${p.dim(`Every change (watch) · ${new Date().toLocaleTimeString()}`)}`, '', ...text.split('\n')]);
    else out(`${text}\n`);
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(draw, 200);
  };
  const failed = (e: unknown) => {
    region?.stop();
    warn(client.apiError(e, c, 'watch').message);
    process.exit(1);
  };
  const watchPods = (ds: DaemonSetLike) => {
    const k = keyOf(ds);
    if (watches.has(k) || ds.spec?.selector == null) return;
    const m = pods.get(k) ?? new Map<string, PodLike>();
    pods.set(k, m);
    const ns = ds.metadata?.namespace ?? c.namespace;
    const labelSelector = formatSelector(ds.spec.selector) || undefined;
    const w = client.watchResilient<PodLike & { metadata?: { resourceVersion?: string } }>(
      c,
      POD_PATH(ns),
      { labelSelector },
      undefined,
      (ev) => {
        const n = ev.object.metadata?.name ?? '';
        if (ev.type === 'DELETED') m.delete(n);
        else m.set(n, ev.object);
        schedule();
      },
      () => client.listJson(c, POD_PATH(ns), { labelSelector }) as never,
    );
    w.done.catch(failed);
    watches.set(k, w);
  };
  const refreshRevisions = (ds: DaemonSetLike) => {
    loadOwned(c, ds).then((o) => {
      state.revisions.set(keyOf(ds), o.revisions);
      schedule();
    }, () => undefined);
  };
  for (const ds of dss.values()) watchPods(ds);
  const nw = client.watchResilient<NodeLike & { metadata?: { resourceVersion?: string } }>(
    c,
    '/api/v1/nodes',
    { labelSelector: opts.nodeSelector },
    undefined,
    (ev) => {
      const n = ev.object.metadata?.name ?? '';
      if (nodeNames && !nodeNames.includes(n)) return;
      if (ev.type === 'DELETED') nodes.delete(n);
      else nodes.set(n, ev.object);
      schedule();
    },
    () => client.listJson(c, '/api/v1/nodes', { labelSelector: opts.nodeSelector }) as never,
  );
  nw.done.catch(failed);
  const dsQuery = name ? { fieldSelector: `metadata.name=${name}` } : { labelSelector: opts.selector };
  const dsPath = DS_PATH(opts.allNamespaces ? undefined : c.namespace);
  const dw = client.watchResilient<DaemonSetLike & { metadata?: { resourceVersion?: string } }>(
    c,
    dsPath,
    dsQuery,
    undefined,
    (ev) => {
      const k = keyOf(ev.object);
      const before = dss.get(k);
      if (ev.type === 'DELETED') {
        dss.delete(k);
        watches.get(k)?.stop();
        watches.delete(k);
      } else {
        dss.set(k, ev.object);
        watchPods(ev.object);
        if (before?.status?.observedGeneration !== ev.object.status?.observedGeneration || !before) refreshRevisions(ev.object);
      }
      schedule();
    },
    () => client.listJson(c, dsPath, dsQuery) as never,
  );
  dw.done.catch(failed);
  draw();
  await new Promise<void>((resolve) => {
    const end = () => {
      for (const w of [...watches.values(), nw, dw]) w.stop();
      if (timer) clearTimeout(timer);
      region?.stop();
      resolve();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
}
