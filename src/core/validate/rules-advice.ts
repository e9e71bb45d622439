/**
 * What the API server accepts and users regret (warnings, DS2xx) and what is worth knowing (info, DS3xx).
 * Each says why in one line and how to fix it.
 */
import { type Obj, type ObjectContext, isObj, listAt, numAt, objAt, strAt } from './context.js';
import { formatPath as fmt } from './path.js';
import { POD, containersOf } from './rules-pod.js';
import type { EffectiveStrategy } from './rules-object.js';

/** Label keys that many unrelated workloads use; a selector of one of these alone overlaps easily. */
export const COMMON_LABEL_KEYS = ['app', 'name', 'k8s-app', 'app.kubernetes.io/name', 'component', 'tier', 'role', 'run', 'release'];

/** Host paths whose contents (or anything under them) a writable mount could damage. */
const SENSITIVE_TREES = ['/etc', '/root', '/boot', '/proc', '/sys', '/usr', '/bin', '/sbin', '/lib', '/lib64'];
/** Host directories that are sensitive themselves (their subdirectories are often legitimate). */
const SENSITIVE_EXACT = ['/', '/var', '/var/lib', '/var/lib/kubelet', '/var/run', '/run', '/dev', '/home', '/var/lib/docker', '/var/lib/containerd', '/var/lib/etcd'];
/** Container runtime sockets and their directories. */
const RUNTIME_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd',
  '/run/containerd',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/crio',
  '/run/crio',
  '/var/run/dockershim.sock',
  '/run/k3s/containerd/containerd.sock',
];

function normalizePath(p: string): string {
  const n = p.replace(/\/+/g, '/').replace(/\/$/, '');
  return n === '' ? '/' : n;
}

function imageTagProblem(image: string): string | undefined {
  if (image.includes('@')) return undefined; // pinned by digest
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'has no tag, so it means :latest';
  if (image.slice(colon + 1) === 'latest') return 'uses :latest';
  return undefined;
}

/** Does this toleration tolerate a NoSchedule taint with this key and an empty value? */
function tolerates(t: Obj, key: string): boolean {
  const op = strAt(t.operator) ?? 'Equal';
  const effect = strAt(t.effect) ?? '';
  if (effect !== '' && effect !== 'NoSchedule') return false;
  const k = strAt(t.key) ?? '';
  if (k === '') return op === 'Exists';
  if (k !== key) return false;
  return op === 'Exists' || (strAt(t.value) ?? '') === '';
}

