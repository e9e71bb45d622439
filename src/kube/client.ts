/**
 * The one module that talks to a cluster: builds @kubernetes/client-node clients for a kubeconfig
 * target, applies --request-timeout, logs requests at -v 6 (never credentials), pages through lists,
 * runs watches, and turns every API or network failure into one line (see apiError).
 *
 * Heavy (it loads client-node): commands import it with `await import('../kube/client.js')`.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
  PatchStrategy,
  ServerConfiguration,
  VersionApi,
  Watch,
  createConfiguration,
  setHeaderOptions,
  type Configuration,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { CliError } from '../cli/errors.js';
import type { Globals } from '../cli/globals.js';
import { userAgent } from '../cli/version.js';
import { loadKubeconfig, selectTarget, type Selection, type Target } from './kubeconfig.js';

export { ApiException, PatchStrategy, setHeaderOptions };

export interface Cluster {
  target: Target;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** The namespace to use: -n, else the context's, else "default". */
  namespace: string;
  server: string;
  contextName: string;
  globals: Globals;
  /** A configuration without the request timeout, for long calls (watches go through `watch`). */
  log: (level: number, msg: string) => void;
}

const SECRET_KEY = /token|password|secret|key-data|client-key|certificate-data|authorization|bearer/i;

/** Replaces every credential-looking value in a JSON-able structure (for -v 8 bodies and kubeconfig dumps). */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '<redacted>' : redact(v);
    return out;
  }
  return value;
}

function makeLogger(verbosity: number) {
  return (level: number, msg: string) => {
    if (verbosity >= level) process.stderr.write(`I${new Date().toISOString().slice(11, 23)} ${msg}\n`);
  };
}

function timeoutMiddleware(ms: number, log: Cluster['log']) {
  const started = new WeakMap<RequestContext, number>();
  let last: { method: string; url: string; t: number } | undefined;
  return {
    pre: (c: RequestContext) => {
      if (ms > 0) c.setSignal(AbortSignal.timeout(ms));
      started.set(c, Date.now());
      last = { method: c.getHttpMethod(), url: c.getUrl(), t: Date.now() };
      log(6, `${last.method} ${last.url}`);
      return new Observable(Promise.resolve(c));
    },
    post: (r: ResponseContext) => {
      if (last) log(6, `${last.method} ${last.url} ${r.httpStatusCode} in ${Date.now() - last.t} milliseconds`);
      return new Observable(Promise.resolve(r));
    },
  };
}

/** The client-node KubeConfig for one target: only the selected cluster, user and context. */
export function kubeConfigFor(t: Target): KubeConfig {
  const user = { ...t.user };
  if (typeof user.tokenFile === 'string' && !user.token) {
    try {
      user.token = readFileSync(user.tokenFile, 'utf8').trim();
    } catch (e) {
      throw new CliError(`cannot read the token file ${user.tokenFile} of user "${t.userName}": ${(e as Error).message}`);
    }
  }
  delete user.tokenFile;
  const kc = new KubeConfig();
  const name = t.contextName || 'kubectl-ds';
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: t.clusterName, cluster: t.cluster }],
      users: [{ name: t.userName || 'kubectl-ds-user', user }],
      contexts: [{ name, context: { cluster: t.clusterName, user: t.userName || 'kubectl-ds-user', namespace: t.namespace } }],
      'current-context': name,
    }),
  );
  // Every request (typed calls, requestJson, watches) is authenticated through this: name ourselves
  // there, as kubectl does, instead of fetch's default "undici".
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx) => {
    await authenticate(ctx);
    ctx.setHeaderParam('User-Agent', userAgent());
  };
  return kc;
}

function configuration(kc: KubeConfig, server: string, timeoutMs: number, log: Cluster['log']): Configuration {
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    middleware: [timeoutMiddleware(timeoutMs, log)],
  });
}

