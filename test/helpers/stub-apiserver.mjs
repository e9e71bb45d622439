// A tiny HTTPS API server stub on 127.0.0.1 for tests and benchmarks that need to see exactly what the
// CLI sends (method, path, query, headers, body) and to script answers. It is NOT a simulator: it
// stores DaemonSets created without dryRun (so a second create gets AlreadyExists) and answers
// everything else with 404, unless a test's `handler` answers first.
//
//   const stub = await startStub({ handler(req, body) { return { code: 422, body: {...} } } });
//   stub.kubeconfig   // a kubeconfig file path (token auth, the stub's certificate as CA)
//   stub.requests     // [{ method, path, query, headers, body }]
//   await stub.close();
//
// Plain JavaScript so that test/bench/ can use it without a TypeScript loader. Needs `openssl`.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let certs;
function certificate() {
  if (certs) return certs;
  const dir = mkdtempSync(join(tmpdir(), 'kds-stub-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { stdio: 'ignore' },
  );
  certs = { dir, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  return certs;
}

function status(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

export const TOKEN = 'stub-token-0123456789';

export async function startStub(opts = {}) {
  const { key, cert, dir } = certificate();
  const requests = [];
  const stored = new Map();
  let rv = 1000;
  const server = createServer({ key, cert }, (req, res) => {
    // For the start-up benchmark: when each request arrived (wall clock, ms), one line each.
    if (opts.arrivals) appendFileSync(opts.arrivals, `${performance.timeOrigin + performance.now()}\n`);
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const url = new URL(req.url, 'https://127.0.0.1');
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      requests.push(record);
      const send = (code, obj, headers = {}) => {
        res.writeHead(code, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      const answer = opts.handler ? await opts.handler(record) : undefined;
      if (answer) return send(answer.code, answer.body, answer.headers);
      const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/daemonsets$/.exec(url.pathname);
      if (req.method === 'POST' && m && body && typeof body === 'object') {
        const name = body.metadata?.name;
        const k = `${m[1]}/${name}`;
        if (stored.has(k)) return send(409, status(409, 'AlreadyExists', `daemonsets.apps "${name}" already exists`, { name, group: 'apps', kind: 'daemonsets' }));
        const created = {
          ...body,
          metadata: { ...body.metadata, namespace: m[1], uid: `uid-${rv}`, resourceVersion: String(rv++), generation: 1, creationTimestamp: '2026-11-23T00:00:00Z',
            managedFields: [{ manager: url.searchParams.get('fieldManager') ?? '', operation: 'Update', apiVersion: 'apps/v1' }] },
        };
        if (url.searchParams.get('dryRun') !== 'All') stored.set(k, created);
        return send(201, created);
      }
      send(404, status(404, 'NotFound', `the server could not find the requested resource`));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${server.address().port}`;
  const kubeconfig = join(mkdtempSync(join(dir, 'kc-')), 'kubeconfig');
  // Block style throughout, as kubectl writes kubeconfigs.
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: stub
clusters:
- name: stub
  cluster:
    server: ${url}
    certificate-authority-data: ${Buffer.from(cert).toString('base64')}
users:
- name: stub
  user:
    token: ${TOKEN}
contexts:
- name: stub
  context:
    cluster: stub
    user: stub
    namespace: stub-ns
`,
  );
  return {
    url,
    kubeconfig,
    requests,
    stored,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

// Run as a program (`node stub-apiserver.mjs [ARRIVALS-FILE]`), it serves until stdin closes and prints
// one JSON line {url, kubeconfig}: for benchmarks, whose timing loop blocks their own event loop. With
// ARRIVALS-FILE, it appends the arrival time of every request to it (see opts.arrivals).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const stub = await startStub({ arrivals: process.argv[2] });
  process.stdout.write(`${JSON.stringify({ url: stub.url, kubeconfig: stub.kubeconfig })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => stub.close().then(() => process.exit(0)));
}
