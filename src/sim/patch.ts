/**
 * The three patch formats the API server accepts, applied to plain JSON objects:
 *   - JSON Patch (RFC 6902)             application/json-patch+json
 *   - JSON Merge Patch (RFC 7386)       application/merge-patch+json
 *   - Strategic Merge Patch             application/strategic-merge-patch+json
 * Strategic merge follows k8s.io/apimachinery/pkg/util/strategicpatch: lists with a patchMergeKey merge
 * by that key, `$patch: replace|delete|merge`, `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`,
 * `$retainKeys`, and `null` deleting a field. The patch metadata (which lists merge, on which key) is
 * the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api for the kinds the simulator serves;
 * every other list is atomic (replaced), as in upstream.
 */
import { cloneJson, StatusError } from './store.js';

type Json = any;

/** Patch metadata for one field: for a list, its element's fields live in `fields` too. */
export interface PatchMeta {
  fields?: Record<string, PatchMeta>;
  /** A list of objects merged by this key (patchStrategy "merge"). */
  mergeKey?: string;
  /** A list of primitives merged as a set (patchStrategy "merge" without a key: finalizers, podCIDRs). */
  setMerge?: boolean;
  /** patchStrategy "retainKeys" (volumes: the union of volume sources). */
  retainKeys?: boolean;
}

const CONTAINER: PatchMeta = {
  fields: {
    ports: { mergeKey: 'containerPort' },
    env: { mergeKey: 'name' },
    volumeMounts: { mergeKey: 'mountPath' },
    volumeDevices: { mergeKey: 'devicePath' },
  },
};

const POD_SPEC: PatchMeta = {
  fields: {
    containers: { mergeKey: 'name', ...CONTAINER },
    initContainers: { mergeKey: 'name', ...CONTAINER },
    ephemeralContainers: { mergeKey: 'name', ...CONTAINER },
    volumes: { mergeKey: 'name', retainKeys: true },
    imagePullSecrets: { mergeKey: 'name' },
    hostAliases: { mergeKey: 'ip' },
    topologySpreadConstraints: { mergeKey: 'topologyKey' },
    schedulingGates: { mergeKey: 'name' },
    resourceClaims: { mergeKey: 'name', retainKeys: true },
    // tolerations, readinessGates, affinity terms: atomic (no patch strategy upstream)
  },
};

const OBJECT_META: PatchMeta = {
  fields: { finalizers: { setMerge: true }, ownerReferences: { mergeKey: 'uid' } },
};

const CONDITIONS: PatchMeta = { mergeKey: 'type' };

export const PATCH_META: Record<string, PatchMeta> = {
  DaemonSet: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { template: { fields: { metadata: OBJECT_META, spec: POD_SPEC } } } },
      status: { fields: { conditions: CONDITIONS } },
    },
  },
  Pod: {
    fields: {
      metadata: OBJECT_META,
      spec: POD_SPEC,
      status: { fields: { conditions: CONDITIONS, podIPs: { mergeKey: 'ip' } } },
    },
  },
  Node: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { podCIDRs: { setMerge: true } } },
      status: { fields: { conditions: CONDITIONS, addresses: { mergeKey: 'type' } } },
    },
  },
  ControllerRevision: { fields: { metadata: OBJECT_META } },
  Namespace: { fields: { metadata: OBJECT_META, spec: { fields: { finalizers: { setMerge: true } } }, status: { fields: { conditions: CONDITIONS } } } },
  Event: { fields: { metadata: OBJECT_META } },
  Lease: { fields: { metadata: OBJECT_META } },
};

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => cloneJson(v);
const invalid = (msg: string) => new StatusError(422, 'Invalid', msg);
const bad = (msg: string) => new StatusError(400, 'BadRequest', msg);

