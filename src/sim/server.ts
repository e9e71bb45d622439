/**
 * The simulator's API server: HTTPS on 127.0.0.1 with bearer-token authentication, discovery, the REST
 * verbs over registry.ts, watches streamed as JSON lines, server-side Tables, and API errors as metav1
 * Status objects with the API server's codes and reasons. Any failure while serving a request becomes a
 * Status answer: the server never crashes on a bad request.
 *
 * Two users: an admin token (everything) and a read-only "viewer" token (get/list/watch; anything else
 * is 403 Forbidden with the RBAC authorizer's message), so forbidden paths can be tested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ACCESS_REVIEW_PATH, apiGroup, apiGroupList, apiResourceList, apiVersions, findResource, openapiV3Document, openapiV3Root, VERSION_INFO, type Resource } from './discovery.js';
import type { Faults } from './faults.js';
import { PATCH_CONTENT_TYPES, parseSelectors, Registry, selected, type Selectors } from './registry.js';
import { qualifiedResource, RESOURCE, StatusError, type KObj, type Kind, type Store, type StoreEvent } from './store.js';
import { toTable, type IncludeObject } from './tables.js';
import type { ServingCerts } from './tls.js';

export interface User {
  name: string;
  readOnly: boolean;
}

export interface ServerOptions {
  store: Store;
  faults: Faults;
  certs: ServingCerts;
  /** token -> user */
  tokens: Record<string, User>;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** How often watches that allow bookmarks get one (default 5 s). */
  bookmarkIntervalMs?: number;
  /** Called for every request once answered (for `sim start -v` and tests). */
  onRequest?: (r: RequestRecord) => void;
}

