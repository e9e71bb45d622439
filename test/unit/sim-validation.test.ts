// DaemonSet validation and defaulting in the simulator (src/sim/validation.ts + registry.ts). The
// expected messages are the API server's, as kubectl prints them: the 1.20 control plane in
// ../shared/realk8s answered these manifests with these lines (and the maxSurge rules are upstream's
// newer validateRollingUpdateDaemonSet, daemonset-behaviour.md §5).
import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/sim/registry.js';
import { Store, StatusError, type KObj } from '../../src/sim/store.js';
import { fieldErrorString, validateDaemonSet } from '../../src/sim/validation.js';

function dsWith(spec: Record<string, unknown>, name = 'x'): KObj {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name }, spec } as KObj;
}

const base = () => ({
  selector: { matchLabels: { app: 'x' } },
  template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
});

function newRegistry(): Registry {
  const store = new Store();
  store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, spec: { finalizers: ['kubernetes'] } });
  return new Registry(store);
}

function createError(spec: Record<string, unknown>, name = 'x'): StatusError {
  try {
    newRegistry().create('DaemonSet', 'default', dsWith(spec, name));
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('expected the create to fail');
}

const causes = (e: StatusError) => e.details!.causes!.map((c) => `${c.field}: ${c.message}`);

describe('DaemonSet create validation', () => {
  it('a selector that does not match the template labels', () => {
    const e = createError({ ...base(), selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
    expect(e.code).toBe(422);
    expect(e.reason).toBe('Invalid');
    expect(e.message).toBe('DaemonSet.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"a":"c"}: `selector` does not match template `labels`');
    expect(e.details).toMatchObject({ name: 'x', group: 'apps', kind: 'DaemonSet' });
    expect(e.details!.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: map[string]string{"a":"c"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' }]);
  });

  it('a label value over 63 characters: the metadata, selector and template labels each named as upstream names them', () => {
    const v = 'a'.repeat(64);
    const spec = { ...base(), selector: { matchLabels: { app: v } }, template: { metadata: { labels: { app: v } }, spec: { containers: [{ name: 'c', image: 'x' }] } } };
    const e = createError(spec);
    const long = `Invalid value: "${v}": must be no more than 63 characters`;
    // The 1.20 API server: the template's labels are "spec.template.labels" (not ...metadata.labels).
    expect(causes(e)).toEqual([`spec.selector.matchLabels: ${long}`, `spec.template.labels: ${long}`]);
  });

  it('no selector at all: matches nothing, so the same error', () => {
    const { selector: _s, ...spec } = base();
    expect(causes(createError(spec))).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']);
  });

  it('an empty selector', () => {
    expect(causes(createError({ ...base(), selector: {} }))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
    ]);
  });

  it('many mistakes at once, in the API server order', () => {
    const e = createError({
      selector: { matchLabels: { app: 'yy' } },
      template: { metadata: { labels: { app: 'x', b: 'c' } }, spec: { restartPolicy: 'Never', activeDeadlineSeconds: 5, containers: [{ name: 'C', image: '' }, { name: 'C', image: 'x' }] } },
      minReadySeconds: -1,
      revisionHistoryLimit: -2,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } },
    });
    expect(causes(e)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x", "b":"c"}: `selector` does not match template `labels`',
      "spec.template.spec.containers[0].name: Invalid value: \"C\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.template.spec.containers[0].image: Required value',
      "spec.template.spec.containers[1].name: Invalid value: \"C\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.template.spec.containers[1].name: Duplicate value: "C"',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
    ]);
    expect(e.message).toMatch(/^DaemonSet\.apps "x" is invalid: \[spec\.template\.metadata\.labels: .*, spec\.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0\]$/);
  });

  it('name, selector requirements, no containers, unknown strategy type', () => {
    const e = createError(
      {
        selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'a', operator: 'In' }] },
        template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } },
        updateStrategy: { type: 'Foo' },
      },
      'X_x',
    );
    expect(causes(e)).toEqual([
      "metadata.name: Invalid value: \"X_x\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.template.spec.containers: Required value',
      'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
    ]);
  });

  it('selector requirement rules', () => {
    const e = createError({
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }, { key: '', operator: 'Foo' }] },
      template: { spec: { containers: [{ name: 'c' }] } },
    });
    expect(causes(e)).toEqual([
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[1].operator: Invalid value: "Foo": not a valid selector operator',
      'spec.selector.matchExpressions[1].key: Invalid value: "": name part must be non-empty',
      "spec.selector.matchExpressions[1].key: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'spec.template.spec.containers[0].image: Required value',
    ]);
  });

  it('a containerPort of 0 and a malformed percentage', () => {
    const spec = base();
    (spec.template.spec.containers[0] as any).ports = [{ containerPort: 0 }];
    const e = createError({ ...spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'abc' } } });
    expect(causes(e)).toEqual([
      'spec.template.spec.containers[0].ports[0].containerPort: Required value',
      "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      // "abc" counts as 0, and maxSurge defaults to 0: exactly one must be non-zero
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
  });

  it('maxSurge and maxUnavailable: exactly one non-zero', () => {
    expect(causes(createError({ ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      // maxUnavailable defaults to 1, so setting only maxSurge is rejected (the §5 gotcha)
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    ]);
    expect(causes(createError({ ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
    expect(causes(createError({ ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '101%' } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%',
    ]);
    expect(causes(createError({ ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: -1, maxSurge: 0 } } }))).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
    ]);
    // valid: surge only, with maxUnavailable 0
    const ok = newRegistry().create('DaemonSet', 'default', dsWith({ ...base(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } } }));
    expect(ok.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: '25%' });
    // validation itself runs after defaulting: undefaulted, restartPolicy and the strategy type are missing
    expect(validateDaemonSet(dsWith(base())).map(fieldErrorString)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "": supported values: "Always"',
      'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
    ]);
  });

  it('a valid DaemonSet gets the apps/v1 and pod defaults, generation 1 and templateGeneration 1', () => {
    const r = newRegistry();
    const o = r.create('DaemonSet', 'default', dsWith({ ...base(), template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'd', image: 'busybox:1.36' }] } } }));
    expect(o.metadata.generation).toBe(1);
    expect(o.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(o.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(o.spec.revisionHistoryLimit).toBe(10);
    const ps = o.spec.template.spec;
    expect([ps.restartPolicy, ps.dnsPolicy, ps.terminationGracePeriodSeconds, ps.schedulerName]).toEqual(['Always', 'ClusterFirst', 30, 'default-scheduler']);
    expect(ps.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    expect(ps.containers[1].imagePullPolicy).toBe('IfNotPresent');
    expect(o.status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  });

  it('renders several errors as the API server joins them', () => {
    expect(fieldErrorString({ type: 'Required', field: 'spec.x' })).toBe('spec.x: Required value');
    expect(fieldErrorString({ type: 'Forbidden', field: 'spec.y', detail: 'no' })).toBe('spec.y: Forbidden: no');
  });
});

