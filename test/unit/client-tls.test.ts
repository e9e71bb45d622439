// The client's own HTTPS transport (src/kube/client.ts, static credentials) against a local HTTPS
// server that asks for a client certificate: the kubeconfig's client certificate and key (file and
// -data forms), the cluster's CA, tls-server-name, insecure-skip-tls-verify, and the one-line errors
// for an untrusted server. The client certificate is made with the openssl command line tool.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, connect, getJson } from '../../src/kube/client.js';
import { generateServingCerts } from '../../src/sim/tls.js';
import { globals, writeKubeconfig } from '../helpers/client.js';

const dir = mkdtempSync(join(tmpdir(), 'kds-tls-'));
const serving = generateServingCerts();
let server: Server;
let server2: Server | undefined;
let url = '';
let url2 = '';
const seen: { cn?: string; authorization?: string; impersonate?: string | string[] }[] = [];

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  // A client CA and a client certificate for CN=jane, O=devs, as a cluster's CA would issue them.
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=client-ca', '-days', '2');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'jane.key', '-out', 'jane.csr', '-subj', '/O=devs/CN=jane');
  openssl('x509', '-req', '-in', 'jane.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'jane.crt', '-days', '2');
  const opts = { key: serving.key, cert: serving.cert, ca: readFileSync(join(dir, 'ca.crt')), requestCert: true, rejectUnauthorized: false };
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const authorized = (req.socket as TLSSocket).authorized;
    seen.push({ cn: authorized ? String(peer.subject?.CN) : undefined, authorization: req.headers.authorization, impersonate: req.headers['impersonate-group'] });
    res.writeHead(authorized || req.headers.authorization ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(authorized || req.headers.authorization ? { user: authorized ? peer.subject?.CN : 'token' } : { kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }));
  };
  server = createServer(opts, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The same server at an address its certificate does not name (127.0.0.2: loopback on Linux).
  const second = createServer(opts, handler);
  await new Promise<void>((r) => second.once('error', () => r()).listen(0, '127.0.0.2', () => ((server2 = second), r())));
  if (server2) url2 = `https://127.0.0.2:${(server2.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await new Promise<void>((r) => (server2 ? server2.close(() => r()) : r()));
});

const g = (kubeconfig: string) => globals({ kubeconfig, requestTimeoutMs: 5000 });
let n = 0;
const kubeconfig = (cluster: Record<string, unknown>, user: Record<string, unknown>): string => writeKubeconfig(join(dir, `kc-${++n}`), { server: url, ...cluster }, user);
const caData = Buffer.from(serving.caCert).toString('base64');
const b64 = (f: string) => readFileSync(join(dir, f)).toString('base64');

describe('the HTTPS transport with static credentials', () => {
  it('a client certificate and key from files (relative to the kubeconfig) authenticate as their CN', async () => {
    const c = connect(g(kubeconfig({ 'certificate-authority-data': caData }, { 'client-certificate': 'jane.crt', 'client-key': 'jane.key' })));
    expect(await getJson(c, '/whoami')).toEqual({ user: 'jane' });
    expect(seen.at(-1)!.authorization).toBeUndefined();
  });

  it('the -data forms, and impersonation headers from as-groups', async () => {
    const c = connect(g(kubeconfig({ 'certificate-authority-data': caData }, { 'client-certificate-data': b64('jane.crt'), 'client-key-data': b64('jane.key'), 'as-groups': ['ops', 'audit'] })));
    expect(await getJson(c, '/whoami')).toEqual({ user: 'jane' });
    expect(seen.at(-1)!.impersonate).toBe('ops, audit');
  });

  it('the CA from a file, and tls-server-name for a server whose certificate does not name the address', async (ctx) => {
    writeFileSync(join(dir, 'server-ca.crt'), serving.caCert);
    // The serving certificate names 127.0.0.1 and localhost: reach it as 127.0.0.2, verify it as localhost.
    if (!url2) {
      console.log('client-tls: tls-server-name case skipped: cannot listen on 127.0.0.2 here');
      ctx.skip();
    }
    const other = url2;
    const file = kubeconfig({ 'certificate-authority': join(dir, 'server-ca.crt'), server: other, 'tls-server-name': 'localhost' }, { token: 'T' });
    expect(await getJson(connect(g(file)), '/whoami')).toEqual({ user: 'token' });
    expect(seen.at(-1)!.authorization).toBe('Bearer T');
    const without = connect(g(kubeconfig({ 'certificate-authority': join(dir, 'server-ca.crt'), server: other }, { token: 'T' })));
    const e = await getJson(without, '/whoami').catch((x) => x);
    expect(apiError(e, without, 'get x').message).toBe(`get x: cannot talk to ${other}: the server's certificate does not name this address: check the server address or tls-server-name`);
  });

  it('an untrusted server is refused with a line that says what to set; insecure-skip-tls-verify accepts it', async () => {
    const untrusted = kubeconfig({}, { token: 'T' });
    const c = connect(g(untrusted));
    const e = await getJson(c, '/whoami').catch((x) => x);
    expect(apiError(e, c, 'list nodes').message).toMatch(new RegExp(`^list nodes: cannot talk to ${url.replace(/\./g, '\\.')}: the server's certificate (chain is not trusted|cannot be verified|is self-signed and not trusted): (set|check) certificate-authority`));
    expect(await getJson(connect(g(kubeconfig({ 'insecure-skip-tls-verify': true }, { token: 'T' }))), '/whoami')).toEqual({ user: 'token' });
  });

  it('a missing client key file is named before anything is sent', () => {
    expect(() => connect(g(kubeconfig({ 'certificate-authority-data': caData }, { 'client-certificate': 'jane.crt', 'client-key': 'nope.key' })))).toThrow(/cannot read the client-key file .*nope\.key of user "u"/);
  });
});
