/**
 * `kubectl ds scaffold` without commander, for the common invocation: bin/kubectl-ds.mjs tries this
 * first, and when it declines (undefined), runs the full CLI, which then gives the same output or the
 * error. Loading commander and the yaml library would take a scaffold to over twice a bare Node start;
 * this path loads the builder and the small YAML writer only.
 *
 * It accepts the builder's flags (BUILDER_FLAGS, from the table commander reads too) as `--flag value` or
 * `--flag=value`, `--no-X` for toggles, -n/--namespace, -o/--output yaml|json, one NAME and `-- COMMAND`.
 * It declines everything else: help, any other flag or form (-f, --from-deployment, --preset list,
 * bundled short flags, a value that starts with '-'), a second NAME, anything the builder rejects, and
 * output the YAML writer will not write. What it does accept, it reads as commander does: the last
 * value of a flag wins unless the flag repeats, flags and NAME in any order, everything after `--` the
 * command. test/int/scaffold-fast.test.ts holds it to the full CLI's output. Pure: no I/O.
 */
import { attributeOf, BUILDER_FLAGS, buildOptionsOf, type BuildFlag, type BuildFlagValues } from './build-flag-spec.js';
import { buildDaemonSet } from '../core/builder.js';
import { emitYaml, KUBE_STYLE } from '../output/yaml-emit.js';

const FLAGS = new Map<string, BuildFlag>(BUILDER_FLAGS.map((f) => [f.long, f]));

/** The text `kubectl ds scaffold ARGS` prints on stdout, or undefined when the full CLI must run. */
export function fastScaffold(args: readonly string[]): string | undefined {
  const values: Record<string, unknown> = {};
  const names: string[] = [];
  let command: string[] = [];
  let namespace: string | undefined;
  let output = 'yaml';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      command = args.slice(i + 1);
      break;
    }
    if (!a.startsWith('-')) {
      names.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      const v = inline ?? args[++i];
      return v === undefined || v === '' || v.startsWith('-') ? undefined : v;
    };
    if (name === '-n' || name === '--namespace' || name === '-o' || name === '--output') {
      const v = value();
      if (v === undefined) return undefined;
      if (name === '-n' || name === '--namespace') namespace = v;
      else output = v;
      continue;
    }
    const flag = FLAGS.get(name);
    if (flag?.arg) {
      const v = value();
      if (v === undefined) return undefined;
      const key = attributeOf(flag.long);
      values[key] = flag.repeat ? [...((values[key] as string[] | undefined) ?? []), v] : v;
    } else if (flag && inline === undefined) values[attributeOf(flag.long)] = true;
    else if (name.startsWith('--no-') && FLAGS.get(`--${name.slice(5)}`)?.toggle && inline === undefined) values[attributeOf(`--${name.slice(5)}`)] = false;
    else return undefined;
  }
  const o = values as BuildFlagValues;
  if (names.length !== 1 || o.preset === 'list' || (output !== 'yaml' && output !== 'json')) return undefined;
  let ds: unknown;
  try {
    ds = buildDaemonSet(buildOptionsOf(names[0]!, o, command, namespace));
  } catch {
    return undefined; // the full CLI says what is wrong
  }
  return output === 'json' ? `${JSON.stringify(ds, null, 4)}\n` : emitYaml(ds, KUBE_STYLE);
}
