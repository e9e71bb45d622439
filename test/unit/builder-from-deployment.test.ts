/**
 * --from-deployment: Deployments to DaemonSets, against DaemonSets written by hand from the rules
 * (daemonset-behaviour.md §5: a DaemonSet has no replicas/progressDeadlineSeconds/paused; its
 * updateStrategy accepts exactly one of maxUnavailable / maxSurge non-zero; apps/v1 needs a selector).
 */
import { describe, expect, it } from 'vitest';
import { convertDeployments, convertStrategy, ManifestError, parseManifests } from '../../src/core/from-deployment.js';

/** A Deployment as `kubectl get deployment web -o yaml` prints it (server fields included). */
const FROM_SERVER = `apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "3"
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"apps/v1","kind":"Deployment"}
    team: web
  creationTimestamp: "2026-11-20T10:00:00Z"
  generation: 4
  labels:
    app: web
  name: web
  namespace: shop
  resourceVersion: "12345"
  uid: 0b8e2a8c-1111-2222-3333-444455556666
spec:
  progressDeadlineSeconds: 600
  replicas: 3
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: web
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        ports:
        - containerPort: 80
      restartPolicy: Always
status:
  availableReplicas: 3
  replicas: 3
`;

describe('--from-deployment', () => {
  it('a Deployment from the server: kind, no replicas/progressDeadlineSeconds/status/server metadata, strategy kept as maxUnavailable only', () => {
    const r = convertDeployments(parseManifests(FROM_SERVER, 'web.yaml'), 'web.yaml');
    expect(r.asList).toBe(false);
    expect(r.objects).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { annotations: { team: 'web' }, labels: { app: 'web' }, name: 'web', namespace: 'shop' },
        spec: {
          revisionHistoryLimit: 10,
          selector: { matchLabels: { app: 'web' } },
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
          template: {
            metadata: { creationTimestamp: null, labels: { app: 'web' } },
            spec: { containers: [{ image: 'nginx:1.27', name: 'nginx', ports: [{ containerPort: 80 }] }], restartPolicy: 'Always' },
          },
        },
      },
    ]);
    // updateStrategy takes strategy's place; the rest keeps the file's order.
    expect(Object.keys(r.objects[0]!.spec as object)).toEqual(['revisionHistoryLimit', 'selector', 'updateStrategy', 'template']);
    expect(r.notes).toEqual([
      'Deployment "web": kind Deployment -> DaemonSet',
      'Deployment "web": dropped annotation deployment.kubernetes.io/revision, annotation kubectl.kubernetes.io/last-applied-configuration, metadata.creationTimestamp, metadata.generation, metadata.resourceVersion, metadata.uid (they belong to the Deployment or are set by the API server)',
      'Deployment "web": dropped spec.progressDeadlineSeconds (600): DaemonSets have no progress deadline',
      'Deployment "web": dropped spec.replicas (3): a DaemonSet runs one pod on each node its rules select',
      'Deployment "web": spec.strategy -> spec.updateStrategy: kept maxUnavailable 25%, dropped maxSurge 25% (a DaemonSet allows only one of them to be non-zero)',
      'Deployment "web": dropped status (the API server writes it)',
    ]);
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['absent', undefined, undefined, /^no spec.strategy: the DaemonSet default applies .* instead of the Deployment's \(25% unavailable, 25% surge\)$/],
    ['empty', {}, {}, /^spec.strategy \{\} -> spec.updateStrategy \{\}/],
    ['Recreate', { type: 'Recreate' }, undefined, /^spec.strategy Recreate has no DaemonSet equivalent .*: dropped; the DaemonSet default applies/],
    ['RollingUpdate alone', { type: 'RollingUpdate' }, { type: 'RollingUpdate' }, /without maxUnavailable: the DaemonSet default applies/],
    ['maxSurge alone (Deployment: 25% unavailable)', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }, { type: 'RollingUpdate' }, /dropped maxSurge 2 \(a surge needs maxUnavailable: 0\)/],
    ['maxUnavailable 2', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }, /RollingUpdate, maxUnavailable 2/],
    ['maxUnavailable 1, maxSurge 0', { rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, /maxUnavailable 1/],
    ['both 25%', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, /dropped maxSurge 25%/],
    ['maxUnavailable 0, maxSurge 1', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, /maxUnavailable 0 with maxSurge 1: a surge rollout/],
    ['maxUnavailable 0 only (Deployment: 25% surge)', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } }, /maxSurge 25% \(the Deployment default\)/],
    ['both zero', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } }, { type: 'RollingUpdate' }, /both 0, which the API rejects/],
  ])('strategy %s', (_what, strategy, expected, note) => {
    const notes: string[] = [];
    expect(convertStrategy(strategy, (s) => notes.push(s))).toEqual(expected);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(note);
  });

  it('a List: converted items, other kinds skipped and reported, printed as a List', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2, paused: true, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } } } } },
      ],
    };
    const r = convertDeployments([list], 'f');
    expect(r.asList).toBe(true);
    expect(r.objects).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'api' }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } } } } }]);
    expect(r.notes).toContain('skipped Service "api": not a Deployment');
    expect(r.notes).toContain('Deployment "api": dropped spec.paused (true): a DaemonSet cannot be paused');
  });

  it('several documents (YAML and JSON), empty documents ignored', () => {
    const text = `---\n{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"selector":{"matchLabels":{"app":"a"}}}}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec: {selector: {matchLabels: {app: b}}, strategy: {type: Recreate}}\n`;
    const r = convertDeployments(parseManifests(text, 'x'), 'x');
    expect(r.asList).toBe(false);
    expect(r.objects.map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b']);
    expect(r.objects[1]).toEqual({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'b' }, spec: { selector: { matchLabels: { app: 'b' } } } });
  });

  it('an old API version without a selector: apps/v1, selector from the template labels', () => {
    const d = { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old' }, spec: { template: { metadata: { labels: { app: 'old', tier: 'x' } } } } };
    const r = convertDeployments([d], 'f');
    expect(r.objects[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'old' },
      spec: { template: { metadata: { labels: { app: 'old', tier: 'x' } } }, selector: { matchLabels: { app: 'old', tier: 'x' } } },
    });
    expect(r.notes).toContain('Deployment "old": apiVersion extensions/v1beta1 -> apps/v1');
    expect(r.notes).toContain('Deployment "old": no spec.selector: set matchLabels to the pod template labels (apps/v1 requires a selector)');
  });

  it('not YAML: one line with file:line:col', () => {
    expect(() => parseManifests('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n   labels: y: z\n', 'deploy.yaml')).toThrow(ManifestError);
    expect(() => parseManifests('a: [1, 2\nb: 3\n', 'deploy.yaml')).toThrow(/^deploy\.yaml:2:1: not valid YAML or JSON: /);
    expect(() => parseManifests('{"a": 1,,}', 'in.json')).toThrow(/^in\.json:1:\d+: not valid YAML or JSON: [^\n]+$/);
  });

  it('no Deployment: one line naming the file and what it holds', () => {
    expect(() => convertDeployments(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'cm.yaml'), 'cm.yaml')).toThrow(
      /^cm\.yaml: no Deployment found \(found ConfigMap "c"\); --from-deployment converts kind: Deployment manifests$/,
    );
    expect(() => convertDeployments(parseManifests('just some words\n', 'notes.txt'), 'notes.txt')).toThrow(/^notes\.txt: no Deployment found \(found a string\)/);
    expect(() => convertDeployments(parseManifests('', 'empty.yaml'), 'empty.yaml')).toThrow(/^empty\.yaml: no Deployment found \(the file is empty\)/);
  });
});
