/**
 * The fields of apps/v1 DaemonSet and core/v1 PodSpec, by hand, compactly: name -> type, required, and
 * the release that added the field. Enough for kubectl-style strict validation (unknown fields, wrong
 * types, missing required fields) without a generated OpenAPI dump. Sources: the Kubernetes API reference
 * (apps/v1 DaemonSet, core/v1 Pod); the 1.20 field set was checked against a real 1.20 API server.
 *
 * `since`: the release whose API has the field (older servers: kubectl's validation rejects it as an unknown
 * field, and without validation the API server drops it). `gate` + `on`: an alpha field the API server drops
 * silently until its feature gate is on by default in release `on` (or enabled by the cluster's admin).
 * `until`: the last release that has the field. `open`: an object whose inner fields are not modelled.
 */

export type ScalarKind = 'string' | 'integer' | 'boolean' | 'intOrString' | 'quantity' | 'any';

export interface ScalarType {
  kind: ScalarKind;
  enum?: readonly string[];
}
export interface ObjectType {
  kind: 'object';
  name: string;
  fields: Record<string, Field>;
  open?: boolean;
}
export interface ListType {
  kind: 'list';
  of: Type;
}
export interface MapType {
  kind: 'map';
  of: Type;
}
export type Type = ScalarType | ObjectType | ListType | MapType;

export interface Field {
  type: Type;
  required?: boolean;
  since?: string;
  until?: string;
  gate?: string;
  on?: string;
}

type FieldSpec = Type | Field;

const isField = (f: FieldSpec): f is Field => 'type' in f;

const S: ScalarType = { kind: 'string' };
const I: ScalarType = { kind: 'integer' };
const B: ScalarType = { kind: 'boolean' };
const IOS: ScalarType = { kind: 'intOrString' };
const Q: ScalarType = { kind: 'quantity' };
const ANY: ScalarType = { kind: 'any' };
const en = (...values: string[]): ScalarType => ({ kind: 'string', enum: values });
const list = (of: Type): ListType => ({ kind: 'list', of });
const map = (of: Type): MapType => ({ kind: 'map', of });
const req = (f: FieldSpec): Field => ({ ...(isField(f) ? f : { type: f }), required: true });
const since = (v: string, f: FieldSpec, gate?: { gate: string; on?: string }): Field => ({ ...(isField(f) ? f : { type: f }), since: v, ...gate });
function obj(name: string, fields: Record<string, FieldSpec>): ObjectType {
  const out: Record<string, Field> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = isField(v) ? v : { type: v };
  return { kind: 'object', name, fields: out };
}
/** An object whose inner fields are not modelled (rare volume sources): any mapping is accepted. */
const open = (name: string): ObjectType => ({ kind: 'object', name, fields: {}, open: true });

const LocalObjectReference = obj('LocalObjectReference', { name: S });

export const LabelSelector = obj('LabelSelector', {
  matchLabels: map(S),
  matchExpressions: list(obj('LabelSelectorRequirement', { key: req(S), operator: req(S), values: list(S) })),
});

const ObjectMeta = obj('ObjectMeta', {
  name: S,
  generateName: S,
  namespace: S,
  selfLink: S,
  uid: S,
  resourceVersion: S,
  generation: I,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: I,
  labels: map(S),
  annotations: map(S),
  ownerReferences: list(
    obj('OwnerReference', { apiVersion: req(S), kind: req(S), name: req(S), uid: req(S), controller: B, blockOwnerDeletion: B }),
  ),
  finalizers: list(S),
  clusterName: { type: S, until: '1.24' },
  managedFields: list(ANY),
});

const KeyToPath = obj('KeyToPath', { key: req(S), path: req(S), mode: I });
const ObjectFieldSelector = obj('ObjectFieldSelector', { apiVersion: S, fieldPath: req(S) });
const ResourceFieldSelector = obj('ResourceFieldSelector', { containerName: S, resource: req(S), divisor: Q });
const DownwardAPIVolumeFile = obj('DownwardAPIVolumeFile', { path: req(S), fieldRef: ObjectFieldSelector, resourceFieldRef: ResourceFieldSelector, mode: I });

