// Which proxy a request takes (src/kube/proxy.ts), against the rules kubectl follows: Go's
// http.ProxyFromEnvironment as documented in golang.org/x/net/http/httpproxy (expected values written
// from that documentation, case by case).
import { describe, expect, it } from 'vitest';
import { bypassed, nodeCanProxy, proxyFor } from '../../src/kube/proxy.js';

describe('proxyFor: HTTPS_PROXY, HTTP_PROXY, NO_PROXY as kubectl reads them', () => {
  const P = 'http://proxy.corp:3128';

  it('https servers use HTTPS_PROXY, http servers HTTP_PROXY; nothing set, no proxy', () => {
    expect(proxyFor('https://api.example.com:6443', { HTTPS_PROXY: P, HTTP_PROXY: 'http://other:1' })).toBe(P);
    expect(proxyFor('http://api.example.com:8080', { HTTPS_PROXY: P, HTTP_PROXY: 'http://other:1' })).toBe('http://other:1');
    expect(proxyFor('http://api.example.com:8080', { HTTPS_PROXY: P })).toBeUndefined();
    expect(proxyFor('https://api.example.com', {})).toBeUndefined();
  });

  it('the upper-case variable wins over the lower-case one; an empty one counts as unset', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: P, https_proxy: 'http://lower:1' })).toBe(P);
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: '', https_proxy: 'http://lower:1' })).toBe('http://lower:1');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: '', no_proxy: 'example.com' })).toBeUndefined();
  });

  it('a proxy without a scheme is an http:// proxy; https:// and socks5(h):// proxies are kept; socks4 is refused with what to do', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'https://proxy.corp' })).toBe('https://proxy.corp');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'socks5://proxy.corp:1080' })).toBe('socks5://proxy.corp:1080');
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: 'socks5h://proxy.corp:1080' })).toBe('socks5h://proxy.corp:1080');
    expect(() => proxyFor('https://api.example.com', { HTTPS_PROXY: 'socks4://proxy.corp:1080' })).toThrow(/socks4 proxy; .*set NO_PROXY=api\.example\.com/);
  });

  it('localhost and loopback addresses are never proxied, whatever NO_PROXY says', () => {
    for (const server of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.1.2.3', 'https://[::1]:6443']) {
      expect(proxyFor(server, { HTTPS_PROXY: P })).toBeUndefined();
    }
    expect(proxyFor('https://10.0.0.1:6443', { HTTPS_PROXY: P })).toBe(P);
    expect(proxyFor('https://[2001:db8::1]:6443', { HTTPS_PROXY: P })).toBe(P);
  });

  it('NO_PROXY decides with the default port of the scheme when the server gives none', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:443' })).toBeUndefined();
    expect(proxyFor('https://api.example.com:6443', { HTTPS_PROXY: P, NO_PROXY: 'api.example.com:443' })).toBe(P);
  });
});

describe('bypassed: the NO_PROXY list', () => {
  it('`*` bypasses everything', () => {
    expect(bypassed('anything.example', '443', '*')).toBe(true);
    expect(bypassed('10.1.2.3', '443', 'foo.com, *')).toBe(true);
  });

  it('a domain name matches itself and its subdomains; with a leading "." or "*." its subdomains only', () => {
    expect(bypassed('foo.com', '443', 'foo.com')).toBe(true);
    expect(bypassed('bar.foo.com', '443', 'foo.com')).toBe(true);
    expect(bypassed('barfoo.com', '443', 'foo.com')).toBe(false);
    expect(bypassed('x.y.com', '443', '.y.com')).toBe(true);
    expect(bypassed('y.com', '443', '.y.com')).toBe(false);
    expect(bypassed('x.y.com', '443', '*.y.com')).toBe(true);
    expect(bypassed('y.com', '443', '*.y.com')).toBe(false);
  });

  it('names compare without case; entries are trimmed; empty entries are ignored', () => {
    expect(bypassed('API.Example.COM', '443', ' , example.com ,')).toBe(true);
    expect(bypassed('api.example.com', '443', 'EXAMPLE.com')).toBe(true);
  });

  it('an entry with a port matches that port only', () => {
    expect(bypassed('foo.com', '6443', 'foo.com:6443')).toBe(true);
    expect(bypassed('foo.com', '443', 'foo.com:6443')).toBe(false);
    expect(bypassed('10.0.0.5', '6443', '10.0.0.5:6443')).toBe(true);
    expect(bypassed('10.0.0.5', '443', '10.0.0.5:6443')).toBe(false);
  });

  it('IP addresses match exactly, CIDR ranges by prefix (IPv4 and IPv6); a name never matches an IP entry', () => {
    expect(bypassed('10.0.0.5', '443', '10.0.0.5')).toBe(true);
    expect(bypassed('10.0.0.6', '443', '10.0.0.5')).toBe(false);
    expect(bypassed('10.96.3.4', '443', '10.0.0.0/8')).toBe(true);
    expect(bypassed('11.0.0.1', '443', '10.0.0.0/8')).toBe(false);
    expect(bypassed('192.168.1.200', '443', '192.168.1.128/25')).toBe(true);
    expect(bypassed('192.168.1.100', '443', '192.168.1.128/25')).toBe(false);
    expect(bypassed('2001:db8::7', '443', '2001:db8::/32')).toBe(true);
    expect(bypassed('2001:db9::7', '443', '2001:db8::/32')).toBe(false);
    expect(bypassed('2001:db8::7', '443', '[2001:db8::7]:443')).toBe(true);
    expect(bypassed('ten.example', '443', '10.0.0.0/8, 10.0.0.5')).toBe(false);
  });
});

describe('nodeCanProxy: http.Agent proxyEnv arrived in Node.js 22.21.0 and 24.5.0', () => {
  it('by version', () => {
    expect(['22.19.0', '22.20.0', '24.4.1'].map((v) => nodeCanProxy(v))).toEqual([false, false, false]);
    expect(['22.21.0', '22.23.3', '24.5.0', '24.21.0', '25.0.0'].map((v) => nodeCanProxy(v))).toEqual([true, true, true, true, true]);
  });
});
