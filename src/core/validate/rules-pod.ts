/**
 * The pod template rules (core ValidatePodTemplateSpec as a DaemonSet's template sees it): restartPolicy,
 * activeDeadlineSeconds, containers and their names, images, ports, resources, volume mounts, volumes,
 * env, probes, pod-level names, DNS, tolerations, node selector, affinity and topology spread.
 * Messages use upstream's wording, then say what to do.
 */
import { dns1123LabelError, dns1123SubdomainError, labelKeyError, labelValueError } from '../labels.js';
import { type Obj, type ObjectContext, isObj, listAt, numAt, objAt, quote, strAt } from './context.js';
import { didYouMean } from './fields.js';
import { formatPath as fmt } from './path.js';
import { compareQuantity, isInteger, parseQuantity } from './quantity.js';
import { LIFECYCLE_HANDLERS, PROBE_HANDLERS, VOLUME_SOURCES } from './schema.js';
import { checkLabelMap, checkLabelSelector } from './rules-object.js';
import type { Segment } from './types.js';

export const POD: Segment[] = ['spec', 'template', 'spec'];

export interface ContainerRef {
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
  index: number;
  c: Obj;
  path: Segment[];
}

export function containersOf(pod: Obj, lists: ContainerRef['list'][] = ['containers', 'initContainers']): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of lists) {
    listAt(pod[list]).forEach((c, index) => {
      if (isObj(c)) out.push({ list, index, c, path: [...POD, list, index] });
    });
  }
  return out;
}