const Volume = obj('Volume', {
  name: req(S),
  // The API server checks the sources in this order (emptyDir before hostPath) and names the second one it finds.
  emptyDir: obj('EmptyDirVolumeSource', { medium: S, sizeLimit: Q }),
  hostPath: obj('HostPathVolumeSource', { path: req(S), type: S }),
  configMap: obj('ConfigMapVolumeSource', { name: S, items: list(KeyToPath), defaultMode: I, optional: B }),
  secret: obj('SecretVolumeSource', { secretName: S, items: list(KeyToPath), defaultMode: I, optional: B }),
  persistentVolumeClaim: obj('PersistentVolumeClaimVolumeSource', { claimName: req(S), readOnly: B }),
  downwardAPI: obj('DownwardAPIVolumeSource', { items: list(DownwardAPIVolumeFile), defaultMode: I }),
  projected: obj('ProjectedVolumeSource', {
    sources: list(
      obj('VolumeProjection', {
        configMap: obj('ConfigMapProjection', { name: S, items: list(KeyToPath), optional: B }),
        secret: obj('SecretProjection', { name: S, items: list(KeyToPath), optional: B }),
        downwardAPI: obj('DownwardAPIProjection', { items: list(DownwardAPIVolumeFile) }),
        serviceAccountToken: obj('ServiceAccountTokenProjection', { audience: S, expirationSeconds: I, path: req(S) }),
        clusterTrustBundle: since('1.29', open('ClusterTrustBundleProjection'), { gate: 'ClusterTrustBundleProjection' }),
      }),
    ),
    defaultMode: I,
  }),
  csi: obj('CSIVolumeSource', { driver: req(S), readOnly: B, fsType: S, volumeAttributes: map(S), nodePublishSecretRef: LocalObjectReference }),
  nfs: obj('NFSVolumeSource', { server: req(S), path: req(S), readOnly: B }),
  ephemeral: since('1.19', obj('EphemeralVolumeSource', { volumeClaimTemplate: ANY, readOnly: { type: B, until: '1.22' } }), {
    gate: 'GenericEphemeralVolume',
    on: '1.21',
  }),
  image: since('1.31', obj('ImageVolumeSource', { reference: S, pullPolicy: en('Always', 'Never', 'IfNotPresent') }), { gate: 'ImageVolume' }),
  gcePersistentDisk: open('GCEPersistentDiskVolumeSource'),
  awsElasticBlockStore: open('AWSElasticBlockStoreVolumeSource'),
  gitRepo: open('GitRepoVolumeSource'),
  iscsi: open('ISCSIVolumeSource'),
  glusterfs: open('GlusterfsVolumeSource'),
  rbd: open('RBDVolumeSource'),
  flexVolume: open('FlexVolumeSource'),
  cinder: open('CinderVolumeSource'),
  cephfs: open('CephFSVolumeSource'),
  flocker: open('FlockerVolumeSource'),
  fc: open('FCVolumeSource'),
  azureFile: open('AzureFileVolumeSource'),
  azureDisk: open('AzureDiskVolumeSource'),
  vsphereVolume: open('VsphereVirtualDiskVolumeSource'),
  quobyte: open('QuobyteVolumeSource'),
  photonPersistentDisk: open('PhotonPersistentDiskVolumeSource'),
  portworxVolume: open('PortworxVolumeSource'),
  scaleIO: open('ScaleIOVolumeSource'),
  storageos: open('StorageOSVolumeSource'),
});

/** The volume source fields of a Volume (every field but name): a volume has exactly one. */
export const VOLUME_SOURCES = Object.keys(Volume.fields).filter((k) => k !== 'name');

const HTTPGetAction = obj('HTTPGetAction', {
  path: S,
  port: req(IOS),
  host: S,
  scheme: S,
  httpHeaders: list(obj('HTTPHeader', { name: req(S), value: req(S) })),
});
const TCPSocketAction = obj('TCPSocketAction', { port: req(IOS), host: S });
const ExecAction = obj('ExecAction', { command: list(S) });

