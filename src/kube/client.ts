/**
 * The one module that talks to a cluster: connects to a kubeconfig target, sends JSON requests over
 * node:https (or node:http), applies --request-timeout, logs requests at -v 6 and bodies at -v 8 (never
 * credentials), pages through lists, runs watches that survive drops and 410 Gone, and turns every API
 * or network failure into one line (see apiError).
 *
 * Credentials that are static (a token or token file, client certificate and key, basic auth, a CA)
 * are applied here directly: that covers most kubeconfigs and keeps a command's start fast.
 * @kubernetes/client-node (~160 ms to load) is imported only for what it does better than we would:
 * exec credential plugins, auth-provider plugins and proxy-url. HTTPS_PROXY, HTTP_PROXY and NO_PROXY
 * are honoured as kubectl honours them (proxy.ts), through Node's own proxy support in http.Agent, or,
 * for SOCKS5 proxies, which Node does not know, through agents of our own (socks.ts).
 *
 * Commands import this module with `await import('../kube/client.js')`, so offline commands never load it.
 */
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { CliError } from '../cli/errors.js';
import type { Globals } from '../cli/globals.js';
import { userAgent } from '../cli/version.js';
import { loadKubeconfig, selectTarget, type Selection, type Target } from './kubeconfig.js';
import { nodeCanProxy, proxyFor } from './proxy.js';
import { socksAgent } from './socks.js';

// node:fs through process.getBuiltinModule: its ES module facade would load the fs streams (~5 ms at start).
const { readFileSync } = process.getBuiltinModule('node:fs');

export interface Cluster {
  target: Target;
  /** The namespace to use: -n, else the context's, else "default". */
  namespace: string;
  server: string;
  contextName: string;
  globals: Globals;
  /** The proxy requests go through, from HTTPS_PROXY/HTTP_PROXY (for error messages; password removed). */
  proxy?: { url: string; variable: string };
  log: (level: number, msg: string) => void;
  /**
   * How requests are authenticated and carried. Static credentials answer at once (not a promise), so
   * that a request is on its way before the caller's next line runs; plugins (client-node) answer later.
   */
  auth: () => Transport | Promise<Transport>;
}

/** What every request to one cluster needs: the agent (TLS, client certificate) and the headers (credentials). */
export interface Transport {
  agent: HttpAgent | undefined;
  headers: OutgoingHttpHeaders;
}

// node:http and node:https as CommonJS modules: an ESM import of node:http copies all its exports,
// and one of them is a getter that loads Node's fetch (undici), ~20 ms that no request here needs.
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

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

// ---------------------------------------------------------------------------------------------------
// Credentials