export interface RequestRecord {
  method: string;
  url: string;
  user: string;
  code: number;
  ms: number;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 3 * 1024 * 1024;
const JSON_TYPE = 'application/json';

function status(code: number, reason: string, message: string, details?: Record<string, unknown>): KObj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {} as KObj['metadata'], status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

const noSuchResource = () => status(404, 'NotFound', 'the server could not find the requested resource', {});
const methodNotAllowed = () => status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The Status for an injected failure: the reason and message the API server uses for that code. */
function injectedStatus(code: number, reason?: string): KObj {
  const r = reason ?? REASON_BY_CODE[code] ?? 'Unknown';
  const message =
    code === 500
      ? 'Internal error occurred: injected fault'
      : code === 503
        ? 'the server is currently unable to handle the request'
        : code === 429
          ? 'the server has received too many requests and has asked us to try again later'
          : code === 504
            ? 'the server was unable to return a response in the time allotted, but may still be processing the request'
            : `injected fault (${code})`;
  return status(code, r, message, code === 429 || code === 503 ? { retryAfterSeconds: 1 } : undefined);
}

interface Route {
  resource: Resource;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

/** Parses /api/v1/... and /apis/G/V/... resource paths; undefined for anything else. */
function parseResourcePath(segs: string[]): Route | 'unknown' | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && findResource(group, version, rest[2]!)?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = findResource(group, version, rest[0] ?? '');
  if (!resource || rest.length > 3) return 'unknown';
  if (resource.namespaced && !namespace && rest.length > 1) return 'unknown';
  const name = rest[1];
  const subresource = rest[2];
  if (subresource && !resource.subresources.includes(subresource)) return 'unknown';
  return { resource, namespace, name, subresource, watchPath };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonBody(raw: string, kind: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    const snippet = raw.length > 30 ? `${raw.slice(0, 30)} ...` : raw;
    throw new StatusError(
      400,
      'BadRequest',
      `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${(e as Error).message} (${snippet})`,
    );
  }
}

/** Whether the client asked for a Table, and with which object inclusion. */
function wantsTable(req: IncomingMessage, q: URLSearchParams): IncludeObject | undefined {
  const accept = req.headers.accept ?? '';
  const first = accept.split(',')[0] ?? '';
  if (!/as=Table/.test(first) || !/g=meta\.k8s\.io/.test(first)) return undefined;
  const inc = q.get('includeObject');
  return inc === 'None' || inc === 'Object' ? inc : 'Metadata';
}

function forbidden(user: User, verb: string, route: Route): StatusError {
  const r = route.resource;
  const resourceName = route.subresource ? `${r.plural}/${route.subresource}` : r.plural;
  const what = route.name ? `${qualifiedResource(r.kind)} "${route.name}"` : qualifiedResource(r.kind);
  const scope = route.namespace ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
  return new StatusError(403, 'Forbidden', `${what} is forbidden: User "${user.name}" cannot ${verb} resource "${resourceName}" in API group "${r.group}" ${scope}`, {
    ...(route.name ? { name: route.name } : {}),
    ...(r.group ? { group: r.group } : {}),
    kind: r.plural,
  });
}

function verbOf(method: string, route: Route, watch: boolean): string {
  switch (method) {
    case 'GET':
      return route.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** `kubectl auth can-i`: the viewer may get, list and watch; the admin may do anything. */
function accessReview(user: User, body: unknown): KObj {
  const spec = (body as { spec?: { resourceAttributes?: { verb?: string }; nonResourceAttributes?: { verb?: string } } })?.spec ?? {};
  const verb = spec.resourceAttributes?.verb ?? spec.nonResourceAttributes?.verb ?? '';
  const allowed = !user.readOnly || ['get', 'list', 'watch'].includes(verb);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null } as unknown as KObj['metadata'],
    spec,
    status: allowed ? { allowed: true, reason: `the ${user.name} user of the simulator may ${verb}` } : { allowed: false },
  };
}

const withoutTypeMeta = (o: KObj) => ({ ...o, kind: undefined, apiVersion: undefined });

export function startApiServer(opts: ServerOptions): Promise<ApiServer> {
  const { store, faults } = opts;
  const registry = new Registry(store);
  const host = opts.host ?? '127.0.0.1';
  const bookmarkEvery = opts.bookmarkIntervalMs ?? 5000;
  const watches = new Set<() => void>();
  const sockets = new Set<Socket>();
  let address = '';

  const send = (res: ServerResponse, code: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
    res.end(text);
  };
  const sendError = (res: ServerResponse, e: unknown) => {
    if (e instanceof StatusError) return send(res, e.code, e.toStatus());
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`sim: internal error: ${e instanceof Error ? e.stack : msg}\n`);
    send(res, 500, status(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse, user: User): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const q = url.searchParams;
    let segs: string[];
    try {
      segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new StatusError(400, 'BadRequest', `invalid escape in the request path: ${url.pathname}`);
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';

    // ---- non-resource paths ----
    if (method === 'GET') {
      if (path === '/version') return send(res, 200, VERSION_INFO);
      if (path === '/healthz' || path === '/readyz' || path === '/livez') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('ok');
      }
      if (path === '/api') return send(res, 200, apiVersions(address));
      if (path === '/apis') return send(res, 200, apiGroupList());
      if (segs[0] === 'apis' && segs.length === 2) {
        const g = apiGroup(segs[1]!);
        return g ? send(res, 200, g) : send(res, 404, noSuchResource());
      }
      if ((segs[0] === 'api' && segs.length === 2) || (segs[0] === 'apis' && segs.length === 3)) {
        const list = segs[0] === 'api' ? apiResourceList('', segs[1]!) : apiResourceList(segs[1]!, segs[2]!);
        return list ? send(res, 200, list) : send(res, 404, noSuchResource());
      }
      if (segs[0] === 'openapi') {
        // Minimal OpenAPI v3 (see discovery.ts); no v2.
        if (path === '/openapi/v3') return send(res, 200, openapiV3Root());
        const doc = segs[1] === 'v3' ? openapiV3Document(segs.slice(2).join('/')) : undefined;
        if (doc) return send(res, 200, doc);
        return send(res, 404, noSuchResource());
      }
    }
    if (method === 'POST' && path === ACCESS_REVIEW_PATH) return send(res, 201, accessReview(user, parseJsonBody(await readBody(req), 'SelfSubjectAccessReview')));
    const route = parseResourcePath(segs);
    if (!route || route === 'unknown') return send(res, 404, noSuchResource());
    const kind = route.resource.kind;
    const watch = route.watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
    const verb = verbOf(method, route, watch);
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      return send(res, 405, methodNotAllowed());
    }
    if (user.readOnly && !['get', 'list', 'watch'].includes(verb)) throw forbidden(user, verb, route);

    const ns = route.namespace;
    const dryRun = q.getAll('dryRun').includes('All');
    // The manager that managedFields name: the fieldManager parameter, else the User-Agent up to its first
    // "/" (the API server's prefixFromUserAgent), at most 128 characters.
    const manager = q.get('fieldManager') || (req.headers['user-agent'] ?? '').split('/')[0]!.slice(0, 128) || undefined;
    const table = method === 'GET' && !route.subresource ? wantsTable(req, q) : undefined;

    if (method === 'GET') {
      if (route.name) {
        const o = registry.get(kind, ns, route.name);
        if (table) return send(res, 200, toTable(kind, [o], { include: table, listMeta: { resourceVersion: o.metadata.resourceVersion } }));
        return send(res, 200, o);
      }
      if (watch) return startWatch(req, res, kind, ns, q, table);
      const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new StatusError(400, 'BadRequest', `limit: Invalid value: "${q.get('limit')}": must be a non-negative integer`);
      const result = registry.list(kind, ns, {
        labelSelector: q.get('labelSelector') ?? undefined,
        fieldSelector: q.get('fieldSelector') ?? undefined,
        limit,
        continue: q.get('continue') ?? undefined,
      });
      const listMeta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
      if (result.continue) listMeta.continue = result.continue;
      if (result.remainingItemCount !== undefined) listMeta.remainingItemCount = result.remainingItemCount;
      if (table) return send(res, 200, toTable(kind, result.items, { include: table, listMeta }));
      return send(res, 200, { kind: `${kind}List`, apiVersion: RESOURCE[kind].apiVersion, metadata: listMeta, items: result.items.map(withoutTypeMeta) });
    }

    const raw = await readBody(req);
    if (method === 'POST') {
      if (route.subresource === 'binding') {
        registry.bind(ns!, route.name!, parseJsonBody(raw, 'Binding'));
        return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      }
      if (route.subresource === 'eviction') {
        // No PodDisruptionBudgets here: an eviction is a graceful delete (kubectl drain).
        const ev = parseJsonBody(raw, 'Eviction') as { deleteOptions?: { gracePeriodSeconds?: number } } | null;
        registry.delete('Pod', ns, route.name!, { gracePeriodSeconds: ev?.deleteOptions?.gracePeriodSeconds, dryRun });
        return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      }
      if (route.name) return send(res, 405, methodNotAllowed());
      const created = registry.create(kind, ns, parseJsonBody(raw, kind), { dryRun, fieldManager: manager });
      return send(res, 201, created);
    }
    if (method === 'PUT') {
      if (!route.name) return send(res, 405, methodNotAllowed());
      return send(res, 200, registry.update(kind, ns, route.name, parseJsonBody(raw, kind), { dryRun, subresource: route.subresource, fieldManager: manager }));
    }
    if (method === 'PATCH') {
      if (!route.name) return send(res, 405, methodNotAllowed());
      const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const type = PATCH_CONTENT_TYPES[ct];
      if (!type) {
        throw new StatusError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
      }
      if (type === 'apply' && !q.get('fieldManager')) {
        throw new StatusError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`);
      }
      const { object, created } = registry.patch(kind, ns, route.name, type, raw, {
        dryRun,
        subresource: route.subresource,
        fieldManager: manager,
        force: q.get('force') === 'true',
      });
      return send(res, created ? 201 : 200, object);
    }
    if (method === 'DELETE') {
      if (!route.name && !route.resource.verbs.includes('deletecollection')) {
        return send(res, 405, methodNotAllowed());
      }
      let body: any = {};
      if (raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch (e) {
          throw new StatusError(400, 'BadRequest', `couldn't get version/kind; json parse error: ${(e as Error).message}`);
        }
      }
      let policy = body?.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
      const orphanDependents = body?.orphanDependents ?? (q.get('orphanDependents') !== null ? q.get('orphanDependents') === 'true' : undefined);
      if (policy === undefined && orphanDependents !== undefined) policy = orphanDependents ? 'Orphan' : 'Background';
      if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
        throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
      }
      const graceRaw = body?.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
      const bodyDryRun = Array.isArray(body?.dryRun) && body.dryRun.includes('All');
      const deleteOpts = {
        propagationPolicy: policy,
        gracePeriodSeconds: typeof graceRaw === 'number' && !Number.isNaN(graceRaw) ? graceRaw : undefined,
        uid: body?.preconditions?.uid,
        resourceVersion: body?.preconditions?.resourceVersion,
        dryRun: dryRun || bodyDryRun,
      };
      if (!route.name) {
        // deletecollection: every object the selectors pick, answered with the list of them.
        const { items } = registry.list(kind, ns, { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
        const deleted: KObj[] = [];
        for (const o of items) {
          try {
            deleted.push(registry.delete(kind, o.metadata.namespace, o.metadata.name, { ...deleteOpts, uid: undefined, resourceVersion: undefined }).object);
          } catch (e) {
            if (!(e instanceof StatusError && e.code === 404)) throw e;
          }
        }
        return send(res, 200, { kind: `${kind}List`, apiVersion: RESOURCE[kind].apiVersion, metadata: { resourceVersion: store.currentResourceVersion() }, items: deleted.map(withoutTypeMeta) });
      }
      const { object, gone } = registry.delete(kind, ns, route.name, deleteOpts);
      return send(res, gone || deleteOpts.dryRun ? 200 : 202, object);
    }
  }