/** Connects (lazily: nothing is sent yet) to the cluster that the global flags select. */
export function connect(g: Globals, sel: Partial<Selection> = {}): Cluster {
  if (sel.context === undefined && (g.contexts.length > 1 || g.allContexts)) {
    throw new CliError('this command works on one cluster at a time: give a single --context (several contexts work with create, apply, coverage, status, delete, history and drift)');
  }
  const selection: Selection = { kubeconfig: g.kubeconfig, context: g.context, cluster: g.cluster, user: g.user, namespace: g.namespace, ...sel };
  const source = loadKubeconfig(selection);
  const target = selectTarget(source, selection);
  const kc = kubeConfigFor(target);
  const server = String(target.cluster.server).replace(/\/+$/, '');
  const log = makeLogger(g.verbosity);
  log(6, `using context "${target.contextName}" (cluster "${target.clusterName}", user "${target.userName}", server ${server}, namespace "${target.namespace}") from ${source.inCluster ? 'in-cluster config' : source.files.join(':')}`);
  const conf = configuration(kc, server, g.requestTimeoutMs, log);
  return {
    target,
    kc,
    core: new CoreV1Api(conf),
    apps: new AppsV1Api(conf),
    namespace: target.namespace,
    server,
    contextName: target.contextName,
    globals: g,
    log,
  };
}

/** GET /version: the server's gitVersion (e.g. "v1.20.2") and its major/minor numbers (NaN when not numeric). Throws API errors. */
export async function serverVersion(c: Cluster): Promise<{ major: number; minor: number; gitVersion: string }> {
  const v = await new VersionApi(configuration(c.kc, c.server, c.globals.requestTimeoutMs, c.log)).getCode();
  // minor is "20", or "20+" on some distributions
  return { major: Number.parseInt(v.major, 10), minor: Number.parseInt(v.minor, 10), gitVersion: v.gitVersion };
}

// ---------------------------------------------------------------------------------------------------
// Errors

export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

export function statusOf(e: unknown): ApiStatus | undefined {
  if (!(e instanceof ApiException)) return undefined;
  const body = e.body as unknown;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as ApiStatus;
    } catch {
      return { code: e.code, message: body.slice(0, 200) };
    }
  }
  if (body && typeof body === 'object') return body as ApiStatus;
  return { code: e.code };
}

/** The HTTP status code of an API error, or undefined for network errors. */
export function httpCode(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

const NET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the cluster running, and is this the right --context?',
  ECONNRESET: 'the connection was closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found: check the server address in the kubeconfig',
  EAI_AGAIN: 'host name lookup failed (temporary): check the network',
  UND_ERR_SOCKET: 'the connection was dropped',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending in the middle of an answer',
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted: set certificate-authority(-data) in the kubeconfig",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain is not trusted: check certificate-authority(-data) in the kubeconfig",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be verified: check certificate-authority(-data) in the kubeconfig",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this address: check the server address or tls-server-name",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
};

function rootCause(e: unknown): { code?: string; message: string; name?: string } {
  // fetch wraps the real failure: TypeError "fetch failed" -> cause (ECONNREFUSED, "bad port", TLS...).
  let cur: any = e;
  let deepest: any = e;
  for (let i = 0; i < 6 && cur; i++) {
    if (cur.code && typeof cur.code === 'string') return { code: cur.code, message: String(cur.message ?? ''), name: cur.name };
    deepest = cur;
    cur = cur.cause;
  }
  return { message: String(deepest?.message ?? e), name: deepest?.name };
}

/**
 * Turns a failed call into the one line a user sees. `what` says what we were doing
 * ("get daemonset fluentd"), used for network errors; API errors print as kubectl prints them.
 */
