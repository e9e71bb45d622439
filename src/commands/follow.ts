/**
 * Following a rollout, for `status`, `undo --watch` and `restart --watch`: kubectl's decisions and lines,
 * the live view, the progress deadline and the blocking nodes, on one cluster or several. Loaded by
 * `status` only once its first request is on its way (see status.ts).
 */
import { CliError, ExitCode } from '../cli/errors.js';
import type { Cluster } from '../kube/client.js';
import { formatSelector } from '../core/labels.js';
import {
  crossClusterError,
  crossClusterVerdict,
  currentRevision,
  explainRollout,
  isStalled,
  ownedRevisions,
  revisionHash,
  rolloutStatus,
  stallAt,
  stalledFor,
  trackProgress,
  type ClusterRollout,
  type DaemonSetLike,
  type NodeLike,
  type PodLike,
  type Progress,
  type RevisionLike,
  type RolloutExplanation,
  type RolloutStatus,
} from '../core/rollout.js';
import { liveRegion, out, painter, progressBar, renderTable, spinnerFrame, toJson, type LiveRegion } from '../output/print.js';

export interface FollowOptions {
  watch: boolean;
  timeoutMs: number;
  /** 0: off. */
  progressDeadlineMs: number;
  /** As the user wrote it (for messages). */
  progressDeadlineText: string;
  /**
   * 'lines': kubectl's lines on stdout; 'live': the terminal view; 'json': one summary at the end;
   * 'collect' (several clusters): nothing printed, each new status message goes to onLine, and the
   * summary is returned instead of thrown.
   */
  mode: 'lines' | 'live' | 'json' | 'collect';
  onLine?: (message: string) => void;
  color: boolean;
}

type Outcome = 'complete' | 'progressing' | 'stalled' | 'timeout' | 'deleted' | 'error' | 'interrupted';

interface Ending {
  outcome: Outcome;
  error?: string;
  /** An API failure, thrown as is (kubectl's `Error from server (...)` form). */
  failure?: CliError;
}

