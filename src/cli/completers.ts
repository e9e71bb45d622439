/**
 * Where completion candidates come from. A small registry keyed by command path ('status', 'sim start',
 * or '*' for every command) and flag long name (without dashes), so that each command's values and
 * arguments can be completed without touching the command files:
 *
 *   completeFlag(['coverage'], ['nodes'], nodeList)         // kubectl ds coverage --nodes <TAB>
 *   completeArgs(['status', 'delete'], daemonSetNames)      // kubectl ds status <TAB>
 *
 * Lookup order for a flag value: the option's own `.choices()` (described by a registered completer
 * when it has the same values), the exact command path, then '*', then (for -o) the formats its
 * description names, then file completion for options whose value is a
 * path (`<path>`, `<file>`, `<dir>`), else nothing (NoFileComp).
 *
 * Cluster look-ups (namespaces, DaemonSets, nodes, revisions) use the flags already typed (--kubeconfig,
 * --context, --cluster, --user, -n, -A), a 1 s request timeout and a hard deadline, and give no
 * candidates on ANY failure: completion never prints an error and never hangs the shell.
 */
import type { Option } from 'commander';
import { homedir } from 'node:os';
import { parseDuration } from './duration.js';
import type { Globals } from './globals.js';
import {
  byPrefix,
  Directive,
  flagCandidates,
  listElement,
  subcommandCandidates,
  type Candidate,
  type CompletionResult,
  type ParsedLine,
} from './complete-engine.js';
import { loadKubeconfig, type Selection } from '../kube/kubeconfig.js';

export interface CompletionContext {
  line: ParsedLine;
  /** The word being completed (the value part of `--flag=value`). */
  toComplete: string;
  /** Values typed for a flag (long name without dashes, e.g. 'context'), in order. */
  values(flag: string): string[];
  /** The last value typed for a flag. */
  value(flag: string): string | undefined;
  has(flag: string): boolean;
  /** What the typed flags select, for kubeconfig and cluster look-ups. */
  selection: Selection & { allNamespaces: boolean };
}

export type Completer = (ctx: CompletionContext) => Promise<CompletionResult> | CompletionResult;

const flagCompleters = new Map<string, Completer>();
const argCompleters = new Map<string, Completer>();
const repeatable = new Set<string>();

/** Registers how the values of these flags complete in these commands ('*' = any command). */
export function completeFlag(commands: string[] | '*', flags: string[], completer: Completer): void {
  for (const c of commands === '*' ? ['*'] : commands) for (const f of flags) flagCompleters.set(`${c}|${f}`, completer);
}

/** Registers how the positional arguments of these commands complete. */
export function completeArgs(commands: string[], completer: Completer): void {
  for (const c of commands) argCompleters.set(c, completer);
}

/** Marks flags that may be given more than once (beyond variadic and accumulating options, found by themselves). */
export function markRepeatable(flags: string[]): void {
  for (const f of flags) repeatable.add(f);
}

// ---------------------------------------------------------------------------------------------------
// Completer builders

/** A fixed list of values (with optional descriptions). */
export function values(list: (string | Candidate)[], directive: number = Directive.NoFileComp): Completer {
  const cands = list.map((v) => (typeof v === 'string' ? { value: v } : v));
  return () => ({ candidates: cands, directive });
}

/** File names, optionally only with these extensions (cobra's FilterFileExt). */
export function files(extensions: string[] = []): Completer {
  return () =>
    extensions.length ? { candidates: extensions.map((value) => ({ value })), directive: Directive.FilterFileExt } : { candidates: [], directive: Directive.Default };
}

/** One element of a comma-separated list of whatever `inner` completes. */
export function commaList(inner: Completer): Completer {
  return async (ctx) => {
    const tail = ctx.toComplete.slice(ctx.toComplete.lastIndexOf(',') + 1);
    const r = await inner({ ...ctx, toComplete: tail });
    return listElement(ctx.toComplete, r.candidates);
  };
}

const nothing: Completer = () => ({ candidates: [], directive: Directive.NoFileComp });

// ---------------------------------------------------------------------------------------------------
// The kubeconfig (light: no API client)

function kubeconfigOf(ctx: CompletionContext) {
  try {
    return loadKubeconfig(ctx.selection).config;
  } catch {
    return undefined;
  }
}

export const contextNames: Completer = (ctx) => {
  const cfg = kubeconfigOf(ctx);
  const candidates = (cfg?.contexts ?? []).map((c) => ({
    value: c.name,
    description: `cluster ${c.context.cluster}${c.context.namespace ? `, namespace ${c.context.namespace}` : ''}${c.name === cfg?.['current-context'] ? ' (current)' : ''}`,
  }));
  return { candidates, directive: Directive.NoFileComp };
};

