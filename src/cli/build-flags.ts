/**
 * The flags that describe a DaemonSet, shared by `kubectl ds scaffold`, `kubectl ds create` and
 * `kubectl create daemonset`, and what turns them into objects: the builder (flags and presets) or the
 * Deployment converter (--from-deployment -f). Light: no API client here.
 */
import { Option, type Command } from 'commander';
import { CliError, UsageError } from './errors.js';
import { buildDaemonSet, InputError, PRESETS, type BuildOptions } from '../core/builder.js';
import { convertDeployments, daemonSetsIn, ManifestError, parseManifests, type Obj } from '../core/from-deployment.js';
import { renderTable } from '../output/print.js';

// node:fs through process.getBuiltinModule: its ES module facade would load the fs streams (~5 ms at start).
const { readFileSync } = process.getBuiltinModule('node:fs');

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** option attribute -> flag, for the flags that build a DaemonSet (used to refuse them with --from-deployment). */
const BUILD_FLAGS: Record<string, string> = {
  image: '--image', port: '--port', preset: '--preset', nodeSelector: '--node-selector', toleration: '--toleration',
  tolerateControlPlane: '--tolerate-control-plane', tolerateAll: '--tolerate-all', requests: '--requests', limits: '--limits',
  env: '--env', hostPath: '--host-path', hostNetwork: '--host-network', hostPid: '--host-pid', privileged: '--privileged',
  serviceAccount: '--service-account', priorityClass: '--priority-class', updateStrategy: '--update-strategy',
  maxUnavailable: '--max-unavailable', maxSurge: '--max-surge', minReadySeconds: '--min-ready-seconds', labels: '--labels',
  annotations: '--annotations',
};

/** A boolean flag with a hidden --no-X that turns off what a preset turned on. */
function toggle(cmd: Command, flag: string, help: string): void {
  cmd.addOption(new Option(`--${flag}`, `${help} (--no-${flag} turns a preset's off)`));
  cmd.addOption(new Option(`--no-${flag}`).hideHelp());
}

export function addBuildOptions(cmd: Command): void {
  cmd
    .option('--image <image>', 'container image; repeat or separate with commas for one container per image (required unless --preset has one)', collect)
    .option('--port <port>', "the first container's port (with --host-network also its hostPort)")
    .option('--preset <name>', `a node-agent preset: ${Object.keys(PRESETS).join(', ')}; "list" describes them. Other flags override it`)
    .option('--node-selector <key=value>', 'run only on nodes with this label (repeatable, or comma-separated)', collect)
    .option('--toleration <spec>', 'tolerate a taint: key[=value][:Effect], key:Exists[:Effect], or :Exists for every taint (repeatable)', collect);
  toggle(cmd, 'tolerate-control-plane', 'run on control-plane nodes too (tolerates node-role.kubernetes.io/control-plane and /master NoSchedule)');
  toggle(cmd, 'tolerate-all', 'tolerate every taint (operator Exists, no key): run on every node');
  cmd
    .option('--requests <cpu=Q,memory=Q>', 'resource requests of every container, e.g. cpu=100m,memory=200Mi', collect)
    .option('--limits <cpu=Q,memory=Q>', 'resource limits of every container, e.g. memory=200Mi', collect)
    .option('--env <KEY=VALUE>', 'an environment variable for every container (repeatable)', collect)
    .option('--host-path <NAME=/host:/mount[:ro]>', 'mount a host directory into every container, read-only with :ro (repeatable)', collect);
  toggle(cmd, 'host-network', "use the node's network namespace (sets dnsPolicy ClusterFirstWithHostNet)");
  toggle(cmd, 'host-pid', "use the node's process namespace");
  toggle(cmd, 'privileged', 'run every container privileged');
  cmd
    .option('--service-account <name>', 'the pods\' service account')
    .option('--priority-class <name>', 'the pods\' priority class, e.g. system-node-critical')
    .option('--update-strategy <type>', 'RollingUpdate (the default) or OnDelete')
    .option('--max-unavailable <n|n%>', 'RollingUpdate: how many nodes may lack a ready pod during an update (default 1)')
    .option('--max-surge <n|n%>', 'RollingUpdate: start the new pod before the old one stops on this many nodes (sets maxUnavailable 0)')
    .option('--min-ready-seconds <n>', 'seconds a new pod must be ready before it counts as available')
    .option('--labels <k=v,...>', 'extra labels on the DaemonSet and its pods (not the selector, which is app=NAME)', collect)
    .option('--annotations <k=v,...>', 'annotations on the DaemonSet', collect)
    .option('--from-deployment', 'convert the Deployments in -f FILE into DaemonSets instead of building from flags')
    .option('-f, --filename <file>', "a manifest file ('-' for stdin; repeatable): the DaemonSets in it, or with --from-deployment its Deployments", collect);
}