export function apiError(e: unknown, c: Pick<Cluster, 'server' | 'globals'>, what: string): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof ApiException) {
    const st = statusOf(e) ?? {};
    if (e.code === 401) return new CliError('error: You must be logged in to the server (Unauthorized)', { raw: true, cause: e });
    const reason = st.reason || (e.code === 403 ? 'Forbidden' : e.code === 404 ? 'NotFound' : `HTTP ${e.code}`);
    let msg = st.message || `the server answered ${e.code} to ${what}`;
    const causes = st.details?.causes ?? [];
    if (st.reason === 'Invalid' && causes.length > 1) msg = msg.split(':')[0] + ': ' + causes.map((x) => `${x.field}: ${x.message}`).join('; ');
    return new CliError(`Error from server (${reason}): ${msg}`, { raw: true, cause: e });
  }
  const err = e as Error;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    const secs = c.globals.requestTimeoutMs / 1000;
    return new CliError(`${what}: ${c.server} did not answer within ${secs}s (--request-timeout); the cluster may be overloaded or unreachable`, { cause: e });
  }
  const rc = rootCause(e);
  if (rc.code && NET_CODES[rc.code]) return new CliError(`${what}: cannot talk to ${c.server}: ${NET_CODES[rc.code]}`, { cause: e });
  if (/HTTP protocol is not allowed/.test(rc.message)) {
    return new CliError(`${what}: ${c.server} is plain HTTP; the client only talks HTTP with insecure-skip-tls-verify: true in the kubeconfig`, { cause: e });
  }
  return new CliError(`${what}: cannot talk to ${c.server}: ${rc.code ? `${rc.code} ` : ''}${rc.message.split('\n')[0]}`, { cause: e });
}

// ---------------------------------------------------------------------------------------------------
// Lists and watches

export interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string; resourceVersion?: string };
}

/** Pages through a list 500 at a time, as kubectl does. Returns the items and the list's resourceVersion. */
export async function listAll<T>(
  fetchPage: (p: { limit: number; _continue?: string }) => Promise<ListPage<T>>,
): Promise<{ items: T[]; resourceVersion?: string }> {
  const items: T[] = [];
  let _continue: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await fetchPage({ limit: 500, _continue });
    for (const it of page.items) items.push(it);
    _continue = page.metadata?._continue || undefined;
    resourceVersion = page.metadata?.resourceVersion;
  } while (_continue);
  return { items, resourceVersion };
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T };

export interface WatchHandle {
  stop(): void;
  /** Resolves when the watch has stopped for good (stop() called, or a fatal error, which rejects). */
  done: Promise<void>;
}

/**
 * A watch that keeps going: it reconnects from the last resourceVersion when the server closes the
 * stream or the connection drops, and after 410 Gone it relists (calling `relist`, which must return
 * the current objects and the list's resourceVersion) and continues from there.
 */
export function watchResilient<T extends { metadata?: { resourceVersion?: string } }>(
  c: Cluster,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  resourceVersion: string | undefined,
  onEvent: (ev: WatchEvent<T>) => void,
  relist: () => Promise<{ items: T[]; resourceVersion?: string }>,
): WatchHandle {
  let rv = resourceVersion;
  let stopped = false;
  let controller: AbortController | undefined;
  let failures = 0;
  let resolveDone!: () => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  const w = new Watch(c.kc);
  const start = async (): Promise<void> => {
    if (stopped) return;
    if (rv === undefined) {
      try {
        const l = await relist();
        rv = l.resourceVersion;
        for (const o of l.items) onEvent({ type: 'MODIFIED', object: o });
      } catch (e) {
        return retry(e);
      }
    }
    if (stopped) return; // stop() was called while relisting: do not open a watch nobody will close
    c.log(6, `WATCH ${c.server}${path} from resourceVersion ${rv}`);
    let gone = false;
    try {
      controller = await w.watch(
        path,
        { ...query, watch: true, allowWatchBookmarks: true, resourceVersion: rv },
        (type, obj) => {
          if (type === 'ERROR') {
            if (obj?.code === 410) gone = true;
            return;
          }
          failures = 0;
          if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
          if (type !== 'BOOKMARK') onEvent({ type: type as WatchEvent<T>['type'], object: obj as T });
        },
        (err) => {
          if (stopped) return resolveDone();
          if (gone || err?.statusCode === 410) {
            c.log(6, 'watch: 410 Gone, relisting');
            rv = undefined;
            return void start();
          }
          if (!err || err.name === 'TimeoutError' || err.name === 'AbortError') return void start();
          return retry(err);
        },
      );
      if (stopped) controller.abort();
    } catch (e) {
      return retry(e);
    }
  };
  const retry = (e: unknown): void => {
    if (stopped) return resolveDone();
    const code = (e as { statusCode?: number })?.statusCode ?? httpCode(e);
    if (code === 401 || code === 403 || code === 404) {
      stopped = true;
      return rejectDone(code ? new ApiLikeError(code, e) : e);
    }
    failures++;
    c.log(6, `watch: ${String((e as Error)?.message ?? e)}; reconnecting (attempt ${failures})`);
    if (failures > 8) {
      stopped = true;
      return rejectDone(e);
    }
    setTimeout(() => void start(), Math.min(200 * 2 ** failures, 5000));
  };
  void start();
  return {
    stop() {
      stopped = true;
      controller?.abort();
      resolveDone();
    },
    done,
  };
}