export const clusterNames: Completer = (ctx) => ({
  candidates: (kubeconfigOf(ctx)?.clusters ?? []).map((c) => ({ value: c.name, description: c.cluster.server })),
  directive: Directive.NoFileComp,
});

export const userNames: Completer = (ctx) => ({
  candidates: (kubeconfigOf(ctx)?.users ?? []).map((u) => ({ value: u.name })),
  directive: Directive.NoFileComp,
});

// ---------------------------------------------------------------------------------------------------
// The cluster (the API client is loaded only here, and only when a look-up is needed)

/**
 * Each API request of a look-up gives up after this long: 1 s, or $KUBECTL_DS_COMPLETION_TIMEOUT (a
 * duration such as 3s, for a slow link); a look-up as a whole (loading the client, exec credential
 * plugins, the request) gives up 500 ms later.
 */
export function lookupTimeouts(env: NodeJS.ProcessEnv = process.env): { requestMs: number; deadlineMs: number } {
  let requestMs = 1000;
  try {
    if (env.KUBECTL_DS_COMPLETION_TIMEOUT) requestMs = parseDuration(env.KUBECTL_DS_COMPLETION_TIMEOUT, 'KUBECTL_DS_COMPLETION_TIMEOUT') || 1000;
  } catch {
    // completion never complains: keep the default
  }
  return { requestMs, deadlineMs: requestMs + 500 };
}

/** Resolves to `fallback` if `work` fails or takes longer than `ms`. */
export function withDeadline<T>(work: () => Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref?.();
    work().then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

function lookupGlobals(sel: CompletionContext['selection']): Globals {
  return {
    kubeconfig: sel.kubeconfig,
    context: sel.context,
    contexts: sel.context ? [sel.context] : [],
    allContexts: false,
    parallel: 1,
    cluster: sel.cluster,
    user: sel.user,
    namespace: sel.namespace,
    requestTimeoutMs: lookupTimeouts().requestMs,
    color: false,
    verbosity: 0,
  };
}

type ClusterConn = import('../kube/client.js').Cluster;
type ClientModule = typeof import('../kube/client.js');

/** Runs a look-up against the selected cluster; [] on any failure or after the deadline. */
export function fromCluster(fetch: (c: ClusterConn, ctx: CompletionContext, client: ClientModule) => Promise<Candidate[]>): Completer {
  return async (ctx) => {
    const candidates = await withDeadline(
      async () => {
        const client = await import('../kube/client.js');
        return fetch(client.connect(lookupGlobals(ctx.selection)), ctx, client);
      },
      lookupTimeouts().deadlineMs,
      [] as Candidate[],
    );
    return { candidates, directive: Directive.NoFileComp };
  };
}

interface Named {
  metadata?: { name?: string; namespace?: string; ownerReferences?: { kind?: string; name?: string }[]; annotations?: Record<string, string> };
}

/** One page of 500 is enough to complete from. */
const PAGE = { limit: 500 };
type List<T> = { items: T[] };

export const namespaceNames = fromCluster(async (c, _ctx, { getJson, paths }) => {
  const list = await getJson<List<Named>>(c, paths.namespaces(), PAGE);
  return list.items.map((n: Named) => ({ value: n.metadata?.name ?? '' }));
});

export const daemonSetNames = fromCluster(async (c, ctx, { getJson, paths }) => {
  type Ds = Named & { status?: { numberReady?: number; desiredNumberScheduled?: number } };
  const list = await getJson<List<Ds>>(c, paths.daemonSets(ctx.selection.allNamespaces ? undefined : c.namespace), PAGE);
  const typed = new Set(ctx.line.args);
  return list.items
    .filter((d) => !typed.has(d.metadata?.name ?? ''))
    .map((d) => ({
      value: d.metadata?.name ?? '',
      description: `${ctx.selection.allNamespaces ? `namespace ${d.metadata?.namespace}, ` : ''}${d.status?.numberReady ?? 0}/${d.status?.desiredNumberScheduled ?? 0} ready`,
    }));
});

export const nodeNames = fromCluster(async (c, _ctx, { getJson, paths }) => {
  type Node = Named & { spec?: { unschedulable?: boolean }; status?: { conditions?: { type?: string; status?: string }[] } };
  const list = await getJson<List<Node>>(c, paths.nodes(), PAGE);
  return list.items.map((n) => {
    const ready = n.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True';
    return { value: n.metadata?.name ?? '', description: `${ready ? 'Ready' : 'NotReady'}${n.spec?.unschedulable ? ',SchedulingDisabled' : ''}` };
  });
});

export const serviceAccountNames = fromCluster(async (c, _ctx, { getJson, paths }) => {
  const list = await getJson<List<Named>>(c, paths.serviceAccounts(c.namespace), PAGE);
  return list.items.map((s: Named) => ({ value: s.metadata?.name ?? '' }));
});

/** The revisions (ControllerRevisions) of the DaemonSet named by the first argument. */
export const revisionNumbers = fromCluster(async (c, ctx, { getJson, paths }) => {
  const ds = ctx.line.args[0];
  if (!ds) return [];
  type Rev = Named & { revision?: number };
  const list = await getJson<List<Rev>>(c, paths.controllerRevisions(c.namespace), PAGE);
  return list.items
    .filter((r) => r.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === ds))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))
    .map((r) => ({ value: String(r.revision ?? ''), description: r.metadata?.annotations?.['kubernetes.io/change-cause'] }));
});

