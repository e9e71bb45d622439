// Which proxy a request to the API server goes through, from HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as
// kubectl decides it (Go's http.ProxyFromEnvironment, golang.org/x/net/http/httpproxy):
// - https servers use HTTPS_PROXY, http servers HTTP_PROXY; the upper-case name wins over the lower-case;
// - a value without a scheme is read as http://VALUE;
// - localhost and loopback addresses are never proxied;
// - NO_PROXY is a comma-separated list: `*` (no proxying at all), an IP address, an IP range in CIDR
//   notation, or a domain name, each IP or name optionally with a port. A name matches itself and its
//   subdomains; with a leading `.` (or `*.`), its subdomains only.
// A cluster's proxy-url in the kubeconfig is not read here: it wins over the environment (client.ts).
// Plain data in and out: no I/O.
import type * as Net from 'node:net';

// node:net when a proxy is set, not at every start (client.ts is on every cluster command's path).
const net = (): typeof Net => process.getBuiltinModule('node:net');
const isIP = (s: string): number => net().isIP(s);

export type ProxyEnv = Record<string, string | undefined>;

/** The first non-empty of the names, in order (kubectl reads HTTPS_PROXY before https_proxy). */
function envAny(env: ProxyEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v) return v;
  }
  return undefined;
}

/** host and port of `host:port`, `[v6]:port`, `v6` or `host`. */
function splitHostPort(s: string): { host: string; port: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ?? '' };
  if (isIP(s) === 6) return { host: s, port: '' };
  const i = s.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(s.slice(i + 1))) return { host: s.slice(0, i), port: s.slice(i + 1) };
  return { host: s, port: '' };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    const b = new (net().BlockList)();
    b.addAddress('::1', 'ipv6');
    b.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
    return b.check(host, 'ipv6');
  }
  return false;
}

/** True when NO_PROXY (the list) says that host:port is reached directly. */
export function bypassed(host: string, port: string, noProxy: string): boolean {
  host = host.toLowerCase();
  const ipFamily = isIP(host);
  for (let entry of noProxy.split(',')) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const cidr = /^(.+)\/(\d+)$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      if (family && ipFamily === family) {
        const b = new (net().BlockList)();
        b.addSubnet(cidr[1]!, Number(cidr[2]), family === 4 ? 'ipv4' : 'ipv6');
        if (b.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
      }
      continue;
    }
    const e = splitHostPort(entry);
    if (e.port && e.port !== port) continue;
    if (isIP(e.host)) {
      if (ipFamily && e.host === host) return true;
      continue;
    }
    let name = e.host;
    if (name.startsWith('*.')) name = name.slice(1);
    const subdomainsOnly = name.startsWith('.');
    const suffix = subdomainsOnly ? name : `.${name}`;
    if (host.endsWith(suffix) || (!subdomainsOnly && host === name)) return true;
  }
  return false;
}

/**
 * The proxy URL for requests to `server` (the kubeconfig's cluster server), or undefined for a direct
 * connection. Throws a message for a proxy this client cannot use (not http://, https://, socks5:// or
 * socks5h://).
 */
export function proxyFor(server: string, env: ProxyEnv): string | undefined {
  const u = new URL(server);
  const secure = u.protocol === 'https:';
  let proxy = secure ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!proxy) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(host)) return undefined;
  const port = u.port || (secure ? '443' : '80');
  const noProxy = envAny(env, 'NO_PROXY', 'no_proxy');
  if (noProxy && bypassed(host, port, noProxy)) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy)) proxy = `http://${proxy}`;
  const scheme = proxy.slice(0, proxy.indexOf(':')).toLowerCase();
  if (!['http', 'https', 'socks5', 'socks5h'].includes(scheme)) {
    throw new Error(`${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'} is a ${scheme} proxy; kubectl-ds goes through HTTP, HTTPS and SOCKS5 proxies only: set NO_PROXY=${host}, or give the cluster a proxy-url in the kubeconfig`);
  }
  return proxy;
}

/** True when this Node.js can tunnel through a proxy (http.Agent's proxyEnv: Node 22.21+ and 24.5+). */
export function nodeCanProxy(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major >= 25 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}