export function checkPod(ctx: ObjectContext, pod: Obj): void {
  const P = POD;
  const rp = pod.restartPolicy;
  if (typeof rp === 'string' && rp !== 'Always' && rp !== '') {
    ctx.report('DS130', [...P, 'restartPolicy'], `spec.template.spec.restartPolicy: Unsupported value: ${quote(rp)}: supported values: "Always"`, 'remove restartPolicy (it defaults to Always): a daemon pod is restarted whenever it exits');
  }
  if (pod.activeDeadlineSeconds !== undefined && pod.activeDeadlineSeconds !== null) {
    ctx.report('DS131', [...P, 'activeDeadlineSeconds'], 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported', 'remove activeDeadlineSeconds: a daemon runs until it is deleted', 'key');
  }
  if (listAt(pod.containers).length === 0 && (pod.containers === undefined || pod.containers === null || Array.isArray(pod.containers))) {
    ctx.report('DS132', [...P, 'containers'], 'spec.template.spec.containers: Required value', 'add at least one container: containers: [{name: NAME, image: IMAGE}]');
  }
  checkContainerNames(ctx, pod);
  const volumes = checkVolumes(ctx, pod);
  const hostNetwork = pod.hostNetwork === true;
  for (const list of ['containers', 'initContainers'] as const) {
    const hostPorts = new Map<string, string>();
    for (const ref of containersOf(pod, [list])) {
      checkImage(ctx, ref);
      checkPorts(ctx, ref, hostNetwork, hostPorts);
      checkResources(ctx, ref);
      checkMounts(ctx, ref, volumes);
      checkEnv(ctx, ref);
      checkProbes(ctx, ref);
    }
  }
  checkPodNames(ctx, pod);
  checkDns(ctx, pod);
  checkTolerations(ctx, pod);
  checkLabelMap(ctx, 'DS161', [...P, 'nodeSelector'], pod.nodeSelector);
  checkAffinity(ctx, pod);
  checkTopologySpread(ctx, pod);
}

function checkContainerNames(ctx: ObjectContext, pod: Obj): void {
  const seen = new Set<string>();
  for (const ref of containersOf(pod, ['containers', 'initContainers', 'ephemeralContainers'])) {
    const p = [...ref.path, 'name'];
    const name = ref.c.name;
    if (name === undefined || name === null || name === '') {
      ctx.report('DS133', p, `${fmt(p)}: Required value`, 'give the container a name (a DNS-1123 label, e.g. agent)');
      continue;
    }
    if (typeof name !== 'string') continue;
    const e = dns1123LabelError(name);
    if (e) ctx.report('DS133', p, `${fmt(p)}: Invalid value: ${quote(name)}: ${e}`, `use lower-case letters, digits and '-', e.g. ${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'agent'}`);
    if (seen.has(name)) ctx.report('DS133', p, `${fmt(p)}: Duplicate value: ${quote(name)}`, 'give every container (init containers included) its own name');
    seen.add(name);
  }
}

function checkImage(ctx: ObjectContext, ref: ContainerRef): void {
  const img = ref.c.image;
  if (img === undefined || img === null || img === '') {
    ctx.report('DS134', [...ref.path, 'image'], `${fmt([...ref.path, 'image'])}: Required value`, 'add image: REPOSITORY:TAG (e.g. fluent/fluentd:v1.16-1)');
  }
}

function portNameError(s: string): string | undefined {
  if (s.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(s)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (s.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(s)) return 'must contain at least one letter (a-z)';
  if (s.startsWith('-') || s.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const RANGE = 'must be between 1 and 65535, inclusive';

function checkPorts(ctx: ObjectContext, ref: ContainerRef, hostNetwork: boolean, hostPorts: Map<string, string>): void {
  const names = new Set<string>();
  listAt(ref.c.ports).forEach((port, i) => {
    if (!isObj(port)) return;
    const p = [...ref.path, 'ports', i];
    const cp = numAt(port.containerPort);
    if (cp === 0) ctx.report('DS135', [...p, 'containerPort'], `${fmt([...p, 'containerPort'])}: Required value`, 'set containerPort to the port the process listens on (1-65535)');
    else if (cp !== undefined && (cp < 1 || cp > 65535)) ctx.report('DS135', [...p, 'containerPort'], `${fmt([...p, 'containerPort'])}: Invalid value: ${cp}: ${RANGE}`, 'use a port from 1 to 65535');
    const hp = numAt(port.hostPort);
    if (hp !== undefined && hp !== 0 && (hp < 1 || hp > 65535)) ctx.report('DS135', [...p, 'hostPort'], `${fmt([...p, 'hostPort'])}: Invalid value: ${hp}: ${RANGE}`, 'use a port from 1 to 65535, or remove hostPort');
    const proto = port.protocol;
    if (typeof proto === 'string' && !PROTOCOLS.includes(proto)) {
      const close = PROTOCOLS.find((x) => x === proto.toUpperCase());
      ctx.report('DS135', [...p, 'protocol'], `${fmt([...p, 'protocol'])}: Unsupported value: ${quote(proto)}: supported values: "SCTP", "TCP", "UDP"`, close ? `write ${close} (upper case)` : 'use TCP, UDP or SCTP');
    }
    const name = strAt(port.name);
    if (name !== undefined && name !== '') {
      const e = portNameError(name);
      if (e) ctx.report('DS135', [...p, 'name'], `${fmt([...p, 'name'])}: Invalid value: ${quote(name)}: ${e}`, 'use at most 15 lower-case letters, digits and single hyphens, with at least one letter (e.g. http, metrics)');
      else if (names.has(name)) ctx.report('DS135', [...p, 'name'], `${fmt([...p, 'name'])}: Duplicate value: ${quote(name)}`, 'give each port of a container its own name');
      names.add(name);
    }
    if (hostNetwork && hp !== undefined && hp !== 0 && cp !== undefined && cp !== hp) {
      ctx.report('DS135', [...p, 'containerPort'], `${fmt([...p, 'containerPort'])}: Invalid value: ${cp}: must match \`hostPort\` when \`hostNetwork\` is true`, `with hostNetwork the container listens on the node: set containerPort and hostPort both to ${hp} (or drop hostPort)`);
    }
    if (hp !== undefined && hp > 0 && hp <= 65535) {
      const key = `${typeof proto === 'string' ? proto : 'TCP'}/${strAt(port.hostIP) ?? ''}/${hp}`;
      const first = hostPorts.get(key);
      if (first) ctx.report('DS135', [...p, 'hostPort'], `${fmt([...p, 'hostPort'])}: Duplicate value: ${quote(key)}`, `${first} already uses host port ${hp}; use another hostPort`);
      else hostPorts.set(key, fmt(p));
    }
  });
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function checkResources(ctx: ObjectContext, ref: ContainerRef): void {
  const res = objAt(ref.c.resources);
  if (!res) return;
  const rp = [...ref.path, 'resources'];
  const limits = objAt(res.limits) ?? {};
  const requests = objAt(res.requests) ?? {};
  for (const [kind, m] of [['limits', limits], ['requests', requests]] as const) {
    for (const name of Object.keys(m)) {
      const p = [...rp, kind, { key: name }];
      const qualified = name.includes('/');
      if (!qualified && !STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
        const guess = didYouMean(name, ['cpu', 'memory', 'ephemeral-storage']);
        ctx.report('DS137', p, `${fmt(p)}: Invalid value: ${quote(name)}: must be a standard resource type or fully qualified`, guess ? `write ${guess}` : 'use cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource like example.com/device', 'key');
      } else if (qualified && name.startsWith('kubernetes.io/')) {
        ctx.report('DS137', p, `${fmt(p)}: Invalid value: ${quote(name)}: must be a standard resource for containers`, 'use cpu, memory or ephemeral-storage', 'key');
      }
    }
  }
  for (const name of Object.keys(requests)) {
    const rq = parseQuantity(requests[name]);
    const p = [...rp, 'requests', { key: name }];
    const extended = name.includes('/') && !name.startsWith('kubernetes.io/');
    const hugepages = name.startsWith('hugepages-');
    if (extended && rq && !isInteger(rq)) {
      ctx.report('DS137', p, `${fmt(p)}: Invalid value: ${quote(requests[name])}: must be an integer`, 'extended resources are counted in whole units: use 1, 2, ...');
      continue;
    }
    const lim = limits[name];
    if (lim === undefined || lim === null) {
      if (extended || hugepages) ctx.report('DS137', [...rp, 'limits'], `${fmt([...rp, 'limits'])}: Required value: Limit must be set for non overcommitable resources`, `set limits.${name} equal to requests.${name}`);
      continue;
    }
    const lq = parseQuantity(lim);
    if (!rq || !lq) continue;
    if (extended || hugepages) {
      if (compareQuantity(rq, lq) !== 0) ctx.report('DS137', p, `${fmt([...rp, 'requests'])}: Invalid value: ${quote(String(requests[name]))}: must be equal to ${name} limit`, `set requests.${name} and limits.${name} to the same value`);
    } else if (compareQuantity(rq, lq) > 0) {
      ctx.report('DS137', p, `${fmt([...rp, 'requests'])}: Invalid value: ${quote(String(requests[name]))}: must be less than or equal to ${name} limit`, `lower requests.${name} to at most ${String(lim)}, or raise limits.${name}`);
    }
  }
  for (const name of Object.keys(limits)) {
    const lq = parseQuantity(limits[name]);
    const extended = name.includes('/') && !name.startsWith('kubernetes.io/');
    if (extended && lq && !isInteger(lq)) {
      const p = [...rp, 'limits', { key: name }];
      ctx.report('DS137', p, `${fmt(p)}: Invalid value: ${quote(limits[name])}: must be an integer`, 'extended resources are counted in whole units: use 1, 2, ...');
    }
  }
}

const HOSTPATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Volume names -> the volume; reports DS139 and DS216. */
function checkVolumes(ctx: ObjectContext, pod: Obj): Map<string, Obj> {
  const byName = new Map<string, Obj>();
  listAt(pod.volumes).forEach((v, i) => {
    if (!isObj(v)) return;
    const p = [...POD, 'volumes', i];
    const name = strAt(v.name);
    if (name !== undefined) {
      const e = name === '' ? undefined : dns1123LabelError(name);
      if (name === '') ctx.report('DS139', [...p, 'name'], `${fmt([...p, 'name'])}: Required value`, 'give the volume a name');
      else if (e) ctx.report('DS139', [...p, 'name'], `${fmt([...p, 'name'])}: Invalid value: ${quote(name)}: ${e}`, 'use lower-case letters, digits and -');
      if (byName.has(name)) ctx.report('DS139', [...p, 'name'], `${fmt([...p, 'name'])}: Duplicate value: ${quote(name)}`, 'give each volume its own name');
      else byName.set(name, v);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (sources.length === 0) {
      ctx.report('DS216', p, `${fmt(p)}: volume ${quote(name ?? '')} names no source; the API server turns it into an emptyDir`, 'say what it is: emptyDir: {}, hostPath: {path: ...}, configMap: {name: ...}, ...');
    } else if (sources.length > 1) {
      ctx.report('DS139', [...p, sources[1]!], `${fmt([...p, sources[1]!])}: Forbidden: may not specify more than 1 volume type`, `keep one of ${sources.join(', ')} in this volume; put the other in a volume of its own`, 'key');
    }
    const hp = objAt(v.hostPath);
    const hpType = strAt(hp?.type);
    if (hpType !== undefined && !HOSTPATH_TYPES.includes(hpType)) {
      const close = HOSTPATH_TYPES.find((t) => t !== '' && t.toLowerCase().startsWith(hpType.toLowerCase()));
      ctx.report('DS139', [...p, 'hostPath', 'type'], `${fmt([...p, 'hostPath', 'type'])}: Unsupported value: ${quote(hpType)}: supported values: ${HOSTPATH_TYPES.map(quote).join(', ')}`, close ? `write ${close}` : 'use one of the supported values (or leave it out)');
    }
    const cm = objAt(v.configMap);
    if (cm && (cm.name === undefined || cm.name === null || cm.name === '')) ctx.report('DS139', [...p, 'configMap', 'name'], `${fmt([...p, 'configMap', 'name'])}: Required value`, 'name the ConfigMap to mount');
    const sec = objAt(v.secret);
    if (sec && (sec.secretName === undefined || sec.secretName === null || sec.secretName === '')) ctx.report('DS139', [...p, 'secret', 'secretName'], `${fmt([...p, 'secret', 'secretName'])}: Required value`, 'name the Secret to mount (secretName)');
    for (const src of ['configMap', 'secret', 'downwardAPI', 'projected']) {
      const mode = numAt(objAt(v[src])?.defaultMode);
      if (mode !== undefined && (mode < 0 || mode > 0o777)) {
        ctx.report('DS139', [...p, src, 'defaultMode'], `${fmt([...p, src, 'defaultMode'])}: Invalid value: ${mode}: must be a number between 0 and 0777 (octal), both inclusive`, 'write the mode in octal with a leading 0 (e.g. 0644) or as decimal 0-511');
      }
    }
  });
  return byName;
}

function checkMounts(ctx: ObjectContext, ref: ContainerRef, volumes: Map<string, Obj>): void {
  const paths = new Set<string>();
  const privileged = objAt(ref.c.securityContext)?.privileged === true;
  listAt(ref.c.volumeMounts).forEach((m, i) => {
    if (!isObj(m)) return;
    const p = [...ref.path, 'volumeMounts', i];
    const name = strAt(m.name);
    if (name !== undefined && name !== '' && !volumes.has(name)) {
      const names = [...volumes.keys()];
      const guess = didYouMean(name, names);
      ctx.report('DS138', [...p, 'name'], `${fmt([...p, 'name'])}: Not found: ${quote(name)}`, guess ? `did you mean ${guess}? or add a volume named ${name} to spec.template.spec.volumes` : `add a volume named ${name} to spec.template.spec.volumes${names.length ? ` (the volumes are: ${names.join(', ')})` : ''}`);
    }
    const mp = strAt(m.mountPath);
    if (mp === '') ctx.report('DS138', [...p, 'mountPath'], `${fmt([...p, 'mountPath'])}: Required value`, 'set mountPath to where the volume appears in the container');
    else if (mp !== undefined) {
      if (paths.has(mp)) ctx.report('DS138', [...p, 'mountPath'], `${fmt([...p, 'mountPath'])}: Invalid value: ${quote(mp)}: must be unique`, 'mount each volume at its own path');
      paths.add(mp);
    }
    const sub = strAt(m.subPath);
    if (sub) {
      if (sub.startsWith('/')) ctx.report('DS138', [...p, 'subPath'], `${fmt([...p, 'subPath'])}: Invalid value: ${quote(sub)}: must be a relative path`, 'remove the leading /');
      else if (sub.split('/').includes('..')) ctx.report('DS138', [...p, 'subPath'], `${fmt([...p, 'subPath'])}: Invalid value: ${quote(sub)}: must not contain '..'`, 'name a path inside the volume');
    }
    const prop = strAt(m.mountPropagation);
    if (prop !== undefined) {
      if (!['None', 'HostToContainer', 'Bidirectional'].includes(prop)) {
        ctx.report('DS138', [...p, 'mountPropagation'], `${fmt([...p, 'mountPropagation'])}: Unsupported value: ${quote(prop)}: supported values: "Bidirectional", "HostToContainer", "None"`, 'use None, HostToContainer or Bidirectional');
      } else if (prop === 'Bidirectional' && !privileged) {
        ctx.report('DS138', [...p, 'mountPropagation'], `${fmt([...p, 'mountPropagation'])}: Forbidden: Bidirectional mount propagation is available only to privileged containers`, 'use HostToContainer, or make the container privileged');
      }
    }
  });
  listAt(ref.c.volumeDevices).forEach((d, i) => {
    const name = strAt(objAt(d)?.name);
    const p = [...ref.path, 'volumeDevices', i, 'name'];
    if (name && !volumes.has(name)) ctx.report('DS138', p, `${fmt(p)}: Not found: ${quote(name)}`, `add a volume named ${name}`);
  });
}

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs'];
const ENV_RESOURCES = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];

function envNameError(ctx: ObjectContext, name: string): string | undefined {
  if (ctx.atLeast('1.32')) {
    // RelaxedEnvironmentVariableValidation (beta, on by default from 1.32).
    if (!/^[\x20-\x7e]+$/.test(name) || name.includes('=')) return "a valid environment variable name must consist only of printable ASCII characters other than '='";
    return undefined;
  }
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
    return "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
  }
  return undefined;
}

function checkEnv(ctx: ObjectContext, ref: ContainerRef): void {
  const seen = new Map<string, string>();
  listAt(ref.c.env).forEach((e, i) => {
    if (!isObj(e)) return;
    const p = [...ref.path, 'env', i];
    const name = strAt(e.name);
    if (name === '') ctx.report('DS140', [...p, 'name'], `${fmt([...p, 'name'])}: Required value`, 'name the variable');
    else if (name !== undefined) {
      const err = envNameError(ctx, name);
      if (err) ctx.report('DS140', [...p, 'name'], `${fmt([...p, 'name'])}: Invalid value: ${quote(name)}: ${err}${ctx.atLeast('1.32') ? '' : ` (Kubernetes ${ctx.versionText}; 1.32 relaxes this)`}`, `use letters, digits, '_', '-' and '.', not starting with a digit (e.g. ${name.replace(/^[0-9]+/, '').replace(/[^-._a-zA-Z0-9]/g, '_') || 'MY_VAR'})`);
      if (seen.has(name)) ctx.report('DS217', [...p, 'name'], `${fmt([...p, 'name'])}: environment variable ${quote(name)} is already defined at ${seen.get(name)}; the last definition wins`, 'remove one of the two');
      else seen.set(name, fmt(p));
    }
    const vf = objAt(e.valueFrom);
    if (e.valueFrom === undefined || e.valueFrom === null) return;
    if (!vf) return;
    if (typeof e.value === 'string' && e.value !== '') {
      ctx.report('DS140', [...p, 'valueFrom'], `${fmt([...p, 'valueFrom'])}: Invalid value: "": may not be specified when \`value\` is not empty`, 'keep either value or valueFrom');
    }
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((s) => vf[s] !== undefined && vf[s] !== null);
    if (sources.length === 0) ctx.report('DS140', [...p, 'valueFrom'], `${fmt([...p, 'valueFrom'])}: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``, 'add one source, e.g. fieldRef: {fieldPath: spec.nodeName}');
    else if (sources.length > 1) ctx.report('DS140', [...p, 'valueFrom'], `${fmt([...p, 'valueFrom'])}: Invalid value: "": may not have more than one field specified at a time`, `keep one of ${sources.join(', ')}`);
    const fp = strAt(objAt(vf.fieldRef)?.fieldPath);
    if (fp !== undefined) {
      const ok = ENV_FIELD_PATHS.includes(fp) || (ctx.atLeast('1.28') && fp === 'status.hostIPs') || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(fp);
      if (!ok) {
        const q = [...p, 'valueFrom', 'fieldRef', 'fieldPath'];
        ctx.report('DS140', q, `${fmt(q)}: Invalid value: ${quote(fp)}: error converting fieldPath: field label not supported: ${fp}`, `use one of ${ENV_FIELD_PATHS.join(', ')}, metadata.labels['KEY'] or metadata.annotations['KEY']`);
      }
    }
    const res = strAt(objAt(vf.resourceFieldRef)?.resource);
    if (res !== undefined && !ENV_RESOURCES.includes(res) && !/^(limits|requests)\.hugepages-/.test(res)) {
      const q = [...p, 'valueFrom', 'resourceFieldRef', 'resource'];
      ctx.report('DS140', q, `${fmt(q)}: Unsupported value: ${quote(res)}: supported values: ${ENV_RESOURCES.map(quote).join(', ')}`, 'use one of the supported values');
    }
  });
  listAt(ref.c.envFrom).forEach((e, i) => {
    if (!isObj(e)) return;
    const p = [...ref.path, 'envFrom', i];
    const n = ['configMapRef', 'secretRef'].filter((s) => e[s] !== undefined && e[s] !== null).length;
    if (n === 0) ctx.report('DS140', [...ref.path, 'envFrom'], `${fmt([...ref.path, 'envFrom'])}: Invalid value: "": must specify one of: \`configMapRef\` or \`secretRef\``, 'add configMapRef: {name: ...} or secretRef: {name: ...}');
    else if (n > 1) ctx.report('DS140', p, `${fmt(p)}: Invalid value: "": may not have more than one field specified at a time`, 'split it into two envFrom entries');
    const prefix = strAt(e.prefix);
    if (prefix) {
      const err = envNameError(ctx, prefix);
      if (err) ctx.report('DS140', [...p, 'prefix'], `${fmt([...p, 'prefix'])}: Invalid value: ${quote(prefix)}: ${err}`, 'use letters, digits, _, - and .');
    }
  });
}

function checkPortValue(ctx: ObjectContext, path: Segment[], v: unknown): void {
  if (typeof v === 'number') {
    if (!(v >= 1 && v <= 65535)) ctx.report('DS141', path, `${fmt(path)}: Invalid value: ${v}: ${RANGE}`, 'use a port from 1 to 65535, or the name of a container port');
  } else if (typeof v === 'string') {
    const e = portNameError(v);
    if (e) ctx.report('DS141', path, `${fmt(path)}: Invalid value: ${quote(v)}: ${e}`, /^\d+$/.test(v) ? `write ${v} without quotes` : 'use a number or the name of a container port');
  }
}

function checkHandler(ctx: ObjectContext, path: Segment[], h: Obj, handlers: string[], what: 'probe' | 'hook'): void {
  const set = handlers.filter((k) => h[k] !== undefined && h[k] !== null);
  if (set.length === 0) ctx.report('DS141', path, `${fmt(path)}: Required value: must specify a handler type`, `add one of ${handlers.join(', ')} (e.g. httpGet: {path: /healthz, port: 8080})`);
  else if (set.length > 1) ctx.report('DS141', [...path, set[1]!], `${fmt([...path, set[1]!])}: Forbidden: may not specify more than 1 handler type`, `keep one of ${set.join(', ')}`, 'key');
  const http = objAt(h.httpGet);
  if (http) {
    checkPortValue(ctx, [...path, 'httpGet', 'port'], http.port);
    const scheme = strAt(http.scheme);
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') {
      ctx.report('DS141', [...path, 'httpGet', 'scheme'], `${fmt([...path, 'httpGet', 'scheme'])}: Unsupported value: ${quote(scheme)}: supported values: "HTTP", "HTTPS"`, `write ${scheme.toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP'}`);
    }
  }
  const tcp = objAt(h.tcpSocket);
  if (tcp) checkPortValue(ctx, [...path, 'tcpSocket', 'port'], tcp.port);
  const grpc = objAt(h.grpc);
  if (grpc && typeof grpc.port === 'number') checkPortValue(ctx, [...path, 'grpc', 'port'], grpc.port);
  if (what === 'probe') {
    for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']) {
      const n = numAt(h[f]);
      if (n !== undefined && n < 0) ctx.report('DS141', [...path, f], `${fmt([...path, f])}: Invalid value: ${n}: must be greater than or equal to 0`, `set ${f} to 0 or more`);
    }
  }
}

function checkProbes(ctx: ObjectContext, ref: ContainerRef): void {
  const sidecar = ref.list === 'initContainers' && ref.c.restartPolicy === 'Always' && ctx.atLeast('1.29');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = objAt(ref.c[probe]);
    if (!pr) continue;
    const p = [...ref.path, probe];
    if (ref.list === 'initContainers' && !sidecar) {
      ctx.report('DS141', p, `${fmt(p)}: Forbidden: must not be set for init containers`, 'remove it: an init container runs to completion before the app starts (or make it a sidecar: restartPolicy: Always, Kubernetes 1.29+)', 'key');
      continue;
    }
    checkHandler(ctx, p, pr, PROBE_HANDLERS, 'probe');
    const st = numAt(pr.successThreshold);
    if ((probe === 'livenessProbe' || probe === 'startupProbe') && st !== undefined && st !== 1) {
      ctx.report('DS141', [...p, 'successThreshold'], `${fmt([...p, 'successThreshold'])}: Invalid value: ${st}: must be 1`, 'remove successThreshold (it must be 1 for liveness and startup probes)');
    }
  }
  const lc = objAt(ref.c.lifecycle);
  if (lc) {
    if (ref.list === 'initContainers' && !sidecar) {
      ctx.report('DS141', [...ref.path, 'lifecycle'], `${fmt([...ref.path, 'lifecycle'])}: Forbidden: may not be set for init containers`, 'remove it', 'key');
      return;
    }
    for (const hook of ['postStart', 'preStop']) {
      const h = objAt(lc[hook]);
      if (h) checkHandler(ctx, [...ref.path, 'lifecycle', hook], h, LIFECYCLE_HANDLERS, 'hook');
    }
  }
}

function checkPodNames(ctx: ObjectContext, pod: Obj): void {
  const sub = (f: string, label = false): void => {
    const v = strAt(pod[f]);
    if (!v) return;
    const e = label ? dns1123LabelError(v) : dns1123SubdomainError(v);
    if (e) ctx.report('DS142', [...POD, f], `spec.template.spec.${f}: Invalid value: ${quote(v)}: ${e}`, `use lower-case letters, digits, '-'${label ? '' : " and '.'"}`);
  };
  sub('serviceAccountName');
  sub('serviceAccount');
  sub('nodeName');
  sub('hostname', true);
  sub('subdomain', true);
  sub('priorityClassName');
  sub('runtimeClassName');
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIP = (s: string): boolean => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));