// ---------------------------------------------------------------------------------------------------
// What completes where

/** -o formats per command (kubectl's where kubectl has the same command), used when the option itself says nothing. */
const OUTPUT_FORMATS: Record<string, string[]> = {
  scaffold: ['yaml', 'json'],
  create: ['yaml', 'json', 'name'],
  validate: ['text', 'json'],
  coverage: ['wide', 'json', 'yaml'],
  status: ['json'],
  history: ['yaml', 'json'],
  undo: ['yaml', 'json', 'name'],
  restart: ['yaml', 'json', 'name'],
  delete: ['name', 'json'],
  drift: ['json', 'yaml'],
};
const KNOWN_FORMATS = ['text', 'wide', 'yaml', 'json', 'name', 'jsonpath', 'go-template', 'custom-columns'];

function outputFormats(ctx: CompletionContext, o: Option): CompletionResult {
  let list = o.argChoices;
  if (!list?.length) {
    const words = new Set(o.description.toLowerCase().match(/[a-z-]+/g) ?? []);
    const named = KNOWN_FORMATS.filter((f) => words.has(f));
    list = named.length ? named : OUTPUT_FORMATS[ctx.line.path.split(' ')[0]!] ?? ['yaml', 'json'];
  }
  return { candidates: list.map((value) => ({ value })), directive: Directive.NoFileComp };
}

completeFlag('*', ['cascade'], values([
  { value: 'background', description: 'delete the DaemonSet now and its pods in the background (default)' },
  { value: 'foreground', description: 'delete the pods first, then the DaemonSet' },
  { value: 'orphan', description: 'delete only the DaemonSet and leave its pods running' },
]));
completeFlag('*', ['update-strategy'], values([
  { value: 'RollingUpdate', description: 'replace pods node by node after a template change (default)' },
  { value: 'OnDelete', description: 'replace a pod only when you delete it' },
]));
completeFlag('*', ['preset'], values([
  { value: 'log-collector', description: 'log shipper: read-only /var/log and container logs, runs on control-plane nodes' },
  { value: 'node-monitor', description: 'metrics exporter: host network and PID, port 9100, read-only /proc and /sys' },
  { value: 'storage', description: 'storage agent: privileged, host path for the data directory' },
  { value: 'list', description: 'list the presets' },
]));
completeFlag('*', ['scenario'], values([
  { value: 'mixed', description: 'six nodes: tainted control plane, a tainted node, an unlabelled one, a small one' },
  { value: 'large', description: 'N plain nodes, for scale' },
  { value: 'empty', description: 'no nodes' },
]));
completeFlag('*', ['dry-run'], values([
  { value: 'none', description: 'change the cluster (default)' },
  { value: 'client', description: 'only print what would be sent' },
  { value: 'server', description: 'send it to the server without persisting it' },
]));
completeFlag('*', ['context'], contextNames);
completeFlag('*', ['contexts'], commaList(contextNames));
completeFlag('*', ['cluster'], clusterNames);
completeFlag('*', ['user'], userNames);
completeFlag('*', ['namespace'], namespaceNames);
completeFlag('*', ['nodes'], commaList(nodeNames));
completeFlag(['sim start', 'sim'], ['nodes'], nothing); // a count there
completeFlag('*', ['service-account'], serviceAccountNames);
completeFlag('*', ['to-revision', 'revision'], revisionNumbers);
completeFlag('*', ['kubeconfig'], files());
completeFlag('*', ['filename'], files(['yaml', 'yml', 'json']));
completeArgs(['status', 'coverage', 'delete', 'history', 'undo', 'restart', 'drift'], daemonSetNames);
markRepeatable(['context', 'filename']);

// ---------------------------------------------------------------------------------------------------
// Resolution

