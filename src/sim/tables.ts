/**
 * Server-side printing: `meta.k8s.io/v1` Tables for `Accept: ...;as=Table;...`, with the columns the
 * API server's printers give (pkg/printers/internalversion/printers.go; see
 * ../shared/reference/daemonset-behaviour.md §3). kubectl prints these cells as they come, so what the
 * cells say is what `kubectl get` shows. Pod RESTARTS is an integer, as the 1.20 control plane in
 * ../shared/realk8s prints it (newer servers append "(Xm ago)").
 */
import { formatLabelSelector } from './selectors.js';
import type { KObj } from './store.js';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type: Column['type'] = 'string', priority = 0, format = '', description = ''): Column => ({
  name,
  type,
  format,
  description: description || name,
  priority,
});
const NAME = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace.');
const AGE = col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** apimachinery's duration.HumanDuration: what the AGE column shows. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (ts: string | undefined | null, now: number) => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');

type Cell = string | number;
interface Printer {
  columns: Column[];
  row(o: KObj, now: number): Cell[];
}

function nodeRoles(labels: Record<string, string> = {}): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length);
      if (r) roles.add(r);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeStatus(n: KObj): string {
  const out: string[] = [];
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  if (ready) out.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!out.length) out.push('Unknown');
  if (n.spec?.unschedulable) out.push('SchedulingDisabled');
  return out.join(',');
}

const address = (n: KObj, type: string) => (n.status?.addresses ?? []).find((a: any) => a.type === type)?.address || '<none>';