const Probe = obj('Probe', {
  exec: ExecAction,
  httpGet: HTTPGetAction,
  tcpSocket: TCPSocketAction,
  grpc: since('1.23', obj('GRPCAction', { port: req(I), service: S }), { gate: 'GRPCContainerProbe', on: '1.24' }),
  initialDelaySeconds: I,
  timeoutSeconds: I,
  periodSeconds: I,
  successThreshold: I,
  failureThreshold: I,
  terminationGracePeriodSeconds: since('1.21', I, { gate: 'ProbeTerminationGracePeriod', on: '1.22' }),
});
/** The handler fields of a Probe: exactly one must be set. */
export const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

const LifecycleHandler = obj('LifecycleHandler', {
  exec: ExecAction,
  httpGet: HTTPGetAction,
  tcpSocket: TCPSocketAction,
  sleep: since('1.29', obj('SleepAction', { seconds: req(I) }), { gate: 'PodLifecycleSleepAction', on: '1.30' }),
});
export const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

const SELinuxOptions = obj('SELinuxOptions', { user: S, role: S, type: S, level: S });
const SeccompProfile = obj('SeccompProfile', { type: req(S), localhostProfile: S });
const AppArmorProfile = obj('AppArmorProfile', { type: req(S), localhostProfile: S });
const WindowsSecurityContextOptions = obj('WindowsSecurityContextOptions', {
  gmsaCredentialSpecName: S,
  gmsaCredentialSpec: S,
  runAsUserName: S,
  hostProcess: since('1.22', B, { gate: 'WindowsHostProcessContainers', on: '1.23' }),
});

const SecurityContext = obj('SecurityContext', {
  capabilities: obj('Capabilities', { add: list(S), drop: list(S) }),
  privileged: B,
  seLinuxOptions: SELinuxOptions,
  windowsOptions: WindowsSecurityContextOptions,
  runAsUser: I,
  runAsGroup: I,
  runAsNonRoot: B,
  readOnlyRootFilesystem: B,
  allowPrivilegeEscalation: B,
  procMount: S,
  seccompProfile: SeccompProfile,
  appArmorProfile: since('1.30', AppArmorProfile),
});

const EnvVar = obj('EnvVar', {
  name: req(S),
  value: S,
  valueFrom: obj('EnvVarSource', {
    fieldRef: ObjectFieldSelector,
    resourceFieldRef: ResourceFieldSelector,
    configMapKeyRef: obj('ConfigMapKeySelector', { name: S, key: req(S), optional: B }),
    secretKeyRef: obj('SecretKeySelector', { name: S, key: req(S), optional: B }),
  }),
});

const containerFields: Record<string, FieldSpec> = {
  name: req(S),
  image: S,
  command: list(S),
  args: list(S),
  workingDir: S,
  ports: list(obj('ContainerPort', { name: S, hostPort: I, containerPort: req(I), protocol: S, hostIP: S })),
  envFrom: list(
    obj('EnvFromSource', {
      prefix: S,
      configMapRef: obj('ConfigMapEnvSource', { name: S, optional: B }),
      secretRef: obj('SecretEnvSource', { name: S, optional: B }),
    }),
  ),
  env: list(EnvVar),
  resources: obj('ResourceRequirements', {
    limits: map(Q),
    requests: map(Q),
    claims: since('1.26', list(obj('ResourceClaim', { name: req(S), request: since('1.31', S) })), { gate: 'DynamicResourceAllocation' }),
  }),
  resizePolicy: since('1.27', list(obj('ContainerResizePolicy', { resourceName: req(S), restartPolicy: req(S) })), {
    gate: 'InPlacePodVerticalScaling',
  }),
  restartPolicy: since('1.28', S, { gate: 'SidecarContainers', on: '1.29' }),
  volumeMounts: list(
    obj('VolumeMount', {
      name: req(S),
      readOnly: B,
      recursiveReadOnly: since('1.30', S, { gate: 'RecursiveReadOnlyMounts', on: '1.31' }),
      mountPath: req(S),
      subPath: S,
      mountPropagation: S,
      subPathExpr: S,
    }),
  ),
  volumeDevices: list(obj('VolumeDevice', { name: req(S), devicePath: req(S) })),
  livenessProbe: Probe,
  readinessProbe: Probe,
  startupProbe: Probe,
  lifecycle: obj('Lifecycle', { postStart: LifecycleHandler, preStop: LifecycleHandler }),
  terminationMessagePath: S,
  terminationMessagePolicy: en('File', 'FallbackToLogsOnError'),
  imagePullPolicy: en('Always', 'IfNotPresent', 'Never'),
  securityContext: SecurityContext,
  stdin: B,
  stdinOnce: B,
  tty: B,
};