function flagName(o: Option): string {
  return (o.long ?? o.short ?? '').replace(/^-+/, '');
}

function expandHome(p: string | undefined): string | undefined {
  return p?.startsWith('~/') ? `${process.env.HOME ?? homedir()}${p.slice(1)}` : p;
}

export function contextFor(line: ParsedLine): CompletionContext {
  const byName = new Map<string, string[]>();
  for (const [o, v] of line.given) {
    const names = new Set([flagName(o), ...(o.long ? [o.long.replace(/^--/, '')] : [])]);
    for (const n of names) byName.set(n, [...(byName.get(n) ?? []), ...v]);
  }
  const vals = (f: string) => byName.get(f) ?? [];
  const last = (f: string) => vals(f).at(-1);
  const listed = last('contexts')?.split(',').map((s) => s.trim()).filter(Boolean)[0];
  return {
    line,
    toComplete: line.toComplete,
    values: vals,
    value: last,
    has: (f) => byName.has(f),
    selection: {
      kubeconfig: expandHome(last('kubeconfig')),
      context: last('context') ?? listed,
      cluster: last('cluster'),
      user: last('user'),
      namespace: last('namespace'),
      allNamespaces: byName.has('all-namespaces'),
    },
  };
}

async function flagValue(ctx: CompletionContext, o: Option): Promise<CompletionResult> {
  const name = flagName(o);
  const registered = flagCompleters.get(`${ctx.line.path}|${name}`) ?? flagCompleters.get(`*|${name}`);
  if (o.argChoices?.length) {
    // The command's own choices are the truth; the registry may still describe them.
    const described = registered ? (await registered(ctx)).candidates : [];
    return { candidates: o.argChoices.map((value) => described.find((c) => c.value === value) ?? { value }), directive: Directive.NoFileComp };
  }
  if (registered) return registered(ctx);
  if (name === 'output') return outputFormats(ctx, o);
  if (/<(path|file|filename|kubeconfig)[^>]*>/i.test(o.flags)) return files()(ctx);
  if (/<dir[^>]*>/i.test(o.flags)) return { candidates: [], directive: Directive.FilterDirs };
  return { candidates: [], directive: Directive.NoFileComp };
}

/** Positional argument number `index` (and subcommands, when none was named yet). */
async function argumentValue(ctx: CompletionContext): Promise<CompletionResult> {
  const { line } = ctx;
  const index = line.args.length;
  const subcommands = index === 0 && line.command.commands.length > 0;
  const out: Candidate[] = subcommands ? subcommandCandidates(line.command, line.toComplete) : [];
  let directive: number = Directive.NoFileComp;
  const defs = line.command.registeredArguments;
  const allowed = defs.length === 0 || index < defs.length || defs[defs.length - 1]!.variadic;
  if (allowed) {
    const def = defs[Math.min(index, defs.length - 1)];
    const completer = argCompleters.get(line.path);
    if (completer) {
      const r = await completer(ctx);
      out.push(...r.candidates);
      directive = r.directive ?? directive;
    } else if (def?.argChoices?.length) {
      out.push(...def.argChoices.map((value) => ({ value })));
    } else if (def && /file|path|dir|manifest/i.test(def.name())) {
      directive = Directive.Default;
    }
  }
  return { candidates: out, directive };
}

/** For parseLine: a flag a command does not declare (yet) but that has a registered value completer takes a value. */
export function hasFlagCompleter(path: string, long: string): boolean {
  const name = long.replace(/^--/, '');
  return flagCompleters.has(`${path}|${name}`) || flagCompleters.has(`*|${name}`);
}

/** The candidates and directive for a parsed command line. Never throws. */
export async function resolveCompletion(line: ParsedLine): Promise<CompletionResult> {
  const ctx = contextFor(line);
  let r: CompletionResult;
  const t = line.target;
  if (t.kind === 'flag-name') {
    r = { candidates: flagCandidates(line, (o) => repeatable.has(flagName(o))), directive: Directive.NoFileComp };
  } else if (t.kind === 'flag-value') {
    r = await flagValue(ctx, t.option);
    if (t.optional && r.candidates.length === 0) r = await argumentValue(ctx);
  } else {
    r = await argumentValue(ctx);
  }
  const directive = r.directive ?? Directive.NoFileComp;
  // File-extension and directory filters carry extensions or a directory, not candidates.
  const candidates = directive & (Directive.FilterFileExt | Directive.FilterDirs) ? r.candidates : byPrefix(r.candidates, line.toComplete);
  const seen = new Set<string>();
  return { candidates: candidates.filter((c) => c.value !== '' && !seen.has(c.value) && seen.add(c.value)), directive };
}
