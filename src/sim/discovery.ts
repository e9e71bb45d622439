/**
 * What the simulator serves, as discovery documents: the resources (plural, kind, verbs, short names,
 * categories, subresources) by group-version, and /version, /api, /apis. Only what is served is listed:
 * kubectl fetches every group-version that /apis names (../shared/reference/kubectl-requests.md).
 */
import type { Kind } from './store.js';

export interface Resource {
  kind: Kind;
  plural: string;
  singular: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served: status (get/patch/update), binding (create). */
  subresources: string[];
  /** Verbs on the main resource. */
  verbs: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: Resource[] = [
  { kind: 'Namespace', plural: 'namespaces', singular: 'namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], subresources: ['status'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { kind: 'Node', plural: 'nodes', singular: 'node', group: '', version: 'v1', namespaced: false, shortNames: ['no'], subresources: ['status'], verbs: RW },
  { kind: 'Pod', plural: 'pods', singular: 'pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding', 'eviction'], verbs: RW },
  { kind: 'Event', plural: 'events', singular: 'event', group: '', version: 'v1', namespaced: true, shortNames: ['ev'], subresources: [], verbs: RW },
  { kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', group: 'apps', version: 'v1', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'], verbs: RW },
  { kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision', group: 'apps', version: 'v1', namespaced: true, subresources: [], verbs: RW },
  { kind: 'Lease', plural: 'leases', singular: 'lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true, subresources: [], verbs: RW },
];

export function findResource(group: string, version: string, plural: string): Resource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export const resourceOfKind = (kind: Kind): Resource => RESOURCES.find((r) => r.kind === kind)!;

const GROUPS = ['apps', 'authorization.k8s.io', 'coordination.k8s.io'];

export const VERSION_INFO = {
  major: '1',
  minor: '30',
  gitVersion: 'v1.30.0-kubectl-ds-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-04-17T00:00:00Z',
  goVersion: 'go1.22.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function group(name: string) {
  const gv = { groupVersion: `${name}/v1`, version: 'v1' };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUPS.map(group) };
}

export function apiGroup(name: string) {
  return GROUPS.includes(name) ? { kind: 'APIGroup', apiVersion: 'v1', ...group(name) } : undefined;
}

/** SelfSubjectAccessReview (`kubectl auth can-i`): answered at once, never stored. */
export const ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

export function apiResourceList(groupName: string, version: string) {
  if (groupName === 'authorization.k8s.io' && version === 'v1') {
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'authorization.k8s.io/v1',
      resources: [{ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }],
    };
  }
  const rs = RESOURCES.filter((r) => r.group === groupName && r.version === version);
  if (!rs.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : r.kind,
        verbs: sub === 'binding' || sub === 'eviction' ? ['create'] : ['get', 'patch', 'update'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupName ? `${groupName}/${version}` : version, resources };
}

// ---- OpenAPI v3 -------------------------------------------------------------------------------------
// kubectl (1.27+) asks /openapi/v3 before `apply`, `create`, `replace` and `edit` whether the server
// validates fields itself: a PATCH operation for the kind with a `fieldValidation` query parameter says
// yes, and kubectl then skips client-side schema validation (which would need the whole schema). The
// documents below carry exactly that: one PATCH operation per resource. They list no
// strategic-merge-patch body, so kubectl takes the patch strategy of built-in kinds from its compiled-in
// types instead of looking for schemas here. /openapi/v2 is not served (kubectl only falls back to it
// when v3 is missing).

const gvPath = (groupName: string, version: string) => (groupName ? `apis/${groupName}/${version}` : `api/${version}`);
const servedGroupVersions = () => [...new Set(RESOURCES.map((r) => `${r.group}|${r.version}`))].map((s) => s.split('|') as [string, string]);

export function openapiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [g, v] of servedGroupVersions()) paths[gvPath(g, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g, v)}?hash=${VERSION_INFO.gitVersion.replace(/[^a-z0-9]/gi, '')}${g || 'core'}${v}` };
  return { paths };
}

export function openapiV3Document(path: string): Record<string, unknown> | undefined {
  const gv = servedGroupVersions().find(([g, v]) => gvPath(g, v) === path);
  if (!gv) return undefined;
  const [groupName, version] = gv;
  const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES.filter((x) => x.group === groupName && x.version === version)) {
    const base = `/${gvPath(groupName, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
        requestBody: {
          content: {
            'application/json-patch+json': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
            'application/apply-patch+yaml': { schema: { type: 'object' } },
          },
          required: true,
        },
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: groupName, version, kind: r.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (kubectl-ds simulator)', version: VERSION_INFO.gitVersion }, paths, components: { schemas: {} } };
}