const Container = obj('Container', containerFields);
const EphemeralContainer = obj('EphemeralContainer', { ...containerFields, targetContainerName: S });

const NodeSelectorRequirement = obj('NodeSelectorRequirement', { key: req(S), operator: req(S), values: list(S) });
const NodeSelectorTerm = obj('NodeSelectorTerm', { matchExpressions: list(NodeSelectorRequirement), matchFields: list(NodeSelectorRequirement) });
const PodAffinityTerm = obj('PodAffinityTerm', {
  labelSelector: LabelSelector,
  namespaces: list(S),
  topologyKey: req(S),
  namespaceSelector: since('1.21', LabelSelector, { gate: 'PodAffinityNamespaceSelector', on: '1.22' }),
  matchLabelKeys: since('1.29', list(S), { gate: 'MatchLabelKeysInPodAffinity', on: '1.31' }),
  mismatchLabelKeys: since('1.29', list(S), { gate: 'MatchLabelKeysInPodAffinity', on: '1.31' }),
});
const WeightedPodAffinityTerm = obj('WeightedPodAffinityTerm', { weight: req(I), podAffinityTerm: req(PodAffinityTerm) });
const podAffinityFields = {
  requiredDuringSchedulingIgnoredDuringExecution: list(PodAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTerm),
};

const Affinity = obj('Affinity', {
  nodeAffinity: obj('NodeAffinity', {
    requiredDuringSchedulingIgnoredDuringExecution: obj('NodeSelector', { nodeSelectorTerms: req(list(NodeSelectorTerm)) }),
    preferredDuringSchedulingIgnoredDuringExecution: list(obj('PreferredSchedulingTerm', { weight: req(I), preference: req(NodeSelectorTerm) })),
  }),
  podAffinity: obj('PodAffinity', podAffinityFields),
  podAntiAffinity: obj('PodAntiAffinity', podAffinityFields),
});

const Toleration = obj('Toleration', { key: S, operator: S, value: S, effect: S, tolerationSeconds: I });

const PodSecurityContext = obj('PodSecurityContext', {
  seLinuxOptions: SELinuxOptions,
  windowsOptions: WindowsSecurityContextOptions,
  runAsUser: I,
  runAsGroup: I,
  runAsNonRoot: B,
  supplementalGroups: list(I),
  supplementalGroupsPolicy: since('1.31', S, { gate: 'SupplementalGroupsPolicy' }),
  fsGroup: I,
  fsGroupChangePolicy: S,
  sysctls: list(obj('Sysctl', { name: req(S), value: req(S) })),
  seccompProfile: SeccompProfile,
  appArmorProfile: since('1.30', AppArmorProfile),
  seLinuxChangePolicy: since('1.32', S, { gate: 'SELinuxChangePolicy' }),
});

