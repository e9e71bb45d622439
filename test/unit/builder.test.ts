/**
 * The DaemonSet builder against manifests written by hand from the rules: kubectl create deployment's
 * derivations (daemonset-behaviour.md §1), the apps/v1 field order of the Go structs (JSON output), and
 * the DaemonSet validation rules (§5) for the update strategy.
 */
import { describe, expect, it } from 'vitest';
import {
  buildDaemonSet,
  containerNameFor,
  InputError,
  parseHostPath,
  parseToleration,
  RANDOM_ALPHABET,
  randomString,
  type BuildOptions,
} from '../../src/core/builder.js';
import { parseQuantity } from '../../src/core/quantity.js';

const fixed = () => 'x2b4z';
const build = (o: Partial<BuildOptions> & { name?: string }) => buildDaemonSet({ name: 'agent', random: fixed, ...o });

/** Same content AND the same key order (JSON output must read as kubectl's). */
function expectExactly(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const STATUS = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };

/** The DaemonSet `kubectl create deployment NAME --image=IMG` would give, as a DaemonSet, with a pod spec. */
function ds(name: string, pod: Record<string, unknown>, extra: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; updateStrategy?: unknown; minReadySeconds?: number } = {}) {
  const labels = extra.labels ?? { app: name };
  const metadata: Record<string, unknown> = { name };
  if (extra.namespace) metadata.namespace = extra.namespace;
  metadata.creationTimestamp = null;
  metadata.labels = labels;
  if (extra.annotations) metadata.annotations = extra.annotations;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: name } },
    template: { metadata: { creationTimestamp: null, labels }, spec: pod },
    updateStrategy: extra.updateStrategy ?? {},
  };
  if (extra.minReadySeconds) spec.minReadySeconds = extra.minReadySeconds;
  return { kind: 'DaemonSet', apiVersion: 'apps/v1', metadata, spec, status: STATUS };
}

describe('kubectl create deployment derivations', () => {
  it('one image: app=NAME labels and selector, zero values, no namespace without -n', () => {
    expectExactly(build({ name: 'web', images: ['nginx'] }), ds('web', { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] }));
  });

  it('-n sets metadata.namespace, and only then', () => {
    expectExactly(
      build({ name: 'web', namespace: 'team-a', images: ['nginx:1.27'] }),
      ds('web', { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] }, { namespace: 'team-a' }),
    );
  });

  it('images repeated and comma-separated: one container each; --port on the first only; names from the images', () => {
    expectExactly(
      build({ name: 'multi', images: ['nginx:1.25,registry.k8s.io/a_b/c.d@sha256:abc', 'busybox'], port: '80' }),
      ds('multi', {
        containers: [
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: {} },
          { name: 'c-d-x2b4z', image: 'registry.k8s.io/a_b/c.d@sha256:abc', resources: {} },
          { name: 'busybox', image: 'busybox', resources: {} },
        ],
      }),
    );
  });

  it('the words after -- become the container command (not args)', () => {
    expectExactly(
      build({ name: 'sleeper', images: ['busybox'], command: ['sh', '-c', 'sleep infinity'] }),
      ds('sleeper', { containers: [{ name: 'busybox', image: 'busybox', command: ['sh', '-c', 'sleep infinity'], resources: {} }] }),
    );
  });

  it('container names: last path segment, cut at ":" then "@", "_" and "." become "-" plus a 5-character suffix', () => {
    const r = () => 'q7w9z';
    expect(containerNameFor('nginx', r)).toBe('nginx');
    expect(containerNameFor('registry.example.com:5000/team/app:1.2', r)).toBe('app');
    expect(containerNameFor('quay.io/prometheus/node-exporter:v1.8.2', r)).toBe('node-exporter');
    expect(containerNameFor('quay.io/fluentd_elasticsearch/fluentd:v2.5.2', r)).toBe('fluentd');
    expect(containerNameFor('gcr.io/x/my_agent.v2:3', r)).toBe('my-agent-v2-q7w9z');
    expect(containerNameFor('img@sha256:0123', r)).toBe('img');
    expect(containerNameFor('a/b.c@sha256:0123', r)).toBe('b-c-q7w9z');
  });

  it('the random suffix uses kubectl\'s alphabet (no vowels)', () => {
    expect(RANDOM_ALPHABET).toBe('bcdfghjklmnpqrstvwxz2456789');
    const s = randomString(200);
    expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{200}$/);
    expect(randomString(5, () => 0)).toBe('bbbbb');
    expect(randomString(5, () => 0.9999)).toBe('99999');
  });
});