export function checkAdvice(ctx: ObjectContext, ds: Obj, strategy: EffectiveStrategy | undefined): void {
  const spec = objAt(ds.spec) ?? {};
  const pod = objAt(objAt(spec.template)?.spec);
  const sel = objAt(spec.selector);
  if (sel) {
    const ml = isObj(sel.matchLabels) ? Object.keys(sel.matchLabels) : [];
    if (ml.length === 1 && listAt(sel.matchExpressions).length === 0 && COMMON_LABEL_KEYS.includes(ml[0]!)) {
      const name = strAt(objAt(ds.metadata)?.name) ?? 'NAME';
      ctx.report(
        'DS212',
        ['spec', 'selector', 'matchLabels'],
        `spec.selector is the common label ${ml[0]} alone: pods of other workloads with the same label would be adopted or fought over`,
        `add a second label only this DaemonSet's pods carry (e.g. app.kubernetes.io/instance: ${name}) to both the selector and the template, before the first create (the selector is immutable)`,
      );
    }
  }
  if (strategy?.type === 'OnDelete') {
    ctx.report('DS204', ['spec', 'updateStrategy', 'type'], 'OnDelete: a template change reaches a node only when its pod is deleted, and `kubectl rollout status` refuses OnDelete DaemonSets', 'use RollingUpdate (the default) unless you replace pods by hand on purpose');
  }
  if (!pod) return;
  const hostNetwork = pod.hostNetwork === true;
  if (strategy?.surgeNonZero) {
    for (const ref of containersOf(pod, ['containers'])) {
      listAt(ref.c.ports).forEach((port, i) => {
        const hp = numAt(objAt(port)?.hostPort);
        const cp = numAt(objAt(port)?.containerPort);
        const used = hp && hp > 0 ? hp : hostNetwork ? cp : undefined;
        if (!used) return;
        ctx.report(
          'DS203',
          [...ref.path, 'ports', i, hp && hp > 0 ? 'hostPort' : 'containerPort'],
          `host port ${used} with maxSurge ${String(strategy.maxSurge)}: the surge pod needs the same port on the same node, so it stays Pending and the rollout stalls`,
          'use maxSurge: 0 with maxUnavailable: 1, or drop the host port',
        );
      });
    }
  }
  // Volumes: sensitive host paths mounted writable, runtime sockets.
  const hostPaths = new Map<string, { path: string; index: number }>();
  listAt(pod.volumes).forEach((v, index) => {
    const hp = strAt(objAt(objAt(v)?.hostPath)?.path);
    const name = strAt(objAt(v)?.name);
    if (hp && name) hostPaths.set(name, { path: normalizePath(hp), index });
  });
  for (const { path: hp, index } of hostPaths.values()) {
    if (RUNTIME_SOCKETS.includes(hp)) {
      ctx.report('DS207', [...POD, 'volumes', index, 'hostPath', 'path'], `the container runtime socket ${hp} is mounted: whoever runs in this pod controls every container on the node`, 'mount it only if the agent must talk to the runtime, pin the image, and keep the pod in a locked-down namespace');
    }
  }
  let privilegedAny = false;
  for (const ref of containersOf(pod, ['containers', 'initContainers'])) {
    const sc = objAt(ref.c.securityContext);
    if (sc?.privileged === true) {
      privilegedAny = true;
      ctx.report('DS208', [...ref.path, 'securityContext', 'privileged'], `container ${strAt(ref.c.name) ?? ref.index} is privileged: it has every capability and all host devices`, 'grant only the capabilities it needs (securityContext.capabilities.add) instead of privileged: true');
    }
    listAt(ref.c.volumeMounts).forEach((m, i) => {
      const mo = objAt(m);
      const vol = hostPaths.get(strAt(mo?.name) ?? '');
      if (!mo || !vol || mo.readOnly === true) return;
      const p = vol.path;
      const sensitive = SENSITIVE_EXACT.includes(p) || SENSITIVE_TREES.some((t) => p === t || p.startsWith(`${t}/`));
      if (sensitive && !RUNTIME_SOCKETS.includes(p)) {
        ctx.report('DS206', [...ref.path, 'volumeMounts', i], `host path ${p} is mounted writable at ${strAt(mo.mountPath) ?? '?'}: a bug or a compromise in this pod can change the node itself`, 'add readOnly: true to the volume mount (or mount a narrower directory)');
      }
    });
  }
  const regular = containersOf(pod, ['containers']);
  for (const ref of regular) {
    const res = objAt(ref.c.resources);
    const has = (k: string): boolean => isObj(res?.[k]) && Object.keys(res![k] as Obj).length > 0;
    if (!has('requests') && !has('limits')) {
      ctx.report('DS201', [...ref.path, 'name'], `container ${strAt(ref.c.name) ?? ref.index} sets no resource requests or limits: it runs on every node beside everything else and is the first to be starved or evicted`, 'set resources.requests (cpu, memory) and resources.limits.memory', 'key');
    }
    if (ref.c.readinessProbe === undefined || ref.c.readinessProbe === null) {
      ctx.report('DS210', [...ref.path, 'name'], `container ${strAt(ref.c.name) ?? ref.index} has no readinessProbe: a pod counts as available as soon as it starts, so a rolling update moves on even if the daemon is broken`, 'add a readinessProbe (httpGet, tcpSocket or exec) that passes only when the daemon works', 'key');
    }
  }
  for (const ref of containersOf(pod, ['containers', 'initContainers'])) {
    const img = strAt(ref.c.image);
    if (!img) continue;
    const why = imageTagProblem(img);
    if (why) ctx.report('DS202', [...ref.path, 'image'], `image ${img} ${why}: nodes pull whatever the tag points to when each pod starts, so they can run different versions`, 'pin a version tag or a digest (image@sha256:...)');
  }
  // Duplicate containerPort/protocol (the API server accepts it; newer ones warn).
  const ports = new Map<string, string>();
  for (const ref of regular) {
    listAt(ref.c.ports).forEach((port, i) => {
      const po = objAt(port);
      const cp = numAt(po?.containerPort);
      if (!po || !cp) return;
      const key = `${cp}/${strAt(po.protocol) ?? 'TCP'}`;
      const p = fmt([...ref.path, 'ports', i]);
      const first = ports.get(key);
      if (first) ctx.report('DS213', [...ref.path, 'ports', i], `${p}: port ${key} is already declared at ${first}`, 'remove the duplicate port entry');
      else ports.set(key, p);
    });
  }
  const nodeName = strAt(pod.nodeName);
  if (nodeName) {
    ctx.report('DS211', [...POD, 'nodeName'], `spec.template.spec.nodeName is ${nodeName}: the DaemonSet runs on that node only, and its pods skip the scheduler`, 'remove nodeName; choose nodes with nodeSelector or node affinity');
  }
  const nodeLevel = hostNetwork || pod.hostPID === true || hostPaths.size > 0 || privilegedAny;
  if (nodeLevel && !strAt(pod.priorityClassName)) {
    ctx.report('DS209', POD, 'a node-level agent (host network, host PID, host paths or privileged) without a priorityClassName: on a full node it is evicted first, or never scheduled', 'set spec.template.spec.priorityClassName: system-node-critical (or a PriorityClass of your own)');
  }
  // Control-plane nodes: tainted node-role.kubernetes.io/control-plane:NoSchedule (1.24+; master before 1.25).
  const tols = listAt(pod.tolerations).filter(isObj);
  const cp = 'node-role.kubernetes.io/control-plane';
  const master = 'node-role.kubernetes.io/master';
  const needs = ctx.atLeast('1.25') ? [cp] : ctx.atLeast('1.24') ? [cp, master] : [master, cp];
  const ok = ctx.atLeast('1.24') ? needs.every((k) => tols.some((t) => tolerates(t, k))) : needs.some((k) => tols.some((t) => tolerates(t, k)));
  if (!ok && !nodeName) {
    ctx.report(
      'DS301',
      ctx.has([...POD, 'tolerations']) ? [...POD, 'tolerations'] : POD,
      `no toleration for the control-plane taint (${needs.map((k) => `${k}:NoSchedule`).join(ctx.atLeast('1.24') ? ' and ' : ' or ')}): the daemon will not run on control-plane nodes (Kubernetes ${ctx.versionText})`,
      `if it must run there (log and monitoring agents usually should), add: tolerations: [${needs.map((k) => `{key: ${k}, operator: Exists, effect: NoSchedule}`).join(', ')}]`,
    );
  }
}