function checkDns(ctx: ObjectContext, pod: Obj): void {
  const cfg = objAt(pod.dnsConfig);
  if (pod.dnsPolicy === 'None') {
    if (!cfg) {
      ctx.report('DS143', [...POD, 'dnsConfig'], 'spec.template.spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None', 'add dnsConfig: {nameservers: [IP]} or use another dnsPolicy (ClusterFirstWithHostNet for hostNetwork pods)');
    } else if (listAt(cfg.nameservers).length === 0) {
      ctx.report('DS143', [...POD, 'dnsConfig', 'nameservers'], 'spec.template.spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None', 'add nameservers: [IP]');
    }
  }
  if (!cfg) return;
  const ns = listAt(cfg.nameservers);
  if (ns.length > 3) ctx.report('DS143', [...POD, 'dnsConfig', 'nameservers'], `spec.template.spec.dnsConfig.nameservers: Invalid value: ${JSON.stringify(ns)}: must not have more than 3 nameservers`, 'keep at most 3');
  ns.forEach((n, i) => {
    if (typeof n === 'string' && !isIP(n)) ctx.report('DS143', [...POD, 'dnsConfig', 'nameservers', i], `spec.template.spec.dnsConfig.nameservers[${i}]: Invalid value: ${quote(n)}: must be valid IP address`, 'use an IP address, not a host name');
  });
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function checkTolerations(ctx: ObjectContext, pod: Obj): void {
  listAt(pod.tolerations).forEach((t, i) => {
    if (!isObj(t)) return;
    const p = [...POD, 'tolerations', i];
    const key = strAt(t.key) ?? '';
    const op = strAt(t.operator) ?? '';
    const value = strAt(t.value) ?? '';
    const effect = strAt(t.effect) ?? '';
    if (key !== '') {
      const e = labelKeyError(key);
      if (e) ctx.report('DS160', [...p, 'key'], `${fmt([...p, 'key'])}: Invalid value: ${quote(key)}: ${e}`, 'use the taint key exactly as on the node (kubectl describe node NODE | grep Taints)');
    }
    if (key === '' && op !== 'Exists') {
      ctx.report('DS160', [...p, 'operator'], `${fmt([...p, 'operator'])}: Invalid value: ${quote(op)}: operator must be Exists when \`key\` is empty, which means "match all values and all keys"`, 'set the taint key, or operator: Exists to tolerate every taint');
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      ctx.report('DS160', [...p, 'effect'], `${fmt([...p, 'effect'])}: Invalid value: ${quote(effect)}: effect must be 'NoExecute' when \`tolerationSeconds\` is set`, 'set effect: NoExecute, or remove tolerationSeconds');
    }
    if (op === '' || op === 'Equal') {
      const e = labelValueError(value);
      if (e) ctx.report('DS160', [...p, 'operator'], `${fmt([...p, 'operator'])}: Invalid value: ${quote(value)}: ${e}`, 'use the taint value exactly as on the node');
    } else if (op === 'Exists') {
      if (value !== '') ctx.report('DS160', [...p, 'operator'], `${fmt([...p, 'operator'])}: Invalid value: ${JSON.stringify(t)}: value must be empty when \`operator\` is 'Exists'`, 'remove value, or use operator: Equal');
    } else {
      const close = ['Exists', 'Equal'].find((o) => o.toLowerCase() === op.toLowerCase());
      ctx.report('DS160', [...p, 'operator'], `${fmt([...p, 'operator'])}: Unsupported value: ${quote(op)}: supported values: "Equal", "Exists"`, close ? `write ${close} (operators are case-sensitive)` : 'use Exists or Equal');
    }
    if (effect !== '' && !EFFECTS.includes(effect)) {
      const close = didYouMean(effect, EFFECTS);
      ctx.report('DS160', [...p, 'effect'], `${fmt([...p, 'effect'])}: Unsupported value: ${quote(effect)}: supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`, close ? `write ${close}` : 'use NoSchedule, PreferNoSchedule or NoExecute (or leave it out to match every effect)');
    }
  });
}

const NODE_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

function checkNodeSelectorTerm(ctx: ObjectContext, p: Segment[], term: Obj, required: boolean): void {
  const exprs = listAt(term.matchExpressions);
  const fields = listAt(term.matchFields);
  if (required && exprs.length === 0 && fields.length === 0) {
    ctx.report('DS215', p, `${fmt(p)}: an empty nodeSelectorTerm matches no node`, 'add matchExpressions, or remove the term');
  }
  exprs.forEach((r, i) => {
    if (!isObj(r)) return;
    const q = [...p, 'matchExpressions', i];
    const op = strAt(r.operator);
    const values = listAt(r.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) ctx.report('DS162', [...q, 'values'], `${fmt([...q, 'values'])}: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`, `add values, or use ${op === 'In' ? 'Exists' : 'DoesNotExist'}`);
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) ctx.report('DS162', [...q, 'values'], `${fmt([...q, 'values'])}: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`, `remove values, or use ${op === 'Exists' ? 'In' : 'NotIn'}`);
    } else if (op === 'Gt' || op === 'Lt') {
      if (values.length !== 1) ctx.report('DS162', [...q, 'values'], `${fmt([...q, 'values'])}: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`, 'give exactly one integer value');
      else if (typeof values[0] === 'string' && !/^-?\d+$/.test(values[0])) {
        ctx.report('DS214', [...q, 'values', 0], `${fmt([...q, 'values', 0])}: ${quote(values[0])} is not an integer, so ${op} matches no node`, 'use an integer value (the node label must hold an integer too)');
      }
    } else if (op !== undefined) {
      const close = NODE_OPS.find((o) => o.toLowerCase() === op.toLowerCase());
      ctx.report('DS162', [...q, 'operator'], `${fmt([...q, 'operator'])}: Invalid value: ${quote(op)}: not a valid selector operator`, close ? `write ${close} (operators are case-sensitive)` : `use one of ${NODE_OPS.join(', ')}`);
    }
    const key = strAt(r.key);
    if (key !== undefined) {
      const e = labelKeyError(key);
      if (e) ctx.report('DS162', [...q, 'key'], `${fmt([...q, 'key'])}: Invalid value: ${quote(key)}: ${e}`, 'use a node label key (kubectl get nodes --show-labels)');
    }
  });
  fields.forEach((r, i) => {
    if (!isObj(r)) return;
    const q = [...p, 'matchFields', i];
    const op = strAt(r.operator);
    const values = listAt(r.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length !== 1) ctx.report('DS162', [...q, 'values'], `${fmt([...q, 'values'])}: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`, 'give one node name per matchFields entry; put several names in several terms');
    } else if (op !== undefined) {
      ctx.report('DS162', [...q, 'operator'], `${fmt([...q, 'operator'])}: Invalid value: ${quote(op)}: not a valid selector operator`, 'matchFields takes In or NotIn');
    }
    const key = strAt(r.key);
    if (key !== undefined && key !== 'metadata.name') {
      ctx.report('DS162', [...q, 'key'], `${fmt([...q, 'key'])}: Invalid value: ${quote(key)}: not a valid field selector key`, 'matchFields only supports metadata.name; use matchExpressions for node labels');
    }
  });
}