function readCredentialFile(file: string, what: string, owner: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read the ${what} file ${file} of ${owner}: ${(e as Error).message}`);
  }
}

function pemOf(t: Target, fileKey: string, dataKey: string, what: string, owner: 'cluster' | 'user'): Buffer | undefined {
  const src = (owner === 'cluster' ? t.cluster : t.user) as Record<string, unknown>;
  const name = owner === 'cluster' ? `cluster "${t.clusterName}"` : `user "${t.userName}"`;
  if (typeof src[fileKey] === 'string' && src[fileKey]) return readCredentialFile(src[fileKey] as string, what, name);
  if (typeof src[dataKey] === 'string' && src[dataKey]) return Buffer.from(src[dataKey] as string, 'base64');
  return undefined;
}

/** True when the target needs client-node: a credential plugin, or a proxy. */
export function needsClientNode(t: Target): boolean {
  return !!(t.user.exec || t.user['auth-provider'] || t.cluster['proxy-url']);
}

/** Impersonation headers (`as`, `as-groups`, `as-uid`, `as-user-extra`), as kubectl sends them. */
function impersonation(t: Target): OutgoingHttpHeaders {
  const u = t.user as Record<string, unknown>;
  const h: OutgoingHttpHeaders = {};
  if (typeof u.as === 'string' && u.as) h['Impersonate-User'] = u.as;
  if (Array.isArray(u['as-groups']) && u['as-groups'].length) h['Impersonate-Group'] = (u['as-groups'] as unknown[]).map(String);
  if (typeof u['as-uid'] === 'string' && u['as-uid']) h['Impersonate-Uid'] = u['as-uid'];
  const extra = u['as-user-extra'];
  if (extra && typeof extra === 'object') {
    for (const [k, v] of Object.entries(extra as Record<string, unknown>)) h[`Impersonate-Extra-${encodeURIComponent(k)}`] = ([] as unknown[]).concat(v).map(String);
  }
  return h;
}

/** Static credentials: read once (a token file is re-read when it changes, as kubectl does for rotated tokens). */
function staticTransport(t: Target, secure: boolean, proxy: Proxy | undefined): () => Transport {
  const u = t.user;
  const opts: Record<string, unknown> = {};
  if (secure) {
    const ca = pemOf(t, 'certificate-authority', 'certificate-authority-data', 'certificate-authority', 'cluster');
    if (ca) opts.ca = ca;
    const cert = pemOf(t, 'client-certificate', 'client-certificate-data', 'client-certificate', 'user');
    const key = pemOf(t, 'client-key', 'client-key-data', 'client-key', 'user');
    if (cert) opts.cert = cert;
    if (key) opts.key = key;
    if (t.cluster['insecure-skip-tls-verify'] === true) opts.rejectUnauthorized = false;
    if (typeof t.cluster['tls-server-name'] === 'string' && t.cluster['tls-server-name']) opts.servername = t.cluster['tls-server-name'];
  }
  const agent = agentFor(secure, opts, proxy);
  const base = impersonation(t);
  const owner = `user "${t.userName}"`;
  const bearer = (): string | undefined => {
    if (typeof u.token === 'string' && u.token) return u.token;
    if (typeof u.tokenFile === 'string' && u.tokenFile) return readCredentialFile(u.tokenFile, 'token', owner).toString('utf8').trim();
    return undefined;
  };
  // Read now, so that an unreadable token file fails before anything is sent.
  let token = bearer();
  return () => {
    if (typeof u.tokenFile === 'string' && !u.token) token = bearer();
    const headers: OutgoingHttpHeaders = { ...base };
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (typeof u.username === 'string' && u.username) headers.Authorization = `Basic ${Buffer.from(`${u.username}:${u.password ?? ''}`).toString('base64')}`;
    return { agent, headers };
  };
}

/** Credentials through client-node's KubeConfig (exec and auth-provider plugins, proxy-url): loaded only here. */
function clientNodeTransport(t: Target, secure: boolean, proxy: Proxy | undefined): () => Promise<Transport> {
  let kc: Promise<{ applyToHTTPSOptions(o: object): Promise<void> }> | undefined;
  const load = async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const k = new KubeConfig();
    const name = t.contextName || 'kubectl-ds';
    const user = t.userName || 'kubectl-ds-user';
    k.loadFromString(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: t.clusterName, cluster: t.cluster }],
        users: [{ name: user, user: t.user }],
        contexts: [{ name, context: { cluster: t.clusterName, user } }],
        'current-context': name,
      }),
    );
    return k;
  };
  return async () => {
    kc ??= load();
    // client-node caches the plugin's credential until it expires and the agent per cluster and user.
    const o: { agent?: HttpAgent; headers?: OutgoingHttpHeaders; auth?: string } = {};
    await (await kc).applyToHTTPSOptions(o);
    const headers: OutgoingHttpHeaders = { ...impersonation(t), ...(o.headers ?? {}) };
    if (o.auth && !headers.Authorization) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    return { agent: proxy ? proxied(o.agent) : o.agent, headers };
  };
  // An environment proxy with a plugin's credentials: the same TLS options (client-node's agent, which may
  // carry the plugin's client certificate), in an agent that goes through the proxy; one per agent.
  function proxied(agent: HttpAgent | undefined): HttpAgent {
    let p = agent ? viaProxy.get(agent) : undefined;
    if (!p) {
      const options = secure ? ((agent as { options?: object } | undefined)?.options ?? {}) : {};
      p = agentFor(secure, options, proxy);
      if (agent) viaProxy.set(agent, p);
    }
    return p;
  }
}

const viaProxy = new WeakMap<HttpAgent, HttpAgent>();

/** A proxy from the environment: its URL (with any user:password) and the variable that named it. */
interface Proxy {
  url: string;
  variable: 'HTTPS_PROXY' | 'HTTP_PROXY';
  /** --request-timeout (0: none): also bounds a SOCKS5 proxy's handshake. */
  timeoutMs: number;
}

/** A socks5:// or socks5h:// proxy URL (the SOCKS schemes proxy.ts lets through). */
function isSocks(url: string): boolean {
  return /^socks5h?:/i.test(url);
}

/**
 * A keep-alive agent with these TLS `options` (for an https server), direct or through the proxy: an HTTP
 * proxy by Node's own support (http.Agent's proxyEnv, the proxy as proxy.ts has chosen it, NO_PROXY already
 * decided), a SOCKS5 proxy by socks.ts.
 */
function agentFor(secure: boolean, options: object, proxy: Proxy | undefined): HttpAgent {
  if (proxy && isSocks(proxy.url)) return socksAgent(proxy.url, secure, options, proxy.timeoutMs);
  const o = { ...options, keepAlive: true, ...(proxy ? { proxyEnv: { [proxy.variable]: proxy.url } } : {}) };
  return secure ? new https.Agent(o) : new http.Agent(o);
}

/** The proxy for a cluster without proxy-url, from the environment; a proxy that cannot be used is an error. */
function environmentProxy(t: Target, server: string, secure: boolean, timeoutMs: number): Proxy | undefined {
  if (t.cluster['proxy-url']) return undefined; // the kubeconfig's proxy-url wins, as in kubectl (client-node applies it)
  let url: string | undefined;
  try {
    url = proxyFor(server, process.env);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (!url) return undefined;
  const variable = secure ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  if (!isSocks(url) && !nodeCanProxy()) {
    throw new CliError(`${variable} asks for a proxy to reach ${server}, and Node.js ${process.versions.node} cannot use one: run kubectl-ds on Node.js 22.21+ or 24.5+, or add the server's host to NO_PROXY`);
  }
  return { url, variable, timeoutMs };
}

