/**
 * What the API server's registry strategies do to objects on the way in: defaulting (k8s.io/api
 * SetDefaults_*), PrepareForCreate/PrepareForUpdate (generation, templateGeneration, status ignored on
 * spec writes) and validation (pkg/apis/apps/validation, pkg/apis/core/validation), with upstream's
 * field paths and messages (../shared/reference/daemonset-behaviour.md §5). Messages are formatted as
 * apimachinery's field.Error does, including Go's %#v rendering of the bad values kubectl users see
 * (`map[string]string{"app":"x"}`, `intstr.IntOrString{Type:0, IntVal:1, StrVal:""}`).
 *
 * Part of the simulator: independent of the product's src/core by design.
 */
import { fromLabelSelector, labelValueErrors, matches, qualifiedNameErrors, type LabelSelector } from './selectors.js';
import { cloneJson, RESOURCE, StatusError, type KObj, type Kind } from './store.js';

// ---- field errors ---------------------------------------------------------------------------------

export type ErrorType = 'Invalid' | 'Required' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong' | 'NotFound';

export interface FieldError {
  type: ErrorType;
  field: string;
  /** The bad value already rendered as Go prints it (`"x"`, `-1`, `map[string]string{...}`). */
  value?: string;
  detail?: string;
}

const TYPE_TEXT: Record<ErrorType, string> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  NotFound: 'Not found',
};

/** The text after `field: `, as field.Error.ErrorBody(). */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (e.type !== 'Required' && e.type !== 'Forbidden' && e.type !== 'TooLong') s += `: ${e.value ?? 'null'}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export const fieldErrorString = (e: FieldError) => `${e.field}: ${errorBody(e)}`;

/** A 422 Invalid Status for these errors, as the API server builds it (errors.NewInvalid). */
export function invalidError(kind: Kind, name: string, errs: FieldError[]): StatusError {
  const group = RESOURCE[kind].group;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = errs.map(fieldErrorString);
  const msg = `${qualifiedKind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return new StatusError(422, 'Invalid', msg, {
    name,
    group: group || undefined,
    kind,
    causes: errs.map((e) => ({ reason: `FieldValue${e.type}`, message: errorBody(e), field: e.field })),
  });
}

// ---- Go value rendering ---------------------------------------------------------------------------

const q = (s: string) => JSON.stringify(s);
const goStringMap = (m: Record<string, string> | null | undefined): string =>
  m ? `map[string]string{${Object.keys(m).sort().map((k) => `${q(k)}:${q(m[k]!)}`).join(', ')}}` : 'map[string]string(nil)';

