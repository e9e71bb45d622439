/**
 * Builds a DaemonSet from command-line flags, with the derivations of `kubectl create deployment`
 * (container names from images, `app=NAME` labels, the first container's port, the words after `--`
 * as the command) plus the flags a node agent needs, and presets for the classic node agents.
 *
 * Pure: plain options in, a plain apps/v1 DaemonSet out. Fields are created in the order of the Go
 * structs (k8s.io/api) so that JSON output reads as kubectl's, and maps are sorted by key as Go's
 * encoder sorts them. Bad input throws InputError, naming the flag and the expected form.
 */
import { dns1123LabelError, dns1123SubdomainError, labelKeyError, labelValueError } from './labels.js';
import { parseQuantity } from './quantity.js';

/** A user mistake in a flag: `flag` names it; the message is one line that says what is expected. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Object shapes (the JSON form of k8s.io/api types, only the fields the builder sets)

export type Obj = Record<string, unknown>;
export type IntOrString = number | string;

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

export interface EnvVar {
  name: string;
  value: string;
}

export interface ContainerPort {
  name?: string;
  hostPort?: number;
  containerPort: number;
}

/** A host directory mounted into every container. */
export interface HostPath {
  /** The volume name (a DNS-1123 label). */
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
  /** hostPath.type, e.g. DirectoryOrCreate; unset means no check. */
  type?: string;
  mountPropagation?: string;
}

export interface DaemonSet {
  kind: 'DaemonSet';
  apiVersion: 'apps/v1';
  metadata: Obj;
  spec: Obj;
  status?: Obj;
}

// ---------------------------------------------------------------------------------------------------
// The flags