/** A URL without its user name and password, for logs. */
function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return '<proxy>';
  }
}

/** Connects (lazily: nothing is sent yet) to the cluster that the global flags select. */
export function connect(g: Globals, sel: Partial<Selection> = {}): Cluster {
  if (sel.context === undefined && (g.contexts.length > 1 || g.allContexts)) {
    throw new CliError('this command works on one cluster at a time: give a single --context (several contexts work with create, apply, coverage, status, delete, history and drift)');
  }
  const selection: Selection = { kubeconfig: g.kubeconfig, context: g.context, cluster: g.cluster, user: g.user, namespace: g.namespace, ...sel };
  const source = loadKubeconfig(selection);
  const target = selectTarget(source, selection);
  const server = String(target.cluster.server).replace(/\/+$/, '');
  let secure: boolean;
  try {
    const proto = new URL(server).protocol;
    if (proto !== 'https:' && proto !== 'http:') throw new Error(`unsupported scheme ${proto}`);
    secure = proto === 'https:';
  } catch (e) {
    throw new CliError(`cluster "${target.clusterName}" has an invalid server address "${server}" in the kubeconfig: ${(e as Error).message}`);
  }
  const log = makeLogger(g.verbosity);
  log(6, `using context "${target.contextName}" (cluster "${target.clusterName}", user "${target.userName}", server ${server}, namespace "${target.namespace}") from ${source.inCluster ? 'in-cluster config' : source.files.join(':')}`);
  const proxy = environmentProxy(target, server, secure, g.requestTimeoutMs);
  const via = proxy && { url: withoutUserinfo(proxy.url), variable: proxy.variable };
  if (via) log(6, `through the proxy ${via.url} (from ${via.variable})`);
  const auth = needsClientNode(target) ? clientNodeTransport(target, secure, proxy) : staticTransport(target, secure, proxy);
  return { target, namespace: target.namespace, server, contextName: target.contextName, globals: g, proxy: via, log, auth };
}

// ---------------------------------------------------------------------------------------------------
// Paths

const enc = encodeURIComponent;
/** API paths of the resources the commands use. */
export const paths = {
  nodes: () => '/api/v1/nodes',
  namespaces: () => '/api/v1/namespaces',
  pods: (ns?: string) => (ns ? `/api/v1/namespaces/${enc(ns)}/pods` : '/api/v1/pods'),
  serviceAccounts: (ns: string) => `/api/v1/namespaces/${enc(ns)}/serviceaccounts`,
  daemonSets: (ns?: string) => (ns ? `/apis/apps/v1/namespaces/${enc(ns)}/daemonsets` : '/apis/apps/v1/daemonsets'),
  daemonSet: (ns: string, name: string) => `/apis/apps/v1/namespaces/${enc(ns)}/daemonsets/${enc(name)}`,
  controllerRevisions: (ns: string) => `/apis/apps/v1/namespaces/${enc(ns)}/controllerrevisions`,
  deployments: (ns: string) => `/apis/apps/v1/namespaces/${enc(ns)}/deployments`,
  statefulSets: (ns: string) => `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets`,
  replicaSets: (ns: string) => `/apis/apps/v1/namespaces/${enc(ns)}/replicasets`,
};

