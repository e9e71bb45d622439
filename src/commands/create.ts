import type { Command, Option } from 'commander';
import { addBuildOptions, buildFromFlags, FLAG_FORMS, presetList } from '../cli/build-flags.js';
import type { BuildFlagValues } from '../cli/build-flag-spec.js';
import { CliError, UsageError } from '../cli/errors.js';
import { globalsOf, isMultiCluster } from '../cli/globals.js';
import type { Cluster } from '../kube/client.js';
import type { Obj } from '../core/from-deployment.js';
import { out, renderTable, toJson, toKubeYaml, warn } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

type DryRun = 'none' | 'client' | 'server';
type Validation = 'Strict' | 'Warn' | 'Ignore';

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** --dry-run as kubectl reads it: none|client|server; bare and true/false still work, with kubectl's warnings. */
export function parseDryRun(v: string | boolean | undefined): DryRun {
  if (v === undefined) return 'none';
  if (v === true || v === 'unchanged') {
    warn('Warning: --dry-run is deprecated and can be replaced with --dry-run=client.');
    return 'client';
  }
  const s = String(v);
  if (s === 'client' || s === 'server' || s === 'none') return s;
  if (GO_TRUE.includes(s)) {
    warn(`Warning: --dry-run=${s} is deprecated (boolean value) and can be replaced with --dry-run=client.`);
    return 'client';
  }
  if (GO_FALSE.includes(s)) {
    warn(`Warning: --dry-run=${s} is deprecated (boolean value) and can be replaced with --dry-run=none.`);
    return 'none';
  }
  throw new UsageError(`Invalid dry-run value (${s}). Must be "none", "server", or "client".`);
}