/** The command-line flags as given (strings, repeatable flags as arrays). Unset = not given. */
export interface BuildOptions {
  name: string;
  /** Only when -n was given explicitly (as kubectl create). */
  namespace?: string;
  /** --image, repeatable, each may be comma-separated. */
  images?: string[];
  /** The words after `--`: the container command. */
  command?: string[];
  port?: string;
  preset?: string;
  nodeSelector?: string[];
  tolerations?: string[];
  tolerateControlPlane?: boolean;
  tolerateAll?: boolean;
  requests?: string[];
  limits?: string[];
  env?: string[];
  hostPaths?: string[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  privileged?: boolean;
  serviceAccount?: string;
  priorityClass?: string;
  updateStrategy?: string;
  maxUnavailable?: string;
  maxSurge?: string;
  minReadySeconds?: string;
  labels?: string[];
  annotations?: string[];
  /** The random source for container-name suffixes: n characters from kubectl's alphabet. */
  random?: (n: number) => string;
}

/**
 * What a DaemonSet is made of, after parsing: presets are written in this form, and flags given with
 * a preset override it field by field (maps key by key, host paths and env by name).
 */
export interface Spec {
  images: string[];
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  tolerateControlPlane?: boolean;
  tolerateAll?: boolean;
  requests: Record<string, string>;
  limits: Record<string, string>;
  env: EnvVar[];
  hostPaths: HostPath[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  privileged?: boolean;
  serviceAccount?: string;
  priorityClass?: string;
  strategy?: { type: 'RollingUpdate' | 'OnDelete'; maxUnavailable?: IntOrString; maxSurge?: IntOrString };
  minReadySeconds?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------
// Presets

export interface Preset {
  description: string;
  /** Set when the preset has no image of its own and --image must be given. */
  needsImage?: string;
  spec: Partial<Spec>;
}

export const CONTROL_PLANE_TOLERATIONS: Toleration[] = [
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
];

export const PRESETS: Record<string, Preset> = {
  'log-collector': {
    description: 'fluentd-style log shipper: read-only /var/log and container logs, runs on control-plane nodes too, 100m/200Mi, node-critical',
    spec: {
      images: ['quay.io/fluentd_elasticsearch/fluentd:v2.5.2'],
      hostPaths: [
        { name: 'varlog', hostPath: '/var/log', mountPath: '/var/log', readOnly: true },
        { name: 'varlibdockercontainers', hostPath: '/var/lib/docker/containers', mountPath: '/var/lib/docker/containers', readOnly: true },
      ],
      tolerateControlPlane: true,
      requests: { cpu: '100m', memory: '200Mi' },
      limits: { memory: '200Mi' },
      priorityClass: 'system-node-critical',
    },
  },
  'node-monitor': {
    description: 'node-exporter-style metrics agent: host network and PID, port 9100, read-only /proc, /sys and /, runs on every node',
    spec: {
      images: ['quay.io/prometheus/node-exporter:v1.8.2'],
      args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root'],
      ports: [{ name: 'metrics', hostPort: 9100, containerPort: 9100 }],
      hostNetwork: true,
      hostPID: true,
      hostPaths: [
        { name: 'proc', hostPath: '/proc', mountPath: '/host/proc', readOnly: true },
        { name: 'sys', hostPath: '/sys', mountPath: '/host/sys', readOnly: true },
        { name: 'root', hostPath: '/', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
      ],
      tolerateAll: true,
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { memory: '128Mi' },
    },
  },
  storage: {
    description: 'storage node agent: privileged, host data directory /var/lib/storage-agent, runs on control-plane nodes too (needs --image)',
    needsImage: "the storage agent's image",
    spec: {
      privileged: true,
      hostPaths: [{ name: 'data', hostPath: '/var/lib/storage-agent', mountPath: '/var/lib/storage-agent', readOnly: false, type: 'DirectoryOrCreate' }],
      tolerateControlPlane: true,
    },
  },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

// ---------------------------------------------------------------------------------------------------
// Container names (kubectl create deployment's rule)

/** kubectl's alphabet for random suffixes (apimachinery util/rand: no vowels, no confusable digits). */
export const RANDOM_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomString(n: number, rnd: () => number = Math.random): string {
  let s = '';
  for (let i = 0; i < n; i++) s += RANDOM_ALPHABET[Math.floor(rnd() * RANDOM_ALPHABET.length)];
  return s;
}

/**
 * The container name kubectl derives from an image: the last path segment, cut at the first ':' and
 * then at '@'; when that holds '_' or '.', both become '-' and a '-' plus 5 random characters is added.
 */
export function containerNameFor(image: string, random: (n: number) => string = randomString): string {
  let name = image.slice(image.lastIndexOf('/') + 1);
  name = name.split(':')[0]!;
  name = name.split('@')[0]!;
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${random(5)}`;
  return name;
}

// ---------------------------------------------------------------------------------------------------
// Parsing the flags

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const TOLERATION_FORM = 'expected key[=value][:Effect], key:Exists[:Effect] or :Exists, with Effect one of NoSchedule, PreferNoSchedule, NoExecute';

/** Splits comma-separated flag values; a piece without '=' belongs to the previous value (a value with a comma). */
function splitPairs(values: string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    for (const piece of v.split(',')) {
      if (out.length > 0 && !piece.includes('=') && v.includes('=')) out[out.length - 1] += `,${piece}`;
      else out.push(piece);
    }
  }
  return out;
}

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim());
}

function keyValue(item: string, flag: string, form: string): [string, string] {
  const i = item.indexOf('=');
  if (i <= 0) throw new InputError(`invalid ${flag} "${item}": ${form}`, flag);
  return [item.slice(0, i), item.slice(i + 1)];
}

/** --labels, --annotations, --node-selector: key=value pairs, repeatable and comma-separated. */
function parseLabelMap(values: string[] | undefined, flag: string, checkValue: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const form = 'expected key=value (repeat the flag or separate pairs with commas)';
  for (const item of checkValue ? splitList(values) : splitPairs(values)) {
    const [k, v] = keyValue(item.trim(), flag, form);
    const ke = labelKeyError(k);
    if (ke) throw new InputError(`invalid ${flag} "${item}": key "${k}": ${ke}`, flag);
    if (checkValue) {
      const ve = labelValueError(v);
      if (ve) throw new InputError(`invalid ${flag} "${item}": value "${v}": ${ve}`, flag);
    }
    out[k] = v;
  }
  return out;
}

/**
 * One --toleration:
 *   key=value:Effect   Equal, that effect          key=value   Equal, every effect
 *   key:Effect         Exists, that effect         key         Exists, every effect
 *   key:Exists[:Eff]   Exists (explicit form)      :Exists     every taint (no key, operator Exists)
 */
export function parseToleration(text: string): Toleration {
  const bad = (why: string) => new InputError(`invalid --toleration "${text}": ${why}; ${TOLERATION_FORM}`, '--toleration');
  const parts = text.split(':');
  if (parts.length > 3) throw bad('too many ":"');
  const [head, second, third] = parts as [string, string | undefined, string | undefined];
  let effect: string | undefined;
  let exists = false;
  if (second === 'Exists') {
    exists = true;
    effect = third;
  } else {
    if (third !== undefined) throw bad(`"${second}" is not "Exists"`);
    effect = second;
  }
  if (effect !== undefined && !EFFECTS.includes(effect)) throw bad(`unknown effect "${effect}"`);
  const eq = head.indexOf('=');
  const key = eq < 0 ? head : head.slice(0, eq);
  const value = eq < 0 ? undefined : head.slice(eq + 1);
  if (key === '') {
    if (!exists || value !== undefined) throw bad('an empty key is allowed only as ":Exists" (tolerate every taint)');
    return effect ? { operator: 'Exists', effect } : { operator: 'Exists' };
  }
  const ke = labelKeyError(key);
  if (ke) throw bad(`key "${key}": ${ke}`);
  if (value !== undefined) {
    if (exists) throw bad('a value cannot be combined with Exists');
    const ve = labelValueError(value);
    if (ve) throw bad(`value "${value}": ${ve}`);
    return effect ? { key, operator: 'Equal', value, effect } : { key, operator: 'Equal', value };
  }
  return effect ? { key, operator: 'Exists', effect } : { key, operator: 'Exists' };
}

const HOST_PATH_FORM = 'expected NAME=/host/path:/mount/path[:ro]';

/** One --host-path NAME=/host/path:/mount/path[:ro|:rw]. */
export function parseHostPath(text: string): HostPath {
  const bad = (why: string) => new InputError(`invalid --host-path "${text}": ${why}; ${HOST_PATH_FORM}`, '--host-path');
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad('missing NAME=');
  const name = text.slice(0, eq);
  const ne = dns1123LabelError(name);
  if (ne) throw bad(`volume name "${name}": ${ne}`);
  const parts = text.slice(eq + 1).split(':');
  let readOnly = false;
  if (parts.length === 3) {
    const mode = parts.pop();
    if (mode !== 'ro' && mode !== 'rw') throw bad(`unknown mode "${mode}" (ro or rw)`);
    readOnly = mode === 'ro';
  }
  if (parts.length !== 2) throw bad('expected a host path and a mount path separated by ":"');
  const [hostPath, mountPath] = parts as [string, string];
  if (!hostPath.startsWith('/')) throw bad(`host path "${hostPath}" is not absolute`);
  if (!mountPath.startsWith('/')) throw bad(`mount path "${mountPath}" is not absolute`);
  return { name, hostPath, mountPath, readOnly };
}

const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** One --env KEY=VALUE (the value may hold '=' and ','). */
export function parseEnv(text: string): EnvVar {
  const eq = text.indexOf('=');
  const form = 'expected KEY=VALUE';
  if (eq <= 0) throw new InputError(`invalid --env "${text}": ${form}`, '--env');
  const name = text.slice(0, eq);
  if (!ENV_NAME_RE.test(name)) {
    throw new InputError(
      `invalid --env "${text}": "${name}" is not a valid variable name (letters, digits, '_', '-' or '.', not starting with a digit); ${form}`,
      '--env',
    );
  }
  return { name, value: text.slice(eq + 1) };
}

const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** --requests / --limits: name=quantity pairs, comma-separated and/or repeated. */
export function parseResources(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const form = 'expected cpu=QUANTITY,memory=QUANTITY (e.g. cpu=100m,memory=256Mi)';
  for (const item of splitList(values)) {
    if (item === '') continue;
    const [k, v] = keyValue(item, flag, form);
    if (!STANDARD_RESOURCES.includes(k) && !k.startsWith('hugepages-') && !k.includes('/')) {
      throw new InputError(`invalid ${flag} "${item}": unknown resource "${k}" (cpu, memory, ephemeral-storage, hugepages-<size> or a domain/name extended resource); ${form}`, flag);
    }
    const q = parseQuantity(v);
    if (q === undefined) throw new InputError(`invalid ${flag} "${item}": "${v}" is not a quantity (e.g. 100m, 0.5, 1, 256Mi, 1Gi); ${form}`, flag);
    if (q < 0) throw new InputError(`invalid ${flag} "${item}": must be greater than or equal to 0`, flag);
    out[k] = v;
  }
  return out;
}

const PERCENT_OR_INT = /^(\d+)%?$/;

function parseIntOrPercent(text: string, flag: string): IntOrString {
  const m = PERCENT_OR_INT.exec(text.trim());
  if (!m) throw new InputError(`invalid ${flag} "${text}": expected a whole number of pods (e.g. 1) or a percentage of nodes (e.g. 10%)`, flag);
  if (text.trim().endsWith('%')) {
    if (Number(m[1]) > 100) throw new InputError(`invalid ${flag} "${text}": must not be greater than 100%`, flag);
    return text.trim();
  }
  return Number(m[1]);
}

function isZero(v: IntOrString | undefined): boolean {
  return v !== undefined && (v === 0 || (typeof v === 'string' && Number(v.replace('%', '')) === 0));
}

function parseStrategy(o: BuildOptions): Spec['strategy'] {
  let type: 'RollingUpdate' | 'OnDelete' | undefined;
  if (o.updateStrategy !== undefined) {
    const t = o.updateStrategy.toLowerCase();
    if (t === 'rollingupdate') type = 'RollingUpdate';
    else if (t === 'ondelete') type = 'OnDelete';
    else throw new InputError(`invalid --update-strategy "${o.updateStrategy}": expected RollingUpdate or OnDelete`, '--update-strategy');
  }
  const maxUnavailable = o.maxUnavailable === undefined ? undefined : parseIntOrPercent(o.maxUnavailable, '--max-unavailable');
  const maxSurge = o.maxSurge === undefined ? undefined : parseIntOrPercent(o.maxSurge, '--max-surge');
  if (type === 'OnDelete' && (maxUnavailable !== undefined || maxSurge !== undefined)) {
    const flag = maxSurge !== undefined ? '--max-surge' : '--max-unavailable';
    throw new InputError(`${flag} cannot be used with --update-strategy OnDelete (pods are replaced only when you delete them); use --update-strategy RollingUpdate`, flag);
  }
  if (maxSurge !== undefined) {
    if (maxUnavailable !== undefined && !isZero(maxUnavailable)) {
      throw new InputError(
        `--max-surge cannot be combined with a non-zero --max-unavailable: a DaemonSet rolls out either by surging (maxUnavailable 0) or by taking pods down, not both`,
        '--max-surge',
      );
    }
    if (isZero(maxSurge)) throw new InputError(`invalid --max-surge "${o.maxSurge}": must be greater than 0 (it sets maxUnavailable to 0, and both cannot be 0)`, '--max-surge');
    return { type: 'RollingUpdate', maxUnavailable: 0, maxSurge };
  }
  if (maxUnavailable !== undefined) {
    if (isZero(maxUnavailable)) throw new InputError(`invalid --max-unavailable "${o.maxUnavailable}": it cannot be 0 unless --max-surge is given`, '--max-unavailable');
    return { type: 'RollingUpdate', maxUnavailable };
  }
  return type ? { type } : undefined;
}

function parseImages(values: string[] | undefined): string[] {
  const images = splitList(values);
  for (const img of images) if (img === '') throw new InputError('invalid --image: an image name is empty (e.g. --image=nginx:1.27)', '--image');
  return images;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 65535) throw new InputError(`invalid --port "${text}": expected a port number between 1 and 65535`, '--port');
  return n;
}

function parseMinReady(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`invalid --min-ready-seconds "${text}": expected a whole number of seconds, 0 or more`, '--min-ready-seconds');
  return Number(text);
}

function optionalName(v: string | undefined, flag: string): string | undefined {
  if (v === undefined || v === '') return v;
  const e = dns1123SubdomainError(v);
  if (e) throw new InputError(`invalid ${flag} "${v}": ${e}`, flag);
  return v;
}

/** The Spec the flags ask for, before any preset (unset fields stay unset). */
export function specFromFlags(o: BuildOptions): Partial<Spec> {
  const s: Partial<Spec> = {};
  if (o.images !== undefined) s.images = parseImages(o.images);
  if (o.command !== undefined && o.command.length > 0) s.command = o.command;
  if (o.port !== undefined) s.ports = [{ containerPort: parsePort(o.port) }];
  if (o.nodeSelector) s.nodeSelector = parseLabelMap(o.nodeSelector, '--node-selector', true);
  if (o.tolerations) s.tolerations = o.tolerations.map(parseToleration);
  if (o.tolerateControlPlane !== undefined) s.tolerateControlPlane = o.tolerateControlPlane;
  if (o.tolerateAll !== undefined) s.tolerateAll = o.tolerateAll;
  if (o.requests) s.requests = parseResources(o.requests, '--requests');
  if (o.limits) s.limits = parseResources(o.limits, '--limits');
  if (o.env) s.env = o.env.map(parseEnv);
  if (o.hostPaths) s.hostPaths = o.hostPaths.map(parseHostPath);
  if (o.hostNetwork !== undefined) s.hostNetwork = o.hostNetwork;
  if (o.hostPID !== undefined) s.hostPID = o.hostPID;
  if (o.privileged !== undefined) s.privileged = o.privileged;
  if (o.serviceAccount !== undefined) s.serviceAccount = optionalName(o.serviceAccount, '--service-account');
  if (o.priorityClass !== undefined) s.priorityClass = optionalName(o.priorityClass, '--priority-class');
  const strategy = parseStrategy(o);
  if (strategy) s.strategy = strategy;
  if (o.minReadySeconds !== undefined) s.minReadySeconds = parseMinReady(o.minReadySeconds);
  if (o.labels) s.labels = parseLabelMap(o.labels, '--labels', true);
  if (o.annotations) s.annotations = parseLabelMap(o.annotations, '--annotations', false);
  return s;
}

function mergeByName<T extends { name: string }>(base: T[], over: T[], same: (a: T, b: T) => boolean = (a, b) => a.name === b.name): T[] {
  const out = base.filter((b) => !over.some((o) => same(b, o)));
  return [...out, ...over];
}

/** The preset (if any) overridden by the flags. */
export function mergeSpec(preset: Partial<Spec>, flags: Partial<Spec>): Spec {
  const p = preset;
  const f = flags;
  const s: Spec = {
    images: f.images ?? p.images ?? [],
    nodeSelector: { ...p.nodeSelector, ...f.nodeSelector },
    tolerations: [...(p.tolerations ?? []), ...(f.tolerations ?? [])],
    requests: { ...p.requests, ...f.requests },
    limits: { ...p.limits, ...f.limits },
    env: mergeByName(p.env ?? [], f.env ?? []),
    hostPaths: mergeByName(p.hostPaths ?? [], f.hostPaths ?? [], (a, b) => a.name === b.name || a.mountPath === b.mountPath),
    labels: { ...p.labels, ...f.labels },
    annotations: { ...p.annotations, ...f.annotations },
  };
  // A command from the flags replaces the preset's command and arguments.
  if (f.command) s.command = f.command;
  else {
    if (p.command) s.command = p.command;
    if (p.args) s.args = p.args;
  }
  const scalar = ['ports', 'tolerateControlPlane', 'tolerateAll', 'hostNetwork', 'hostPID', 'privileged', 'serviceAccount', 'priorityClass', 'strategy', 'minReadySeconds'] as const;
  for (const k of scalar) {
    const v = f[k] !== undefined ? f[k] : p[k];
    if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

function sorted<V>(m: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}

function tolerationsOf(s: Spec): Toleration[] {
  const all = [...s.tolerations];
  if (s.tolerateControlPlane) all.push(...CONTROL_PLANE_TOLERATIONS);
  if (s.tolerateAll) all.push({ operator: 'Exists' });
  const seen = new Set<string>();
  return all.filter((t) => {
    const k = JSON.stringify([t.key, t.operator, t.value, t.effect]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The zero status kubectl prints for a new DaemonSet (these four counts have no omitempty). */
export function zeroStatus(): Obj {
  return { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
}

/** Renders a Spec as an apps/v1 DaemonSet named `name` (namespace only when given). */
export function renderDaemonSet(name: string, namespace: string | undefined, s: Spec, random: (n: number) => string = randomString): DaemonSet {
  if (s.images.length === 0) throw new InputError('required flag(s) "image" not set: give --image=IMAGE (or a --preset that has one)', '--image');
  if (s.images.length > 1 && s.command) throw new InputError('cannot specify multiple --image options and command', '--image');
  for (const [k, v] of Object.entries(s.labels)) {
    if (k === 'app' && v !== name) throw new InputError(`invalid --labels "app=${v}": "app" is the selector label (app=${name}) and cannot be changed`, '--labels');
  }
  const names = s.images.map((img) => containerNameFor(img, random));
  names.forEach((n, i) => {
    const e = dns1123LabelError(n);
    if (e) throw new InputError(`invalid --image "${s.images[i]}": the container name derived from it, "${n}", is not valid: ${e}`, '--image');
    const j = names.indexOf(n);
    if (j !== i) throw new InputError(`invalid --image: "${s.images[j]}" and "${s.images[i]}" both give the container name "${n}"; one container per distinct image name`, '--image');
  });
  const appLabels = { app: name };
  const podLabels = sorted({ ...s.labels, ...appLabels });
  const resources: Obj = {};
  if (Object.keys(s.limits).length) resources.limits = sorted(s.limits);
  if (Object.keys(s.requests).length) resources.requests = sorted(s.requests);
  for (const [k, req] of Object.entries(s.requests)) {
    const lim = s.limits[k];
    if (lim !== undefined && parseQuantity(req)! > parseQuantity(lim)!) {
      throw new InputError(`invalid --requests "${k}=${req}": must be less than or equal to the ${k} limit (${lim})`, '--requests');
    }
  }

  const containers = s.images.map((image, i) => {
    const c: Obj = { name: names[i], image };
    if (s.command) c.command = s.command;
    if (s.args) c.args = s.args;
    if (i === 0 && s.ports) {
      c.ports = s.ports.map((p) => {
        const out: Obj = {};
        if (p.name) out.name = p.name;
        if (p.hostPort !== undefined) out.hostPort = p.hostPort;
        else if (s.hostNetwork) out.hostPort = p.containerPort;
        out.containerPort = p.containerPort;
        return out;
      });
    }
    if (s.env.length) c.env = s.env.map((e) => ({ name: e.name, value: e.value }));
    c.resources = structuredClone(resources);
    if (s.hostPaths.length) {
      c.volumeMounts = s.hostPaths.map((h) => {
        const m: Obj = { name: h.name };
        if (h.readOnly) m.readOnly = true;
        m.mountPath = h.mountPath;
        if (h.mountPropagation) m.mountPropagation = h.mountPropagation;
        return m;
      });
    }
    if (s.privileged) c.securityContext = { privileged: true };
    return c;
  });

  const pod: Obj = {};
  if (s.hostPaths.length) {
    pod.volumes = s.hostPaths.map((h) => ({ name: h.name, hostPath: h.type ? { path: h.hostPath, type: h.type } : { path: h.hostPath } }));
  }
  pod.containers = containers;
  if (s.hostNetwork) pod.dnsPolicy = 'ClusterFirstWithHostNet';
  if (Object.keys(s.nodeSelector).length) pod.nodeSelector = sorted(s.nodeSelector);
  if (s.serviceAccount) pod.serviceAccountName = s.serviceAccount;
  if (s.hostNetwork) pod.hostNetwork = true;
  if (s.hostPID) pod.hostPID = true;
  const tolerations = tolerationsOf(s);
  if (tolerations.length) pod.tolerations = tolerations;
  if (s.priorityClass) pod.priorityClassName = s.priorityClass;

  const metadata: Obj = { name };
  if (namespace !== undefined) metadata.namespace = namespace;
  metadata.creationTimestamp = null;
  metadata.labels = podLabels;
  if (Object.keys(s.annotations).length) metadata.annotations = sorted(s.annotations);

  const updateStrategy: Obj = {};
  if (s.strategy) {
    updateStrategy.type = s.strategy.type;
    if (s.strategy.maxUnavailable !== undefined || s.strategy.maxSurge !== undefined) {
      const ru: Obj = {};
      if (s.strategy.maxUnavailable !== undefined) ru.maxUnavailable = s.strategy.maxUnavailable;
      if (s.strategy.maxSurge !== undefined) ru.maxSurge = s.strategy.maxSurge;
      updateStrategy.rollingUpdate = ru;
    }
  }
  const spec: Obj = {
    selector: { matchLabels: appLabels },
    template: { metadata: { creationTimestamp: null, labels: podLabels }, spec: pod },
    updateStrategy,
  };
  if (s.minReadySeconds) spec.minReadySeconds = s.minReadySeconds;

  return { kind: 'DaemonSet', apiVersion: 'apps/v1', metadata, spec, status: zeroStatus() };
}

/** Builds the DaemonSet the flags (and the preset, if any) describe. Throws InputError for bad input. */
export function buildDaemonSet(o: BuildOptions): DaemonSet {
  const nameErr = dns1123SubdomainError(o.name);
  if (nameErr) throw new InputError(`invalid NAME "${o.name}": ${nameErr}`);
  let preset: Preset | undefined;
  if (o.preset !== undefined) {
    preset = PRESETS[o.preset];
    if (!preset) throw new InputError(`unknown --preset "${o.preset}": known presets are ${presetNames().join(', ')} (see --preset list)`, '--preset');
  }
  const flags = specFromFlags(o);
  if (preset?.needsImage && !flags.images?.length) {
    throw new InputError(`--preset ${o.preset} needs --image (${preset.needsImage}), e.g. --image=registry.example.com/agent:1.0`, '--image');
  }
  const random = o.random ?? ((n: number) => randomString(n));
  return renderDaemonSet(o.name, o.namespace, mergeSpec(structuredClone(preset?.spec ?? {}), flags), random);
}
