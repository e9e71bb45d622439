import type { Command } from 'commander';
import { addBuildOptions, buildFromFlags, FLAG_FORMS, presetList, type Built } from '../cli/build-flags.js';
import type { BuildFlagValues } from '../cli/build-flag-spec.js';
import { globalsOf } from '../cli/globals.js';
import { out, toJson, toKubeYaml, warn } from '../output/print.js';
import { checkOutputFormat } from '../output/format.js';

/** YAML documents (or a List when the input was one) / JSON (a v1 List for several objects), as kubectl prints them. */
export function printBuilt(b: Built, format: string): string {
  const list = { apiVersion: 'v1', kind: 'List', items: b.objects, metadata: { resourceVersion: '' } };
  if (format === 'json') return toJson(b.objects.length === 1 && !b.asList ? b.objects[0] : list);
  if (b.asList) return toKubeYaml(list);
  return b.objects.map(toKubeYaml).join('---\n');
}

/** `kubectl ds scaffold`: print a DaemonSet manifest built from flags, a preset or a Deployment. Never contacts a cluster. */
export function define(cmd: Command): void {
  cmd.argument('[NAME]', 'the DaemonSet name (a DNS-1123 subdomain)').argument('[COMMAND...]', 'after --: the container command');
  addBuildOptions(cmd);
  cmd
    .option('-o, --output <format>', 'yaml (default) or json')
    .usage('NAME --image=image [flags] [-- COMMAND [args...]]')
    .addHelpText(
      'after',
      `${FLAG_FORMS}

Prints the manifest and never contacts a cluster (no kubeconfig needed). The same flags as
'kubectl create deployment' (--image, --port, -- COMMAND; labels and selector app=NAME; container names
from the images), without --replicas, plus the DaemonSet flags above. -n sets metadata.namespace.

Examples:
  # A DaemonSet running nginx on every schedulable node
  kubectl ds scaffold web --image=nginx:1.27 --port=80

  # A log shipper from the preset, with your own image and one more toleration
  kubectl ds scaffold fluentd -n logging --preset log-collector --image=fluent/fluentd:v1.17 --toleration dedicated=gpu:NoSchedule

  # Only on SSD nodes, 10% of nodes at a time, with a command
  kubectl ds scaffold cleaner --image=busybox --node-selector disktype=ssd --max-unavailable 10% -- sh -c 'sleep infinity'

  # The presets
  kubectl ds scaffold --preset list

  # Turn a Deployment into a DaemonSet (the changes are listed on stderr)
  kubectl ds scaffold --from-deployment -f deploy.yaml > ds.yaml
  kubectl get deploy web -o yaml | kubectl ds scaffold --from-deployment -f -`,
    )
    .action((first: string | undefined, rest: string[], opts: BuildFlagValues & { output?: string }, command: Command) => {
      if (opts.preset === 'list') return out(presetList());
      const format = checkOutputFormat(opts.output, ['yaml', 'json']) ?? 'yaml';
      const operands = first === undefined ? rest : [first, ...rest];
      const built = buildFromFlags(command, opts, operands, globalsOf(command).namespace);
      for (const n of built.notes) warn(n);
      process.stdout.write(printBuilt(built, format));
    });
}
