import type { Command } from 'commander';
import { CliError, ExitCode, UsageError } from '../cli/errors.js';
import { readInputs } from '../cli/files.js';
import { globalsOf } from '../cli/globals.js';
import {
  DEFAULT_KUBERNETES_VERSION,
  OLDEST_KUBERNETES_VERSION,
  compareKubeVersion,
  formatKubeVersion,
  parseKubeVersion,
  ruleOf,
  sortFindings,
  validateText,
  type FileResult,
  type Finding,
  type KubeVersion,
} from '../core/validate/index.js';
import { MAX_INPUT_BYTES } from '../core/validate/source.js';
import { liveFindings, type LivePod, type LiveState, type LiveWorkload } from '../core/validate/live.js';
import { nodeCoverageFindings } from '../core/validate/live-nodes.js';
import type { EligibilityNode, SchedulingSpec } from '../core/eligibility.js';
import type { LabelSelector } from '../core/labels.js';
import { painter, renderFindings, toJson } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

interface Options {
  filename?: string[];
  recursive?: boolean;
  live?: boolean;
  strict?: boolean;
  output?: string;
  kubernetesVersion?: string;
}

/** The stable JSON document of `-o json` (README: validate). */
export interface ValidationReport {
  apiVersion: 'kubectl-ds/v1';
  kind: 'ValidationReport';
  /** With --live on several clusters: the context (also on every finding). */
  cluster?: string;
  kubernetesVersion: string;
  strict: boolean;
  live: boolean;
  summary: { files: number; daemonSets: number; errors: number; warnings: number; infos: number; failed: boolean };
  findings: Finding[];
}

function parseVersionFlag(v: string): KubeVersion {
  const parsed = parseKubeVersion(v);
  if (!parsed) throw new UsageError(`invalid value "${v}" for --kubernetes-version: expected a release like ${DEFAULT_KUBERNETES_VERSION} or v${DEFAULT_KUBERNETES_VERSION}.0`);
  if (compareKubeVersion(parsed, parseKubeVersion(OLDEST_KUBERNETES_VERSION)!) < 0) {
    throw new UsageError(`--kubernetes-version ${v}: the oldest release modelled is ${OLDEST_KUBERNETES_VERSION}`);
  }
  return parsed;
}

function tooLargeFinding(file: string, size: number): Finding {
  const r = ruleOf('DS003');
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    severity: r.severity,
    id: r.id,
    rule: r.rule,
    message: `input is ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_INPUT_BYTES / 1024 / 1024} MiB the API server accepts in one request; this is not a manifest`,
    fix: 'split it, or check that this is the file you meant',
  };
}

