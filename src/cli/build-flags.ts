/**
 * The flags that describe a DaemonSet, shared by `kubectl ds scaffold`, `kubectl ds create` and
 * `kubectl create daemonset`, and what turns them into objects: the builder (flags and presets) or the
 * Deployment converter (--from-deployment -f). Light: no API client here.
 */
import { Option, type Command } from 'commander';
import { CliError, UsageError } from './errors.js';
import { buildDaemonSet, InputError, PRESETS } from '../core/builder.js';
import { attributeOf, BUILD_FLAG_TABLE, BUILDER_FLAGS, buildOptionsOf, type BuildFlagValues } from './build-flag-spec.js';
import { convertDeployments, daemonSetsIn, ManifestError, parseManifests, type Obj } from '../core/from-deployment.js';
import { renderTable } from '../output/print.js';

// node:fs through process.getBuiltinModule: its ES module facade would load the fs streams (~5 ms at start).
const { readFileSync } = process.getBuiltinModule('node:fs');

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** option attribute -> flag, for the flags that build a DaemonSet (used to refuse them with --from-deployment or -f). */
const BUILD_FLAGS: Record<string, string> = Object.fromEntries(BUILDER_FLAGS.map((f) => [attributeOf(f.long), f.long]));

/** The build flags (BUILD_FLAG_TABLE) on a command: each toggle with a hidden --no-X that turns off what a preset turned on. */
export function addBuildOptions(cmd: Command): void {
  for (const f of BUILD_FLAG_TABLE) {
    const flags = `${f.short ? `${f.short}, ` : ''}${f.long}${f.arg ? ` <${f.arg}>` : ''}`;
    if (f.toggle) {
      cmd.addOption(new Option(flags, `${f.help} (--no-${f.long.slice(2)} turns a preset's off)`));
      cmd.addOption(new Option(`--no-${f.long.slice(2)}`).hideHelp());
    } else if (f.repeat) cmd.option(flags, f.help, collect);
    else cmd.option(flags, f.help);
  }
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
  const opts = buildOptionsOf(names[0]!, o, command, namespace);
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