export interface BuildFlagValues {
  image?: string[];
  port?: string;
  preset?: string;
  nodeSelector?: string[];
  toleration?: string[];
  tolerateControlPlane?: boolean;
  tolerateAll?: boolean;
  requests?: string[];
  limits?: string[];
  env?: string[];
  hostPath?: string[];
  hostNetwork?: boolean;
  hostPid?: boolean;
  privileged?: boolean;
  serviceAccount?: string;
  priorityClass?: string;
  updateStrategy?: string;
  maxUnavailable?: string;
  maxSurge?: string;
  minReadySeconds?: string;
  labels?: string[];
  annotations?: string[];
  fromDeployment?: boolean;
  filename?: string[];
}

/** `kubectl ds create` or `kubectl create daemonset`: the command path users typed, for messages. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Splits the operands into the NAMEs (before `--`) and the command (after it), as kubectl's
 * ArgsLenAtDash does; commander drops the `--` itself, so the root's raw arguments say where it was.
 */
export function namesAndCommand(cmd: Command, operands: string[]): { names: string[]; command: string[] } {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  const after = dash < 0 ? 0 : raw.length - dash - 1;
  const cut = Math.max(0, operands.length - after);
  return { names: operands.slice(0, cut), command: operands.slice(cut) };
}

export function presetList(): string {
  return renderTable(
    ['PRESET', 'DESCRIPTION'],
    Object.entries(PRESETS).map(([n, p]) => [n, p.description]),
  );
}

/** The objects the flags describe: one built DaemonSet, or the converted Deployments of -f files. */
export interface Built {
  objects: Obj[];
  /** Print the objects as one List (the input was a List). */
  asList: boolean;
  /** Lines for stderr (what --from-deployment changed). */
  notes: string[];
}