/** printPod: READY and STATUS as the API server computes them. */
export function podReadyAndStatus(p: KObj): { ready: string; status: string; restarts: number } {
  const spec = p.spec ?? {};
  const st = p.status ?? {};
  let restarts = 0;
  const total = (spec.containers ?? []).length;
  let readyCount = 0;
  let reason: string = st.reason || st.phase || '';
  let initializing = false;
  const inits = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const cs = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (p.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (p.metadata.deletionTimestamp) reason = 'Terminating';
  return { ready: `${readyCount}/${total}`, status: reason, restarts };
}

function readinessGates(p: KObj): string {
  const gates = p.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  const conds = p.status?.conditions ?? [];
  const ok = gates.filter((g: any) => conds.some((c: any) => c.type === g.conditionType && c.status === 'True')).length;
  return `${ok}/${gates.length}`;
}

const PRINTERS: Record<string, Printer> = {
  Node: {
    columns: [
      NAME,
      col('Status', 'string', 0, '', 'The status of the node'),
      col('Roles', 'string', 0, '', 'The roles of the node'),
      AGE,
      col('Version', 'string', 0, '', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 1, '', 'List of addresses reachable to the node.'),
      col('External-IP', 'string', 1, '', 'List of addresses reachable to the node.'),
      col('OS-Image', 'string', 1, '', 'OS Image reported by the node from /etc/os-release.'),
      col('Kernel-Version', 'string', 1, '', "Kernel Version reported by the node from 'uname -r'."),
      col('Container-Runtime', 'string', 1, '', 'ContainerRuntime Version reported by the node.'),
    ],
    row: (n, now) => {
      const info = n.status?.nodeInfo ?? {};
      return [
        n.metadata.name,
        nodeStatus(n),
        nodeRoles(n.metadata.labels),
        age(n.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        address(n, 'InternalIP'),
        address(n, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  Pod: {
    columns: [
      NAME,
      col('Ready', 'string', 0, '', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 0, '', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'integer', 0, '', 'The number of times the containers in this pod have been restarted.'),
      AGE,
      col('IP', 'string', 1, '', 'IP address allocated to the pod.'),
      col('Node', 'string', 1, '', 'NodeName is a request to schedule this pod onto a specific node.'),
      col('Nominated Node', 'string', 1, '', 'nominatedNodeName is set only when this pod preempts other pods on the node.'),
      col('Readiness Gates', 'string', 1, '', 'If specified, all readiness gates will be evaluated for pod readiness.'),
    ],
    row: (p, now) => {
      const { ready, status, restarts } = podReadyAndStatus(p);
      return [
        p.metadata.name,
        ready,
        status,
        restarts,
        age(p.metadata.creationTimestamp, now),
        p.status?.podIP || '<none>',
        p.spec?.nodeName || '<none>',
        p.status?.nominatedNodeName || '<none>',
        readinessGates(p),
      ];
    },
  },
  DaemonSet: {
    columns: [
      NAME,
      col('Desired', 'integer', 0, '', 'The total number of nodes that should be running the daemon pod.'),
      col('Current', 'integer', 0, '', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
      col('Ready', 'integer', 0, '', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
      col('Up-to-date', 'integer', 0, '', 'The total number of nodes that are running updated daemon pod'),
      col('Available', 'integer', 0, '', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
      col('Node Selector', 'string', 0, '', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      AGE,
      col('Containers', 'string', 1, '', 'Names of each container in the template.'),
      col('Images', 'string', 1, '', 'Images referenced by each container in the template.'),
      col('Selector', 'string', 1, '', 'A label query over pods that are managed by the daemon set.'),
    ],
    row: (d, now) => {
      const s = d.status ?? {};
      const ns = d.spec?.template?.spec?.nodeSelector ?? {};
      const nodeSelector = Object.keys(ns).length ? Object.keys(ns).sort().map((k) => `${k}=${ns[k]}`).join(',') : '<none>';
      const containers = d.spec?.template?.spec?.containers ?? [];
      return [
        d.metadata.name,
        s.desiredNumberScheduled ?? 0,
        s.currentNumberScheduled ?? 0,
        s.numberReady ?? 0,
        s.updatedNumberScheduled ?? 0,
        s.numberAvailable ?? 0,
        nodeSelector,
        age(d.metadata.creationTimestamp, now),
        containers.map((c: any) => c.name).join(','),
        containers.map((c: any) => c.image).join(','),
        formatLabelSelector(d.spec?.selector),
      ];
    },
  },
  ControllerRevision: {
    columns: [
      NAME,
      col('Controller', 'string', 0, '', 'Controller of the object'),
      col('Revision', 'string', 0, '', 'Revision indicates the revision of the state represented by Data.'),
      AGE,
    ],
    row: (r, now) => {
      const ctl = (r.metadata.ownerReferences ?? []).find((o) => o.controller);
      let controller = '<none>';
      if (ctl) {
        const group = ctl.apiVersion.includes('/') ? ctl.apiVersion.split('/')[0] : '';
        controller = `${ctl.kind.toLowerCase()}${group ? `.${group}` : ''}/${ctl.name}`;
      }
      return [r.metadata.name, controller, r.revision ?? 0, age(r.metadata.creationTimestamp, now)];
    },
  },
  Namespace: {
    columns: [NAME, col('Status', 'string', 0, '', 'The status of the namespace'), AGE],
    row: (n, now) => [n.metadata.name, n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp, now)],
  },
  Event: {
    columns: [
      col('Last Seen', 'string', 0, '', 'The time at which the most recent occurrence of this event was recorded.'),
      col('Type', 'string', 0, '', 'Type of this event (Normal, Warning), new types could be added in the future'),
      col('Reason', 'string', 0, '', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      col('Object', 'string', 0, '', 'The object that this event is about.'),
      col('Subobject', 'string', 1, '', 'The part of the object the event is about.'),
      col('Source', 'string', 1, '', 'The component reporting this event.'),
      col('Message', 'string', 0, '', 'A human-readable description of the status of this operation.'),
      col('First Seen', 'string', 1, '', 'The time at which the event was first recorded.'),
      col('Count', 'string', 1, '', 'The number of times this event has occurred.'),
      { ...NAME, priority: 1 },
    ],
    row: (e, now) => {
      const last = e.lastTimestamp || e.eventTime || e.metadata.creationTimestamp;
      const first = e.firstTimestamp || e.eventTime || e.metadata.creationTimestamp;
      const io = e.involvedObject ?? {};
      const source = [e.source?.component, e.source?.host].filter(Boolean).join(', ') || e.reportingComponent || '';
      return [
        age(last, now),
        e.type ?? '',
        e.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        io.fieldPath ?? '',
        source,
        String(e.message ?? '').trim(),
        age(first, now),
        e.count ?? 1,
        e.metadata.name,
      ];
    },
  },
  Lease: {
    columns: [NAME, col('Holder', 'string', 0, '', 'The holder of the lease'), AGE],
    row: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '<unknown>', age(l.metadata.creationTimestamp, now)],
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [NAME, col('Created At', 'date', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: KObj, include: IncludeObject): KObj | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A Table for these objects (already filtered and paged). */
export function toTable(
  kind: string,
  objs: readonly KObj[],
  opts: { include: IncludeObject; listMeta: Record<string, unknown>; now?: number },
): KObj {
  const printer = PRINTERS[kind] ?? DEFAULT_PRINTER;
  const now = opts.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.listMeta as any,
    columnDefinitions: printer.columns,
    rows: objs.map((o) => {
      const object = rowObject(o, opts.include);
      return object ? { cells: printer.row(o, now), object } : { cells: printer.row(o, now) };
    }),
  };
}