describe('DaemonSet flags', () => {
  const nginx = { name: 'nginx', image: 'nginx', resources: {} };

  it('--node-selector, repeated and comma-separated, sorted as Go maps', () => {
    expectExactly(
      build({ images: ['nginx'], nodeSelector: ['disktype=ssd,kubernetes.io/os=linux', 'a.example.com/zone=b'] }),
      ds('agent', { containers: [nginx], nodeSelector: { 'a.example.com/zone': 'b', disktype: 'ssd', 'kubernetes.io/os': 'linux' } }),
    );
  });

  it('--toleration forms', () => {
    expect(parseToleration('dedicated=gpu:NoSchedule')).toEqual({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' });
    expect(parseToleration('dedicated=gpu')).toEqual({ key: 'dedicated', operator: 'Equal', value: 'gpu' });
    expect(parseToleration('dedicated=:NoExecute')).toEqual({ key: 'dedicated', operator: 'Equal', value: '', effect: 'NoExecute' });
    expect(parseToleration('dedicated:PreferNoSchedule')).toEqual({ key: 'dedicated', operator: 'Exists', effect: 'PreferNoSchedule' });
    expect(parseToleration('dedicated')).toEqual({ key: 'dedicated', operator: 'Exists' });
    expect(parseToleration('example.com/x:Exists')).toEqual({ key: 'example.com/x', operator: 'Exists' });
    expect(parseToleration('example.com/x:Exists:NoSchedule')).toEqual({ key: 'example.com/x', operator: 'Exists', effect: 'NoSchedule' });
    expect(parseToleration(':Exists')).toEqual({ operator: 'Exists' });
    expect(parseToleration(':Exists:NoExecute')).toEqual({ operator: 'Exists', effect: 'NoExecute' });
  });

  it.each([
    ['a:Foo', /unknown effect "Foo"/],
    ['a:noschedule', /unknown effect "noschedule"/],
    ['a=b:c:d', /"c" is not "Exists"/],
    ['a=b:Exists', /a value cannot be combined with Exists/],
    [':NoSchedule', /an empty key is allowed only as ":Exists"/],
    ['=x:NoSchedule', /an empty key/],
    ['a:b:c:d', /too many ":"/],
    ['bad key!:NoSchedule', /key "bad key!"/],
    ['k=bad value:NoSchedule', /value "bad value"/],
  ])('--toleration %s is refused', (text, why) => {
    expect(() => parseToleration(text)).toThrow(why);
    expect(() => parseToleration(text)).toThrow(/expected key\[=value\]\[:Effect\], key:Exists\[:Effect\] or :Exists/);
  });

  it('--tolerate-control-plane adds control-plane and master NoSchedule (Exists); --tolerate-all adds operator Exists; in that order after --toleration; no duplicates', () => {
    expectExactly(
      build({ images: ['nginx'], tolerations: ['dedicated=gpu:NoSchedule', 'node-role.kubernetes.io/master:NoSchedule'], tolerateControlPlane: true, tolerateAll: true }),
      ds('agent', {
        containers: [nginx],
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
          { operator: 'Exists' },
        ],
      }),
    );
  });

  it('--requests and --limits on every container (limits before requests, as ResourceRequirements)', () => {
    expectExactly(
      build({ images: ['nginx,busybox'], requests: ['cpu=100m,memory=200Mi'], limits: ['memory=200Mi', 'ephemeral-storage=1Gi'] }),
      ds('agent', {
        containers: [
          { name: 'nginx', image: 'nginx', resources: { limits: { 'ephemeral-storage': '1Gi', memory: '200Mi' }, requests: { cpu: '100m', memory: '200Mi' } } },
          { name: 'busybox', image: 'busybox', resources: { limits: { 'ephemeral-storage': '1Gi', memory: '200Mi' }, requests: { cpu: '100m', memory: '200Mi' } } },
        ],
      }),
    );
  });

  it('--env KEY=VALUE, the value may hold "=" and ","', () => {
    expectExactly(
      build({ images: ['nginx'], env: ['LOG_LEVEL=debug', 'OPTS=a=1,b=2', 'EMPTY='] }),
      ds('agent', {
        containers: [{ name: 'nginx', image: 'nginx', env: [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'OPTS', value: 'a=1,b=2' }, { name: 'EMPTY', value: '' }], resources: {} }],
      }),
    );
  });

  it('--host-path NAME=/host:/mount[:ro]: a hostPath volume and a mount in every container', () => {
    expect(parseHostPath('logs=/var/log:/host/log:ro')).toEqual({ name: 'logs', hostPath: '/var/log', mountPath: '/host/log', readOnly: true });
    expect(parseHostPath('data=/srv:/data:rw')).toEqual({ name: 'data', hostPath: '/srv', mountPath: '/data', readOnly: false });
    expectExactly(
      build({ images: ['nginx'], hostPaths: ['logs=/var/log:/host/log:ro', 'data=/srv:/data'] }),
      ds('agent', {
        volumes: [
          { name: 'logs', hostPath: { path: '/var/log' } },
          { name: 'data', hostPath: { path: '/srv' } },
        ],
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            resources: {},
            volumeMounts: [
              { name: 'logs', readOnly: true, mountPath: '/host/log' },
              { name: 'data', mountPath: '/data' },
            ],
          },
        ],
      }),
    );
  });

  it('--host-network sets dnsPolicy ClusterFirstWithHostNet and the port\'s hostPort; --host-pid; --privileged on every container', () => {
    expectExactly(
      build({ images: ['nginx,busybox'], port: '8080', hostNetwork: true, hostPID: true, privileged: true }),
      ds('agent', {
        containers: [
          { name: 'nginx', image: 'nginx', ports: [{ hostPort: 8080, containerPort: 8080 }], resources: {}, securityContext: { privileged: true } },
          { name: 'busybox', image: 'busybox', resources: {}, securityContext: { privileged: true } },
        ],
        dnsPolicy: 'ClusterFirstWithHostNet',
        hostNetwork: true,
        hostPID: true,
      }),
    );
  });

  it('--service-account and --priority-class', () => {
    expectExactly(
      build({ images: ['nginx'], serviceAccount: 'agent-sa', priorityClass: 'system-node-critical' }),
      ds('agent', { containers: [nginx], serviceAccountName: 'agent-sa', priorityClassName: 'system-node-critical' }),
    );
  });

  it('update strategy: none -> {}; OnDelete; RollingUpdate; --max-unavailable; --max-surge sets maxUnavailable 0; --min-ready-seconds', () => {
    expect(build({ images: ['nginx'] }).spec.updateStrategy).toEqual({});
    expect(build({ images: ['nginx'], updateStrategy: 'OnDelete' }).spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(build({ images: ['nginx'], updateStrategy: 'rollingupdate' }).spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(build({ images: ['nginx'], maxUnavailable: '10%' }).spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
    expect(build({ images: ['nginx'], maxUnavailable: '3' }).spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } });
    expectExactly(build({ images: ['nginx'], maxSurge: '1' }).spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(build({ images: ['nginx'], maxSurge: '20%', maxUnavailable: '0' }).spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '20%' } });
    expectExactly(
      build({ images: ['nginx'], updateStrategy: 'RollingUpdate', maxUnavailable: '2', minReadySeconds: '15' }),
      ds('agent', { containers: [nginx] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }, minReadySeconds: 15 }),
    );
  });

  it('--labels go on the DaemonSet and the pods, not the selector; --annotations on the DaemonSet only', () => {
    const labels = { app: 'agent', team: 'infra', tier: 'node' };
    expectExactly(
      build({ images: ['nginx'], labels: ['tier=node,team=infra'], annotations: ['example.com/owner=sre, on call', 'note=a=b'] }),
      ds('agent', { containers: [nginx] }, { labels, annotations: { 'example.com/owner': 'sre, on call', note: 'a=b' } }),
    );
  });
});