function checkWeight(ctx: ObjectContext, id: string, p: Segment[], w: unknown): void {
  const n = numAt(w);
  if (n !== undefined && (n < 1 || n > 100)) ctx.report(id, p, `${fmt(p)}: Invalid value: ${n}: must be in the range 1-100`, 'use a weight from 1 to 100');
}

function checkPodAffinityTerm(ctx: ObjectContext, p: Segment[], t: Obj): void {
  const sel = objAt(t.labelSelector);
  if (sel) checkLabelSelector(ctx, 'DS163', [...p, 'labelSelector'], sel);
  const tk = t.topologyKey;
  if (tk === '') ctx.report('DS163', [...p, 'topologyKey'], `${fmt([...p, 'topologyKey'])}: Required value: can not be empty`, 'set topologyKey, e.g. kubernetes.io/hostname');
  else if (typeof tk === 'string') {
    const e = labelKeyError(tk);
    if (e) ctx.report('DS163', [...p, 'topologyKey'], `${fmt([...p, 'topologyKey'])}: Invalid value: ${quote(tk)}: ${e}`, 'use a node label key, e.g. kubernetes.io/hostname');
  }
  listAt(t.namespaces).forEach((n, i) => {
    if (typeof n !== 'string') return;
    const e = dns1123LabelError(n);
    if (e) ctx.report('DS163', [...p, 'namespaces', i], `${fmt([...p, 'namespaces', i])}: Invalid value: ${quote(n)}: ${e}`, 'use a namespace name');
  });
}

