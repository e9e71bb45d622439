import type { Command } from 'commander';
import { CliError, ExitCode, UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster, type Globals } from '../cli/globals.js';
import { parseDuration } from '../cli/duration.js';
import { parseSelector } from '../core/labels.js';
import {
  adoptionNotes,
  fateText,
  laterAdoptionNote,
  parseCascade,
  planDeletion,
  PROPAGATION_POLICY,
  type Cascade,
  type DaemonSetLike,
  type DeletionPlan,
  type PodLike,
  type RevisionLike,
  type TargetPlan,
} from '../core/deletion.js';
import { renderTable } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

type DryRun = 'none' | 'client' | 'server';

interface Opts {
  orphan?: boolean;
  cascade?: string | boolean;
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  interactive?: boolean;
  dryRun?: string | boolean;
  wait?: string | boolean;
  timeout?: string;
  forceSystem?: boolean;
  ignoreNotFound?: string | boolean;
  output?: string;
}

/** Everything the flags decide, checked before any request is sent. */
export interface DeleteRequest {
  names: string[];
  selector?: string;
  all: boolean;
  allNamespaces: boolean;
  cascade: Cascade;
  warnings: string[];
  dryRun: DryRun;
  wait: boolean;
  timeoutMs: number;
  interactive: boolean;
  forceSystem: boolean;
  ignoreNotFound: boolean;
  output?: 'name' | 'json';
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

function parseBoolFlag(v: string | boolean | undefined, flag: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (GO_TRUE.includes(v)) return true;
  if (GO_FALSE.includes(v)) return false;
  throw new UsageError(`invalid argument "${v}" for "${flag}" flag: use true or false`);
}

/** kubectl's --dry-run: none|client|server; a bare flag means client. */
function parseDryRun(v: string | boolean | undefined, warnings: string[]): DryRun {
  if (v === undefined || v === false) return 'none';
  if (v === true) return 'client';
  if (v === 'none' || v === 'client' || v === 'server') return v;
  if (GO_TRUE.includes(v) || GO_FALSE.includes(v)) {
    const to = GO_TRUE.includes(v) ? 'client' : 'none';
    warnings.push(`warning: --dry-run=${v} is deprecated (boolean value) and can be replaced with --dry-run=${to}.`);
    return to;
  }
  throw new UsageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** Turns the flags into a request, or throws the one-line error (nothing has been sent yet). */
export function parseRequest(names: string[], o: Opts, g: Pick<Globals, 'namespace'> & Partial<Pick<Globals, 'contexts' | 'allContexts'>>): DeleteRequest {
  const warnings: string[] = [];
  const output = checkOutputFormat(o.output, ['name', 'json']) as 'name' | 'json' | undefined;
  const parsed = parseCascade(o.cascade);
  // kubectl exits 1 for a bad --cascade value; keep its code and its words.
  if (!parsed.ok) throw new CliError(parsed.error);
  if (parsed.warning) warnings.push(parsed.warning);
  let cascade = parsed.cascade;
  if (o.orphan) {
    if (o.cascade !== undefined && cascade !== 'orphan') throw new UsageError(`--orphan contradicts --cascade=${o.cascade === true ? 'background' : o.cascade}: give one of them`);
    cascade = 'orphan';
  }
  const uniq = [...new Set(names)];
  if (o.all && o.selector !== undefined) throw new UsageError('cannot set --all and --selector at the same time');
  if (uniq.length && (o.selector !== undefined || o.all)) throw new UsageError('name cannot be provided when a selector is specified (drop the names, or drop -l/--all)');
  if (uniq.length && o.allNamespaces) throw new UsageError('a resource cannot be retrieved by name across all namespaces (use -n NAMESPACE with names, or -A with -l/--all)');
  if (!uniq.length && o.selector === undefined && !o.all) {
    throw new UsageError('no DaemonSet given: name one or more, or use -l SELECTOR or --all (see kubectl ds delete --help)');
  }
  if (o.all && !g.namespace && !o.allNamespaces) {
    throw new UsageError('--all deletes every DaemonSet in a namespace: say which with -n NAMESPACE, or use -A for every namespace');
  }
  if (o.selector !== undefined) {
    try {
      parseSelector(o.selector);
    } catch (e) {
      throw new UsageError(`invalid -l selector "${o.selector}": ${(e as Error).message}`);
    }
  }
  for (const n of uniq) if (n.includes('/') && !/^(daemonsets?|ds|daemonsets?\.apps)\//.test(n)) throw new UsageError(`"${n}" is not a DaemonSet name`);
  const dryRun = parseDryRun(o.dryRun, warnings);
  const timeoutMs = o.timeout === undefined ? 0 : parseDuration(o.timeout, '--timeout');
  return {
    names: uniq.map((n) => n.replace(/^[^/]+\//, '')),
    selector: o.selector,
    all: Boolean(o.all),
    allNamespaces: Boolean(o.allNamespaces),
    cascade,
    warnings,
    dryRun,
    wait: parseBoolFlag(o.wait, '--wait', true),
    timeoutMs,
    interactive: Boolean(o.interactive),
    forceSystem: Boolean(o.forceSystem),
    ignoreNotFound: parseBoolFlag(o.ignoreNotFound, '--ignore-not-found', o.selector !== undefined || Boolean(o.all)),
    output,
  };
}

// ---------------------------------------------------------------------------------------------------
// Presentation of the plan and of what was observed

const CASCADE_TEXT: Record<Cascade, string> = {
  orphan: 'orphan: the DaemonSet goes, its pods keep running without an owner',
  background: 'background: the DaemonSet goes at once, then the garbage collector deletes its pods',
  foreground: 'foreground: the pods are deleted first, then the DaemonSet',
};

function plural(n: number, word: string, pl = `${word}s`): string {
  return `${n} ${n === 1 ? word : pl}`;
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** The plan as text (what the user reads before anything happens). */
export function renderPlan(plan: DeletionPlan): string {
  const lines: string[] = [];
  for (const t of plan.targets) {
    const orphan = plan.cascade === 'orphan';
    lines.push(`daemonset.apps "${t.name}" in namespace "${t.namespace}" (--cascade=${CASCADE_TEXT[plan.cascade]}):`);
    const podsSummary = orphan ? `${plural(t.pods.length, 'pod')} left running` : `${plural(t.pods.length, 'pod')} deleted`;
    const revSummary = `${plural(t.revisions.length, 'ControllerRevision')} ${orphan ? 'orphaned' : 'deleted'}`;
    lines.push(`  ${podsSummary}, ${revSummary}.`);
    if (t.pods.length) {
      lines.push(indent(renderTable(['POD', 'NODE', 'STATUS', 'AFTER THE DELETE'], t.pods.map((p) => [p.name, p.node ?? '<none>', p.status, fateText(p)])), '    '));
    }
    if (t.revisions.length) {
      const rows = t.revisions.map((r) => [
        r.name,
        r.revision ?? '',
        r.action === 'delete' ? 'deleted' : r.adopters.length ? `orphaned, adopted by ${r.adopters.join(', ')}` : 'orphaned',
      ]);
      lines.push(indent(renderTable(['CONTROLLERREVISION', 'REVISION', 'AFTER THE DELETE'], rows), '    '));
    }
    if (orphan) {
      for (const n of adoptionNotes(t)) lines.push(`  ${n}`);
      lines.push(`  ${laterAdoptionNote(t)}`);
    }
  }
  return lines.join('\n');
}

/** The -o json record of one target. */
function planRecord(t: TargetPlan) {
  return {
    namespace: t.namespace,
    name: t.name,
    uid: t.uid,
    selector: t.selector,
    pods: t.pods.map((p) => ({ name: p.name, uid: p.uid, node: p.node ?? null, status: p.status, fate: p.fate, adopters: p.adopters })),
    controllerRevisions: t.revisions.map((r) => ({ name: r.name, revision: r.revision, action: r.action, adopters: r.adopters })),
    adopters: t.adopters,
    overlapping: t.overlapping,
  };
}

// ---------------------------------------------------------------------------------------------------
// The command

export function define(cmd: Command): void {
  cmd
    .argument('[names...]', 'the DaemonSets to delete')
    .usage('NAME... [-n NS] [--orphan | --cascade=background|foreground|orphan] [-l SELECTOR | --all] [-A] [-i] [--dry-run=client|server] [--wait=false] [--timeout DUR] [-o name|json]')
    .option('--orphan', 'leave the pods running (same as --cascade=orphan)')
    .option('--cascade [mode]', 'background (default; also a bare --cascade), foreground or orphan; true/false are deprecated forms')
    .option('-l, --selector <selector>', 'delete the DaemonSets whose labels match (e.g. -l app=fluentd,tier!=test)')
    .option('--all', 'delete every DaemonSet in the namespace (needs an explicit -n NAMESPACE, or -A)')
    .option('-A, --all-namespaces', 'with -l or --all: in every namespace')
    .option('-i, --interactive', 'show the plan and ask before deleting (only "y" goes ahead)')
    .option('--dry-run [strategy]', 'client: only print the plan; server: also let the API server check the delete (dryRun=All); none: act')
    .option('--wait [bool]', 'wait until the DaemonSet is gone and report what the garbage collector did (default true)')
    .option('--timeout <duration>', 'how long to wait (e.g. 30s, 5m); 0 waits as long as it takes (default 0)')
    .option('--force-system', 'allow deleting DaemonSets in kube-system without -i (kube-proxy or the CNI agent going away takes nodes down)')
    .option('--ignore-not-found [bool]', 'treat a DaemonSet that does not exist as deleted (default true with -l/--all)')
    .option('-o, --output <format>', 'name: print daemonset.apps/NAME per deleted DaemonSet (the plan goes to stderr); json: plan and outcome as one JSON document')
    .addHelpText(
      'after',
      `
Before it acts, the command prints the plan: every pod (with its node) that will be deleted or left
running, the ControllerRevisions, and for --orphan the DaemonSets that will adopt the pods and whether
adoption replaces them. After the DELETE it reports what it observed: with --orphan it waits until the
garbage collector has removed the ownerReferences and lists the pods left running; with foreground,
until the pods are gone; with background, that the DaemonSet is gone and how many pods are terminating.
An orphaning delete never deletes a pod. DaemonSets in kube-system need --force-system or -i.

Several clusters (--context repeated, --contexts, --all-contexts): the plan of every cluster is made
and printed first, under "=== plan on cluster NAME ===", before anything is deleted anywhere (-i asks once
for all of them); then each cluster's deletes and report in turn, and a last table CLUSTER RESULT DETAIL.
A cluster that is unreachable or refuses (Forbidden) is reported as failed and the others are done.
-o json: one document with the cluster on every record.

Exit codes: 0 deleted (or nothing matched -l/--all), 1 any DaemonSet not deleted or the wait timed out
(the others are still deleted), 2 usage error.

Examples:
  # Delete a DaemonSet and its pods, waiting until they are gone
  kubectl ds delete fluentd -n logging --cascade=foreground

  # Change an immutable selector: orphan the pods, then re-create the DaemonSet (see README)
  kubectl ds delete fluentd -n logging --orphan --dry-run=client
  kubectl ds delete fluentd -n logging --orphan

  # Several at once, asking first
  kubectl ds delete fluentd node-exporter -n monitoring -i

  # Every DaemonSet labelled team=obs in every namespace, names only
  kubectl ds delete -l team=obs -A -o name

  # The same DaemonSet on every production cluster, pods left running, after one question
  kubectl ds delete fluentd -n logging --orphan --all-contexts --context-selector '^prod-' -i`,
    )
    .action(async (names: string[], opts: Opts, command: Command) => {
      const g = globalsOf(command);
      const req = parseRequest(names, opts, g);
      for (const w of req.warnings) process.stderr.write(`${w}\n`);
      const code = isMultiCluster(g) ? await deleteAcrossClusters(req, g) : await runDelete(req, g);
      if (code !== 0) throw new ExitCode(code);
    });
}

// ---------------------------------------------------------------------------------------------------
// Talking to the cluster (the API client is loaded only here)

type Client = typeof import('../kube/client.js');
type Cluster = import('../kube/client.js').Cluster;

const WEEK_MS = 168 * 3_600_000; // kubectl's "wait forever"

interface Observed {
  gone: boolean;
  /** The finalizers of the DaemonSet while it still exists. */
  finalizers: string[];
  /** Pods of the plan that still exist, with what was read about them. */
  pods: { name: string; uid?: string; node: string; status: string; owner: string; stillOwned: boolean; terminating: boolean }[];
  /** Planned pods that no longer exist. */
  podsGone: string[];
  revisionsStillOwned: string[];
  revisionsGone: string[];
}

interface Outcome {
  target: TargetPlan;
  /** The DELETE was accepted (false for client dry run and for failures). */
  deleted: boolean;
  error?: string;
  observed?: Observed;
  summary?: string;
}

/** The one printed line of an error: kubectl's raw "Error from server" form, or "error: ...". */
function errorLine(e: CliError): string {
  return e.raw ? e.message : `error: ${e.message}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it is true or the deadline passes. */
async function until(deadline: number, fn: () => Promise<boolean>, everyMs = 250): Promise<boolean> {
  for (;;) {
    if (await fn()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(everyMs, Math.max(0, deadline - Date.now())));
  }
}

/** Watches the DaemonSet until the object with this UID is gone (true) or the deadline passes (false). */
function waitGone(client: Client, c: Cluster, ns: string, name: string, uid: string | undefined, deadline: number): Promise<boolean> {
  const fieldSelector = `metadata.name=${name}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let handle: import('../kube/client.js').WatchHandle | undefined;
    const finish = (v: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handle?.stop();
      resolve(v);
    };
    const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
    handle = client.watchResilient<DaemonSetLike & { metadata?: { resourceVersion?: string } }>(
      c,
      client.paths.daemonSets(ns),
      { fieldSelector },
      undefined,
      (ev) => {
        // Gone, or replaced by a new object with the same name.
        if ((ev.type === 'DELETED' && ev.object.metadata?.uid === uid) || (ev.object.metadata?.uid && ev.object.metadata.uid !== uid)) finish(true);
      },
      async () => {
        const l = await client.listJson<DaemonSetLike>(c, client.paths.daemonSets(ns), { fieldSelector });
        if (!l.items.some((d) => d.metadata?.uid === uid)) setImmediate(() => finish(true));
        return { items: l.items.filter((d) => d.metadata?.uid === uid), resourceVersion: l.resourceVersion };
      },
    );
    handle.done.catch((e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    });
  });
}

function ownerName(meta: { ownerReferences?: { controller?: boolean; kind?: string; name?: string }[] | null } | undefined): string {
  const ref = (meta?.ownerReferences ?? []).find((r) => r.controller);
  return ref ? `${(ref.kind ?? '').toLowerCase()}/${ref.name}` : '<none>';
}

/** Re-reads the pods and revisions of a plan and says what became of them. */
async function observe(client: Client, c: Cluster, t: TargetPlan): Promise<Observed> {
  const { podNode, podStatus, ownedBy } = await import('../core/deletion.js');
  const ns = t.namespace;
  const [pods, revs, ds] = await Promise.all([
    client.listJson<PodLike>(c, client.paths.pods(ns), { labelSelector: t.selector }),
    client.listJson<RevisionLike>(c, client.paths.controllerRevisions(ns)),
    client.listJson<DaemonSetLike>(c, client.paths.daemonSets(ns), { fieldSelector: `metadata.name=${t.name}` }),
  ]);
  const podByUid = new Map(pods.items.map((p) => [p.metadata?.uid, p]));
  const revByName = new Map(revs.items.map((r) => [r.metadata?.name, r]));
  const still = ds.items.find((d) => d.metadata?.uid === t.uid);
  const o: Observed = { gone: !still, finalizers: still?.metadata?.finalizers ?? [], pods: [], podsGone: [], revisionsStillOwned: [], revisionsGone: [] };
  for (const p of t.pods) {
    const now = podByUid.get(p.uid);
    if (!now) {
      o.podsGone.push(p.name);
      continue;
    }
    o.pods.push({
      name: p.name,
      uid: p.uid,
      node: podNode(now) ?? '<none>',
      status: podStatus(now),
      owner: ownerName(now.metadata),
      stillOwned: ownedBy(now.metadata, t.uid),
      terminating: Boolean(now.metadata?.deletionTimestamp),
    });
  }
  for (const r of t.revisions) {
    const now = revByName.get(r.name);
    if (!now) o.revisionsGone.push(r.name);
    else if (ownedBy(now.metadata, t.uid)) o.revisionsStillOwned.push(r.name);
  }
  return o;
}

/** Waits for the outcome the cascade mode promises, then says what was observed. */
async function waitAndObserve(client: Client, c: Cluster, cascade: Cascade, oc: Outcome, deadline: number, timeoutMs: number, nameNs: boolean): Promise<void> {
  const t = oc.target;
  const what = `daemonset.apps "${t.name}"${nameNs ? ` in namespace "${t.namespace}"` : ''}`;
  const after = timeoutMs > 0 ? `after ${timeoutMs / 1000}s ` : '';
  const gone = await waitGone(client, c, t.namespace, t.name, t.uid, deadline);
  let o = await observe(client, c, t);
  if (gone && cascade === 'orphan') {
    // The garbage collector removes the ownerReferences before it lets the DaemonSet go; re-read to see it.
    await until(deadline, async () => {
      o = await observe(client, c, t);
      return o.pods.every((p) => !p.stillOwned) && o.revisionsStillOwned.length === 0;
    });
  } else if (gone && cascade === 'background') {
    // The garbage collector marks the pods right after the owner goes: give it a moment to be seen.
    const soon = Math.min(deadline, Date.now() + 10_000);
    await until(soon, async () => {
      o = await observe(client, c, t);
      return o.pods.every((p) => p.terminating);
    });
  } else if (gone && cascade === 'foreground') {
    await until(deadline, async () => {
      o = await observe(client, c, t);
      return o.pods.length === 0;
    });
  }
  oc.observed = o;
  const stillOwnedPods = o.pods.filter((p) => p.stillOwned).length;
  const held = (fs: string[]) => (fs.length ? `, held by the finalizer${fs.length === 1 ? '' : 's'} ${fs.join(', ')}` : '');
  if (cascade === 'orphan') {
    if (stillOwnedPods || o.revisionsStillOwned.length) {
      oc.error =
        `error: timed out ${after}waiting for the garbage collector to orphan the pods of ${what}: ` +
        `${gone ? 'the DaemonSet is gone' : 'the DaemonSet is marked for deletion but still exists'}; no pod was deleted; ` +
        `${plural(stillOwnedPods, 'pod')} and ${plural(o.revisionsStillOwned.length, 'ControllerRevision')} still carry its ownerReference: ` +
        `the garbage collector (kube-controller-manager) has not done its part; check it, or run the command again`;
      return;
    }
    if (!gone) {
      const others = o.finalizers.filter((f) => f !== 'orphan');
      oc.error =
        `error: timed out ${after}waiting for ${what} to go: the garbage collector orphaned its ${plural(o.pods.length, 'pod')} and ` +
        `${plural(t.revisions.length - o.revisionsGone.length, 'ControllerRevision')} (no pod was deleted), but the DaemonSet still exists${held(others.length ? others : o.finalizers)}`;
      return;
    }
    const adopted = o.pods.filter((p) => p.owner !== '<none>').length;
    oc.summary =
      `${what} is gone; the garbage collector removed its ownerReference from ${plural(o.pods.length, 'pod')} and ${plural(t.revisions.length - o.revisionsGone.length, 'ControllerRevision')}` +
      `${adopted ? ` (${adopted} already adopted by another DaemonSet)` : ''}${o.podsGone.length ? `; ${plural(o.podsGone.length, 'pod')} no longer exist${o.podsGone.length === 1 ? 's' : ''} (${o.podsGone.join(', ')})` : ''}.`;
    return;
  }
  if (cascade === 'foreground') {
    if (!gone || o.pods.length) {
      oc.error =
        `error: timed out ${after}waiting for the foreground deletion of ${what}: ` +
        `${gone ? 'the DaemonSet is gone' : `the DaemonSet is marked for deletion and still exists${held(o.finalizers)}`}; ` +
        `${o.podsGone.length} of ${plural(t.pods.length, 'pod')} deleted, ${o.pods.length} still present (${o.pods.filter((p) => p.terminating).length} terminating)`;
      return;
    }
    oc.summary = `${what} is gone, and so ${t.pods.length === 1 ? 'is its pod' : `are its ${t.pods.length} pods`}.`;
    return;
  }
  if (!gone) {
    oc.error = `error: timed out ${after}waiting for ${what} to go: it is marked for deletion but still exists${held(o.finalizers)}; ${plural(o.pods.length, 'pod')} still present`;
    return;
  }
  const terminating = o.pods.filter((p) => p.terminating).length;
  const waiting = o.pods.length - terminating;
  oc.summary =
    o.pods.length === 0
      ? `${what} is gone; its ${plural(t.pods.length, 'pod')} ${t.pods.length === 1 ? 'is' : 'are'} gone too.`
      : `${what} is gone; of its ${plural(t.pods.length, 'pod')}, ${terminating} ${terminating === 1 ? 'is' : 'are'} terminating` +
        `${o.podsGone.length ? `, ${o.podsGone.length} ${o.podsGone.length === 1 ? 'is' : 'are'} gone` : ''}` +
        `${waiting ? `, ${waiting} not yet marked for deletion by the garbage collector` : ''}.`;
}

function observedTable(o: Observed): string {
  const adopted = o.pods.some((p) => p.owner !== '<none>');
  const headers = adopted ? ['NAME', 'NODE', 'STATUS', 'OWNER'] : ['NAME', 'NODE', 'STATUS'];
  return renderTable(headers, o.pods.map((p) => (adopted ? [p.name, p.node, p.status, p.owner] : [p.name, p.node, p.status])));
}

async function readPlanInput(client: Client, c: Cluster, targets: DaemonSetLike[]) {
  const namespaces = [...new Set(targets.map((t) => t.metadata?.namespace ?? c.namespace))];
  const pods: PodLike[] = [];
  const revisions: RevisionLike[] = [];
  const daemonSets: DaemonSetLike[] = [];
  // Whole namespaces: the adopters' own pods and revisions matter as much as the targets'.
  for (const namespace of namespaces) {
    const [dsl, revl, podl] = await Promise.all([
      client.listJson<DaemonSetLike>(c, client.paths.daemonSets(namespace)),
      client.listJson<RevisionLike>(c, client.paths.controllerRevisions(namespace)),
      client.listJson<PodLike>(c, client.paths.pods(namespace)),
    ]);
    daemonSets.push(...dsl.items);
    revisions.push(...revl.items);
    pods.push(...podl.items);
  }
  return { pods, revisions, daemonSets };
}

/** The JSON document of one cluster's deletion (-o json). */
type DeletionDoc = Record<string, unknown>;

/** One cluster between its plan and its deletes. */
interface Prepared {
  client: Client;
  c: Cluster;
  plan: DeletionPlan;
  errors: string[];
}

function sayer(req: DeleteRequest) {
  return (s: string) => (req.output === undefined ? process.stdout : process.stderr).write(`${s}\n`);
}

function failer(errors: string[]) {
  return (line: string) => {
    errors.push(line);
    process.stderr.write(`${line}\n`);
  };
}

/** Asks once before the deletes of every target listed (-i). */
async function confirmDelete(req: DeleteRequest, targets: { name: string; namespace: string; cluster?: string }[]): Promise<boolean> {
  const { confirm } = await import('../cli/prompt.js');
  const to = req.output === undefined ? process.stdout : process.stderr;
  to.write(`You are about to delete the following ${targets.length} resource(s):\n`);
  for (const t of targets) to.write(`${t.cluster ? `${t.cluster}: ` : ''}daemonset.apps/${t.name}${t.namespace === 'kube-system' ? '   (in kube-system: nodes may stop working without it)' : ''}\n`);
  if (await confirm('Do you want to continue? (y/n): ', to)) return true;
  to.write('deletion is cancelled\n');
  return false;
}

/** One cluster: plan, print the plan, act, report. The -o json document goes to `emit`. */
export async function runDelete(req: DeleteRequest, g: Globals, c?: Cluster, emit = (doc: DeletionDoc) => void process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)): Promise<number> {
  const client = await import('../kube/client.js');
  const p = await prepareDelete(req, client, c ?? client.connect(g), emit);
  if ('code' in p) return p.code;
  if (req.interactive && !(await confirmDelete(req, p.plan.targets))) return p.errors.length ? 1 : 0;
  return executeDelete(req, g, p, emit);
}

/**
 * Steps 1 to 3 on one cluster: find the DaemonSets, read their pods and revisions, print the plan, and
 * check kube-system. Returns the exit code when there is nothing (more) to do; nothing is changed here.
 */
async function prepareDelete(req: DeleteRequest, client: Client, c: Cluster, emit: (doc: DeletionDoc) => void): Promise<Prepared | { code: number; errors: string[] }> {
  const json = req.output === 'json';
  const say = sayer(req);
  const errors: string[] = [];
  const fail = failer(errors);

  // 1. The DaemonSets to delete.
  const found: DaemonSetLike[] = [];
  if (req.names.length) {
    for (const name of req.names) {
      try {
        found.push(await client.getJson<DaemonSetLike>(c, client.paths.daemonSet(c.namespace, name)));
      } catch (e) {
        if (client.httpCode(e) === 404) {
          if (!req.ignoreNotFound) fail(`Error from server (NotFound): daemonsets.apps "${name}" not found in namespace "${c.namespace}"; nothing was deleted for it`);
        } else {
          fail(`${errorLine(client.apiError(e, c, `get daemonset ${name}`))}; nothing was deleted for it`);
        }
      }
    }
  } else {
    const labelSelector = req.selector || undefined;
    try {
      const l = await client.listJson<DaemonSetLike>(c, client.paths.daemonSets(req.allNamespaces ? undefined : c.namespace), { labelSelector });
      found.push(...l.items);
    } catch (e) {
      throw withNothingDone(client.apiError(e, c, 'list daemonsets'));
    }
  }
  if (!found.length) {
    if (errors.length) return { code: 1, errors };
    if (json) emit({ kind: 'DaemonSetDeletion', cascade: req.cascade, dryRun: req.dryRun, daemonSets: [], errors: [] });
    else say('No resources found');
    return { code: 0, errors };
  }

  // 2. The plan, printed before anything changes.
  let input;
  try {
    input = await readPlanInput(client, c, found);
  } catch (e) {
    throw withNothingDone(client.apiError(e, c, 'read the pods and ControllerRevisions to plan the deletion'));
  }
  let plan = planDeletion({ targets: found, ...input, cascade: req.cascade });
  if (plan.targets.some((t) => t.pods.some((p) => p.fate === 'depends'))) {
    // Whether the controller counts pod-template-generation depends on its version: ask the server.
    // Up to v1.20 it compares the label with a printed pointer (observed on v1.20: such pods are
    // replaced); from v1.27 the code compares the number. In between the plan says "depends".
    const v = await client.serverVersion(c).catch(() => undefined);
    const counts = v === undefined || !Number.isFinite(v.minor) || v.major !== 1 ? undefined : v.minor <= 20 ? false : v.minor >= 27 ? true : undefined;
    if (counts !== undefined) plan = planDeletion({ targets: found, ...input, cascade: req.cascade, generationLabelCounts: counts });
  }
  if (!json) say(renderPlan(plan));
  for (const w of plan.warnings) process.stderr.write(`${w}\n`);

  // 3. Checks: kube-system (the question, -i, is asked by the caller).
  const system = plan.targets.filter((t) => t.namespace === 'kube-system');
  if (system.length && req.dryRun === 'none' && !req.forceSystem && !req.interactive) {
    fail(
      `error: refusing to delete ${system.map((t) => `daemonset.apps "${t.name}"`).join(', ')} in kube-system without --force-system or -i: ` +
        `losing kube-proxy or the CNI agent takes nodes down; nothing was deleted`,
    );
    return { code: 1, errors };
  }
  return { client, c, plan, errors };
}

/** Steps 4 and 5 on one cluster: the deletes, then what was observed. */
async function executeDelete(req: DeleteRequest, g: Globals, prepared: Prepared, emit: (doc: DeletionDoc) => void): Promise<number> {
  const { client, c, plan, errors } = prepared;
  const json = req.output === 'json';
  const say = sayer(req);
  const fail = failer(errors);

  // 4. The deletes. A failure is reported and the others proceed, as with kubectl.
  const outcomes: Outcome[] = [];
  const policy = PROPAGATION_POLICY[req.cascade];
  for (const t of plan.targets) {
    const oc: Outcome = { target: t, deleted: false };
    outcomes.push(oc);
    const printed = () => {
      if (req.output === 'name') process.stdout.write(`daemonset.apps/${t.name}\n`);
      else if (!json) say(`daemonset.apps "${t.name}" deleted${req.dryRun === 'client' ? ' (dry run)' : req.dryRun === 'server' ? ' (server dry run)' : ''}`);
    };
    if (req.dryRun === 'client') {
      printed();
      continue;
    }
    const dryRun = req.dryRun === 'server' ? 'All' : undefined;
    try {
      await client.requestJson(c, 'DELETE', client.paths.daemonSet(t.namespace, t.name), { dryRun, propagationPolicy: policy }, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: policy,
        ...(dryRun ? { dryRun: [dryRun] } : {}),
        // Only the object the plan was made for: if it was re-created meanwhile, the server refuses (409).
        ...(t.uid ? { preconditions: { uid: t.uid } } : {}),
      });
      oc.deleted = req.dryRun === 'none';
      printed();
    } catch (e) {
      const err = client.apiError(e, c, `delete daemonset ${t.name}`);
      const code = client.httpCode(e);
      const pods = plural(t.pods.length, 'pod');
      const tail =
        code === undefined
          ? `; the delete may or may not have reached the server: check with kubectl get ds ${t.name} -n ${t.namespace}`
          : code === 409
            ? `; it changed or was re-created after the plan was made; nothing was deleted: run the command again`
            : `; nothing was deleted: daemonset.apps "${t.name}" and its ${pods} are unchanged`;
      oc.error = `${errorLine(err)}${tail}`;
      fail(oc.error);
    }
  }

  // 5. What was observed.
  if (req.wait && req.dryRun === 'none') {
    const deadline = Date.now() + (req.timeoutMs > 0 ? req.timeoutMs : WEEK_MS);
    const { spinner } = await import('../output/print.js');
    const live = outcomes.filter((o) => o.deleted);
    const sp = live.length ? await spinner(`waiting for the garbage collector (${req.cascade}) ...`, g.color) : undefined;
    await Promise.all(
      live.map(async (oc) => {
        try {
          await waitAndObserve(client, c, req.cascade, oc, deadline, req.timeoutMs, new Set(plan.targets.map((t) => t.namespace)).size > 1);
        } catch (e) {
          oc.error = `${errorLine(client.apiError(e, c, `watch daemonset ${oc.target.name}`))}; the delete was accepted, but what followed could not be observed`;
        }
      }),
    );
    sp?.stop();
    for (const oc of live) {
      if (oc.error) {
        fail(oc.error);
        continue;
      }
      if (json || !oc.summary) continue;
      say(oc.summary);
      if (req.cascade === 'orphan' && oc.observed?.pods.length) say(indent(observedTable(oc.observed)));
    }
  }

  if (json) {
    const doc = {
      kind: 'DaemonSetDeletion',
      cascade: req.cascade,
      propagationPolicy: policy,
      dryRun: req.dryRun,
      warnings: plan.warnings,
      daemonSets: outcomes.map((oc) => ({
        ...planRecord(oc.target),
        notes: req.cascade === 'orphan' ? [...adoptionNotes(oc.target), laterAdoptionNote(oc.target)] : [],
        result: {
          deleted: oc.deleted,
          ...(oc.error ? { error: oc.error } : {}),
          ...(oc.summary ? { summary: oc.summary } : {}),
          ...(oc.observed
            ? {
                observed: {
                  daemonSetGone: oc.observed.gone,
                  pods: oc.observed.pods.map((p) => ({ name: p.name, uid: p.uid, node: p.node, status: p.status, owner: p.owner === '<none>' ? null : p.owner })),
                  podsGone: oc.observed.podsGone,
                  controllerRevisionsStillOwned: oc.observed.revisionsStillOwned,
                },
              }
            : {}),
        },
      })),
      errors,
    };
    emit(doc);
  }
  return errors.length ? 1 : 0;
}

/**
 * Several clusters: every cluster's plan is made and printed first (nothing is deleted anywhere until
 * every plan is shown; -i asks once for all), then each cluster's deletes and report, one cluster after
 * the other so that its report stays together. A cluster that cannot be read or refuses is reported and
 * the others are still done. Ends with one row per cluster: CLUSTER RESULT DETAIL.
 */
async function deleteAcrossClusters(req: DeleteRequest, g: Globals): Promise<number> {
  const client = await import('../kube/client.js');
  const { resolveContexts } = await import('../kube/multi.js');
  const contexts = resolveContexts(g);
  const json = req.output === 'json';
  const say = sayer(req);
  const docs = new Map<string, DeletionDoc>();
  const rows = new Map<string, { result: string; detail: string }>();
  const prepared: { context: string; p: Prepared }[] = [];
  const header = (context: string, what: string) => !json && say(`${prepared.length || rows.size ? '\n' : ''}=== ${what} on cluster "${context}" ===`);
  const firstLine = (errors: string[]) => (errors[0] ?? '').replace(/^error: /, '');

  for (const context of contexts) {
    header(context, 'plan');
    let c: Cluster | undefined;
    try {
      c = client.connect(g, { context });
      const p = await prepareDelete(req, client, c, (doc) => docs.set(context, doc));
      if ('code' in p) rows.set(context, p.code ? { result: 'failed', detail: firstLine(p.errors) } : { result: 'nothing to delete', detail: 'No resources found' });
      else prepared.push({ context, p });
    } catch (e) {
      const line = errorLine(c ? client.apiError(e, c, 'plan the deletion') : e instanceof CliError ? e : new CliError(String((e as Error).message ?? e)));
      process.stderr.write(`${line}\n`);
      rows.set(context, { result: 'failed', detail: line.replace(/^error: /, '') });
    }
  }

  const targets = prepared.flatMap(({ context, p }) => p.plan.targets.map((t) => ({ cluster: context, name: t.name, namespace: t.namespace })));
  if (req.interactive && targets.length && !(await confirmDelete(req, targets))) {
    for (const { context } of prepared) rows.set(context, { result: 'cancelled', detail: 'nothing was deleted' });
    prepared.length = 0;
  }

  for (const { context, p } of prepared) {
    header(context, req.dryRun === 'client' ? 'dry run' : 'delete');
    try {
      const code = await executeDelete(req, g, p, (doc) => docs.set(context, doc));
      const names = p.plan.targets.map((t) => t.name).join(', ');
      const done = req.dryRun === 'client' ? 'deleted (dry run)' : req.dryRun === 'server' ? 'deleted (server dry run)' : 'deleted';
      rows.set(context, code ? { result: 'failed', detail: firstLine(p.errors) } : { result: done, detail: `${req.cascade}: daemonset.apps ${names}` });
    } catch (e) {
      const line = errorLine(client.apiError(e, p.c, 'delete'));
      process.stderr.write(`${line}\n`);
      rows.set(context, { result: 'failed', detail: line.replace(/^error: /, '') });
    }
  }

  if (json) {
    const items = contexts.map((context) => {
      const doc = docs.get(context);
      const row = rows.get(context)!;
      if (!doc) return { cluster: context, kind: 'DaemonSetDeletion', cascade: req.cascade, dryRun: req.dryRun, daemonSets: [], errors: [row.detail], result: row.result };
      const daemonSets = ((doc.daemonSets as Record<string, unknown>[] | undefined) ?? []).map((d) => ({ cluster: context, ...d }));
      return { cluster: context, ...doc, daemonSets, result: row.result };
    });
    process.stdout.write(`${JSON.stringify({ kind: 'DaemonSetDeletionList', cascade: req.cascade, dryRun: req.dryRun, items }, null, 2)}\n`);
  } else {
    say('');
    say(renderTable(['CLUSTER', 'RESULT', 'DETAIL'], contexts.map((context) => [context, rows.get(context)!.result, rows.get(context)!.detail])));
  }
  return [...rows.values()].some((r) => r.result === 'failed') ? 1 : 0;
}

function withNothingDone(e: CliError): CliError {
  return new CliError(`${e.message}; nothing was deleted`, { raw: e.raw, cause: e.cause });
}
