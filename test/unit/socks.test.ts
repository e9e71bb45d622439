/**
 * socks.ts by itself, against the SOCKS5 test proxy (test/helpers/socks-proxy.ts): the CONNECT address
 * as RFC 1928 §5 encodes it (a name as a name, IPv4 and IPv6 addresses as addresses), and a plain-HTTP
 * server through the tunnel (client.test.ts covers HTTPS, watches and the refusals).
 */
import { createServer, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socksAgent, socksConnect } from '../../src/kube/socks.js';
import { startSocksProxy, type TestSocksProxy } from '../helpers/socks-proxy.js';

const web = createServer((req, res) => res.end(`hello ${req.url}`));
let port: number;
let socks: TestSocksProxy;

beforeAll(async () => {
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  port = (web.address() as { port: number }).port;
  socks = await startSocksProxy(port);
});
afterAll(() => {
  socks.close();
  web.close();
});

describe('socks', () => {
  it('CONNECT sends a host name as a name, and IPv4 and IPv6 addresses as addresses', async () => {
    for (const host of ['api.cluster.invalid', '10.1.2.3', '::1', '[fd00::1:2]', '::ffff:10.0.0.1']) {
      const sock = await socksConnect(new URL(socks.url), host, 6443, 2000);
      sock.destroy();
    }
    expect(socks.seen.map((x) => x.target)).toEqual([
      'api.cluster.invalid:6443',
      '10.1.2.3:6443',
      '[0:0:0:0:0:0:0:1]:6443',
      '[fd00:0:0:0:0:0:1:2]:6443',
      '[0:0:0:0:0:ffff:a00:1]:6443',
    ]);
  });

  it('an http:// server through the tunnel: answers arrive, and a kept-alive tunnel carries the next request', { timeout: 10_000 }, async () => {
    const agent = socksAgent(socks.url, false, {}, 2000);
    const before = socks.seen.length;
    try {
      for (const path of ['/one', '/two']) {
        const body = await new Promise<string>((resolve, reject) =>
          get({ host: 'web.invalid', port, path, agent }, (res) => {
            let b = '';
            res.on('data', (d) => (b += d));
            res.on('end', () => resolve(b));
          }).on('error', reject),
        );
        expect(body).toBe(`hello ${path}`);
      }
      expect(socks.seen.slice(before)).toEqual([{ target: `web.invalid:${port}`, user: undefined }]);
    } finally {
      agent.destroy();
    }
  });
});