export const PodSpec = obj('PodSpec', {
  volumes: list(Volume),
  initContainers: list(Container),
  containers: req(list(Container)),
  ephemeralContainers: list(EphemeralContainer),
  restartPolicy: S,
  terminationGracePeriodSeconds: I,
  activeDeadlineSeconds: I,
  dnsPolicy: en('ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'),
  nodeSelector: map(S),
  serviceAccountName: S,
  serviceAccount: S,
  automountServiceAccountToken: B,
  nodeName: S,
  hostNetwork: B,
  hostPID: B,
  hostIPC: B,
  shareProcessNamespace: B,
  securityContext: PodSecurityContext,
  imagePullSecrets: list(LocalObjectReference),
  hostname: S,
  subdomain: S,
  affinity: Affinity,
  schedulerName: S,
  tolerations: list(Toleration),
  hostAliases: list(obj('HostAlias', { ip: S, hostnames: list(S) })),
  priorityClassName: S,
  priority: I,
  dnsConfig: obj('PodDNSConfig', { nameservers: list(S), searches: list(S), options: list(obj('PodDNSConfigOption', { name: S, value: S })) }),
  readinessGates: list(obj('PodReadinessGate', { conditionType: req(S) })),
  runtimeClassName: S,
  enableServiceLinks: B,
  preemptionPolicy: en('PreemptLowerPriority', 'Never'),
  overhead: map(Q),
  topologySpreadConstraints: list(
    obj('TopologySpreadConstraint', {
      maxSkew: req(I),
      topologyKey: req(S),
      whenUnsatisfiable: req(S),
      labelSelector: LabelSelector,
      minDomains: since('1.24', I, { gate: 'MinDomainsInPodTopologySpread', on: '1.27' }),
      nodeAffinityPolicy: since('1.25', S, { gate: 'NodeInclusionPolicyInPodTopologySpread', on: '1.26' }),
      nodeTaintsPolicy: since('1.25', S, { gate: 'NodeInclusionPolicyInPodTopologySpread', on: '1.26' }),
      matchLabelKeys: since('1.25', list(S), { gate: 'MatchLabelKeysInPodTopologySpread', on: '1.27' }),
    }),
  ),
  setHostnameAsFQDN: B,
  os: since('1.23', obj('PodOS', { name: req(S) }), { gate: 'IdentifyPodOS', on: '1.24' }),
  hostUsers: since('1.25', B, { gate: 'UserNamespacesSupport' }),
  schedulingGates: since('1.26', list(obj('PodSchedulingGate', { name: req(S) })), { gate: 'PodSchedulingReadiness', on: '1.27' }),
  resourceClaims: since('1.26', list(obj('PodResourceClaim', { name: req(S), source: ANY, resourceClaimName: S, resourceClaimTemplateName: S })), {
    gate: 'DynamicResourceAllocation',
  }),
  resources: since('1.32', obj('ResourceRequirements', { limits: map(Q), requests: map(Q) }), { gate: 'PodLevelResources' }),
});

const PodTemplateSpec = obj('PodTemplateSpec', { metadata: ObjectMeta, spec: PodSpec });

export const DaemonSet = obj('DaemonSet', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: obj('DaemonSetSpec', {
    selector: req(LabelSelector),
    template: req(PodTemplateSpec),
    updateStrategy: obj('DaemonSetUpdateStrategy', {
      type: S,
      rollingUpdate: obj('RollingUpdateDaemonSet', {
        maxUnavailable: IOS,
        maxSurge: since('1.21', IOS, { gate: 'DaemonSetUpdateSurge', on: '1.22' }),
      }),
    }),
    minReadySeconds: I,
    revisionHistoryLimit: I,
  }),
  status: ANY,
});

/**
 * Every path in the tree where a field name occurs, shortest first and fields behind feature gates last
 * (for "it belongs under ..." hints).
 * Paths use the field names only: spec.template.spec.containers.
 */
export function whereFieldLives(name: string, root: ObjectType = DaemonSet): string[] {
  const found: { path: string; gated: boolean }[] = [];
  const visit = (t: Type, path: string, depth: number): void => {
    if (depth > 12) return;
    if (t.kind === 'list' || t.kind === 'map') return visit(t.of, path, depth);
    if (t.kind !== 'object' || t.open) return;
    for (const [k, f] of Object.entries(t.fields)) {
      const p = path ? `${path}.${k}` : k;
      if (k === name) found.push({ path: p, gated: f.gate !== undefined || f.until !== undefined });
      visit(f.type, p, depth + 1);
    }
  };
  visit(root, '', 0);
  const depth = (p: string): number => p.split('.').length;
  return found
    .sort((a, b) => Number(a.gated) - Number(b.gated) || depth(a.path) - depth(b.path) || a.path.localeCompare(b.path))
    .map((f) => f.path);
}