describe('presets', () => {
  const cpTolerations = [
    { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
  ];

  it('log-collector: fluentd with read-only /var/log and container logs, control-plane tolerations, 100m/200Mi, memory limit, node-critical', () => {
    expectExactly(
      build({ name: 'fluentd', namespace: 'logging', preset: 'log-collector' }),
      ds(
        'fluentd',
        {
          volumes: [
            { name: 'varlog', hostPath: { path: '/var/log' } },
            { name: 'varlibdockercontainers', hostPath: { path: '/var/lib/docker/containers' } },
          ],
          containers: [
            {
              name: 'fluentd',
              image: 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2',
              resources: { limits: { memory: '200Mi' }, requests: { cpu: '100m', memory: '200Mi' } },
              volumeMounts: [
                { name: 'varlog', readOnly: true, mountPath: '/var/log' },
                { name: 'varlibdockercontainers', readOnly: true, mountPath: '/var/lib/docker/containers' },
              ],
            },
          ],
          tolerations: cpTolerations,
          priorityClassName: 'system-node-critical',
        },
        { namespace: 'logging' },
      ),
    );
  });

  it('node-monitor: node-exporter on the host network and PID namespace, port 9100 (hostPort too), read-only /proc /sys /, every taint tolerated', () => {
    expectExactly(
      build({ name: 'node-exporter', preset: 'node-monitor' }),
      ds('node-exporter', {
        volumes: [
          { name: 'proc', hostPath: { path: '/proc' } },
          { name: 'sys', hostPath: { path: '/sys' } },
          { name: 'root', hostPath: { path: '/' } },
        ],
        containers: [
          {
            name: 'node-exporter',
            image: 'quay.io/prometheus/node-exporter:v1.8.2',
            args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root'],
            ports: [{ name: 'metrics', hostPort: 9100, containerPort: 9100 }],
            resources: { limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
            volumeMounts: [
              { name: 'proc', readOnly: true, mountPath: '/host/proc' },
              { name: 'sys', readOnly: true, mountPath: '/host/sys' },
              { name: 'root', readOnly: true, mountPath: '/host/root', mountPropagation: 'HostToContainer' },
            ],
          },
        ],
        dnsPolicy: 'ClusterFirstWithHostNet',
        hostNetwork: true,
        hostPID: true,
        tolerations: [{ operator: 'Exists' }],
      }),
    );
  });

  it('storage: privileged, the data directory from the host (created if missing), control-plane tolerations; needs --image', () => {
    expect(() => build({ preset: 'storage' })).toThrow(/--preset storage needs --image/);
    expectExactly(
      build({ name: 'csi-node', preset: 'storage', images: ['registry.example.com/csi/node:1.0'] }),
      ds('csi-node', {
        volumes: [{ name: 'data', hostPath: { path: '/var/lib/storage-agent', type: 'DirectoryOrCreate' } }],
        containers: [
          {
            name: 'node',
            image: 'registry.example.com/csi/node:1.0',
            resources: {},
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/storage-agent' }],
            securityContext: { privileged: true },
          },
        ],
        tolerations: cpTolerations,
      }),
    );
  });

  it('flags override a preset: image, command (drops the preset args), port, booleans, resources per key, host paths by name or mount path, priority class', () => {
    const got = build({
      name: 'ne',
      preset: 'node-monitor',
      images: ['mirror.example.com/node-exporter:v1.9.0'],
      port: '9200',
      hostPID: false,
      tolerateAll: false,
      tolerateControlPlane: true,
      requests: ['cpu=200m'],
      hostPaths: ['rootfs=/:/host/root:ro', 'sys=/sys:/sys2'],
      priorityClass: 'system-node-critical',
      command: ['/bin/node_exporter', '--web.listen-address=:9200'],
    });
    expectExactly(
      got,
      ds('ne', {
        volumes: [
          { name: 'proc', hostPath: { path: '/proc' } },
          { name: 'rootfs', hostPath: { path: '/' } },
          { name: 'sys', hostPath: { path: '/sys' } },
        ],
        containers: [
          {
            name: 'node-exporter',
            image: 'mirror.example.com/node-exporter:v1.9.0',
            command: ['/bin/node_exporter', '--web.listen-address=:9200'],
            ports: [{ hostPort: 9200, containerPort: 9200 }],
            resources: { limits: { memory: '128Mi' }, requests: { cpu: '200m', memory: '64Mi' } },
            volumeMounts: [
              { name: 'proc', readOnly: true, mountPath: '/host/proc' },
              { name: 'rootfs', readOnly: true, mountPath: '/host/root' },
              { name: 'sys', mountPath: '/sys2' },
            ],
          },
        ],
        dnsPolicy: 'ClusterFirstWithHostNet',
        hostNetwork: true,
        tolerations: cpTolerations,
        priorityClassName: 'system-node-critical',
      }),
    );
  });

  it('--no-host-network on node-monitor drops dnsPolicy and hostNetwork but keeps the preset\'s explicit hostPort', () => {
    const pod = build({ preset: 'node-monitor', hostNetwork: false }).spec.template as { spec: Record<string, unknown> };
    expect(pod.spec.hostNetwork).toBeUndefined();
    expect(pod.spec.dnsPolicy).toBeUndefined();
    expect((pod.spec.containers as { ports: unknown }[])[0]!.ports).toEqual([{ name: 'metrics', hostPort: 9100, containerPort: 9100 }]);
  });
});

describe('bad input: one line naming the flag and the expected form', () => {
  it.each<[Partial<BuildOptions>, RegExp]>([
    [{}, /^required flag\(s\) "image" not set/],
    [{ name: 'Web', images: ['nginx'] }, /^invalid NAME "Web": a lowercase RFC 1123 subdomain/],
    [{ name: 'a_b', images: ['nginx'] }, /^invalid NAME "a_b"/],
    [{ images: ['nginx,busybox'], command: ['ls'] }, /^cannot specify multiple --image options and command$/],
    [{ images: ['nginx', ''] }, /^invalid --image: an image name is empty/],
    [{ images: ['nginx:1', 'nginx:2'] }, /both give the container name "nginx"/],
    [{ images: ['Nginx'] }, /^invalid --image "Nginx": the container name derived from it, "Nginx", is not valid/],
    [{ images: ['nginx'], port: '0' }, /^invalid --port "0": expected a port number between 1 and 65535$/],
    [{ images: ['nginx'], port: '70000' }, /^invalid --port "70000"/],
    [{ images: ['nginx'], port: 'http' }, /^invalid --port "http"/],
    [{ images: ['nginx'], preset: 'logs' }, /^unknown --preset "logs": known presets are log-collector, node-monitor, storage \(see --preset list\)$/],
    [{ images: ['nginx'], nodeSelector: ['disktype'] }, /^invalid --node-selector "disktype": expected key=value/],
    [{ images: ['nginx'], nodeSelector: ['disk type=ssd'] }, /^invalid --node-selector "disk type=ssd": key "disk type"/],
    [{ images: ['nginx'], nodeSelector: ['disktype=s s d'] }, /^invalid --node-selector "disktype=s s d": value "s s d"/],
    [{ images: ['nginx'], tolerations: ['x:Sometimes'] }, /^invalid --toleration "x:Sometimes": unknown effect "Sometimes"; expected/],
    [{ images: ['nginx'], hostPaths: ['/var/log:/var/log'] }, /^invalid --host-path "\/var\/log:\/var\/log": missing NAME=; expected NAME=\/host\/path:\/mount\/path\[:ro\]$/],
    [{ images: ['nginx'], hostPaths: ['logs=/var/log'] }, /^invalid --host-path "logs=\/var\/log": expected a host path and a mount path/],
    [{ images: ['nginx'], hostPaths: ['logs=var/log:/log'] }, /host path "var\/log" is not absolute/],
    [{ images: ['nginx'], hostPaths: ['logs=/var/log:/log:rx'] }, /unknown mode "rx"/],
    [{ images: ['nginx'], hostPaths: ['Logs=/var/log:/log'] }, /volume name "Logs"/],
    [{ images: ['nginx'], env: ['DEBUG'] }, /^invalid --env "DEBUG": expected KEY=VALUE$/],
    [{ images: ['nginx'], env: ['=1'] }, /^invalid --env "=1": expected KEY=VALUE$/],
    [{ images: ['nginx'], env: ['1X=1'] }, /^invalid --env "1X=1": "1X" is not a valid variable name/],
    [{ images: ['nginx'], requests: ['cpu=lots'] }, /^invalid --requests "cpu=lots": "lots" is not a quantity/],
    [{ images: ['nginx'], requests: ['cpu=1.5.0'] }, /^invalid --requests "cpu=1.5.0": "1.5.0" is not a quantity/],
    [{ images: ['nginx'], limits: ['memory=200MB'] }, /^invalid --limits "memory=200MB": "200MB" is not a quantity/],
    [{ images: ['nginx'], requests: ['cpu'] }, /^invalid --requests "cpu": expected cpu=QUANTITY,memory=QUANTITY/],
    [{ images: ['nginx'], requests: ['gpu=1'] }, /^invalid --requests "gpu=1": unknown resource "gpu"/],
    [{ images: ['nginx'], requests: ['memory=-1Gi'] }, /must be greater than or equal to 0/],
    [{ images: ['nginx'], requests: ['memory=300Mi'], limits: ['memory=200Mi'] }, /^invalid --requests "memory=300Mi": must be less than or equal to the memory limit \(200Mi\)$/],
    [{ images: ['nginx'], updateStrategy: 'Recreate' }, /^invalid --update-strategy "Recreate": expected RollingUpdate or OnDelete$/],
    [{ images: ['nginx'], updateStrategy: 'OnDelete', maxSurge: '1' }, /^--max-surge cannot be used with --update-strategy OnDelete/],
    [{ images: ['nginx'], updateStrategy: 'OnDelete', maxUnavailable: '1' }, /^--max-unavailable cannot be used with --update-strategy OnDelete/],
    [{ images: ['nginx'], maxSurge: '1', maxUnavailable: '1' }, /^--max-surge cannot be combined with a non-zero --max-unavailable/],
    [{ images: ['nginx'], maxSurge: '0' }, /^invalid --max-surge "0"/],
    [{ images: ['nginx'], maxSurge: '0%' }, /^invalid --max-surge "0%"/],
    [{ images: ['nginx'], maxUnavailable: '0' }, /^invalid --max-unavailable "0": it cannot be 0 unless --max-surge is given$/],
    [{ images: ['nginx'], maxUnavailable: '150%' }, /^invalid --max-unavailable "150%": must not be greater than 100%$/],
    [{ images: ['nginx'], maxUnavailable: '-1' }, /^invalid --max-unavailable "-1": expected a whole number of pods/],
    [{ images: ['nginx'], minReadySeconds: '-5' }, /^invalid --min-ready-seconds "-5"/],
    [{ images: ['nginx'], serviceAccount: 'Bad_SA' }, /^invalid --service-account "Bad_SA"/],
    [{ images: ['nginx'], priorityClass: 'Node Critical' }, /^invalid --priority-class "Node Critical"/],
    [{ images: ['nginx'], labels: ['app=other'] }, /^invalid --labels "app=other": "app" is the selector label \(app=agent\)/],
    [{ images: ['nginx'], labels: ['tier'] }, /^invalid --labels "tier": expected key=value/],
    [{ images: ['nginx'], annotations: ['bad key=1'] }, /^invalid --annotations "bad key=1": key "bad key"/],
  ])('%j', (o, message) => {
    let err: unknown;
    try {
      build(o);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('quantities (the API grammar)', () => {
  it.each<[string, number | undefined]>([
    ['100m', 0.1],
    ['0.5', 0.5],
    ['1', 1],
    ['.5', 0.5],
    ['2.', 2],
    ['200Mi', 200 * 1024 * 1024],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['1k', 1000],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['+1', 1],
    ['-1', -1],
    ['1Ki', 1024],
    ['1KB', undefined],
    ['1K', undefined],
    ['1mi', undefined],
    ['Mi', undefined],
    ['', undefined],
    ['1 Gi', undefined],
  ])('%s', (text, value) => {
    const got = parseQuantity(text);
    if (value === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(value, 9);
  });
});