function goLabelSelector(ls: LabelSelector): string {
  const exprs = ls.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${ls.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${q(e?.key ?? '')}, Operator:${q(e?.operator ?? '')}, Values:${e?.values ? `[]string{${e.values.map(q).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(ls.matchLabels)}, MatchExpressions:${exprs}}`;
}

export const goIntOrString = (v: number | string): string =>
  typeof v === 'number' ? `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}` : `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;

// ---- names and metadata ---------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function dns1123SubdomainErrors(s: string): string[] {
  const e: string[] = [];
  if (s.length > 253) e.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(s)) e.push(SUBDOMAIN_MSG);
  return e;
}
export function dns1123LabelErrors(s: string): string[] {
  const e: string[] = [];
  if (s.length > 63) e.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(s)) e.push(LABEL_MSG);
  return e;
}

function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== 'object') return errs;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const d of qualifiedNameErrors(k)) errs.push({ type: 'Invalid', field, value: q(k), detail: d });
    if (typeof v !== 'string') continue;
    for (const d of labelValueErrors(v)) errs.push({ type: 'Invalid', field, value: q(v), detail: d });
  }
  return errs;
}

function validateObjectMeta(o: KObj, nameRule: 'subdomain' | 'label'): FieldError[] {
  const errs: FieldError[] = [];
  const m = o.metadata ?? {};
  if (!m.name && !m.generateName) errs.push({ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' });
  else if (m.name) {
    for (const d of nameRule === 'label' ? dns1123LabelErrors(m.name) : dns1123SubdomainErrors(m.name)) errs.push({ type: 'Invalid', field: 'metadata.name', value: q(m.name), detail: d });
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  return errs;
}

// ---- defaults -------------------------------------------------------------------------------------

function imagePullPolicyFor(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: any): void {
  if (!p || typeof p !== 'object') return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet && typeof p.httpGet === 'object') p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: any): void {
  if (!c || typeof c !== 'object') return;
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= imagePullPolicyFor(c.image);
  c.resources ??= {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  if (Array.isArray(c.env)) for (const e of c.env) if (e?.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** SetDefaults_PodSpec and friends (the parts that show in `kubectl get -o yaml`). */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of [spec.containers, spec.initContainers]) if (Array.isArray(list)) list.forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (!v || typeof v !== 'object') continue;
      if (v.hostPath && typeof v.hostPath === 'object') v.hostPath.type ??= '';
      if (v.configMap && typeof v.configMap === 'object') v.configMap.defaultMode ??= 420;
      if (v.secret && typeof v.secret === 'object') v.secret.defaultMode ??= 420;
    }
  }
}

/** SetDefaults_DaemonSet (apps/v1) plus the pod template defaults. */
export function defaultDaemonSet(ds: KObj): void {
  const spec = (ds.spec ??= {});
  if (typeof spec !== 'object') return;
  const us = (spec.updateStrategy ??= {});
  if (us && typeof us === 'object') {
    if (!us.type) us.type = 'RollingUpdate';
    if (us.type === 'RollingUpdate') {
      const ru = (us.rollingUpdate ??= {});
      if (ru && typeof ru === 'object') {
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
    }
  }
  spec.revisionHistoryLimit ??= 10;
  const tpl = (spec.template ??= {});
  if (tpl && typeof tpl === 'object') {
    tpl.metadata ??= {};
    if (tpl.metadata && typeof tpl.metadata === 'object' && !('creationTimestamp' in tpl.metadata)) tpl.metadata.creationTimestamp = null;
    defaultPodSpec((tpl.spec ??= {}));
  }
}

export function defaultPod(pod: KObj): void {
  pod.spec ??= {};
  defaultPodSpec(pod.spec);
  pod.spec.enableServiceLinks ??= true;
  pod.spec.priority ??= 0;
  pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
  pod.spec.tolerations ??= [];
  // DefaultTolerationSeconds admission: every pod tolerates not-ready/unreachable NoExecute for 300 s.
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (Array.isArray(pod.spec.tolerations) && !pod.spec.tolerations.some((t: any) => t?.key === key && (t.effect === 'NoExecute' || !t.effect))) {
      pod.spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  if (Array.isArray(pod.spec.tolerations) && pod.spec.tolerations.length === 0) delete pod.spec.tolerations;
  pod.status ??= {};
  pod.status.phase ??= 'Pending';
  pod.status.qosClass ??= 'BestEffort';
}

// ---- pod spec validation (the parts a DaemonSet template needs) ----------------------------------

const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function validateContainers(list: unknown, field: string, required: boolean, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (required) errs.push({ type: 'Required', field });
    return errs;
  }
  list.forEach((c: any, i) => {
    const f = `${field}[${i}]`;
    if (!c || typeof c !== 'object') {
      errs.push({ type: 'Required', field: `${f}.name` });
      return;
    }
    if (!c.name) errs.push({ type: 'Required', field: `${f}.name` });
    else {
      for (const d of dns1123LabelErrors(String(c.name))) errs.push({ type: 'Invalid', field: `${f}.name`, value: q(String(c.name)), detail: d });
      if (names.has(c.name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: q(String(c.name)) });
      names.add(c.name);
    }
    if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) errs.push({ type: 'Required', field: `${f}.image` });
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      errs.push({ type: 'NotSupported', field: `${f}.imagePullPolicy`, value: q(String(c.imagePullPolicy)), detail: 'supported values: "Always", "IfNotPresent", "Never"' });
    }
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p: any, j: number) => {
        const pf = `${f}.ports[${j}]`;
        if (!p || p.containerPort === undefined || p.containerPort === 0) errs.push({ type: 'Required', field: `${pf}.containerPort` });
        else if (!int(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
          errs.push({ type: 'Invalid', field: `${pf}.containerPort`, value: String(p.containerPort), detail: 'must be between 1 and 65535, inclusive' });
        }
        if (p?.hostPort !== undefined && p.hostPort !== 0 && (!int(p.hostPort) || p.hostPort < 1 || p.hostPort > 65535)) {
          errs.push({ type: 'Invalid', field: `${pf}.hostPort`, value: String(p.hostPort), detail: 'must be between 1 and 65535, inclusive' });
        }
        if (p?.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
          errs.push({ type: 'NotSupported', field: `${pf}.protocol`, value: q(String(p.protocol)), detail: 'supported values: "SCTP", "TCP", "UDP"' });
        }
      });
    }
  });
  return errs;
}

function validateTolerations(list: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(list)) return errs;
  list.forEach((t: any, i) => {
    const f = `${field}[${i}]`;
    if (!t || typeof t !== 'object') return;
    if (t.key) for (const d of qualifiedNameErrors(t.key)) errs.push({ type: 'Invalid', field: `${f}.key`, value: q(t.key), detail: d });
    if (!t.key && t.operator !== 'Exists') errs.push({ type: 'Invalid', field: `${f}.operator`, value: q(String(t.operator ?? '')), detail: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' });
    if (t.operator !== undefined && !['Equal', 'Exists', ''].includes(t.operator)) {
      errs.push({ type: 'NotSupported', field: `${f}.operator`, value: q(String(t.operator)), detail: 'supported values: "Equal", "Exists"' });
    }
    if (t.operator === 'Exists' && t.value) errs.push({ type: 'Invalid', field: `${f}.operator`, value: q(t.value), detail: 'value must be empty when `operator` is \'Exists\'' });
    if (t.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''].includes(t.effect)) {
      errs.push({ type: 'NotSupported', field: `${f}.effect`, value: q(String(t.effect)), detail: 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"' });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push({ type: 'Invalid', field: `${f}.effect`, value: q(String(t.effect ?? '')), detail: 'effect must be \'NoExecute\' when `tolerationSeconds` is set' });
    }
  });
  return errs;
}

export function validatePodSpec(spec: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec || typeof spec !== 'object') return [{ type: 'Required', field: `${field}.containers` }];
  const names = new Set<string>();
  errs.push(...validateContainers(spec.containers, `${field}.containers`, true, names));
  errs.push(...validateContainers(spec.initContainers, `${field}.initContainers`, false, names));
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    errs.push({ type: 'NotSupported', field: `${field}.restartPolicy`, value: q(String(spec.restartPolicy)), detail: 'supported values: "Always", "OnFailure", "Never"' });
  }
  if (spec.dnsPolicy !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(spec.dnsPolicy)) {
    errs.push({ type: 'NotSupported', field: `${field}.dnsPolicy`, value: q(String(spec.dnsPolicy)), detail: 'supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"' });
  }
  if (spec.terminationGracePeriodSeconds !== undefined && (!int(spec.terminationGracePeriodSeconds) || spec.terminationGracePeriodSeconds < 0)) {
    errs.push({ type: 'Invalid', field: `${field}.terminationGracePeriodSeconds`, value: String(spec.terminationGracePeriodSeconds), detail: 'must be greater than or equal to 0' });
  }
  if (spec.nodeSelector) errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  const volNames = new Set<string>();
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v: any, i: number) => {
      const f = `${field}.volumes[${i}]`;
      if (!v?.name) errs.push({ type: 'Required', field: `${f}.name` });
      else {
        for (const d of dns1123LabelErrors(String(v.name))) errs.push({ type: 'Invalid', field: `${f}.name`, value: q(String(v.name)), detail: d });
        if (volNames.has(v.name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: q(String(v.name)) });
        volNames.add(v.name);
      }
    });
  }
  for (const listName of ['containers', 'initContainers'] as const) {
    const list = Array.isArray(spec[listName]) ? spec[listName] : [];
    list.forEach((c: any, i: number) => {
      if (!Array.isArray(c?.volumeMounts)) return;
      c.volumeMounts.forEach((m: any, j: number) => {
        const f = `${field}.${listName}[${i}].volumeMounts[${j}]`;
        if (m?.name && !volNames.has(m.name)) errs.push({ type: 'NotFound', field: `${f}.name`, value: q(String(m.name)) });
        if (!m?.mountPath) errs.push({ type: 'Required', field: `${f}.mountPath` });
      });
    });
  }
  return errs;
}

// ---- DaemonSet --------------------------------------------------------------------------------------

function percentValue(v: number | string): { value: number; isPercent: boolean } {
  if (typeof v === 'number') return { value: v, isPercent: false };
  const m = /^(\d+)%$/.exec(v);
  return m ? { value: Number(m[1]), isPercent: true } : { value: 0, isPercent: false };
}

/** getIntOrPercentValue: the int, or the number in "N%"; anything unparsable counts as 0. */
const intOrPercentValue = (v: number | string): number => (typeof v === 'number' ? v : (/^(\d+)%$/.exec(v) ? Number(/^(\d+)%$/.exec(v)![1]) : 0));

function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) {
      return [{ type: 'Invalid', field, value: goIntOrString(v), detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" }];
    }
    return [];
  }
  if (typeof v === 'number') return v < 0 ? [{ type: 'Invalid', field, value: String(v), detail: 'must be greater than or equal to 0' }] : [];
  return [{ type: 'Invalid', field, value: q(JSON.stringify(v)), detail: "must be an integer or percentage (e.g '5%')" }];
}

function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  if (typeof v !== 'string') return [];
  const p = percentValue(v);
  return p.isPercent && p.value > 100 ? [{ type: 'Invalid', field, value: goIntOrString(v), detail: 'must not be greater than 100%' }] : [];
}

function nonNegative(v: unknown, field: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [{ type: 'Invalid', field, value: String(v), detail: 'must be greater than or equal to 0' }] : [];
}

function validateSelectorStructure(sel: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel || typeof sel !== 'object') return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []).forEach((e: any, i: number) => {
    const f = `${field}.matchExpressions[${i}]`;
    const op = e?.operator;
    const hasValues = Array.isArray(e?.values) && e.values.length > 0;
    if (op === 'In' || op === 'NotIn') {
      if (!hasValues) errs.push({ type: 'Required', field: `${f}.values`, detail: "must be specified when `operator` is 'In' or 'NotIn'" });
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (hasValues) errs.push({ type: 'Forbidden', field: `${f}.values`, detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
    } else {
      errs.push({ type: 'Invalid', field: `${f}.operator`, value: q(String(op ?? '')), detail: 'not a valid selector operator' });
    }
    for (const d of qualifiedNameErrors(String(e?.key ?? ''))) errs.push({ type: 'Invalid', field: `${f}.key`, value: q(String(e?.key ?? '')), detail: d });
  });
  return errs;
}

/** ValidateDaemonSet: metadata and spec, in upstream's order. Run after defaulting. */
export function validateDaemonSet(ds: KObj): FieldError[] {
  const errs = validateObjectMeta(ds, 'subdomain');
  const spec = ds.spec ?? {};
  errs.push(...validateSelectorStructure(spec.selector, 'spec.selector'));
  const tplLabels = spec.template?.metadata?.labels;
  const selectorConverts = !spec.selector || !(Array.isArray(spec.selector.matchExpressions) && spec.selector.matchExpressions.some((e: any) => !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e?.operator) || ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length) || ((e.operator === 'In' || e.operator === 'NotIn') && !e.values?.length)));
  if (selectorConverts && !matches(fromLabelSelector(spec.selector), tplLabels)) {
    errs.push({ type: 'Invalid', field: 'spec.template.metadata.labels', value: goStringMap(tplLabels), detail: '`selector` does not match template `labels`' });
  }
  if (spec.selector && Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length === 0) {
    errs.push({ type: 'Invalid', field: 'spec.selector', value: goLabelSelector(spec.selector), detail: 'empty selector is invalid for daemonset' });
  }
  errs.push(...validateLabels(tplLabels, 'spec.template.labels') /* upstream's ValidatePodTemplateSpec names it so */);
  const podSpec = spec.template?.spec;
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  if (podSpec?.restartPolicy !== 'Always') {
    errs.push({ type: 'NotSupported', field: 'spec.template.spec.restartPolicy', value: q(String(podSpec?.restartPolicy ?? '')), detail: 'supported values: "Always"' });
  }
  if (podSpec?.activeDeadlineSeconds !== undefined && podSpec?.activeDeadlineSeconds !== null) {
    errs.push({ type: 'Forbidden', field: 'spec.template.spec.activeDeadlineSeconds', detail: 'activeDeadlineSeconds in DaemonSet is not Supported' });
  }
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const us = spec.updateStrategy ?? {};
  if (us.type === 'OnDelete') {
    // nothing more
  } else if (us.type === 'RollingUpdate') {
    const ru = us.rollingUpdate;
    if (!ru) errs.push({ type: 'Required', field: 'spec.updateStrategy.rollingUpdate' });
    else {
      const f = 'spec.updateStrategy.rollingUpdate';
      const mu = ru.maxUnavailable ?? 0;
      const ms = ru.maxSurge ?? 0;
      errs.push(...validatePositiveIntOrPercent(mu, `${f}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ms, `${f}.maxSurge`));
      errs.push(...notMoreThan100Percent(mu, `${f}.maxUnavailable`));
      errs.push(...notMoreThan100Percent(ms, `${f}.maxSurge`));
      const hasUnavailable = intOrPercentValue(mu) !== 0;
      const hasSurge = intOrPercentValue(ms) !== 0;
      if (hasUnavailable && hasSurge) errs.push({ type: 'Invalid', field: `${f}.maxSurge`, value: goIntOrString(ms), detail: 'may not be set when maxUnavailable is non-zero' });
      else if (!hasUnavailable && !hasSurge) errs.push({ type: 'Required', field: `${f}.maxUnavailable`, detail: 'cannot be 0 when maxSurge is 0' });
    }
  } else {
    const ru = us.rollingUpdate ? '(*apps.RollingUpdateDaemonSet)(...)' : '(*apps.RollingUpdateDaemonSet)(nil)';
    errs.push({ type: 'NotSupported', field: 'spec.updateStrategy', value: `apps.DaemonSetUpdateStrategy{Type:${q(String(us.type ?? ''))}, RollingUpdate:${ru}}`, detail: 'supported values: "RollingUpdate", "OnDelete"' });
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

/** ValidateDaemonSetUpdate: everything ValidateDaemonSet checks, plus the immutable selector. */
export function validateDaemonSetUpdate(ds: KObj, old: KObj): FieldError[] {
  const errs = validateDaemonSet(ds);
  if (JSON.stringify(canonical(ds.spec?.selector)) !== JSON.stringify(canonical(old.spec?.selector))) {
    errs.push({ type: 'Invalid', field: 'spec.selector', value: ds.spec?.selector ? goLabelSelector(ds.spec.selector) : 'null', detail: 'field is immutable' });
  }
  return errs;
}

/** A JSON value with object keys sorted and empty maps/lists dropped, for semantic comparison. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c === undefined || c === null) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0 && k !== 'securityContext' && k !== 'resources') continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

export const semanticEqual = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

// ---- Pods, Nodes, the rest --------------------------------------------------------------------------

export function validatePod(pod: KObj): FieldError[] {
  return [...validateObjectMeta(pod, 'subdomain'), ...validatePodSpec(pod.spec, 'spec')];
}

export function validatePodUpdate(pod: KObj, old: KObj): FieldError[] {
  const errs = validateObjectMeta(pod, 'subdomain');
  // Only images, activeDeadlineSeconds and added tolerations may change in a pod's spec.
  const strip = (spec: any) => {
    const withDefaults = { apiVersion: 'v1', kind: 'Pod', metadata: { name: '' }, spec: cloneJson(spec ?? {}) } as KObj;
    defaultPod(withDefaults);
    const s = withDefaults.spec;
    for (const list of [s.containers, s.initContainers]) if (Array.isArray(list)) for (const c of list) if (c) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.nodeName; // bound through pods/binding
    return s;
  };
  if (!semanticEqual(strip(pod.spec), strip(old.spec))) {
    errs.push({
      type: 'Forbidden',
      field: 'spec',
      detail:
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    });
  }
  return errs;
}

export function validateNode(node: KObj): FieldError[] {
  const errs = validateObjectMeta(node, 'subdomain');
  const taints = node.spec?.taints;
  if (Array.isArray(taints)) {
    const seen = new Set<string>();
    taints.forEach((t: any, i: number) => {
      const f = `spec.taints[${i}]`;
      for (const d of qualifiedNameErrors(String(t?.key ?? ''))) errs.push({ type: 'Invalid', field: `${f}.key`, value: q(String(t?.key ?? '')), detail: d });
      if (t?.value) for (const d of labelValueErrors(String(t.value))) errs.push({ type: 'Invalid', field: `${f}.value`, value: q(String(t.value)), detail: d });
      if (!t?.effect) errs.push({ type: 'Required', field: `${f}.effect` });
      else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
        errs.push({ type: 'NotSupported', field: `${f}.effect`, value: q(String(t.effect)), detail: 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"' });
      }
      const k = `${t?.key}:${t?.effect}`;
      if (seen.has(k)) errs.push({ type: 'Duplicate', field: f, value: q(k), detail: 'taints must be unique by key and effect pair' });
      seen.add(k);
    });
  }
  return errs;
}

export function validateGeneric(o: KObj, kind: Kind): FieldError[] {
  return validateObjectMeta(o, kind === 'Namespace' ? 'label' : 'subdomain');
}
