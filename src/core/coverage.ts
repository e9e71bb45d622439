/**
 * DaemonSet coverage, pure: which nodes should run the daemon (eligibility.ts), which do, and what is
 * wrong where. One pass over the nodes and one over the pods (pods are indexed by their target node),
 * so 5,000 nodes x 20 DaemonSets is a matter of milliseconds.
 *
 * The summary is computed the way the DaemonSet controller computes its status (updateDaemonSetStatus),
 * so it agrees with `kubectl get ds`:
 *   DESIRED       nodes where shouldRun
 *   CURRENT       shouldRun and at least one pod
 *   READY         shouldRun and the oldest pod (bound first, then creation, then name) is Ready
 *   AVAILABLE     ... and Ready for minReadySeconds
 *   UP-TO-DATE    shouldRun and the oldest pod has the current revision hash (or template generation)
 *   MISSCHEDULED  not shouldRun and at least one pod
 * Pods counted: those the DaemonSet controls, plus orphans its selector matches (the controller adopts
 * them before counting); terminal pods that are being deleted are ignored, as the controller does.
 */
import { nodeEligibility, podTargetNode, formatTaint, type Exclusion, type Eligibility } from './eligibility.js';
import { isPodAvailable, isPodUpdated, isNodeReady, HASH_LABEL, type DaemonSetLike, type NodeLike, type PodLike, type ContainerStatusLike } from './rollout.js';

type Time = string | Date | null | undefined;
const ms = (t: Time): number => (t == null ? NaN : new Date(t).getTime());

/** What a node's cell means, from best to worst. */
export type NodeState = 'ok' | 'not-eligible' | 'outdated' | 'failing' | 'missing' | 'misscheduled';

export interface PodView {
  name: string;
  /** The node the pod is bound (or pinned by the controller) to, if any. */
  node?: string;
  /** kubectl's STATUS word: Running, Pending, ImagePullBackOff, CrashLoopBackOff, Terminating, Completed, ... */
  status: string;
  /** More about the status: the scheduler's reason, the waiting message, the last exit code. */
  detail?: string;
  ready: boolean;
  /** Ready containers out of all, as kubectl's READY column ("1/1"). */
  containers: string;
  available: boolean;
  upToDate: boolean;
  /** The pod's controller-revision-hash label. */
  revision?: string;
  restarts: number;
  ip?: string;
  /** Creation time, ms since the epoch (NaN when unknown). */
  created: number;
  terminating: boolean;
  /** Matched by the selector but not controlled by any controller: the DaemonSet will adopt it. */
  orphan: boolean;
}

export interface NodeRow {
  node: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Why the node is excluded (empty when it should run the daemon). */
  reasons: Exclusion[];
  taints: string[];
  nodeReady: boolean;
  /** The node's daemon pods, the one the controller counts first. */
  pods: PodView[];
  state: NodeState;
  /** The STATUS column: the counted pod's status, MISSING, MISSCHEDULED, or '' for a node without a pod that should not run one. */
  status: string;
  /** Why the node is in that state (a missing pod's likely cause, the pod's detail, ...). */
  detail?: string;
  /** Problems on this node, one phrase each (empty when all is well). */
  problems: string[];
}

export interface CoverageCounts {
  desired: number;
  current: number;
  ready: number;
  upToDate: number;
  available: number;
  misscheduled: number;
}

export interface CoverageSummary extends CoverageCounts {
  /** Nodes considered. */
  nodes: number;
  /** Eligible nodes whose counted pod is ready and up to date. */
  covered: number;
  missing: number;
  /** Eligible nodes whose counted pod is not ready. */
  failing: number;
  /** Eligible nodes whose counted pod is ready but not up to date. */
  outdated: number;
  /** Nodes with more than one live pod of the DaemonSet. */
  duplicates: number;
  /** Pods with no node (neither bound nor pinned by the controller) or on a node that does not exist. */
  stray: number;
}

