/**
 * The JSON types of the fields the simulator reads, checked when a body is decoded: where the API server
 * would fail to unmarshal a body into its Go types (a string where an object belongs, a number for a
 * label value...), the simulator answers the same 400 BadRequest instead of tripping over the value
 * later. Only the fields the simulator looks at are described; anything else passes through untouched.
 * `null` is accepted everywhere, as Go's decoder takes it as the zero value.
 */
import { StatusError } from './store.js';

type T =
  | 'string'
  | 'int'
  | 'bool'
  | 'intOrString'
  | 'any'
  | { obj: Record<string, T>; go: string }
  | { list: T; go: string }
  | { map: T; go: string };

const str: T = 'string';
const int: T = 'int';
const bool: T = 'bool';
const strMap: T = { map: 'string', go: 'map[string]string' };
const strList: T = { list: 'string', go: '[]string' };
const obj = (go: string, fields: Record<string, T> = {}): T => ({ obj: fields, go });
const list = (go: string, of: T): T => ({ list: of, go });

const OWNER_REF = obj('v1.OwnerReference', { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool });
const OBJECT_META = obj('v1.ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  labels: strMap,
  annotations: strMap,
  finalizers: strList,
  ownerReferences: list('[]v1.OwnerReference', OWNER_REF),
  creationTimestamp: 'any',
  deletionTimestamp: 'any',
});
const CONTAINER = obj('v1.Container', {
  name: str,
  image: str,
  imagePullPolicy: str,
  command: strList,
  args: strList,
  ports: list('[]v1.ContainerPort', obj('v1.ContainerPort', { name: str, containerPort: int, hostPort: int, protocol: str, hostIP: str })),
  env: list('[]v1.EnvVar', obj('v1.EnvVar', { name: str, value: str, valueFrom: obj('v1.EnvVarSource') })),
  volumeMounts: list('[]v1.VolumeMount', obj('v1.VolumeMount', { name: str, mountPath: str, readOnly: bool, subPath: str })),
  resources: obj('v1.ResourceRequirements', { requests: { map: 'intOrString', go: 'v1.ResourceList' }, limits: { map: 'intOrString', go: 'v1.ResourceList' } }),
  livenessProbe: obj('v1.Probe'),
  readinessProbe: obj('v1.Probe'),
  startupProbe: obj('v1.Probe'),
  securityContext: obj('v1.SecurityContext'),
});
const TOLERATION = obj('v1.Toleration', { key: str, operator: str, value: str, effect: str, tolerationSeconds: int });
const POD_SPEC = obj('v1.PodSpec', {
  containers: list('[]v1.Container', CONTAINER),
  initContainers: list('[]v1.Container', CONTAINER),
  volumes: list('[]v1.Volume', obj('v1.Volume', { name: str, hostPath: obj('v1.HostPathVolumeSource', { path: str, type: str }), configMap: obj('v1.ConfigMapVolumeSource'), secret: obj('v1.SecretVolumeSource') })),
  nodeName: str,
  nodeSelector: strMap,
  tolerations: list('[]v1.Toleration', TOLERATION),
  affinity: obj('v1.Affinity'),
  restartPolicy: str,
  dnsPolicy: str,
  schedulerName: str,
  priorityClassName: str,
  serviceAccountName: str,
  terminationGracePeriodSeconds: int,
  activeDeadlineSeconds: int,
  hostNetwork: bool,
  hostPID: bool,
  priority: int,
  readinessGates: list('[]v1.PodReadinessGate', obj('v1.PodReadinessGate', { conditionType: str })),
  securityContext: obj('v1.PodSecurityContext'),
});
const TEMPLATE = obj('v1.PodTemplateSpec', { metadata: OBJECT_META, spec: POD_SPEC });
const SELECTOR = obj('v1.LabelSelector', {
  matchLabels: strMap,
  matchExpressions: list('[]v1.LabelSelectorRequirement', obj('v1.LabelSelectorRequirement', { key: str, operator: str, values: strList })),
});
const CONDITIONS = (go: string) => list(`[]${go}`, obj(go, { type: str, status: str, reason: str, message: str }));