/** --validate as kubectl reads it, as the fieldValidation the server applies. */
export function parseValidate(v: string | boolean | undefined): Validation {
  if (v === undefined || v === true) return 'Strict';
  const s = String(v).toLowerCase();
  if (s === 'strict') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore') return 'Ignore';
  if (GO_TRUE.includes(String(v))) return 'Strict';
  if (GO_FALSE.includes(String(v))) return 'Ignore';
  throw new UsageError(`invalid - validate option "${String(v)}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/** The last-applied-configuration annotation, as --save-config writes it (compact JSON of the object, then a newline). */
export function withSavedConfig(obj: Obj): Obj {
  const md = (obj.metadata ?? {}) as Obj;
  const annotations = { ...((md.annotations as Obj | undefined) ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const base = { ...obj, metadata: { ...md } } as Obj;
  if (Object.keys(annotations).length) (base.metadata as Obj).annotations = annotations;
  else delete (base.metadata as Obj).annotations;
  const saved = `${JSON.stringify(base)}\n`;
  const sortedAnnotations = Object.fromEntries(
    Object.entries({ ...annotations, 'kubectl.kubernetes.io/last-applied-configuration': saved }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  // Keep the Go field order of ObjectMeta: annotations come right after labels.
  const meta: Obj = {};
  let placed = false;
  for (const [k, v] of Object.entries(md)) {
    if (k === 'annotations') continue;
    meta[k] = v;
    if (k === 'labels') {
      meta.annotations = sortedAnnotations;
      placed = true;
    }
  }
  if (!placed) meta.annotations = sortedAnnotations;
  return { ...obj, metadata: meta };
}

function nameOf(o: Obj): string {
  return String(((o.metadata ?? {}) as Obj).name ?? '');
}

/** kubectl hides managedFields unless --show-managed-fields. */
function withoutManagedFields(o: Obj): Obj {
  const md = o.metadata as Obj | undefined;
  if (!md || !('managedFields' in md)) return o;
  const { managedFields: _, ...rest } = md;
  return { ...o, metadata: rest };
}

function printObjects(objs: Obj[], format: string): void {
  objs = objs.map(withoutManagedFields);
  if (format === 'name') return out(objs.map((o) => `daemonset.apps/${nameOf(o)}`).join('\n'));
  if (format === 'json') return void process.stdout.write(objs.map(toJson).join(''));
  process.stdout.write(objs.map(toKubeYaml).join('---\n'));
}

interface CreateOptions extends BuildFlagValues {
  dryRun?: string | boolean;
  output?: string;
  saveConfig?: boolean;
  fieldManager: string;
  validate?: string | boolean;
}

interface Outcome {
  name: string;
  namespace: string;
  created?: Obj;
  error?: string;
}

/** POSTs each object to one cluster; failures become kubectl's "failed to create daemonset: ..." lines. */
async function createAll(c: Cluster, objects: Obj[], q: Record<string, string | undefined>): Promise<Outcome[]> {
  const client = await import('../kube/client.js');
  const results: Outcome[] = [];
  for (const obj of objects) {
    const md = (obj.metadata ?? {}) as Obj;
    const namespace = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : c.namespace;
    const name = nameOf(obj);
    try {
      const r = await client.requestJson(c, 'POST', `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets`, q, obj);
      for (const w of r.warnings) warn(`Warning: ${w}`);
      results.push({ name, namespace, created: r.body as Obj });
    } catch (e) {
      const st = client.statusOf(e);
      const msg = st?.message ? `failed to create daemonset: ${st.message}` : client.apiError(e, c, `create daemonset ${name}`).message;
      results.push({ name, namespace, error: msg });
    }
  }
  return results;
}

/** `kubectl ds create` and, as the whole program, `kubectl create daemonset` (kubectl 1.29+ runs kubectl-create-daemonset). */
export function define(cmd: Command): void {
  const self = cmd.parent ? 'kubectl ds create' : 'kubectl create daemonset';
  // As the whole program (kubectl create daemonset), list the global flags after the command's own.
  const options = cmd.options as Option[];
  const globals = cmd.parent ? [] : options.splice(0);
  cmd.argument('[NAME]', 'the DaemonSet name (a DNS-1123 subdomain)').argument('[COMMAND...]', 'after --: the container command');
  if (!cmd.parent) cmd.description('Create a DaemonSet with the specified name (kubectl-ds: the flags of kubectl create deployment, plus node-agent flags and presets).');
  addBuildOptions(cmd);
  cmd
    .option('--dry-run [strategy]', 'none, client (print, send nothing) or server (the API server checks it, nothing is stored)')
    .option('-o, --output <format>', 'yaml, json or name: print the created object instead of a message')
    .option('--save-config', 'write the kubectl.kubernetes.io/last-applied-configuration annotation, for a later kubectl apply')
    .option('--field-manager <name>', 'the name of the manager that owns the fields', 'kubectl-create')
    .option('--validate [mode]', 'strict (or true): the server rejects unknown or duplicate fields; warn: it warns; ignore (or false)')
    .usage('NAME --image=image [flags] [-- COMMAND [args...]]');
  for (const o of globals) options.push(o.helpGroup('Global Options:'));
  cmd
    .addHelpText(
      'after',
      `${FLAG_FORMS}

Creates the DaemonSet as 'kubectl create deployment' creates a Deployment: prints
"daemonset.apps/NAME created", or the object with -o. --dry-run=client sends nothing (no kubeconfig
needed); --dry-run=server has the API server check and default it without storing it.
-f FILE creates the DaemonSets in the file instead (as 'kubectl create -f': one that exists fails with
AlreadyExists; 'kubectl ds apply -f' creates or updates).
With several clusters (--context repeated, --contexts, --all-contexts) it prints one row per cluster
and DaemonSet: CLUSTER, DAEMONSET, RESULT (created or failed), DETAIL (why); exit 1 if any failed.
${self === 'kubectl ds create' ? "The same command runs as 'kubectl create daemonset' (kubectl 1.29+).\n" : ''}
Examples:
  # nginx on every schedulable node
  ${self} web --image=nginx:1.27 --port=80

  # A log shipper from the preset, in its own namespace
  ${self} fluentd -n logging --preset log-collector

  # Node metrics on every node, checked by the API server but not stored
  ${self} node-exporter --preset node-monitor --dry-run=server -o yaml

  # Only on SSD nodes, surge rollout, with a command
  ${self} cache --image=busybox --node-selector disktype=ssd --max-surge 1 -- sh -c 'sleep infinity'

  # From a Deployment manifest
  ${self} --from-deployment -f deploy.yaml

  # The DaemonSets of a manifest, as kubectl create -f (fails if one exists: see kubectl ds apply)
  ${self} -f fluentd.yaml

  # The same DaemonSet on several clusters: a table of what happened on each
  ${self} fluentd -n logging --preset log-collector --context prod-eu --context prod-us
  ${self} -f fluentd.yaml --all-contexts --context-selector '^prod-'`,
    )
    .action(async (first: string | undefined, rest: string[], opts: CreateOptions, command: Command) => {
      if (opts.preset === 'list') return out(presetList());
      const g = globalsOf(command);
      const dryRun = parseDryRun(opts.dryRun);
      const validation = parseValidate(opts.validate);
      const format = checkOutputFormat(opts.output, ['yaml', 'json', 'name']);
      const operands = first === undefined ? rest : [first, ...rest];
      const built = buildFromFlags(command, opts, operands, g.namespace);
      for (const n of built.notes) warn(n);
      const objects = opts.saveConfig ? built.objects.map(withSavedConfig) : built.objects;

      if (dryRun === 'client') {
        if (format) return printObjects(objects, format);
        return out(objects.map((o) => `daemonset.apps/${nameOf(o)} created (dry run)`).join('\n'));
      }
      const q = { dryRun: dryRun === 'server' ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: validation };
      const suffix = dryRun === 'server' ? ' (server dry run)' : '';
      const { writeOnClusters } = await import('../kube/multi.js');

      if (isMultiCluster(g)) {
        if (format && format !== 'json') throw new UsageError('with several clusters, -o json is the only output format (one record per cluster and DaemonSet)');
        const targets = objects.map((o) => ({ name: nameOf(o), namespace: ((o.metadata ?? {}) as Obj).namespace as string | undefined }));
        return writeOnClusters(
          g,
          'create',
          targets,
          async (c) =>
            (await createAll(c, objects, q)).map((x) => ({
              namespace: x.namespace,
              name: x.name,
              result: x.error ? ('failed' as const) : ('created' as const),
              ...(x.error ? { detail: x.error.replace(/^failed to create daemonset: /, '') } : suffix ? { detail: 'server dry run' } : {}),
            })),
          format as 'json' | undefined,
        );
      }

      const { connect } = await import('../kube/client.js');
      const results = await createAll(connect(g), objects, q);
      const ok = results.filter((r) => r.created);
      if (format) {
        if (ok.length) printObjects(ok.map((r) => r.created!), format);
      } else {
        for (const r of ok) out(`daemonset.apps/${r.name} created${suffix}`);
      }
      const failed = results.filter((r) => r.error);
      for (const r of failed.slice(0, -1)) warn(`error: ${r.error}`);
      if (failed.length) throw new CliError(failed[failed.length - 1]!.error!);
    });
}