// ---- JSON Merge Patch -----------------------------------------------------------------------------

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, Json> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- JSON Patch -----------------------------------------------------------------------------------

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalid(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; last: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isObj(cur) ? cur[t] : undefined;
    if (cur === undefined) throw invalid(`the server rejected our request due to an error in our request: doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, last: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let cur = doc;
  for (const t of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isObj(cur) ? cur[t] : undefined;
    if (cur === undefined) throw invalid(`the server rejected our request due to an error in our request: doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function index(arr: Json[], t: string, path: string, forAdd: boolean): number {
  if (forAdd && t === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(t)) throw invalid(`the server rejected our request due to an error in our request: invalid array index "${t}" in "${path}"`);
  const n = Number(t);
  if (n > arr.length || (!forAdd && n === arr.length)) throw invalid(`the server rejected our request due to an error in our request: unable to access invalid index: ${n} in "${path}"`);
  return n;
}

function addAt(doc: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (!tokens.length) return clone(value);
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(index(parent, last, path, true), 0, clone(value));
  else if (isObj(parent)) parent[last] = clone(value);
  else throw invalid(`the server rejected our request due to an error in our request: doc is missing path: "${path}": missing value`);
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const tokens = pointer(path);
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(index(parent, last, path, false), 1);
  else if (isObj(parent) && last in parent) delete parent[last];
  else throw invalid(`the server rejected our request due to an error in our request: doc is missing path: "${path}": missing value`);
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw bad('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.op !== 'string') throw bad('the server rejected our request due to an error in our request: invalid JSON patch operation');
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, op.value);
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'replace':
        getAt(doc, path);
        doc = pointer(path).length ? addAt(removeAt(doc, path), path, op.value) : clone(op.value);
        break;
      case 'move': {
        const v = clone(getAt(doc, String(op.from)));
        doc = addAt(removeAt(doc, String(op.from)), path, v);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, clone(getAt(doc, String(op.from))));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) {
          throw invalid(`the server rejected our request due to an error in our request: testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw invalid(`the server rejected our request due to an error in our request: Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

// ---- Strategic Merge Patch ------------------------------------------------------------------------

const DIRECTIVE = '$patch';
const ORDER = '$setElementOrder/';
const DEL_PRIMITIVE = '$deleteFromPrimitiveList/';
const RETAIN = '$retainKeys';

/** Removes every directive from a value that is added as is (a new list element, a replaced map). */
function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((e) => !(isObj(e) && e[DIRECTIVE] !== undefined && Object.keys(e).length === 1)).map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === DIRECTIVE || k === RETAIN || k.startsWith(ORDER) || k.startsWith(DEL_PRIMITIVE)) continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

function mergeMap(orig: Json, patch: Record<string, Json>, meta: PatchMeta | undefined): Json | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') return stripDirectives(patch);
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'merge') throw bad(`Unknown patch type: ${directive} in map: ${JSON.stringify(patch)}`);
  const out: Record<string, Json> = isObj(orig) ? clone(orig) : {};
  const orders: [string, Json[]][] = [];
  const deletions: [string, Json[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN) continue;
    if (k.startsWith(ORDER)) {
      if (Array.isArray(v)) orders.push([k.slice(ORDER.length), v]);
      continue;
    }
    if (k.startsWith(DEL_PRIMITIVE)) {
      if (Array.isArray(v)) deletions.push([k.slice(DEL_PRIMITIVE.length), v]);
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const fm = meta?.fields?.[k];
    if (isObj(v)) {
      const merged = mergeMap(out[k], v, fm);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      if (fm?.mergeKey) out[k] = mergeList(Array.isArray(out[k]) ? out[k] : [], v, fm);
      else if (fm?.setMerge) out[k] = mergePrimitives(Array.isArray(out[k]) ? out[k] : [], v);
      else out[k] = stripDirectives(v);
    } else {
      out[k] = v;
    }
  }
  for (const [f, dels] of deletions) {
    if (Array.isArray(out[f])) {
      out[f] = out[f].filter((x: Json) => !dels.some((d) => d === x));
      if (out[f].length === 0) delete out[f];
    }
  }
  for (const [f, order] of orders) {
    if (Array.isArray(out[f])) out[f] = reorder(out[f], order, meta?.fields?.[f]?.mergeKey);
  }
  if (Array.isArray(patch[RETAIN])) {
    const keep = new Set(patch[RETAIN] as string[]);
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergePrimitives(orig: Json[], patch: Json[]): Json[] {
  if (patch.some((e) => isObj(e) && e[DIRECTIVE] === 'replace')) return patch.filter((e) => !isObj(e));
  const out = [...orig];
  for (const v of patch) if (!out.includes(v)) out.push(v);
  return out;
}

function mergeList(orig: Json[], patch: Json[], meta: PatchMeta): Json[] {
  const key = meta.mergeKey!;
  if (patch.some((e) => isObj(e) && e[DIRECTIVE] === 'replace')) {
    return patch.filter((e) => !(isObj(e) && e[DIRECTIVE] === 'replace')).map(stripDirectives);
  }
  const out = orig.map(clone);
  for (const item of patch) {
    if (!isObj(item)) {
      throw bad(`unable to find api field in struct for the list element ${JSON.stringify(item)}: merging an object in json but data type is not map`);
    }
    if (item[DIRECTIVE] === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (isObj(out[i]) && out[i][key] === item[key]) out.splice(i, 1);
      continue;
    }
    if (item[key] === undefined) throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const i = out.findIndex((x) => isObj(x) && x[key] === item[key]);
    if (i >= 0) out[i] = mergeMap(out[i], item, meta) ?? out[i];
    else out.push(mergeMap({}, item, meta));
  }
  return out;
}

/** `$setElementOrder`: the listed elements first, in that order; any others keep their relative order after them. */
function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const id = (x: Json) => (key && isObj(x) ? x[key] : isObj(x) ? JSON.stringify(x) : x);
  const ids = order.map((o) => (key && isObj(o) ? o[key] : o));
  const placed: Json[] = [];
  const rest: Json[] = [];
  const byId = new Map<unknown, Json>();
  for (const x of list) byId.set(id(x), x);
  for (const i of ids) if (byId.has(i)) placed.push(byId.get(i));
  for (const x of list) if (!ids.includes(id(x))) rest.push(x);
  return [...placed, ...rest];
}

export function strategicMergePatch(target: Json, patch: Json, kind: string): Json {
  if (!isObj(patch)) throw bad('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  return mergeMap(target, patch, PATCH_META[kind]) ?? {};
}

/**
 * What a field manager stopped applying, as a strategic merge patch: fields of `previous` that
 * `next` no longer has become null, and list elements (by merge key) it no longer has get
 * `$patch: delete`. Applied together with `next`, this approximates server-side apply for one manager:
 * fields the manager set and dropped are removed, fields others set are kept.
 */
export function removalsPatch(previous: Json, next: Json, kind: string): Json {
  return removals(previous, next, PATCH_META[kind]) ?? {};
}

function removals(prev: Json, next: Json, meta: PatchMeta | undefined): Record<string, Json> | undefined {
  if (!isObj(prev)) return undefined;
  const out: Record<string, Json> = {};
  const nextObj = isObj(next) ? next : {};
  for (const [k, pv] of Object.entries(prev)) {
    const nv = nextObj[k];
    const fm = meta?.fields?.[k];
    if (nv === undefined || nv === null) {
      out[k] = null;
    } else if (isObj(pv) && isObj(nv)) {
      const r = removals(pv, nv, fm);
      if (r && Object.keys(r).length) out[k] = r;
    } else if (Array.isArray(pv) && Array.isArray(nv) && fm?.mergeKey) {
      const key = fm.mergeKey;
      const items: Json[] = [];
      for (const pe of pv) {
        if (!isObj(pe)) continue;
        const ne = nv.find((x) => isObj(x) && x[key] === pe[key]);
        if (!ne) items.push({ [key]: pe[key], $patch: 'delete' });
        else {
          const r = removals(pe, ne, fm);
          if (r && Object.keys(r).length) items.push({ ...r, [key]: pe[key] });
        }
      }
      if (items.length) out[k] = items;
    } else if (Array.isArray(pv) && Array.isArray(nv) && fm?.setMerge) {
      const gone = pv.filter((x) => !nv.includes(x));
      if (gone.length) out[`${DEL_PRIMITIVE}${k}`] = gone;
    }
  }
  return out;
}