  function startWatch(req: IncomingMessage, res: ServerResponse, kind: Kind, ns: string | undefined, q: URLSearchParams, table: IncludeObject | undefined): void {
    const sel: Selectors = parseSelectors(kind, q.get('labelSelector') ?? undefined, q.get('fieldSelector') ?? undefined);
    const rvParam = q.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw new StatusError(400, 'BadRequest', `resourceVersion: Invalid value: "${rvParam}": must be a non-negative integer`);
    const inScope = (o: KObj) => ns === undefined || o.metadata.namespace === ns;
    const encode = (type: string, o: KObj) => {
      const object = table && type !== 'ERROR' && type !== 'BOOKMARK' ? toTable(kind, [o], { include: table, listMeta: { resourceVersion: o.metadata.resourceVersion } }) : o;
      return `${JSON.stringify({ type, object })}\n`;
    };
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private' });
    let lastRv = Number(store.currentResourceVersion());
    const lines: string[] = [];
    if (rvParam === '' || rvParam === '0') {
      for (const o of store.peekAll(kind, ns)) if (selected(sel, o as KObj)) lines.push(encode('ADDED', o as KObj));
    } else {
      const since = Number(rvParam);
      const events = store.eventsSince(since, kind);
      if (events === 'gone') {
        res.end(encode('ERROR', status(410, 'Expired', `too old resource version: ${since} (${store.oldestResourceVersion()})`)));
        return;
      }
      for (const e of events) {
        if (e.kind !== kind || !inScope(e.object) || !selected(sel, e.object)) continue;
        lines.push(encode(e.type, e.object));
      }
    }
    // The API server sends the answer's headers at once, events or not (clients time out waiting for them).
    if (lines.length) res.write(lines.join(''));
    else res.flushHeaders();

    const onEvent = (e: StoreEvent) => {
      if (e.kind !== kind || !inScope(e.object)) return;
      lastRv = e.rv;
      const now = selected(sel, e.object);
      const before = e.prev ? selected(sel, e.prev) : now;
      let type: string = e.type;
      if (e.type === 'MODIFIED' && now && !before) type = 'ADDED';
      else if (e.type === 'MODIFIED' && !now && before) type = 'DELETED';
      else if (!now) return;
      // Leaving the selection: DELETED with the previous content at the new resourceVersion (as the watch cache does).
      const object = type === 'DELETED' && e.type === 'MODIFIED' && e.prev ? { ...e.prev, metadata: { ...e.prev.metadata, resourceVersion: String(e.rv) } } : e.object;
      res.write(encode(type, object));
    };
    const unsubscribe = store.subscribe(onEvent);
    const timers: NodeJS.Timeout[] = [];
    if (q.get('allowWatchBookmarks') === 'true') {
      timers.push(
        setInterval(() => {
          lastRv = Math.max(lastRv, Number(store.currentResourceVersion()));
          const bookmark = { kind, apiVersion: RESOURCE[kind].apiVersion, metadata: { resourceVersion: String(lastRv) } };
          res.write(encode('BOOKMARK', bookmark as KObj));
        }, bookmarkEvery),
      );
    }
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    if (timeout > 0) timers.push(setTimeout(() => finish(), timeout * 1000));
    let done = false;
    const untrack = faults.trackWatch(() => {
      // A dropped connection, not a finished response: destroy the socket without ending the stream.
      res.destroy();
      finish();
    });
    function finish() {
      if (done) return;
      done = true;
      unsubscribe();
      untrack();
      watches.delete(finish);
      for (const t of timers) clearTimeout(t);
      if (!res.destroyed) res.end();
    }
    watches.add(finish);
    req.on('close', finish);
    res.on('close', finish);
    res.on('error', finish);
  }