export interface Coverage {
  namespace: string;
  name: string;
  /** The current ControllerRevision's hash, when known. */
  currentRevision?: string;
  rows: NodeRow[];
  /** Pods that belong to no node row: unbound (no target node) or on a node that is not in the cluster. */
  strayPods: PodView[];
  summary: CoverageSummary;
  /** The DaemonSet's own status, as `kubectl get ds` prints it. */
  reported: CoverageCounts;
  /** True when every eligible node runs a ready, up-to-date pod and nothing is misscheduled or stray. */
  ok: boolean;
  /** What is wrong, in one line (or that all is well). */
  diagnosis: string;
}

export interface CoverageInput {
  ds: DaemonSetLike & { spec?: { template?: { spec?: Record<string, unknown> } } };
  nodes: NodeLike[];
  /** The pods the DaemonSet's selector matches (pods controlled by something else are ignored). */
  pods: PodLike[];
  currentHash?: string;
  now: number;
  /**
   * False when the nodes were filtered (--nodes, --node-selector): pods on other nodes are then not stray,
   * and the counts cover only the nodes given.
   */
  allNodes?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Pods

interface PodFull extends PodLike {
  spec?: PodLike['spec'] & { nodeName?: string };
  status?: NonNullable<PodLike['status']> & { podIP?: string };
}

function condition(pod: PodLike, type: string) {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

const isTerminal = (p: PodLike) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';

/**
 * The scheduler's "0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn't match Pod's node
 * affinity/selector. preemption: ..." cut to what concerns the daemon pod's own node.
 */
export function schedulerReason(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /nodes are available: (.*)$/s.exec(message);
  if (!m) return message;
  const body = m[1]!.split(/\.\s+preemption:/)[0]!.replace(/\.\s*$/, '');
  // Entries are "<count> <reason>", separated by ", " (a reason may itself hold ", ": split before counts only).
  const parts = body
    .split(/,\s*(?=\d+\s)/)
    .map((s) => s.replace(/^\d+\s+/, '').trim())
    .filter(Boolean);
  // The daemon pod is pinned to one eligible node: entries about the other nodes (they do not match its
  // node affinity, or have taints it does not tolerate) say nothing about why it cannot run where it should.
  const own = parts.filter((s) => !/didn't match pod's node affinity|didn't tolerate|untolerated taint/i.test(s));
  const pick = own.length ? own : parts;
  return pick.map((s) => (/free ports/.test(s) ? 'host port in use' : s)).join(', ');
}

function containerState(cs: ContainerStatusLike): { status?: string; detail?: string } {
  const w = cs.state?.waiting;
  if (w?.reason && w.reason !== 'PodInitializing') {
    if (w.reason === 'CrashLoopBackOff') {
      const exit = cs.lastState?.terminated?.exitCode;
      return { status: w.reason, detail: exit !== undefined ? `last exit code ${exit}` : w.message };
    }
    return { status: w.reason, detail: w.message };
  }
  const t = cs.state?.terminated;
  if (t) return { status: t.reason ?? `ExitCode:${t.exitCode ?? '?'}`, detail: t.message };
  return {};
}

/** kubectl's STATUS for a pod (printPod, simplified) and a detail line. */
export function podStatus(pod: PodLike): { status: string; detail?: string } {
  const st = pod.status ?? {};
  const phase = st.phase ?? 'Pending';
  if (pod.metadata?.deletionTimestamp) return { status: 'Terminating' };
  if (phase === 'Succeeded') return { status: st.reason ?? 'Completed', detail: st.message };
  if (phase === 'Failed') {
    for (const cs of st.containerStatuses ?? []) {
      const s = containerState(cs);
      if (s.status) return { status: st.reason ?? s.status, detail: st.message ?? s.detail };
    }
    return { status: st.reason ?? 'Failed', detail: st.message };
  }
  const sched = condition(pod, 'PodScheduled');
  if (sched?.status === 'False' || (!(pod as PodFull).spec?.nodeName && phase === 'Pending')) {
    return { status: 'Pending', detail: schedulerReason(sched?.message) ?? sched?.reason ?? 'not scheduled yet' };
  }
  const inits = st.initContainerStatuses ?? [];
  for (const [i, cs] of inits.entries()) {
    if (cs.state?.terminated?.exitCode === 0) continue;
    const s = containerState(cs);
    if (s.status) return { status: `Init:${s.status}`, detail: s.detail };
    if (cs.state?.running || !cs.ready) return { status: `Init:${i}/${inits.length}` };
  }
  for (const cs of st.containerStatuses ?? []) {
    const s = containerState(cs);
    if (s.status) return { status: s.status, detail: s.detail };
  }
  if (phase === 'Pending') return { status: (st.containerStatuses ?? []).length ? 'Pending' : 'ContainerCreating' };
  const ready = condition(pod, 'Ready');
  if (phase === 'Running' && ready?.status !== 'True') return { status: 'Running', detail: ready?.message ? `not ready: ${ready.message}` : 'not ready' };
  return { status: phase };
}

function viewPod(pod: PodLike, ds: DaemonSetLike, currentHash: string | undefined, now: number): PodView {
  const p = pod as PodFull;
  const { status, detail } = podStatus(pod);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const css = p.status?.containerStatuses ?? [];
  let readyContainers = 0;
  let restarts = 0;
  for (const c of css) {
    if (c.ready) readyContainers++;
    restarts += c.restartCount ?? 0;
  }
  const owners = pod.metadata?.ownerReferences ?? [];
  const v: PodView = {
    name: pod.metadata?.name ?? '',
    status,
    ready: condition(pod, 'Ready')?.status === 'True',
    containers: `${readyContainers}/${(p.spec as { containers?: unknown[] } | undefined)?.containers?.length ?? css.length}`,
    available: isPodAvailable(pod, minReady, now),
    upToDate: isPodUpdated(pod, ds, currentHash),
    restarts,
    created: ms(pod.metadata?.creationTimestamp),
    terminating: !!pod.metadata?.deletionTimestamp,
    orphan: !owners.some((r) => r.controller === true),
  };
  const node = podTargetNode(p);
  if (node) v.node = node;
  if (detail) v.detail = detail;
  const hash = pod.metadata?.labels?.[HASH_LABEL];
  if (hash) v.revision = hash;
  if (p.status?.podIP) v.ip = p.status.podIP;
  return v;
}

/** The controller's podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
function controllerOrder(a: PodLike, b: PodLike): number {
  const ab = !!(a as PodFull).spec?.nodeName;
  const bb = !!(b as PodFull).spec?.nodeName;
  if (ab !== bb) return ab ? -1 : 1;
  const ta = ms(a.metadata?.creationTimestamp);
  const tb = ms(b.metadata?.creationTimestamp);
  if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/** Does this DaemonSet count the pod (it controls it, or will adopt it)? */
function counts(pod: PodLike, ds: DaemonSetLike): boolean {
  const ctrl = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (ctrl) return !!ds.metadata?.uid && ctrl.uid === ds.metadata.uid;
  return !pod.metadata?.deletionTimestamp;
}

// ---------------------------------------------------------------------------------------------------
// Coverage of one DaemonSet

function missingReason(ds: DaemonSetLike, node: NodeLike, deletedTerminal: PodLike | undefined, now: number): string {
  const name = ds.metadata?.name ?? '';
  if (ds.metadata?.deletionTimestamp) return 'the DaemonSet is being deleted';
  if (deletedTerminal) return `the previous pod ${deletedTerminal.metadata?.name} ${deletedTerminal.status?.phase} and is being deleted; the controller recreates it (with back-off)`;
  const gen = ds.metadata?.generation ?? 0;
  const observed = ds.status?.observedGeneration ?? 0;
  if (observed < gen) return `the controller has not acted on the latest spec yet (observedGeneration ${observed} < generation ${gen})`;
  const age = now - ms(node.metadata?.creationTimestamp);
  if (Number.isFinite(age) && age < 60_000) return `the node joined ${Math.max(0, Math.round(age / 1000))}s ago; the controller has not acted yet`;
  return `no pod: the DaemonSet controller did not create one (see kubectl get events -n ${ds.metadata?.namespace ?? 'default'} --field-selector involvedObject.name=${name})`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listNames(names: string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function computeCoverage(input: CoverageInput): Coverage {
  const { ds, now, currentHash } = input;
  const allNodes = input.allNodes !== false;
  const tmpl = ds.spec?.template?.spec as Parameters<typeof nodeEligibility>[0];
  const byNode = new Map<string, PodLike[]>();
  const deletedTerminal = new Map<string, PodLike>();
  const unbound: PodLike[] = [];
  for (const p of input.pods) {
    if (!counts(p, ds)) continue;
    const target = podTargetNode(p as PodFull);
    if (isTerminal(p) && p.metadata?.deletionTimestamp) {
      if (target) deletedTerminal.set(target, p);
      continue;
    }
    if (!target) {
      unbound.push(p);
      continue;
    }
    const list = byNode.get(target);
    if (list) list.push(p);
    else byNode.set(target, [p]);
  }

  const s: CoverageSummary = { desired: 0, current: 0, ready: 0, upToDate: 0, available: 0, misscheduled: 0, nodes: 0, covered: 0, missing: 0, failing: 0, outdated: 0, duplicates: 0, stray: 0 };
  const rows: NodeRow[] = [];
  const seen = new Set<string>();
  const nodes = [...input.nodes].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    seen.add(name);
    s.nodes++;
    const e: Eligibility = nodeEligibility(tmpl, node as Parameters<typeof nodeEligibility>[1]);
    const raw = byNode.get(name) ?? [];
    if (raw.length > 1) raw.sort(controllerOrder);
    const pods = raw.map((p) => viewPod(p, ds, currentHash, now));
    const row: NodeRow = {
      node: name,
      shouldRun: e.shouldRun,
      shouldContinueRunning: e.shouldContinueRunning,
      reasons: e.reasons,
      taints: (node.spec?.taints ?? []).map(formatTaint),
      nodeReady: isNodeReady(node),
      pods,
      state: 'not-eligible',
      status: '',
      problems: [],
    };
    const live = pods.filter((p) => !p.terminating);
    if (live.length > 1) {
      s.duplicates++;
      row.problems.push(`${live.length} pods on one node`);
    }
    if (e.shouldRun) {
      s.desired++;
      const first = pods[0];
      if (!first) {
        s.missing++;
        row.state = 'missing';
        row.status = 'MISSING';
        row.detail = missingReason(ds, node, deletedTerminal.get(name), now);
        row.problems.unshift(`missing: ${row.detail}`);
      } else {
        s.current++;
        if (first.ready) s.ready++;
        if (first.ready && first.available) s.available++;
        if (first.upToDate) s.upToDate++;
        row.status = first.status;
        if (first.detail) row.detail = first.detail;
        if (!first.ready) {
          s.failing++;
          row.state = 'failing';
          row.problems.unshift(`pod not ready: ${first.status}${first.detail ? ` (${first.detail})` : ''}`);
        } else if (!first.upToDate) {
          s.outdated++;
          row.state = 'outdated';
          row.problems.unshift(`pod runs an old revision${first.revision ? ` (${first.revision})` : ''}`);
        } else {
          s.covered++;
          row.state = 'ok';
        }
      }
    } else if (pods.length) {
      s.misscheduled++;
      row.state = 'misscheduled';
      row.status = 'MISSCHEDULED';
      const first = pods[0]!;
      const fate = e.shouldContinueRunning
        ? 'the controller leaves it running (every NoExecute taint is tolerated)'
        : 'the controller will delete it';
      row.detail = `pod ${first.status}; ${fate}`;
      row.problems.unshift(`misscheduled: the node should not run the daemon (${e.reasons.map((r) => r.message).join('; ')}); ${fate}`);
    }
    rows.push(row);
  }

  const strayPods = unbound.map((p) => viewPod(p, ds, currentHash, now));
  if (allNodes) {
    for (const [n, list] of byNode) if (!seen.has(n)) for (const p of list) strayPods.push(viewPod(p, ds, currentHash, now));
  }
  s.stray = strayPods.length;

  const st = ds.status ?? {};
  const reported: CoverageCounts = {
    desired: st.desiredNumberScheduled ?? 0,
    current: st.currentNumberScheduled ?? 0,
    ready: st.numberReady ?? 0,
    upToDate: st.updatedNumberScheduled ?? 0,
    available: st.numberAvailable ?? 0,
    misscheduled: (st as { numberMisscheduled?: number }).numberMisscheduled ?? 0,
  };
  const ok = s.covered === s.desired && s.misscheduled === 0 && s.stray === 0 && s.duplicates === 0;
  return {
    namespace: ds.metadata?.namespace ?? '',
    name: ds.metadata?.name ?? '',
    ...(currentHash ? { currentRevision: currentHash } : {}),
    rows,
    strayPods,
    summary: s,
    reported,
    ok,
    diagnosis: diagnose(s, rows, strayPods),
  };
}

function diagnose(s: CoverageSummary, rows: NodeRow[], stray: PodView[]): string {
  const where = (state: NodeState) => listNames(rows.filter((r) => r.state === state).map((r) => r.node));
  const parts: string[] = [];
  if (s.missing) parts.push(`${s.missing} missing (${where('missing')})`);
  if (s.failing) {
    const f = rows.filter((r) => r.state === 'failing');
    const why = [...new Set(f.map((r) => r.status + (r.status === 'Pending' && r.detail ? `: ${r.detail}` : '')))];
    parts.push(`${s.failing} not ready (${listNames(f.map((r) => r.node))}: ${listNames(why, 2)})`);
  }
  if (s.outdated) parts.push(`${s.outdated} on an old revision (${where('outdated')})`);
  if (s.misscheduled) parts.push(`${s.misscheduled} misscheduled (${where('misscheduled')})`);
  if (s.duplicates) parts.push(`${plural(s.duplicates, 'node')} with several pods (${listNames(rows.filter((r) => r.pods.filter((p) => !p.terminating).length > 1).map((r) => r.node))})`);
  if (stray.length) parts.push(`${plural(stray.length, 'pod')} on no known node (${listNames(stray.map((p) => p.name))})`);
  if (parts.length === 0) {
    if (s.desired === 0) return `no node is eligible (${plural(s.nodes, 'node')} considered)`;
    return `all ${plural(s.desired, 'eligible node')} run a ready, up-to-date pod`;
  }
  return `${s.covered} of ${plural(s.desired, 'eligible node')} covered: ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------
// Every DaemonSet: the matrix

export const GLYPHS: Record<NodeState, string> = {
  ok: '✓',
  'not-eligible': '·',
  outdated: '↻',
  failing: '!',
  missing: '✗',
  misscheduled: 'M',
};

export const LEGEND = `✓ running, ready and up to date   ✗ missing   · not eligible   ! not ready (failing)   ↻ old revision   M misscheduled`;

/** A problem cell: anything but ok and not-eligible (or several pods on the node). */
export function isProblem(row: NodeRow): boolean {
  return (row.state !== 'ok' && row.state !== 'not-eligible') || row.problems.length > 0;
}

export interface Matrix {
  /** The DaemonSets, as `namespace/name` (or `name` when all are in one namespace). */
  columns: string[];
  /** One row per node: the node name and one glyph per column. */
  rows: { node: string; cells: string[]; problem: boolean }[];
  /** Per column: `covered/desired`. */
  totals: string[];
}

/**
 * The all-DaemonSets matrix. `coverages` must have been computed over the same nodes. With
 * `problemsOnly`, only the rows and the columns with a problem are kept.
 */
export function coverageMatrix(coverages: Coverage[], problemsOnly = false): Matrix {
  const oneNs = new Set(coverages.map((c) => c.namespace)).size <= 1;
  let cols = coverages.map((c, i) => ({ c, i, label: oneNs ? c.name : `${c.namespace}/${c.name}` }));
  if (problemsOnly) cols = cols.filter(({ c }) => !c.ok);
  const nodeNames = coverages[0]?.rows.map((r) => r.node) ?? [];
  const rowIndex = coverages.map((c) => new Map(c.rows.map((r) => [r.node, r])));
  const rows: Matrix['rows'] = [];
  for (const n of nodeNames) {
    let problem = false;
    const cells = cols.map(({ i }) => {
      const r = rowIndex[i]!.get(n);
      if (!r) return ' ';
      if (isProblem(r)) problem = true;
      return GLYPHS[r.state];
    });
    if (problemsOnly && !problem) continue;
    rows.push({ node: n, cells, problem });
  }
  return { columns: cols.map((c) => c.label), rows, totals: cols.map(({ c }) => `${c.summary.covered}/${c.summary.desired}`) };
}

export interface ProblemLine {
  namespace: string;
  daemonSet: string;
  node: string;
  state: NodeState | 'stray';
  problem: string;
}

/** Every problem of every DaemonSet, one line each (the narrow-terminal and --problems list form). */
export function problemList(coverages: Coverage[]): ProblemLine[] {
  const out: ProblemLine[] = [];
  for (const c of coverages) {
    for (const r of c.rows) for (const p of r.problems) out.push({ namespace: c.namespace, daemonSet: c.name, node: r.node, state: r.state, problem: p });
    for (const p of c.strayPods) out.push({ namespace: c.namespace, daemonSet: c.name, node: p.node ?? '<none>', state: 'stray', problem: p.node ? `pod ${p.name} is on node ${p.node}, which does not exist` : `pod ${p.name} is not bound to any node` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Several clusters

export interface ClusterTotal {
  cluster: string;
  daemonSets: number;
  eligible: number;
  covered: number;
  problems: number;
  ok: boolean;
}

/** Nodes covered out of eligible, per cluster and in total (the cross-cluster summary). */
export function clusterTotals(perCluster: { cluster: string; coverages: Coverage[] }[]): { clusters: ClusterTotal[]; total: ClusterTotal } {
  const clusters = perCluster.map(({ cluster, coverages }) => ({
    cluster,
    daemonSets: coverages.length,
    eligible: coverages.reduce((n, c) => n + c.summary.desired, 0),
    covered: coverages.reduce((n, c) => n + c.summary.covered, 0),
    problems: coverages.reduce((n, c) => n + c.rows.filter(isProblem).length + c.strayPods.length, 0),
    ok: coverages.every((c) => c.ok),
  }));
  const total: ClusterTotal = {
    cluster: 'TOTAL',
    daemonSets: clusters.reduce((n, c) => n + c.daemonSets, 0),
    eligible: clusters.reduce((n, c) => n + c.eligible, 0),
    covered: clusters.reduce((n, c) => n + c.covered, 0),
    problems: clusters.reduce((n, c) => n + c.problems, 0),
    ok: clusters.every((c) => c.ok),
  };
  return { clusters, total };
}

// ---------------------------------------------------------------------------------------------------
// The -o json|yaml record (a documented, stable schema: see README "coverage")

export function coverageRecord(c: Coverage, cluster?: string): Record<string, unknown> {
  const pod = (p: PodView) => ({
    name: p.name,
    node: p.node ?? null,
    status: p.status,
    detail: p.detail ?? null,
    ready: p.ready,
    available: p.available,
    upToDate: p.upToDate,
    revision: p.revision ?? null,
    restarts: p.restarts,
    ip: p.ip ?? null,
    createdAt: Number.isFinite(p.created) ? new Date(p.created).toISOString() : null,
    terminating: p.terminating,
    orphan: p.orphan,
  });
  return {
    ...(cluster !== undefined ? { cluster } : {}),
    namespace: c.namespace,
    name: c.name,
    ok: c.ok,
    diagnosis: c.diagnosis,
    currentRevision: c.currentRevision ?? null,
    summary: c.summary,
    reported: c.reported,
    nodes: c.rows.map((r) => ({
      name: r.node,
      shouldRun: r.shouldRun,
      shouldContinueRunning: r.shouldContinueRunning,
      reasons: r.reasons.map((x) => ({ rule: x.rule, message: x.message })),
      taints: r.taints,
      nodeReady: r.nodeReady,
      state: r.state,
      status: r.status,
      detail: r.detail ?? null,
      problems: r.problems,
      pods: r.pods.map(pod),
    })),
    strayPods: c.strayPods.map(pod),
  };
}