function checkAffinity(ctx: ObjectContext, pod: Obj): void {
  const aff = objAt(pod.affinity);
  if (!aff) return;
  const base = [...POD, 'affinity'];
  const na = objAt(aff.nodeAffinity);
  if (na) {
    const req = objAt(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const p = [...base, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
      const terms = listAt(req.nodeSelectorTerms);
      if (Array.isArray(req.nodeSelectorTerms) && terms.length === 0) {
        ctx.report('DS162', p, `${fmt(p)}: Required value: must have at least one node selector term`, 'add a term, or remove requiredDuringSchedulingIgnoredDuringExecution');
      }
      terms.forEach((t, i) => isObj(t) && checkNodeSelectorTerm(ctx, [...p, i], t, true));
    }
    listAt(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isObj(t)) return;
      const p = [...base, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i];
      checkWeight(ctx, 'DS162', [...p, 'weight'], t.weight);
      const pref = objAt(t.preference);
      if (pref) checkNodeSelectorTerm(ctx, [...p, 'preference'], pref, false);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = objAt(aff[kind]);
    if (!pa) continue;
    listAt(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (isObj(t)) checkPodAffinityTerm(ctx, [...base, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i], t);
    });
    listAt(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      if (!isObj(t)) return;
      const p = [...base, kind, 'preferredDuringSchedulingIgnoredDuringExecution', i];
      checkWeight(ctx, 'DS163', [...p, 'weight'], t.weight);
      const term = objAt(t.podAffinityTerm);
      if (term) checkPodAffinityTerm(ctx, [...p, 'podAffinityTerm'], term);
    });
  }
}