function readSource(file: string, stdin: () => string): string {
  if (file === '-') return stdin();
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

/**
 * -n NAMESPACE against the objects' own namespaces, as kubectl: an object without one gets it, an
 * object in another namespace is refused (nothing is sent).
 */
export function placeInNamespace(objects: Obj[], namespace: string | undefined): void {
  if (namespace === undefined) return;
  for (const obj of objects) {
    const md = (obj.metadata ?? (obj.metadata = {})) as Obj;
    if (md.namespace !== undefined && md.namespace !== namespace) {
      throw new CliError(
        `the namespace from the provided object "${String(md.namespace)}" does not match the namespace "${namespace}". You must pass '--namespace=${String(md.namespace)}' to perform this operation.`,
      );
    }
    md.namespace = namespace;
  }
}

/** The DaemonSets in -f files ('-' = stdin), placed in -n NAMESPACE. Anything else in the files is refused (exit 1). */
export function readDaemonSets(files: string[], namespace: string | undefined, stdin: () => string = () => readFileSync(0, 'utf8')): Obj[] {
  const objects: Obj[] = [];
  for (const f of files) {
    const source = f === '-' ? '<stdin>' : f;
    try {
      objects.push(...daemonSetsIn(parseManifests(readSource(f, stdin), source), source));
    } catch (e) {
      if (e instanceof ManifestError) throw new CliError(e.message);
      throw e;
    }
  }
  placeInNamespace(objects, namespace);
  return objects;
}

/**
 * Turns the flags into objects. Usage errors (bad flag values, wrong NAME count) throw UsageError;
 * file content that is not YAML or has no Deployment throws CliError (exit 1).
 */
export function buildFromFlags(
  cmd: Command,
  o: BuildFlagValues,
  operands: string[],
  namespace: string | undefined,
  stdin: () => string = () => readFileSync(0, 'utf8'),
): Built {
  const { names, command } = namesAndCommand(cmd, operands);
  const help = `see '${commandPath(cmd)} -h' for help and examples`;
  if (o.fromDeployment) {
    const used = Object.keys(BUILD_FLAGS).filter((k) => cmd.getOptionValueSource(k) === 'cli');
    if (used.length) throw new UsageError(`${BUILD_FLAGS[used[0]!]} cannot be used with --from-deployment (the DaemonSet comes from the Deployment in -f FILE)`);
    if (names.length || command.length) throw new UsageError(`NAME and -- COMMAND are not used with --from-deployment: the names come from the file; ${help}`);
    if (!o.filename?.length) throw new UsageError('--from-deployment needs -f FILE (or -f - for stdin)');
    const all: Built = { objects: [], asList: false, notes: [] };
    for (const f of o.filename) {
      const source = f === '-' ? '<stdin>' : f;
      try {
        const c = convertDeployments(parseManifests(readSource(f, stdin), source), source);
        all.objects.push(...c.objects);
        all.notes.push(...c.notes);
        all.asList = o.filename.length === 1 && c.asList;
      } catch (e) {
        if (e instanceof ManifestError) throw new CliError(e.message);
        throw e;
      }
    }
    placeInNamespace(all.objects, namespace);
    return all;
  }
  if (o.filename?.length) {
    const used = Object.keys(BUILD_FLAGS).filter((k) => cmd.getOptionValueSource(k) === 'cli');
    if (used.length) throw new UsageError(`${BUILD_FLAGS[used[0]!]} cannot be used with -f FILE (the DaemonSets come from the file)`);
    if (names.length || command.length) throw new UsageError(`NAME and -- COMMAND are not used with -f FILE: the names come from the file; ${help}`);
    return { objects: readDaemonSets(o.filename, namespace, stdin), asList: false, notes: [] };
  }
  if (names.length !== 1) throw new UsageError(`exactly one NAME is required, got ${names.length}; ${help}`);
  const opts: BuildOptions = {
    name: names[0]!,
    namespace,
    images: o.image,
    command: command.length ? command : undefined,
    port: o.port,
    preset: o.preset,
    nodeSelector: o.nodeSelector,
    tolerations: o.toleration,
    tolerateControlPlane: o.tolerateControlPlane,
    tolerateAll: o.tolerateAll,
    requests: o.requests,
    limits: o.limits,
    env: o.env,
    hostPaths: o.hostPath,
    hostNetwork: o.hostNetwork,
    hostPID: o.hostPid,
    privileged: o.privileged,
    serviceAccount: o.serviceAccount,
    priorityClass: o.priorityClass,
    updateStrategy: o.updateStrategy,
    maxUnavailable: o.maxUnavailable,
    maxSurge: o.maxSurge,
    minReadySeconds: o.minReadySeconds,
    labels: o.labels,
    annotations: o.annotations,
  };
  try {
    return { objects: [buildDaemonSet(opts) as unknown as Obj], asList: false, notes: [] };
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
}

/** Help text shared by scaffold and create: the forms of the flags that take a structured value. */
export const FLAG_FORMS = `
Flag forms:
  --toleration      key=value:Effect   tolerate that taint           key:Effect    any value of key, that effect
                    key=value          that taint, every effect      key           any value, every effect
                    key:Exists[:Effect] the same as key[:Effect]     :Exists       every taint
                    (Effect: NoSchedule, PreferNoSchedule or NoExecute)
  --host-path       NAME=/host/path:/mount/path[:ro]    a hostPath volume NAME mounted in every container
  --requests/limits cpu=100m,memory=200Mi               API quantities (100m, 0.5, 256Mi, 1Gi, 1e3)
  --labels          added to the DaemonSet and pod labels; the selector stays app=NAME
  --preset          log-collector, node-monitor, storage (--preset list); later flags override the preset:
                    scalars replace, maps and lists (labels, env, host paths, tolerations) merge`;