/** Content types for PATCH. */
export const PATCH = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

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

/** A non-2xx answer: the HTTP code and the body as the server sent it (usually a Status). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: IncomingHttpHeaders,
    what: string,
  ) {
    super(`the server answered ${code} to ${what}`);
    this.name = 'ApiError';
  }
}

export function statusOf(e: unknown): ApiStatus | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const body = e.body;
  if (typeof body === 'string') return { code: e.code, message: body.slice(0, 200) };
  if (body && typeof body === 'object') return body as ApiStatus;
  return { code: e.code };
}

/** The HTTP status code of an API error, or undefined for network errors. */
export function httpCode(e: unknown): number | undefined {
  return e instanceof ApiError ? e.code : undefined;
}

const NET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the cluster running, and is this the right --context?',
  ECONNRESET: 'the connection was dropped',
  EPIPE: 'the connection was dropped',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  ENOTFOUND: 'host name not found: check the server address in the kubeconfig',
  EAI_AGAIN: 'host name lookup failed (temporary): check the network',
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted: set certificate-authority(-data) in the kubeconfig",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain is not trusted: check certificate-authority(-data) in the kubeconfig",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be verified: check certificate-authority(-data) in the kubeconfig",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate cannot be verified: check certificate-authority(-data) in the kubeconfig",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this address: check the server address or tls-server-name",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS: is the server address http:// rather than https://?',
};

/** Errors of the connection to the proxy itself, when there is one. */
const PROXY_CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
};

function rootCause(e: unknown): { code?: string; message: string; name?: string } {
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
export function apiError(e: unknown, c: Pick<Cluster, 'server' | 'globals' | 'proxy'>, what: string): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof ApiError) {
    const st = statusOf(e) ?? {};
    if (e.code === 401) return new CliError('error: You must be logged in to the server (Unauthorized)', { raw: true, cause: e });
    const reason = st.reason || (e.code === 403 ? 'Forbidden' : e.code === 404 ? 'NotFound' : `HTTP ${e.code}`);
    let msg = st.message || `the server answered ${e.code} to ${what}`;
    const causes = st.details?.causes ?? [];
    if (st.reason === 'Invalid' && causes.length > 1) msg = msg.split(':')[0] + ': ' + causes.map((x) => `${x.field}: ${x.message}`).join('; ');
    return new CliError(`Error from server (${reason}): ${msg}`, { raw: true, cause: e });
  }
  const err = e as Error;
  if (err?.name === 'TimeoutError') {
    const secs = c.globals.requestTimeoutMs / 1000;
    return new CliError(`${what}: ${c.server} did not answer within ${secs}s (--request-timeout); the cluster may be overloaded or unreachable`, { cause: e });
  }
  const rc = rootCause(e);
  if (c.proxy && rc.code === 'ERR_PROXY_TUNNEL') {
    const answer = /: (HTTP\/[\d.]+ \d{3}[^\n]*?)(?: undefined)?$/.exec(rc.message)?.[1] ?? rc.message;
    return new CliError(`${what}: the proxy ${c.proxy.url} (${c.proxy.variable}) would not open a tunnel to ${c.server}: ${answer}: check the proxy, or add the server's host to NO_PROXY`, { cause: e });
  }
  if (c.proxy && rc.code === 'ERR_SOCKS') {
    return new CliError(`${what}: the proxy ${c.proxy.url} (${c.proxy.variable}) would not open a tunnel to ${c.server}: ${rc.message}: check the proxy, or add the server's host to NO_PROXY`, { cause: e });
  }
  if (c.proxy && rc.code && PROXY_CONNECT_CODES[rc.code]) {
    return new CliError(`${what}: cannot reach the proxy ${c.proxy.url} (${c.proxy.variable}) on the way to ${c.server}: ${PROXY_CONNECT_CODES[rc.code]}: check ${c.proxy.variable}, or add the server's host to NO_PROXY`, { cause: e });
  }
  if (rc.code && NET_CODES[rc.code]) return new CliError(`${what}: cannot talk to ${c.server}: ${NET_CODES[rc.code]}`, { cause: e });
  return new CliError(`${what}: cannot talk to ${c.server}: ${rc.code ? `${rc.code} ` : ''}${rc.message.split('\n')[0]}`, { cause: e });
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Requests