function checkTopologySpread(ctx: ObjectContext, pod: Obj): void {
  const seen = new Set<string>();
  listAt(pod.topologySpreadConstraints).forEach((c, i) => {
    if (!isObj(c)) return;
    const p = [...POD, 'topologySpreadConstraints', i];
    const skew = numAt(c.maxSkew);
    if (skew !== undefined && skew <= 0) ctx.report('DS164', [...p, 'maxSkew'], `${fmt([...p, 'maxSkew'])}: Invalid value: ${skew}: must be greater than zero`, 'use 1 or more');
    const tk = strAt(c.topologyKey);
    if (tk === '') ctx.report('DS164', [...p, 'topologyKey'], `${fmt([...p, 'topologyKey'])}: Required value: can not be empty`, 'set topologyKey, e.g. topology.kubernetes.io/zone');
    const wu = strAt(c.whenUnsatisfiable);
    if (wu !== undefined && wu !== 'DoNotSchedule' && wu !== 'ScheduleAnyway') {
      ctx.report('DS164', [...p, 'whenUnsatisfiable'], `${fmt([...p, 'whenUnsatisfiable'])}: Unsupported value: ${quote(wu)}: supported values: "DoNotSchedule", "ScheduleAnyway"`, 'use DoNotSchedule or ScheduleAnyway');
    }
    const pair = `{${tk}, ${wu}}`;
    if (tk && wu && seen.has(pair)) ctx.report('DS164', p, `${fmt(p)}: Duplicate value: ${quote(pair)}`, 'merge the two constraints');
    seen.add(pair);
    const sel = objAt(c.labelSelector);
    if (sel) checkLabelSelector(ctx, 'DS164', [...p, 'labelSelector'], sel);
  });
}