/** A watch that failed with an HTTP status (client-node discards the body). */
export class ApiLikeError extends Error {
  constructor(readonly statusCode: number, cause: unknown) {
    super(`the server answered ${statusCode} to a watch`, { cause });
  }
}

/** Content types for PATCH: client-node defaults to JSON Patch, so say which one. */
export const patchAs = {
  strategic: () => setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
  merge: () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  json: () => setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  apply: () => setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
};

// ---------------------------------------------------------------------------------------------------
// Raw JSON requests

export interface JsonResponse {
  code: number;
  /** The parsed JSON answer, exactly as the server sent it (field order and unknown fields kept). */
  body: unknown;
  /** The texts of the server's Warning headers (kubectl prints them as "Warning: ..."). */
  warnings: string[];
}

/** The messages in Warning headers (`299 - "text"`, several joined by ", "). */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  const re = /\d{3} \S+ "((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  return out;
}

/**
 * Sends a JSON body as is and returns the JSON answer as is. client-node's typed calls serialize
 * through their models, which drops fields they do not know (so fieldValidation=Strict could never
 * see a typo) and turns the answer into class instances; this goes around that, with the same
 * authentication, TLS, --request-timeout and -v logging. Non-2xx answers throw ApiException, so
 * apiError() and statusOf() work on them.
 */
export async function requestJson(
  c: Cluster,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  query: Record<string, string | undefined> = {},
  body?: unknown,
  contentType = 'application/json',
): Promise<JsonResponse> {
  const conf = configuration(c.kc, c.server, c.globals.requestTimeoutMs, c.log);
  let ctx = conf.baseServer.makeRequestContext(path, method as never);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) ctx.setQueryParam(k, v);
  ctx.setHeaderParam('Accept', 'application/json');
  if (body !== undefined) {
    ctx.setHeaderParam('Content-Type', contentType);
    ctx.setBody(JSON.stringify(body));
  }
  await c.kc.applySecurityAuthentication(ctx);
  for (const m of conf.middleware) ctx = await m.pre(ctx).toPromise();
  let resp = await conf.httpApi.send(ctx).toPromise();
  for (const m of conf.middleware) resp = await m.post(resp).toPromise();
  const text = await resp.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy's error page): keep the text
  }
  if (resp.httpStatusCode < 200 || resp.httpStatusCode > 299) {
    throw new ApiException(resp.httpStatusCode, `${method} ${path}`, parsed, resp.headers);
  }
  return { code: resp.httpStatusCode, body: parsed, warnings: parseWarnings(resp.headers.warning) };
}

/**
 * A list as plain JSON (no client-node models: much faster for thousands of objects, and field names
 * and timestamps exactly as the server sent them), paged 500 at a time like kubectl.
 * `path` is the collection, e.g. `/api/v1/nodes` or `/api/v1/namespaces/ns/pods`.
 */
export async function listJson<T = Record<string, unknown>>(
  c: Cluster,
  path: string,
  query: Record<string, string | undefined> = {},
): Promise<{ items: T[]; resourceVersion?: string }> {
  return listAll<T>(async (p) => {
    const r = await requestJson(c, 'GET', path, { ...query, limit: String(p.limit), continue: p._continue });
    const body = (r.body ?? {}) as { items?: T[]; metadata?: { continue?: string; resourceVersion?: string } };
    return { items: body.items ?? [], metadata: { _continue: body.metadata?.continue, resourceVersion: body.metadata?.resourceVersion } };
  });
}