export const SHAPES: Record<string, Record<string, T>> = {
  DaemonSet: {
    metadata: OBJECT_META,
    spec: obj('v1.DaemonSetSpec', {
      selector: SELECTOR,
      template: TEMPLATE,
      updateStrategy: obj('v1.DaemonSetUpdateStrategy', { type: str, rollingUpdate: obj('v1.RollingUpdateDaemonSet', { maxUnavailable: 'intOrString', maxSurge: 'intOrString' }) }),
      minReadySeconds: int,
      revisionHistoryLimit: int,
    }),
    status: obj('v1.DaemonSetStatus', {
      currentNumberScheduled: int,
      numberMisscheduled: int,
      desiredNumberScheduled: int,
      numberReady: int,
      observedGeneration: int,
      updatedNumberScheduled: int,
      numberAvailable: int,
      numberUnavailable: int,
      collisionCount: int,
      conditions: CONDITIONS('v1.DaemonSetCondition'),
    }),
  },
  Pod: {
    metadata: OBJECT_META,
    spec: POD_SPEC,
    status: obj('v1.PodStatus', {
      phase: str,
      reason: str,
      podIP: str,
      nominatedNodeName: str,
      conditions: CONDITIONS('v1.PodCondition'),
      containerStatuses: list('[]v1.ContainerStatus', obj('v1.ContainerStatus', { name: str, ready: bool, restartCount: int, state: obj('v1.ContainerState') })),
      initContainerStatuses: list('[]v1.ContainerStatus', obj('v1.ContainerStatus', { name: str, ready: bool, restartCount: int, state: obj('v1.ContainerState') })),
    }),
  },
  Node: {
    metadata: OBJECT_META,
    spec: obj('v1.NodeSpec', { taints: list('[]v1.Taint', obj('v1.Taint', { key: str, value: str, effect: str })), unschedulable: bool, podCIDR: str, podCIDRs: strList }),
    status: obj('v1.NodeStatus', {
      capacity: { map: 'intOrString', go: 'v1.ResourceList' },
      allocatable: { map: 'intOrString', go: 'v1.ResourceList' },
      conditions: CONDITIONS('v1.NodeCondition'),
      addresses: list('[]v1.NodeAddress', obj('v1.NodeAddress', { type: str, address: str })),
      nodeInfo: obj('v1.NodeSystemInfo'),
    }),
  },
  Namespace: { metadata: OBJECT_META, spec: obj('v1.NamespaceSpec', { finalizers: strList }), status: obj('v1.NamespaceStatus', { phase: str }) },
  ControllerRevision: { metadata: OBJECT_META, revision: int },
  Event: {
    metadata: OBJECT_META,
    involvedObject: obj('v1.ObjectReference', { kind: str, namespace: str, name: str, uid: str, apiVersion: str, fieldPath: str }),
    reason: str,
    message: str,
    type: str,
    count: int,
    source: obj('v1.EventSource', { component: str, host: str }),
  },
  Lease: { metadata: OBJECT_META, spec: obj('v1.LeaseSpec', { holderIdentity: str, leaseDurationSeconds: int }) },
};

const jsType = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);
const goName = (t: T) => (typeof t === 'string' ? ({ string: 'string', int: 'int32', bool: 'bool', intOrString: 'intstr.IntOrString', any: 'interface {}' } as const)[t] : t.go);

function check(v: unknown, t: T, path: string): string | undefined {
  if (v === null || v === undefined || t === 'any') return undefined;
  const fail = () => `json: cannot unmarshal ${jsType(v)} into Go struct field ${path} of type ${goName(t)}`;
  if (t === 'string') return typeof v === 'string' ? undefined : fail();
  if (t === 'bool') return typeof v === 'boolean' ? undefined : fail();
  if (t === 'int') return typeof v === 'number' && Number.isInteger(v) ? undefined : fail();
  if (t === 'intOrString') return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) ? undefined : fail();
  if ('list' in t) {
    if (!Array.isArray(v)) return fail();
    for (const x of v) {
      const e = check(x, t.list, path);
      if (e) return e;
    }
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) return fail();
  if ('map' in t) {
    for (const [k, x] of Object.entries(v)) {
      const e = check(x, t.map, `${path}.${k}`);
      if (e) return e;
    }
    return undefined;
  }
  for (const [k, ft] of Object.entries(t.obj)) {
    const e = check((v as Record<string, unknown>)[k], ft, `${path}.${k}`);
    if (e) return e;
  }
  return undefined;
}

/** Throws the API server's 400 when a field has the wrong JSON type for its Go type. */
export function checkShape(kind: string, body: Record<string, unknown>, apiVersion: string): void {
  const fields = SHAPES[kind];
  if (!fields) return;
  for (const [k, t] of Object.entries(fields)) {
    const e = check(body[k], t, `${kind}.${k}`);
    if (e) {
      const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
      throw new StatusError(400, 'BadRequest', `${kind} in version "${version}" cannot be handled as a ${kind}: ${e}`);
    }
  }
}
