/**
 * The flags that describe a DaemonSet, as data, and what turns their values into the builder's
 * options. One table for the two readers of these flags: commander (build-flags.ts, for scaffold,
 * create and `kubectl create daemonset`) and scaffold's fast path (fast-scaffold.ts), which must not
 * load commander. No commander and no I/O here.
 */
import { PRESETS, type BuildOptions } from '../core/builder.js';

export interface BuildFlag {
  /** The long flag, e.g. `--node-selector`. */
  long: string;
  short?: string;
  /** The value's placeholder in help; absent for a boolean flag. */
  arg?: string;
  /** Every occurrence is kept (a list), instead of the last one. */
  repeat?: boolean;
  /** A boolean with a hidden `--no-X` that turns off what a preset turned on. */
  toggle?: boolean;
  help: string;
}

export const BUILD_FLAG_TABLE: readonly BuildFlag[] = [
  { long: '--image', arg: 'image', repeat: true, help: 'container image; repeat or separate with commas for one container per image (required unless --preset has one)' },
  { long: '--port', arg: 'port', help: "the first container's port (with --host-network also its hostPort)" },
  { long: '--preset', arg: 'name', help: `a node-agent preset: ${Object.keys(PRESETS).join(', ')}; "list" describes them. Other flags override it` },
  { long: '--node-selector', arg: 'key=value', repeat: true, help: 'run only on nodes with this label (repeatable, or comma-separated)' },
  { long: '--toleration', arg: 'spec', repeat: true, help: 'tolerate a taint: key[=value][:Effect], key:Exists[:Effect], or :Exists for every taint (repeatable)' },
  { long: '--tolerate-control-plane', toggle: true, help: 'run on control-plane nodes too (tolerates node-role.kubernetes.io/control-plane and /master NoSchedule)' },
  { long: '--tolerate-all', toggle: true, help: 'tolerate every taint (operator Exists, no key): run on every node' },
  { long: '--requests', arg: 'cpu=Q,memory=Q', repeat: true, help: 'resource requests of every container, e.g. cpu=100m,memory=200Mi' },
  { long: '--limits', arg: 'cpu=Q,memory=Q', repeat: true, help: 'resource limits of every container, e.g. memory=200Mi' },
  { long: '--env', arg: 'KEY=VALUE', repeat: true, help: 'an environment variable for every container (repeatable)' },
  { long: '--host-path', arg: 'NAME=/host:/mount[:ro]', repeat: true, help: 'mount a host directory into every container, read-only with :ro (repeatable)' },
  { long: '--host-network', toggle: true, help: "use the node's network namespace (sets dnsPolicy ClusterFirstWithHostNet)" },
  { long: '--host-pid', toggle: true, help: "use the node's process namespace" },
  { long: '--privileged', toggle: true, help: 'run every container privileged' },
  { long: '--service-account', arg: 'name', help: "the pods' service account" },
  { long: '--priority-class', arg: 'name', help: "the pods' priority class, e.g. system-node-critical" },
  { long: '--update-strategy', arg: 'type', help: 'RollingUpdate (the default) or OnDelete' },
  { long: '--max-unavailable', arg: 'n|n%', help: 'RollingUpdate: how many nodes may lack a ready pod during an update (default 1)' },
  { long: '--max-surge', arg: 'n|n%', help: 'RollingUpdate: start the new pod before the old one stops on this many nodes (sets maxUnavailable 0)' },
  { long: '--min-ready-seconds', arg: 'n', help: 'seconds a new pod must be ready before it counts as available' },
  { long: '--labels', arg: 'k=v,...', repeat: true, help: 'extra labels on the DaemonSet and its pods (not the selector, which is app=NAME)' },
  { long: '--annotations', arg: 'k=v,...', repeat: true, help: 'annotations on the DaemonSet' },
  { long: '--from-deployment', help: 'convert the Deployments in -f FILE into DaemonSets instead of building from flags' },
  { long: '--filename', short: '-f', arg: 'file', repeat: true, help: "a manifest file ('-' for stdin; repeatable): the DaemonSets in it, or with --from-deployment its Deployments" },
];

/** The flags the builder reads (all but --from-deployment and -f, which take the DaemonSets from files instead). */
export const BUILDER_FLAGS: readonly BuildFlag[] = BUILD_FLAG_TABLE.filter((f) => f.long !== '--from-deployment' && f.long !== '--filename');

/** The attribute a flag's value is stored under, as commander names it: `--node-selector` -> `nodeSelector`. */
export function attributeOf(long: string): string {
  return long.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
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

/** The builder's options for NAME, the flags' values, the command after `--` and -n. */
export function buildOptionsOf(name: string, o: BuildFlagValues, command: string[], namespace: string | undefined): BuildOptions {
  return {
    name,
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
}
