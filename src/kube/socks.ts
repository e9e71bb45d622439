/**
 * SOCKS5 proxies in HTTPS_PROXY / HTTP_PROXY (`socks5://[user:password@]host[:port]`, also socks5h), as
 * kubectl uses them (Go's net/http: the proxy resolves host names, which are sent to it as names;
 * RFC 1928 CONNECT, with RFC 1929 user name and password when the URL has them). Node's http.Agent only
 * knows HTTP proxies, so the agents here open the tunnel themselves and hand the socket to TLS (or to
 * HTTP for an http:// server). node:net is taken only when such a proxy is used.
 */
import type * as Net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Agent as HttpAgent } from 'node:http';

const net = (): typeof Net => process.getBuiltinModule('node:net');

/** A failure the proxy reported (or a proxy that does not speak SOCKS5), with code ERR_SOCKS. */
export class SocksError extends Error {
  readonly code = 'ERR_SOCKS';
}

// RFC 1928 §6: the REP field of a reply.
const REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** Reads exact byte counts from a socket, in order. */
function reader(sock: Net.Socket): { read(n: number): Promise<Buffer>; rest(): Buffer; done(): void } {
  let buf = Buffer.alloc(0);
  let want: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  const feed = () => {
    if (want && buf.length >= want.n) {
      const w = want;
      want = undefined;
      const out = buf.subarray(0, w.n);
      buf = buf.subarray(w.n);
      w.resolve(out);
    }
  };
  const onData = (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    feed();
  };
  const onEnd = () => want?.reject(new SocksError('the proxy closed the connection during the SOCKS5 handshake'));
  const onError = (e: Error) => want?.reject(e);
  sock.on('data', onData);
  sock.on('end', onEnd);
  sock.on('error', onError);
  return {
    read: (n) =>
      new Promise((resolve, reject) => {
        want = { n, resolve, reject };
        feed();
      }),
    rest: () => buf,
    done: () => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('error', onError);
      sock.pause();
    },
  };
}

/** The CONNECT request's address: an IPv4 or IPv6 address as such, anything else as a name for the proxy to resolve. */
function address(host: string): Buffer {
  const h = host.replace(/^\[|\]$/g, '');
  const family = net().isIP(h);
  if (family === 4) return Buffer.from([1, ...h.split('.').map(Number)]);
  if (family === 6) {
    // The eight 16-bit groups: '::' expanded, a trailing dotted IPv4 part as the last two, no zone.
    let v6 = h.replace(/%.*$/, '');
    const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v6);
    if (dotted) {
      const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
      v6 = `${v6.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [left, right] = v6.split('::') as [string, string | undefined];
    const head = left ? left.split(':') : [];
    const tail = right ? right.split(':') : [];
    const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
    const b = Buffer.alloc(17);
    b[0] = 4;
    groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 1 + i * 2));
    return b;
  }
  const name = Buffer.from(h);
  if (name.length > 255) throw new SocksError(`the host name ${h} is too long for SOCKS5`);
  return Buffer.concat([Buffer.from([3, name.length]), name]);
}

/**
 * A TCP connection to host:port through the SOCKS5 proxy at `proxy` (a socks5:// or socks5h:// URL).
 * `timeoutMs` (0: none) bounds the connection to the proxy and the handshake, so that a proxy that never
 * answers does not keep a socket open after the request has timed out.
 */
export async function socksConnect(proxy: URL, host: string, port: number, timeoutMs = 0): Promise<Net.Socket> {
  const sock = net().connect(Number(proxy.port || 1080), proxy.hostname.replace(/^\[|\]$/g, ''));
  if (timeoutMs > 0) sock.setTimeout(timeoutMs, () => sock.destroy(new SocksError(`no SOCKS5 answer within ${timeoutMs} ms`)));
  const r = reader(sock);
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const user = decodeURIComponent(proxy.username);
    const pass = decodeURIComponent(proxy.password);
    sock.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
    const [ver, method] = await r.read(2);
    if (ver !== 5) throw new SocksError('the proxy does not speak SOCKS5');
    if (method === 0xff) throw new SocksError(user ? 'the proxy accepts none of our authentication methods' : 'the proxy wants a user name and password (socks5://USER:PASSWORD@HOST:PORT)');
    if (method === 2) {
      const u = Buffer.from(user);
      const p = Buffer.from(pass);
      sock.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
      const [, status] = await r.read(2);
      if (status !== 0) throw new SocksError('the proxy refused the user name and password');
    } else if (method !== 0) throw new SocksError(`the proxy chose an authentication method we did not offer (${method})`);
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16BE(port);
    sock.write(Buffer.concat([Buffer.from([5, 1, 0]), address(host), portBytes]));
    const [, rep, , atyp] = await r.read(4);
    if (rep !== 0) throw new SocksError(REPLIES[rep!] ?? `SOCKS5 reply ${rep}`);
    const len = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? (await r.read(1))[0]! : -1;
    if (len < 0) throw new SocksError('the proxy sent a reply we cannot read');
    await r.read(len + 2); // the bound address and port: not needed
    const rest = r.rest();
    r.done();
    sock.setTimeout(0);
    if (rest.length) sock.unshift(rest);
    return sock;
  } catch (e) {
    r.done();
    sock.destroy();
    throw e;
  }
}

type OnCreate = (err: Error | null, socket?: Net.Socket) => void;

/**
 * An agent whose connections go through the SOCKS5 proxy: for https servers, TLS (with `options`: CA,
 * client certificate, server name) over the tunnel; for http servers, the tunnel itself. `timeoutMs`:
 * as for socksConnect.
 */
export function socksAgent(proxy: string, secure: boolean, options: object, timeoutMs = 0): HttpAgent {
  const url = new URL(proxy);
  const { Agent } = secure ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
  const agent = new Agent({ ...options, keepAlive: true });
  // http.Agent calls createConnection(options, oncreate) and, when it returns nothing, waits for oncreate.
  (agent as unknown as { createConnection: (o: Record<string, unknown>, cb: OnCreate) => undefined }).createConnection = (o, cb) => {
    socksConnect(url, String(o.host), Number(o.port), timeoutMs).then(
      (sock) => {
        // The handshake left the socket paused (so that nothing it read was lost). TLS takes its handle
        // as it is; an http:// server's client reads it as a stream, which must flow again.
        if (!secure) return cb(null, sock.resume());
        const tls = process.getBuiltinModule('node:tls');
        cb(null, tls.connect({ ...o, socket: sock } as ConnectionOptions));
      },
      (e: Error) => cb(e),
    );
    return undefined;
  };
  return agent;
}