function urlOf(c: Cluster, path: string, query: Record<string, string | number | boolean | undefined>): string {
  const q = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
  return `${c.server}${path}${q ? `?${q}` : ''}`;
}

/**
 * Sends one request and resolves with the response once its headers have arrived. `timeoutMs` (0: none)
 * bounds the whole exchange: headers here, the body in readBody (the caller passes the same deadline).
 */
async function open(
  c: Cluster,
  method: string,
  url: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
  deadline: { ms: number; timer?: NodeJS.Timeout },
  signal?: AbortSignal,
  onSent?: () => void,
): Promise<IncomingMessage> {
  const auth = c.auth();
  const t = auth instanceof Promise ? await auth : auth;
  const u = new URL(url);
  const send = u.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(u, { method, agent: t.agent, signal, headers: { 'User-Agent': userAgent(), ...t.headers, ...headers, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) } }, resolve);
    req.on('error', reject);
    if (onSent) req.on('finish', onSent);
    if (deadline.ms > 0) {
      deadline.timer = setTimeout(() => {
        const e = new TimeoutError(deadline.ms);
        req.destroy(e);
        reject(e);
      }, deadline.ms);
    }
    req.end(body);
  });
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('the connection was dropped in the middle of an answer'), { code: 'ECONNRESET' })));
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text; // not JSON (a proxy's error page): keep the text
  }
}

export interface JsonResponse {
  code: number;
  /** The parsed JSON answer, exactly as the server sent it (field order and unknown fields kept). */
  body: unknown;
  /** The texts of the server's Warning headers (kubectl prints them as "Warning: ..."). */
  warnings: string[];
}

/** The messages in Warning headers (`299 - "text"`, several joined by ", "). */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  const re = /\d{3} \S+ "((?:[^"\\]|\\.)*)"/g;
  for (const h of ([] as string[]).concat(header)) {
    let m: RegExpExecArray | null;
    while ((m = re.exec(h)) !== null) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return out;
}

/**
 * Sends a JSON body as is and returns the JSON answer as is (no client models: field order, unknown
 * fields and timestamps stay as the server sent them, and fieldValidation=Strict sees every typo), with
 * the credentials, TLS, --request-timeout and -v logging of the cluster. Non-2xx answers throw ApiError,
 * which apiError() and statusOf() understand. `onSent` is called once the request has left (is written
 * to the connection, after the TLS handshake), for callers with work to do while the answer is on its
 * way: that work, started earlier, would hold up the handshake, which needs the event loop.
 */
export async function requestJson(
  c: Cluster,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
  body?: unknown,
  contentType = 'application/json',
  onSent?: () => void,
): Promise<JsonResponse> {
  const url = urlOf(c, path, query);
  const started = Date.now();
  const text = body === undefined ? undefined : JSON.stringify(body);
  c.log(6, `${method} ${url}`);
  if (text !== undefined) c.log(8, `Request Body: ${JSON.stringify(redact(body))}`);
  const deadline: { ms: number; timer?: NodeJS.Timeout } = { ms: c.globals.requestTimeoutMs };
  let res: IncomingMessage;
  let answer: string;
  try {
    res = await open(c, method, url, { Accept: 'application/json', ...(text !== undefined ? { 'Content-Type': contentType } : {}) }, text, deadline, undefined, onSent);
    answer = await readBody(res);
  } catch (e) {
    c.log(6, `${method} ${url} failed after ${Date.now() - started} milliseconds: ${(e as Error).message}`);
    throw e;
  } finally {
    clearTimeout(deadline.timer);
  }
  const code = res.statusCode ?? 0;
  c.log(6, `${method} ${url} ${code} in ${Date.now() - started} milliseconds`);
  const parsed = parseJson(answer);
  c.log(8, `Response Body: ${typeof parsed === 'string' ? parsed.slice(0, 2000) : JSON.stringify(redact(parsed)).slice(0, 2000)}`);
  if (code < 200 || code > 299) throw new ApiError(code, parsed, res.headers, `${method} ${path}`);
  return { code, body: parsed, warnings: parseWarnings(res.headers.warning) };
}

/** GET one object (or any JSON document) as plain JSON. Throws ApiError for non-2xx answers. `onSent`: as for requestJson. */
export async function getJson<T = Record<string, unknown>>(
  c: Cluster,
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
  onSent?: () => void,
): Promise<T> {
  return (await requestJson(c, 'GET', path, query, undefined, undefined, onSent)).body as T;
}

