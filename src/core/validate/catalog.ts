/**
 * Every check `kubectl ds validate` makes, with its stable id and name. Ids never change meaning:
 *   DS0xx  the input itself (not YAML, empty, too large, skipped documents, duplicate keys)
 *   DS1xx  what the API server (or kubectl's schema validation) rejects: errors
 *   DS2xx  what the API accepts and users regret: warnings (`--strict` makes them fail)
 *   DS3xx  information
 *   DS4xx  what only the live cluster knows (`--live`)
 * The README's "validate" section lists the same table.
 */
import type { Severity } from './types.js';

export interface Rule {
  id: string;
  rule: string;
  severity: Severity;
  /** One line: what the check is about. */
  summary: string;
}

const R = (id: string, rule: string, severity: Severity, summary: string): Rule => ({ id, rule, severity, summary });

export const RULES: readonly Rule[] = [
  R('DS001', 'not-yaml', 'error', 'the input is not YAML or JSON'),
  R('DS002', 'empty-input', 'error', 'the input holds no objects'),
  R('DS003', 'input-too-large', 'error', 'the input is larger than the API server accepts (3 MiB)'),
  R('DS004', 'not-an-object', 'error', 'a document is not a mapping (an object with apiVersion and kind)'),
  R('DS005', 'not-a-daemonset', 'info', 'a document that is not a DaemonSet is skipped'),
  R('DS006', 'duplicate-key', 'warning', 'a key appears twice in one mapping; kubectl keeps the last one silently'),

  R('DS101', 'api-version', 'error', 'apiVersion must be apps/v1 (extensions/v1beta1 and apps/v1beta2 were removed in 1.16)'),
  R('DS102', 'kind', 'error', 'kind is a misspelling of DaemonSet'),
  R('DS103', 'name', 'error', 'metadata.name is required and must be a DNS-1123 subdomain'),
  R('DS104', 'namespace', 'error', 'metadata.namespace must be a DNS-1123 label'),
  R('DS105', 'labels', 'error', 'label keys must be qualified names and values valid label values'),
  R('DS106', 'annotations', 'error', 'annotation keys must be qualified names; all annotations together at most 256 KiB'),
  R('DS107', 'field-type', 'error', 'a field has the wrong type (string, number, boolean, list or mapping)'),
  R('DS108', 'unknown-field', 'error', 'a field the API does not have (as kubectl --validate=strict), with "did you mean"'),
  R('DS109', 'required-field', 'error', 'a required field is missing'),
  R('DS110', 'lost-indentation', 'error', 'fields that belong deeper sit at the top level: the YAML lost its indentation'),
  R('DS111', 'unsupported-value', 'error', 'a field holds a value outside its fixed set (imagePullPolicy, dnsPolicy, ...)'),
  R('DS112', 'field-gated', 'warning', 'a field that this Kubernetes version drops silently unless a feature gate is on'),

  R('DS120', 'selector-missing', 'error', 'spec.selector is required in apps/v1'),
  R('DS121', 'selector-empty', 'error', 'spec.selector has no terms (it would select every pod)'),
  R('DS122', 'selector-mismatch', 'error', 'spec.selector does not match spec.template.metadata.labels'),
  R('DS123', 'selector-requirement', 'error', 'a matchExpressions entry is malformed (operator, values, key)'),

  R('DS130', 'restart-policy', 'error', 'a DaemonSet pod template must use restartPolicy Always'),
  R('DS131', 'active-deadline-seconds', 'error', 'activeDeadlineSeconds is forbidden in a DaemonSet'),
  R('DS132', 'containers-missing', 'error', 'the pod template needs at least one container'),
  R('DS133', 'container-name', 'error', 'container names are required, DNS-1123 labels, and unique across init and app containers'),
  R('DS134', 'image-missing', 'error', 'every container needs an image'),
  R('DS135', 'ports', 'error', 'container ports: range 1-65535, protocol, names, unique host ports, hostNetwork rules'),
  R('DS136', 'quantity', 'error', 'a resource quantity is malformed or negative'),
  R('DS137', 'resources', 'error', 'resource names, requests above limits, extended resources'),
  R('DS138', 'volume-mounts', 'error', 'volume mounts name an existing volume, with a unique absolute mountPath'),
  R('DS139', 'volumes', 'error', 'volumes: unique DNS-1123 names, one source each, required source fields'),
  R('DS140', 'env', 'error', 'environment variables: names, value vs valueFrom, one source'),
  R('DS141', 'probes', 'error', 'probes and lifecycle hooks: one handler, thresholds, ports'),
  R('DS142', 'pod-fields', 'error', 'pod-level names and numbers (serviceAccountName, hostname, priorityClassName, ...)'),
  R('DS143', 'dns', 'error', 'dnsPolicy None needs dnsConfig; at most 3 nameservers, each an IP address'),

  R('DS150', 'update-strategy-type', 'error', 'updateStrategy.type must be RollingUpdate or OnDelete'),
  R('DS151', 'rolling-update-value', 'error', 'maxUnavailable/maxSurge: a non-negative integer or a percentage up to 100%'),
  R('DS152', 'rolling-update-both-set', 'error', 'maxSurge may not be non-zero while maxUnavailable is (it defaults to 1)'),
  R('DS153', 'rolling-update-both-zero', 'error', 'maxUnavailable and maxSurge may not both be 0'),
  R('DS154', 'negative-count', 'error', 'minReadySeconds and revisionHistoryLimit must not be negative'),

  R('DS160', 'toleration', 'error', 'tolerations: operator Exists/Equal, value, key, effect, tolerationSeconds only with NoExecute'),
  R('DS161', 'node-selector', 'error', 'nodeSelector keys and values must be valid labels'),
  R('DS162', 'node-affinity', 'error', 'node affinity terms: operators In/NotIn/Exists/DoesNotExist/Gt/Lt and their values; matchFields only metadata.name'),
  R('DS163', 'pod-affinity', 'error', 'pod (anti-)affinity terms: label selectors, topologyKey, weights'),
  R('DS164', 'topology-spread', 'error', 'topologySpreadConstraints: maxSkew, topologyKey, whenUnsatisfiable'),

  R('DS201', 'no-resources', 'warning', 'a container sets no resource requests or limits'),
  R('DS202', 'image-tag', 'warning', 'an image uses :latest or no tag'),
  R('DS203', 'hostport-surge', 'warning', 'a hostPort with maxSurge > 0: the surge pod cannot schedule beside the old one'),
  R('DS204', 'on-delete', 'warning', 'OnDelete: pods change only when deleted, and rollout status refuses it'),
  R('DS205', 'rolling-update-ignored', 'warning', 'rollingUpdate is set but the strategy is OnDelete, so it is ignored'),
  R('DS206', 'sensitive-host-path', 'warning', 'a writable hostPath mount of a sensitive host directory'),
  R('DS207', 'runtime-socket', 'warning', 'the container runtime socket is mounted (full control of the node)'),
  R('DS208', 'privileged', 'warning', 'a privileged container'),
  R('DS209', 'no-priority-class', 'warning', 'a node-level agent without a priorityClassName'),
  R('DS210', 'no-readiness-probe', 'warning', 'a container without a readiness probe (availability during a rollout means nothing)'),
  R('DS211', 'template-node-name', 'warning', 'spec.template.spec.nodeName pins every pod to one node'),
  R('DS212', 'common-selector', 'warning', 'the selector is a single common label (app, name, ...) that other workloads use too'),
  R('DS213', 'duplicate-port', 'warning', 'the same containerPort and protocol is declared twice'),
  R('DS214', 'gt-lt-value', 'warning', 'a Gt/Lt node affinity value is not an integer, so it matches no node'),
  R('DS215', 'empty-node-selector-term', 'warning', 'an empty nodeSelectorTerm matches no node'),
  R('DS216', 'volume-no-source', 'warning', 'a volume without a source (the API server makes it an emptyDir)'),
  R('DS217', 'duplicate-env', 'warning', 'an environment variable is defined twice; the last one wins'),

  R('DS301', 'no-control-plane-toleration', 'info', 'no toleration for control-plane nodes: the daemon will not run there'),

  R('DS401', 'selector-immutable', 'error', 'the live DaemonSet has a different selector, and the selector is immutable'),
  R('DS402', 'adopts-pods', 'warning', 'the selector matches existing pods that the DaemonSet would adopt or fight over'),
  R('DS403', 'overlaps-workload', 'warning', "the selector matches another workload's pod template labels"),
  R('DS404', 'node-not-covered', 'info', 'a node the DaemonSet would not run on, and why'),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleOf(id: string): Rule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}