export function define(cmd: Command): void {
  cmd
    .usage('-f FILE|DIR|- [-f ...] [-R] [--live] [--strict] [-o text|json] [--kubernetes-version X.Y]')
    .option('-f, --filename <path>', 'a manifest file, a directory of them, or - for standard input (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'read directories given with -f recursively')
    .option('--live', 'also check against the cluster of the current context (or each of --context/--contexts/--all-contexts): a changed (immutable) selector, pods it would adopt, workloads it overlaps, nodes it would not cover')
    .option('--strict', 'fail (exit 1) on warnings too, not only on errors')
    .option('-o, --output <format>', 'output format: text or json', 'text')
    .option('--kubernetes-version <version>', `the Kubernetes release whose rules apply (default: the server's with --live, else ${DEFAULT_KUBERNETES_VERSION})`)
    .addHelpText(
      'after',
      `
Checks DaemonSet manifests for everything the API server would reject (errors, DS1xx), what it accepts
but users regret (warnings, DS2xx) and what is worth knowing (info, DS3xx), with file:line:column.
Documents that are not DaemonSets are skipped with a note. Every check is listed in the README.

Examples:
  kubectl ds validate -f fluentd.yaml
  kubectl ds validate -f manifests/ -R --strict       # warnings fail too
  kubectl ds scaffold fluentd --preset log-collector | kubectl ds validate -f -
  kubectl ds validate -f ds.yaml -o json              # stable schema: file, line, column, path, severity, id, message
  kubectl ds validate -f ds.yaml --kubernetes-version 1.20
  kubectl ds validate -f ds.yaml --live               # also compare with the cluster of the current context
  kubectl ds validate -f ds.yaml --live --contexts prod-eu,prod-us   # each cluster with its own rules and state

Exit codes: 0 nothing failed, 1 errors (or warnings with --strict), 2 usage error.`,
    )
    .action(async (opts: Options, command: Command) => {
      const format = checkOutputFormat(opts.output, ['text', 'json']) ?? 'text';
      const paths = opts.filename ?? [];
      if (paths.length === 0) throw new UsageError('must specify one of -f and -k (give a manifest: -f FILE, -f DIR or -f - for standard input)');
      const version = opts.kubernetesVersion !== undefined ? parseVersionFlag(opts.kubernetesVersion) : undefined;
      const globals = globalsOf(command);
      const inputs = readInputs(paths, { recursive: opts.recursive === true, maxBytes: MAX_INPUT_BYTES });

      const explicit = version;

      /** Every input checked under one release's rules, then (with --live) against one cluster. */
      const evaluate = async (v: KubeVersion, live?: LiveRun): Promise<Outcome> => {
        const results: FileResult[] = [];
        const extra: Finding[] = [];
        for (const input of inputs) {
          if (input.tooLarge !== undefined) {
            extra.push(tooLargeFinding(input.file, input.tooLarge));
            results.push({ findings: [], daemonSets: [], others: [] });
            continue;
          }
          results.push(validateText(input.file, input.text, { version: v }));
        }
        if (live) await live.run(results);
        const files = inputs.map((i) => i.file);
        const findings = [...extra, ...results.flatMap((r) => r.findings)];
        const byFile = files.flatMap((f) => sortFindings(findings.filter((x) => x.file === f)));
        const count = (sev: Finding['severity']): number => byFile.filter((f) => f.severity === sev).length;
        const errors = count('error');
        const warnings = count('warning');
        return {
          version: v,
          files,
          byFile,
          errors,
          warnings,
          infos: count('info'),
          failed: errors > 0 || (opts.strict === true && warnings > 0),
          daemonSets: results.reduce((n, r) => n + r.daemonSets.length, 0),
        };
      };
      const report = (o: Outcome, cluster?: string): ValidationReport => ({
        apiVersion: 'kubectl-ds/v1',
        kind: 'ValidationReport',
        ...(cluster !== undefined ? { cluster } : {}),
        kubernetesVersion: formatKubeVersion(o.version),
        strict: opts.strict === true,
        live: opts.live === true,
        summary: { files: o.files.length, daemonSets: o.daemonSets, errors: o.errors, warnings: o.warnings, infos: o.infos, failed: o.failed },
        findings: o.byFile.map((f) => ({
          ...(cluster !== undefined ? { cluster } : {}),
          file: f.file,
          line: f.line,
          column: f.column,
          path: f.path,
          severity: f.severity,
          id: f.id,
          rule: f.rule,
          message: f.message,
          ...(f.fix !== undefined ? { fix: f.fix } : {}),
          ...(f.object !== undefined ? { object: f.object } : {}),
          ...(f.document !== undefined ? { document: f.document } : {}),
        })),
      });
      const paint = painter(process.stdout, globals.color);
      const text = (o: Outcome): string => {
        const body = renderFindings(o.files, o.byFile, paint);
        const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
        const counts = `${plural(o.errors, 'error')}, ${plural(o.warnings, 'warning')}, ${o.infos} info`;
        const scope = `${plural(o.daemonSets, 'DaemonSet')} in ${plural(o.files.length, 'file')}, Kubernetes ${formatKubeVersion(o.version)} rules${opts.strict ? ', --strict' : ''}`;
        return `${body}${o.failed ? paint.red(`✗ ${counts} (${scope})`) : paint.green(`✓ ${counts} (${scope})`)}\n`;
      };

      if (opts.live && (globals.allContexts || globals.contexts.length > 1)) {
        await validateOnClusters(globals, explicit, evaluate, report, text, format);
        return;
      }

      let live: LiveRun | undefined;
      if (opts.live) {
        const client = await import('../kube/client.js');
        live = await prepareLive(client, client.connect(globals));
      }
      const outcome = await evaluate(explicit ?? live?.version ?? parseKubeVersion(DEFAULT_KUBERNETES_VERSION)!, live);
      if (format === 'json') process.stdout.write(toJson(report(outcome)));
      else process.stdout.write(text(outcome));
      if (outcome.failed) throw new ExitCode(1);
    });
}

interface Outcome {
  version: KubeVersion;
  files: string[];
  byFile: Finding[];
  errors: number;
  warnings: number;
  infos: number;
  failed: boolean;
  daemonSets: number;
}

interface LiveRun {
  version: KubeVersion;
  run: (results: FileResult[]) => Promise<void>;
}

/**
 * validate --live on several clusters: each cluster's own rules (its server version, unless
 * --kubernetes-version) and live checks, one section per cluster, then a table of the clusters. Exit 1
 * when any cluster has findings that fail or could not be checked.
 */
async function validateOnClusters(
  globals: ReturnType<typeof globalsOf>,
  explicit: KubeVersion | undefined,
  evaluate: (v: KubeVersion, live?: LiveRun) => Promise<Outcome>,
  report: (o: Outcome, cluster?: string) => ValidationReport,
  text: (o: Outcome) => string,
  format: string,
): Promise<void> {
  const client = await import('../kube/client.js');
  const { forEachCluster, resolveContexts } = await import('../kube/multi.js');
  const { renderTable } = await import('../output/print.js');
  const contexts = resolveContexts(globals);
  const per = await forEachCluster(
    globals,
    contexts,
    async (c) => {
      const live = await prepareLive(client, c, `context "${c.contextName}": `);
      return evaluate(explicit ?? live.version, live);
    },
    'validate --live',
  );
  if (format === 'json') {
    process.stdout.write(
      toJson({
        apiVersion: 'kubectl-ds/v1',
        kind: 'ValidationReportList',
        items: per.flatMap((r) => (r.ok ? [report(r.value, r.context)] : [])),
        clusters: per.map((r) => (r.ok ? { cluster: r.context, ok: !r.value.failed } : { cluster: r.context, ok: false, error: r.error })),
      }),
    );
  } else {
    for (const r of per) {
      if (!r.ok) continue;
      process.stdout.write(`=== cluster "${r.context}" ===\n${text(r.value)}\n`);
    }
    const rows = per.map((r) =>
      r.ok
        ? [r.context, formatKubeVersion(r.value.version), r.value.errors, r.value.warnings, r.value.infos, r.value.failed ? 'failed' : 'ok']
        : [r.context, '-', '-', '-', '-', 'unreachable'],
    );
    process.stdout.write(`Across ${contexts.length} clusters:\n${renderTable(['CLUSTER', 'RULES', 'ERRORS', 'WARNINGS', 'INFOS', 'STATE'], rows)}\n`);
  }
  for (const r of per) if (!r.ok) process.stderr.write(`error: context "${r.context}": ${r.error}\n`);
  const bad = per.filter((r) => !r.ok || r.value.failed).map((r) => r.context);
  if (bad.length) throw new CliError(`validate --live failed on ${bad.length} of ${contexts.length} clusters: ${bad.join(', ')}`);
}

/** --live: the cluster's version and the checks to run against it. */
async function prepareLive(client: typeof import('../kube/client.js'), c: import('../kube/client.js').Cluster, warnPrefix = ''): Promise<LiveRun> {
  let git: string;
  try {
    git = (await client.serverVersion(c)).gitVersion;
  } catch (e) {
    throw client.apiError(e, c, 'get the server version');
  }
  let version = parseKubeVersion(git);
  if (!version) throw new CliError(`the server at ${c.server} reports version "${git}", which is not a Kubernetes release`);
  const oldest = parseKubeVersion(OLDEST_KUBERNETES_VERSION)!;
  if (compareKubeVersion(version, oldest) < 0) {
    process.stderr.write(`warning: ${warnPrefix}the server runs Kubernetes ${formatKubeVersion(version)}; the rules of ${OLDEST_KUBERNETES_VERSION}, the oldest modelled, apply\n`);
    version = oldest;
  }

  const cache = new Map<string, Promise<{ pods: LivePod[]; workloads: LiveWorkload[] }>>();
  const namespaceState = (ns: string) => {
    let p = cache.get(ns);
    if (!p) {
      p = (async () => {
        const what = `list pods and workloads in namespace ${ns}`;
        try {
          // A kind the server does not serve (404) has no objects to overlap with.
          const orNone = <T>(p: Promise<{ items: T[] }>): Promise<{ items: T[] }> =>
            p.catch((e: unknown) => {
              if (client.httpCode(e) === 404) return { items: [] };
              throw e;
            });
          type Workload = Omit<LiveWorkload, 'kind'> & { metadata?: { ownerReferences?: { controller?: boolean }[] } };
          const { listJson, paths } = client;
          const [pods, deps, sts, dss, rss] = await Promise.all([
            listJson<LivePod>(c, paths.pods(ns)),
            orNone(listJson<Workload>(c, paths.deployments(ns))),
            orNone(listJson<Workload>(c, paths.statefulSets(ns))),
            listJson<Workload>(c, paths.daemonSets(ns)),
            orNone(listJson<Workload>(c, paths.replicaSets(ns))),
          ]);
          const workloads: LiveWorkload[] = [
            ...deps.items.map((w) => ({ ...w, kind: 'Deployment' })),
            ...sts.items.map((w) => ({ ...w, kind: 'StatefulSet' })),
            ...dss.items.map((w) => ({ ...w, kind: 'DaemonSet' })),
            // ReplicaSets of a Deployment are covered by their Deployment.
            ...rss.items.filter((w) => !(w.metadata?.ownerReferences ?? []).some((o) => o.controller)).map((w) => ({ ...w, kind: 'ReplicaSet' })),
          ] as LiveWorkload[];
          return { pods: pods.items, workloads };
        } catch (e) {
          throw client.apiError(e, c, what);
        }
      })();
      cache.set(ns, p);
    }
    return p;
  };

  let nodesP: Promise<EligibilityNode[]> | undefined;
  const clusterNodes = () =>
    (nodesP ??= client.listJson<EligibilityNode>(c, client.paths.nodes()).then(
      (l) => l.items,
      (e: unknown) => {
        throw client.apiError(e, c, 'list nodes');
      },
    ));

  const run = async (results: FileResult[]): Promise<void> => {
    const inputWorkloads = results.flatMap((r) => r.others);
    for (const r of results) {
      for (const ds of r.daemonSets) {
        if (!ds.name) continue;
        const ns = ds.namespace ?? c.namespace;
        let existing: LiveState['existing'];
        try {
          existing = await client.getJson<NonNullable<LiveState['existing']>>(c, client.paths.daemonSet(ns, ds.name));
        } catch (e) {
          if (client.httpCode(e) !== 404) throw client.apiError(e, c, `get daemonset ${ds.name} in namespace ${ns}`);
        }
        const { pods, workloads } = await namespaceState(ns);
        const fromInput: LiveWorkload[] = inputWorkloads
          .filter((w) => (w.namespace ?? c.namespace) === ns)
          .map((w) => ({ kind: w.kind, metadata: { name: `${w.name ?? '?'} (in the input)` }, spec: { template: { metadata: { labels: w.templateLabels } } } }));
        const spec = ds.value.spec as { selector?: LabelSelector } | undefined;
        for (const f of liveFindings(ds.name, spec?.selector ?? undefined, { namespace: ns, existing, pods, workloads: [...workloads, ...fromInput] })) {
          ds.report(f.id, f.path, f.message, f.fix);
        }
        // DS404: the nodes it would not cover, from the cluster's real labels and taints.
        const tmpl = (ds.value.spec as { template?: { spec?: SchedulingSpec } } | undefined)?.template?.spec;
        for (const f of nodeCoverageFindings(tmpl, await clusterNodes())) ds.report(f.id, f.path, f.message, f.fix);
      }
    }
  };
  return { version, run };
}