/** GET /version: the server's gitVersion (e.g. "v1.20.2") and its major/minor numbers (NaN when not numeric). Throws API errors. */
export async function serverVersion(c: Cluster): Promise<{ major: number; minor: number; gitVersion: string }> {
  const v = await getJson<{ major: string; minor: string; gitVersion: string }>(c, '/version');
  // minor is "20", or "20+" on some distributions
  return { major: Number.parseInt(v.major, 10), minor: Number.parseInt(v.minor, 10), gitVersion: v.gitVersion };
}

// ---------------------------------------------------------------------------------------------------
// Lists and watches

export interface ListPage<T> {
  items: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** Pages through a list 500 at a time, as kubectl does. Returns the items and the list's resourceVersion. */
export async function listAll<T>(fetchPage: (p: { limit: number; continue?: string }) => Promise<ListPage<T>>): Promise<{ items: T[]; resourceVersion?: string }> {
  const items: T[] = [];
  let next: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await fetchPage({ limit: 500, continue: next });
    for (const it of page.items ?? []) items.push(it);
    next = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion;
  } while (next);
  return { items, resourceVersion };
}

/**
 * A list as plain JSON, paged 500 at a time like kubectl. `path` is the collection, e.g. `paths.nodes()`
 * or `paths.pods(ns)`.
 */
export async function listJson<T = Record<string, unknown>>(
  c: Cluster,
  path: string,
  query: Record<string, string | undefined> = {},
): Promise<{ items: T[]; resourceVersion?: string }> {
  return listAll<T>(async (p) => (await getJson<ListPage<T>>(c, path, { ...query, limit: p.limit, continue: p.continue })) ?? { items: [] });
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T };

export interface WatchHandle {
  stop(): void;
  /** Resolves when the watch has stopped for good (stop() called, or a fatal error, which rejects). */
  done: Promise<void>;
}

/**
 * One watch request: calls `onEvent` for each line of the stream and `onEnd` once, when the stream ends
 * (undefined: the server closed it) or fails (an ApiError for a non-200 answer, a network error). The
 * request timeout bounds the wait for the answer's headers only: a watch is long by design.
 */
function watchOnce(
  c: Cluster,
  url: string,
  onEvent: (type: string, obj: any) => void,
  onEnd: (err?: unknown) => void,
): { abort(): void } {
  let ended = false;
  let aborted = false;
  const ac = new AbortController();
  const end = (err?: unknown) => {
    if (ended || aborted) return;
    ended = true;
    onEnd(err);
  };
  const deadline: { ms: number; timer?: NodeJS.Timeout } = { ms: c.globals.requestTimeoutMs };
  open(c, 'GET', url, { Accept: 'application/json' }, undefined, deadline, ac.signal)
    .then(async (res) => {
      clearTimeout(deadline.timer);
      if (aborted) return void res.destroy();
      c.log(6, `GET ${url} ${res.statusCode} (watch)`);
      if (res.statusCode !== 200) {
        const text = await readBody(res).catch(() => '');
        return end(new ApiError(res.statusCode ?? 0, parseJson(text), res.headers, `GET ${url}`));
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: { type?: string; object?: unknown };
          try {
            ev = JSON.parse(line);
          } catch {
            continue;
          }
          if (ev.type) onEvent(ev.type, ev.object);
        }
      });
      res.on('end', () => end());
      res.on('aborted', () => end(Object.assign(new Error('the watch connection was dropped'), { code: 'ECONNRESET' })));
      res.on('error', (e) => end(e));
      res.on('close', () => end());
    })
    .catch((e) => {
      clearTimeout(deadline.timer);
      end(e);
    });
  return {
    abort() {
      aborted = true;
      ac.abort();
    },
  };
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
  let current: { abort(): void } | undefined;
  let failures = 0;
  let resolveDone!: () => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
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
    current = watchOnce(
      c,
      urlOf(c, path, { ...query, watch: true, allowWatchBookmarks: true, resourceVersion: rv }),
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
        if (gone || httpCode(err) === 410) {
          c.log(6, 'watch: 410 Gone, relisting');
          rv = undefined;
          return void start();
        }
        if (!err) return void start();
        return retry(err);
      },
    );
  };
  const retry = (e: unknown): void => {
    if (stopped) return resolveDone();
    const code = httpCode(e);
    if (code === 401 || code === 403 || code === 404) {
      stopped = true;
      return rejectDone(e);
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
      current?.abort();
      resolveDone();
    },
    done,
  };
}