  const server: Server = createServer({ key: opts.certs.key, cert: opts.certs.cert }, (req, res) => {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    let userName = 'system:anonymous';
    res.on('finish', () => opts.onRequest?.({ method, url, user: userName, code: res.statusCode, ms: Date.now() - started }));
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const go = async () => {
      const auth = req.headers.authorization ?? '';
      const m = /^Bearer\s+(.+)$/i.exec(auth);
      const user = m ? opts.tokens[m[1]!.trim()] : undefined;
      if (!user) {
        // Drain the body so the client sees the answer, not a reset.
        req.resume();
        return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      }
      userName = user.name;
      const wait = faults.delayFor(method, url);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const fail = faults.takeFailure(method, url);
      if (fail) {
        req.resume();
        return send(res, fail.code, injectedStatus(fail.code, fail.reason));
      }
      await handle(req, res, user);
    };
    go().catch((e) => sendError(res, e));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => undefined);

  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new Error(`port ${opts.port} on ${host} is already in use; pick another with --port, or 0 for a free one`));
      else if (e.code === 'EACCES') reject(new Error(`not allowed to listen on ${host}:${opts.port}; use a port above 1023`));
      else reject(e);
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      server.on('error', (e) => process.stderr.write(`sim: server error: ${e.message}\n`));
      const port = (server.address() as AddressInfo).port;
      address = `${host}:${port}`;
      resolve({
        url: `https://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const w of [...watches]) w();
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