describe('DaemonSet update', () => {
  function created() {
    const r = newRegistry();
    const o = r.create('DaemonSet', 'default', dsWith(base()));
    return { r, o };
  }

  it('the selector is immutable', () => {
    const { r, o } = created();
    o.spec.selector = { matchLabels: { app: 'x', x: 'y' } };
    o.spec.template.metadata.labels.x = 'y';
    let err: StatusError | undefined;
    try {
      r.update('DaemonSet', 'default', 'x', o);
    } catch (e) {
      err = e as StatusError;
    }
    expect(err?.message).toBe(
      'DaemonSet.apps "x" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "x":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('a stale resourceVersion is a 409 Conflict', () => {
    const { r, o } = created();
    r.update('DaemonSet', 'default', 'x', { ...o, spec: { ...o.spec, minReadySeconds: 5 } });
    let err: StatusError | undefined;
    try {
      r.update('DaemonSet', 'default', 'x', { ...o, spec: { ...o.spec, minReadySeconds: 7 } });
    } catch (e) {
      err = e as StatusError;
    }
    expect(err?.code).toBe(409);
    expect(err?.message).toBe('Operation cannot be fulfilled on daemonsets.apps "x": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('a template change bumps generation and templateGeneration; another spec change bumps generation only; metadata changes neither', () => {
    const { r, o } = created();
    const a = r.update('DaemonSet', 'default', 'x', { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    expect([a.metadata.generation, a.metadata.annotations!['deprecated.daemonset.template.generation']]).toEqual([2, '2']);
    const b = r.update('DaemonSet', 'default', 'x', { ...a, spec: { ...a.spec, minReadySeconds: 10 } });
    expect([b.metadata.generation, b.metadata.annotations!['deprecated.daemonset.template.generation']]).toEqual([3, '2']);
    const c = r.update('DaemonSet', 'default', 'x', { ...b, metadata: { ...b.metadata, labels: { team: 'a' }, generation: 99 } });
    expect([c.metadata.generation, c.metadata.annotations!['deprecated.daemonset.template.generation']]).toEqual([3, '2']);
    // the client cannot set the template generation
    const d = r.update('DaemonSet', 'default', 'x', { ...c, metadata: { ...c.metadata, annotations: { 'deprecated.daemonset.template.generation': '40' } } });
    expect(d.metadata.annotations!['deprecated.daemonset.template.generation']).toBe('2');
  });

  it('spec writes ignore status; /status writes ignore everything but status and do not bump generation', () => {
    const { r, o } = created();
    const a = r.update('DaemonSet', 'default', 'x', { ...o, status: { desiredNumberScheduled: 9 } });
    expect(a.status.desiredNumberScheduled).toBe(0);
    const b = r.update('DaemonSet', 'default', 'x', { ...a, spec: { ...a.spec, minReadySeconds: 30 }, metadata: { ...a.metadata, labels: { l: '1' } }, status: { ...a.status, desiredNumberScheduled: 3, observedGeneration: 1 } }, { subresource: 'status' });
    expect(b.status).toMatchObject({ desiredNumberScheduled: 3, observedGeneration: 1 });
    expect(b.spec.minReadySeconds).toBeUndefined();
    expect(b.metadata.labels).toBeUndefined();
    expect(b.metadata.generation).toBe(1);
  });
});

describe('Pod updates', () => {
  it('labels can change on a pod the controllers wrote without defaults; its spec may not', () => {
    const r = newRegistry();
    r.store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i:1' }] } });
    const labelled = r.patch('Pod', 'default', 'p', 'merge', JSON.stringify({ metadata: { labels: { a: 'b' } } })).object;
    expect(labelled.metadata.labels).toEqual({ a: 'b' });
    expect(labelled.spec).toEqual({ nodeName: 'node-1', containers: [{ name: 'c', image: 'i:1' }] });
    // the image may change
    expect(r.patch('Pod', 'default', 'p', 'strategic', JSON.stringify({ spec: { containers: [{ name: 'c', image: 'i:2' }] } })).object.spec.containers[0].image).toBe('i:2');
    // other spec fields may not
    expect(() => r.patch('Pod', 'default', 'p', 'merge', JSON.stringify({ spec: { hostNetwork: true } }))).toThrow(/Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });
});

describe('managedFields (what kubectl --show-managed-fields shows)', () => {
  const managers = (o: KObj) => (o.metadata.managedFields as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`);
  it('one entry per manager and operation: create, a patch by another manager, server-side apply; none without a manager', () => {
    const r = newRegistry();
    const created = r.create('DaemonSet', 'default', dsWith(base()), { fieldManager: 'kubectl-create' });
    expect(managers(created)).toEqual(['kubectl-create/Update']);
    const f = (created.metadata.managedFields as { fieldsV1: Record<string, unknown>; fieldsType: string }[])[0]!;
    expect(f.fieldsType).toBe('FieldsV1');
    // As on the 1.20 server: the creator owns the spec with its defaults and the annotation the server adds.
    expect(Object.keys(f.fieldsV1)).toEqual(['f:metadata', 'f:spec']);
    expect(f.fieldsV1['f:metadata']).toMatchObject({ 'f:annotations': { 'f:deprecated.daemonset.template.generation': {} } });
    expect(f.fieldsV1['f:spec']).toMatchObject({ 'f:revisionHistoryLimit': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } } } });
    const patch = JSON.stringify({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } } });
    const restarted = r.patch('DaemonSet', 'default', 'x', 'strategic', patch, { fieldManager: 'kubectl-rollout' }).object;
    expect(managers(restarted)).toEqual(['kubectl-create/Update', 'kubectl-rollout/Update']);
    const again = r.patch('DaemonSet', 'default', 'x', 'strategic', patch, { fieldManager: 'kubectl-rollout' }).object;
    expect(managers(again)).toEqual(['kubectl-create/Update', 'kubectl-rollout/Update']);
    const applied = r.patch('DaemonSet', 'default', 'x', 'apply', JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', labels: { a: 'b' } } }), { fieldManager: 'kubectl' }).object;
    expect(managers(applied)).toEqual(['kubectl-create/Update', 'kubectl-rollout/Update', 'kubectl/Apply']);
    const quiet = r.patch('DaemonSet', 'default', 'x', 'merge', JSON.stringify({ metadata: { labels: { c: 'd' } } })).object;
    expect(managers(quiet)).toEqual(managers(applied));
  });
});