/** The elapsed time as people read it: 42s, 3m07s, 1h02m. */
export function clock(msec: number): string {
  const s = Math.floor(msec / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `status` with several contexts: every cluster's rollout followed at once, one report at the end (`o.mode` json or not). */
export async function followAcrossClusters(g: import('../cli/globals.js').Globals, name: string, o: FollowOptions): Promise<void> {
  const json = o.mode === 'json';
  const { resolveContexts, forEachCluster } = await import('../kube/multi.js');
  const contexts = resolveContexts(g);
  const results = await forEachCluster(
    { ...g, parallel: contexts.length },
    contexts,
    (c) =>
      followRollout(c, name, {
        ...o,
        mode: 'collect',
        onLine: json ? undefined : (line) => out(`${c.contextName}: ${line}`),
      }),
    `get daemonset ${name}`,
  );
  const items: ClusterRollout[] = results.map((r) =>
    r.ok ? { cluster: r.context, outcome: r.value.outcome, error: r.value.error, blocking: r.value.blocking } : { cluster: r.context, error: r.error },
  );
  const verdict = crossClusterVerdict(items);
  if (json) {
    out(
      toJson({
        kind: 'DaemonSetRolloutStatusList',
        name,
        done: verdict.done,
        items: results.map((r) =>
          r.ok
            ? { cluster: r.context, ...r.value, blocking: r.value.blocking.map((b) => ({ cluster: r.context, ...b })) }
            : { cluster: r.context, name, outcome: 'error', error: r.error, blocking: [], waiting: [] },
        ),
      }),
    );
  } else {
    const p = painter(process.stdout, g.color);
    const rows = results.map((r) => {
      if (!r.ok) return [r.context, p.red('error'), '-', '-', '-', r.error];
      const v = r.value;
      const outcome = v.outcome === 'complete' ? p.green(v.outcome) : v.outcome === 'progressing' ? v.outcome : p.red(v.outcome);
      return [r.context, outcome, v.updated, v.available, v.desired, v.error ?? v.message ?? ''];
    });
    out(renderTable(['CLUSTER', 'OUTCOME', 'UPDATED', 'AVAILABLE', 'DESIRED', 'DETAIL'], rows));
    for (const r of results) {
      if (!r.ok || r.value.outcome === 'complete' || r.value.outcome === 'progressing') continue;
      for (const b of r.value.blocking) process.stderr.write(`${r.context}/${b.node}: ${b.reason}\n`);
    }
  }
  if (!verdict.done) throw new CliError(crossClusterError(name, contexts.length, verdict.blocking));
}

/**
 * Follows the rollout of daemonset NAME in c.namespace as `kubectl rollout status` does: GET, then list
 * and watch with fieldSelector metadata.name=NAME, evaluating every ADDED/MODIFIED event. Returns on
 * success; throws CliError (exit 1) for every failure, after printing what the mode prints.
 *
 * Blocking nodes need the DaemonSet's pods and the nodes. The live view watches both (pods by the
 * DaemonSet's selector, nodes cluster-wide), because pod states that matter (ImagePullBackOff,
 * CrashLoopBackOff restarts, a node turning NotReady) change without any DaemonSet event; the other
 * modes list them once, when they report (-o json, the progress deadline), so a kubectl-compatible run
 * costs exactly kubectl's requests.
 */
export async function followRollout(c: Cluster, name: string, o: FollowOptions, sent?: Promise<unknown>): Promise<RolloutSummary> {
  const client = await import('../kube/client.js');
  const ns = c.namespace;
  const started = Date.now();
  try {
    // `sent`: the same GET, already sent by the caller.
    await (sent ?? client.getJson(c, client.paths.daemonSet(ns, name)));
  } catch (e) {
    throw client.apiError(e, c, `get daemonset ${name}`);
  }

  let ds: DaemonSetLike | undefined;
  let status: RolloutStatus | undefined;
  let progress: Progress | undefined;
  let revisions: RevisionLike[] = [];
  let revisionsFor = -1;
  const pods = new Map<string, PodLike>();
  const nodes = new Map<string, NodeLike>();
  const watches: { stop(): void }[] = [];
  const timers: NodeJS.Timeout[] = [];
  let deadlineTimer: NodeJS.Timeout | undefined;
  let view: LiveRegion | undefined;
  let tick = 0;
  let lastLine: string | undefined;
  let ended = false;
  let resolveEnd!: (e: Ending) => void;
  const ending = new Promise<Ending>((r) => (resolveEnd = r));
  const finish = (e: Ending) => {
    if (ended) return;
    ended = true;
    resolveEnd(e);
  };
  const fail = (e: unknown, what: string) => {
    const failure = client.apiError(e, c, what);
    finish({ outcome: 'error', error: failure.message, failure });
  };

  const selector = () => formatSelector(ds?.spec?.selector);
  const listRevisions = async () => {
    const l = await client.listJson<RevisionLike>(c, client.paths.controllerRevisions(ns), { labelSelector: selector() });
    return l.items;
  };
  const listPods = () => client.listJson<PodLike>(c, client.paths.pods(ns), { labelSelector: selector() });
  const listNodes = () => client.listJson<NodeLike>(c, client.paths.nodes());

  /** The current revision (number and hash): the one matching the template, else the highest once observed. */
  const current = () => {
    if (!ds) return undefined;
    const owned = ownedRevisions(revisions, ds);
    const observed = (ds.metadata?.generation ?? 0) <= (ds.status?.observedGeneration ?? 0);
    const rev = currentRevision(owned, ds) ?? (observed ? owned[owned.length - 1] : undefined);
    return rev ? { revision: rev.revision, hash: revisionHash(rev) } : undefined;
  };
  const explain = (): RolloutExplanation | undefined =>
    ds ? explainRollout({ ds, pods: [...pods.values()], nodes: [...nodes.values()], currentHash: current()?.hash, now: Date.now() }) : undefined;

  const snap = (why: RolloutExplanation | undefined): Snapshot => ({ name, ns, ds, status, progress, why, revision: current()?.revision, elapsed: Date.now() - started });

  /** For the reports of the non-live modes: one fresh look at pods, nodes and revisions. */
  const snapshot = async () => {
    if (!ds) return;
    const [p, n, r] = await Promise.all([listPods(), listNodes(), listRevisions()]);
    pods.clear();
    for (const x of p.items) pods.set(x.metadata?.uid ?? x.metadata?.name ?? '', x);
    nodes.clear();
    for (const x of n.items) nodes.set(x.metadata?.name ?? '', x);
    revisions = r;
  };

  const refreshRevisions = () => {
    const gen = ds?.status?.observedGeneration ?? 0;
    if (gen === revisionsFor) return;
    revisionsFor = gen;
    listRevisions().then(
      (r) => (revisions = r),
      () => undefined, // the live view only loses its revision number; the decision does not depend on it
    );
  };

  const scheduleDeadline = () => {
    if (!progress || !o.progressDeadlineMs) return;
    if (deadlineTimer) clearTimeout(deadlineTimer);
    const at = stallAt(progress, o.progressDeadlineMs)!;
    deadlineTimer = setTimeout(() => {
      if (progress && isStalled(progress, Date.now(), o.progressDeadlineMs)) finish({ outcome: 'stalled' });
      else scheduleDeadline();
    }, Math.max(0, at - Date.now()) + 5);
  };

  const onDaemonSet = (obj: DaemonSetLike) => {
    if (ended) return;
    ds = obj;
    progress = trackProgress(progress, obj, Date.now());
    status = rolloutStatus(obj);
    if (status.error) return finish({ outcome: 'error', error: status.error });
    if (o.mode === 'lines') out(status.message);
    else if (o.mode === 'collect' && status.message !== lastLine) o.onLine?.((lastLine = status.message));
    if (status.done) return finish({ outcome: 'complete' });
    if (!o.watch) return finish({ outcome: 'progressing' });
    scheduleDeadline();
    if (o.mode === 'live') refreshRevisions();
  };

  // The DaemonSet: list + watch by name, as kubectl's UntilWithSync.
  const dsPath = client.paths.daemonSets(ns);
  const fieldSelector = `metadata.name=${name}`;
  const listDs = () => client.listJson<DaemonSetLike & { metadata?: { resourceVersion?: string } }>(c, dsPath, { fieldSelector });
  let first: { items: unknown[]; resourceVersion?: string };
  try {
    first = await listDs();
  } catch (e) {
    throw client.apiError(e, c, `list daemonset ${name}`);
  }

  if (o.mode === 'live') {
    view = liveRegion(process.stdout);
    const onSigint = () => finish({ outcome: 'interrupted' });
    process.once('SIGINT', onSigint);
    watches.push({ stop: () => process.removeListener('SIGINT', onSigint) });
  }

  if (first.items.length === 0) finish({ outcome: 'deleted' });
  else onDaemonSet(first.items[0] as DaemonSetLike);

  if (!ended) {
    const w = client.watchResilient<DaemonSetLike & { metadata?: { resourceVersion?: string } }>(
      c,
      dsPath,
      { fieldSelector },
      first.resourceVersion,
      (ev) => {
        if (ev.type === 'DELETED') finish({ outcome: 'deleted' });
        else onDaemonSet(ev.object);
      },
      async () => {
        // After 410 Gone: a fresh list. An empty one means the DaemonSet went away while we were not watching.
        const l = await listDs();
        if (l.items.length === 0) finish({ outcome: 'deleted' });
        return l;
      },
    );
    watches.push(w);
    w.done.catch((e) => fail(e, `watch daemonset ${name}`));
  }

  if (!ended && o.timeoutMs > 0) timers.push(setTimeout(() => finish({ outcome: 'timeout' }), o.timeoutMs));

  if (!ended && o.mode === 'live') {
    // Pods and nodes, watched, so that reasons stay current between DaemonSet events.
    const mirror = <T extends { metadata?: { uid?: string; name?: string; resourceVersion?: string } }>(
      map: Map<string, T>,
      key: (x: T) => string,
      path: string,
      query: Record<string, string>,
      list: () => Promise<{ items: unknown[]; resourceVersion?: string }>,
      what: string,
    ) => {
      list().then(
        (l) => {
          if (ended) return;
          for (const x of l.items as T[]) map.set(key(x), x);
          const w = client.watchResilient<T>(
            c,
            path,
            query,
            l.resourceVersion,
            (ev) => (ev.type === 'DELETED' ? map.delete(key(ev.object)) : map.set(key(ev.object), ev.object)),
            async () => {
              const again = await list();
              map.clear();
              return again as { items: T[]; resourceVersion?: string };
            },
          );
          watches.push(w);
          w.done.catch((e) => fail(e, what));
        },
        (e) => fail(e, what),
      );
    };
    mirror(pods, (p) => p.metadata?.uid ?? p.metadata?.name ?? '', client.paths.pods(ns), { labelSelector: selector() }, listPods, `watch pods of daemonset ${name}`);
    mirror(nodes, (n) => n.metadata?.name ?? '', client.paths.nodes(), {}, listNodes, 'watch nodes');
    refreshRevisions();
    const p = painter(process.stdout, o.color);
    const draw = () => view?.render(liveFrame(p, spinnerFrame(tick++), snap(explain()), o));
    draw();
    timers.push(setInterval(draw, 100));
  }

  const end = await ending;
  for (const w of watches) w.stop();
  for (const t of timers) clearTimeout(t);
  if (deadlineTimer) clearTimeout(deadlineTimer);

  const needsDetail =
    end.outcome !== 'deleted' && (o.mode === 'json' || (o.mode === 'collect' && end.outcome !== 'complete') || (o.mode === 'lines' && end.outcome === 'stalled'));
  if (needsDetail) {
    try {
      await snapshot();
    } catch (e) {
      if (!end.error) process.stderr.write(`warning: ${client.apiError(e, c, 'list pods and nodes').message}\n`);
    }
  }
  const why = end.outcome === 'complete' ? undefined : explain();
  const error = endingError(end, name, ds, o);
  const result = summary(snap(why), end, error);
  if (o.mode === 'collect') return result;

  if (o.mode === 'live' && view) {
    const p = painter(process.stdout, o.color);
    const mark = end.outcome === 'complete' ? p.green('✔') : end.outcome === 'progressing' ? p.cyan('•') : p.red('✖');
    view.stop(liveFrame(p, mark, snap(why), o, end));
  } else if (o.mode === 'json') {
    out(toJson(result));
  } else if (end.outcome === 'stalled' && why) {
    for (const b of why.blocking) process.stderr.write(`${b.node}: ${b.reason}\n`);
    if (why.waiting.length) process.stderr.write(`waiting for their turn: ${why.waiting.join(', ')}\n`);
  }
  if (end.outcome === 'interrupted') throw new ExitCode(130);
  if (end.failure) throw end.failure;
  if (error) throw new CliError(error);
  return result;
}

function endingError(end: Ending, name: string, ds: DaemonSetLike | undefined, o: FollowOptions): string | undefined {
  switch (end.outcome) {
    case 'complete':
    case 'progressing':
    case 'interrupted':
      return undefined;
    case 'timeout':
      return 'timed out waiting for the condition';
    case 'deleted':
      return 'object has been deleted';
    case 'stalled': {
      const st = ds?.status ?? {};
      const d = st.desiredNumberScheduled ?? 0;
      return `daemon set "${name}" exceeded its progress deadline: updated (${st.updatedNumberScheduled ?? 0} of ${d}) and available (${st.numberAvailable ?? 0} of ${d}) pods have not changed for ${o.progressDeadlineText}`;
    }
    default:
      return end.error ?? 'unknown error';
  }
}

function counts(ds: DaemonSetLike | undefined) {
  const st = ds?.status ?? {};
  return {
    desired: st.desiredNumberScheduled ?? 0,
    updated: st.updatedNumberScheduled ?? 0,
    available: st.numberAvailable ?? 0,
    ready: st.numberReady ?? 0,
  };
}

/** Splits a line at spaces into at most `max` pieces of about `width` characters (continuations are indented 4 more). */
export function wrap(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > (out.length ? width - 4 : width) && out.length < max - 1) {
    const w = out.length ? width - 4 : width;
    let cut = rest.lastIndexOf(' ', w);
    if (cut <= 0) cut = w;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/** What a report (live frame or JSON summary) shows. */
interface Snapshot {
  name: string;
  ns: string;
  ds: DaemonSetLike | undefined;
  status: RolloutStatus | undefined;
  progress: Progress | undefined;
  why: RolloutExplanation | undefined;
  revision: number | undefined;
  elapsed: number;
}

export type RolloutSummary = ReturnType<typeof summary>;

function summary({ name, ns: namespace, ds, status, progress, why, revision, elapsed }: Snapshot, end: Ending, error: string | undefined) {
  return {
    kind: 'DaemonSetRolloutStatus',
    name,
    namespace,
    outcome: end.outcome,
    ...(status?.message ? { message: status.message } : {}),
    ...(error ? { error } : {}),
    ...(revision !== undefined ? { revision } : {}),
    generation: ds?.metadata?.generation ?? 0,
    observedGeneration: ds?.status?.observedGeneration ?? 0,
    ...counts(ds),
    elapsedSeconds: Math.round(elapsed / 100) / 10,
    ...(progress ? { secondsSinceProgress: Math.round(stalledFor(progress, Date.now()) / 100) / 10 } : {}),
    blocking: why?.blocking ?? [],
    waiting: why?.waiting ?? [],
  };
}

/** The lines of the live view for the current state (and the final frame when `end` is given). */
function liveFrame(p: ReturnType<typeof painter>, mark: string, v: Snapshot, o: FollowOptions, end?: Ending): string[] {
  const { name, ns, ds, status, progress, why, revision, elapsed } = v;
  const n = counts(ds);
  const head = `${mark} ${p.bold(`daemonset.apps/${name}`)} in ${ns}${revision !== undefined ? `, revision ${revision}` : ''}  ${p.dim(clock(elapsed))}`;
  const lines = [head];
  const bar = (label: string, v: number) => `  ${label.padEnd(10)} ${progressBar(v, n.desired, 24, p)} ${v}/${n.desired}`;
  lines.push(bar('updated', n.updated), bar('available', n.available));
  if (status?.error) lines.push(`  ${p.red(status.error)}`);
  else if (status) lines.push(`  ${end?.outcome === 'complete' ? p.green(status.message) : status.message}`);
  if (end?.outcome !== 'complete' && end?.outcome !== 'deleted' && why) {
    const shown = why.blocking.slice(0, 12);
    if (shown.length) lines.push(`  ${p.yellow('Not available yet:')}`);
    const width = Math.max(40, (process.stdout.columns || 100) - 1);
    for (const b of shown) lines.push(...wrap(`${b.node}: ${b.reason}`, width - 4, 3).map((l, i) => (i ? `        ${l}` : `    ${p.bold(b.node)}${l.slice(b.node.length)}`)));
    if (why.blocking.length > shown.length) lines.push(`    ... and ${why.blocking.length - shown.length} more`);
    if (why.waiting.length) {
      const list = why.waiting.length > 8 ? `${why.waiting.slice(0, 8).join(', ')}, ... (${why.waiting.length})` : why.waiting.join(', ');
      lines.push(`  ${p.dim(`Waiting for their turn: ${list}`)}`);
    }
  }
  if (!end && progress && o.progressDeadlineMs > 0 && status && !status.done) {
    const still = stalledFor(progress, Date.now());
    if (still >= 5000) lines.push(`  ${p.dim(`No progress for ${clock(still)} (gives up after ${o.progressDeadlineText}: --progress-deadline)`)}`);
  }
  if (end?.outcome === 'deleted') lines.push(`  ${p.red('the DaemonSet was deleted')}`);
  return lines;
}
