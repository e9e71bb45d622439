// The simulator's API server over real HTTPS (src/sim/server.ts): authentication, authorization,
// discovery, errors as Status objects, lists with pagination, watches (410 Gone, bookmarks, selector
// transitions), Tables, and fault injection. Expected values from the API server's conventions.
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimHandle } from '../../src/sim/cluster.js';

let sim: SimHandle;
beforeAll(async () => {
  sim = await startCluster({ scenario: 'mixed', port: 0, bookmarkIntervalMs: 100 });
});
afterAll(async () => {
  await sim?.stop();
});

interface Res {
  code: number;
  body: any;
  text: string;
  headers: Record<string, unknown>;
}

function call(method: string, path: string, opts: { body?: string | object; token?: string | null; type?: string; accept?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? '' : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? sim.tokens.admin}`;
    if (opts.accept) headers.accept = opts.accept;
    const req = request(`${sim.url}${path}`, { method, ca: sim.caCert, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ code: res.statusCode!, body, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens a watch and collects its JSON lines until `until` says stop (or the server ends it). */
function watch(path: string, until: (events: any[]) => boolean, timeoutMs = 5000): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let buf = '';
    const req = request(`${sim.url}${path}`, { method: 'GET', ca: sim.caCert, headers: { authorization: `Bearer ${sim.tokens.admin}` } }, (res) => {
      res.on('data', (d) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
          if (until(events)) {
            req.destroy();
            resolve(events);
          }
        }
      });
      res.on('end', () => resolve(events));
      res.on('error', () => resolve(events));
    });
    req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, timeoutMs);
    req.end();
  });
}

const dsBody = (name: string, labels: Record<string, string> = { app: name }) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, labels },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
});

describe('TLS and authentication', () => {
  it('serves a certificate for 127.0.0.1 signed by the kubeconfig CA', () => {
    const ca = new X509Certificate(sim.caCert);
    expect(ca.ca).toBe(true);
    const kc = sim.kubeconfig();
    expect(kc).toContain(`server: ${sim.url}`);
    expect(kc).toContain(`certificate-authority-data: ${Buffer.from(sim.caCert).toString('base64')}`);
    expect(kc).toMatch(/current-context: ds-sim\n/);
  });

  it('401 without a token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const r = await call('GET', '/api/v1/nodes', { token });
      expect(r.code).toBe(401);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('the viewer reads but may not write: 403 with the RBAC message', async () => {
    expect((await call('GET', '/api/v1/nodes', { token: sim.tokens.viewer })).code).toBe(200);
    const del = await call('DELETE', '/apis/apps/v1/namespaces/default/daemonsets/x', { token: sim.tokens.viewer });
    expect(del.code).toBe(403);
    expect(del.body.message).toBe('daemonsets.apps "x" is forbidden: User "viewer" cannot delete resource "daemonsets" in API group "apps" in the namespace "default"');
    expect(del.body.details).toEqual({ name: 'x', group: 'apps', kind: 'daemonsets' });
    const create = await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { token: sim.tokens.viewer, body: dsBody('v') });
    expect(create.body.message).toBe('daemonsets.apps is forbidden: User "viewer" cannot create resource "daemonsets" in API group "apps" in the namespace "default"');
    const patch = await call('PATCH', '/api/v1/nodes/node-1/status', { token: sim.tokens.viewer, body: {}, type: 'application/merge-patch+json' });
    expect(patch.body.message).toBe('nodes "node-1" is forbidden: User "viewer" cannot patch resource "nodes/status" in API group "" at the cluster scope');
  });
});

describe('discovery', () => {
  it('lists only what is served', async () => {
    expect((await call('GET', '/apis')).body.groups.map((g: any) => g.name)).toEqual(['apps', 'authorization.k8s.io', 'coordination.k8s.io']);
    const apps = (await call('GET', '/apis/apps/v1')).body;
    expect(apps.resources.map((r: any) => r.name)).toEqual(['daemonsets', 'daemonsets/status', 'controllerrevisions']);
    expect(apps.resources[0]).toMatchObject({ kind: 'DaemonSet', namespaced: true, shortNames: ['ds'] });
    const core = (await call('GET', '/api/v1')).body;
    expect(core.resources.map((r: any) => r.name)).toEqual(['namespaces', 'namespaces/status', 'nodes', 'nodes/status', 'pods', 'pods/status', 'pods/binding', 'pods/eviction', 'events']);
    expect((await call('GET', '/version')).body.gitVersion).toMatch(/^v1\.30\./);
    expect((await call('GET', '/api')).body.versions).toEqual(['v1']);
  });

  it('OpenAPI v3 names a PATCH with fieldValidation per kind; v2 is not served', async () => {
    const root = (await call('GET', '/openapi/v3')).body;
    expect(Object.keys(root.paths).sort()).toEqual(['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1']);
    const doc = (await call('GET', root.paths['apis/apps/v1'].serverRelativeURL)).body;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'DaemonSet' });
    expect(patch.parameters.map((p: any) => p.name)).toContain('fieldValidation');
    expect((await call('GET', '/openapi/v2')).code).toBe(404);
  });
});

describe('errors', () => {
  it('404 NotFound with the resource in the message', async () => {
    const r = await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/nope');
    expect(r.code).toBe(404);
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'daemonsets.apps "nope" not found', reason: 'NotFound', details: { name: 'nope', group: 'apps', kind: 'daemonsets' }, code: 404 });
    expect((await call('GET', '/api/v1/nodes/nope')).body.message).toBe('nodes "nope" not found');
    expect((await call('GET', '/apis/apps/v1/namespaces/default/foos')).body.message).toBe('the server could not find the requested resource');
  });

  it('malformed JSON is a 400 Status, and the server keeps serving', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: '{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"' });
    expect(r.code).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    expect(r.body.message).toMatch(/^the object provided is unrecognized \(must be of type DaemonSet\): couldn't get version\/kind; json parse error: /);
    for (const body of ['[]', 'null', '"x"', '{"metadata": 5}']) {
      const x = await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body });
      expect([400, 422]).toContain(x.code);
      expect(x.body.kind).toBe('Status');
    }
    expect((await call('PATCH', '/api/v1/nodes/node-1', { body: '{bad', type: 'application/merge-patch+json' })).code).toBe(400);
    expect((await call('PATCH', '/api/v1/nodes/node-1', { body: '{}', type: 'text/plain' })).code).toBe(415);
    expect((await call('GET', '/api/v1/nodes?labelSelector=a+in+(b')).body.message).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    expect((await call('GET', '/api/v1/nodes')).code).toBe(200);
  });

  it('a field of the wrong JSON type is a 400, as the Go decoder answers', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: 'x' } });
    expect(r.code).toBe(400);
    expect(r.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
    const l = await call('PATCH', '/api/v1/nodes/node-1', { body: { metadata: { labels: { a: 5 } } }, type: 'application/merge-patch+json' });
    expect(l.body.message).toBe('Node in version "v1" cannot be handled as a Node: json: cannot unmarshal number into Go struct field Node.metadata.labels.a of type string');
  });

  it('never answers 5xx to malformed input, whatever the verb, path and body', async () => {
    const bodies = ['{', 'null', '[]', '5', '{"metadata":null}', '{"metadata":{"name":5}}', '{"spec":"x"}', '{"status":5}', '[{"op":"add"}]', '{"$patch":"delete"}', '{"spec":{"template":{"spec":{"containers":[null,5]}}}}', '{"spec":{"selector":{"matchExpressions":[null]}}}', 'a: b: c'];
    const types = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml'];
    sim.addNode({ name: 'fuzz-1' });
    await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: dsBody('fuzz') });
    const targets = ['/apis/apps/v1/namespaces/default/daemonsets/fuzz', '/api/v1/nodes/fuzz-1', '/api/v1/nodes/fuzz-1/status', '/api/v1/namespaces/default/pods/%E0%A4%A', '/api/v1/namespaces/default/pods/x/binding'];
    const codes = new Set<number>();
    for (const body of bodies) {
      for (const path of targets) {
        for (const type of types) codes.add((await call('PATCH', path, { body, type })).code);
        codes.add((await call('PUT', path, { body })).code);
        codes.add((await call('POST', path.replace(/\/[^/]+$/, ''), { body })).code);
      }
    }
    expect([...codes].filter((c) => c >= 500)).toEqual([]);
    expect((await call('GET', '/api/v1/nodes')).code).toBe(200);
    sim.removeNode('fuzz-1');
  });

  it('405 for a verb a resource does not take, 409 AlreadyExists, 404 for a missing namespace', async () => {
    expect((await call('PUT', '/apis/apps/v1/namespaces/default/daemonsets', { body: {} })).code).toBe(405);
    expect((await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: dsBody('dup') })).code).toBe(201);
    const again = await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: dsBody('dup') });
    expect(again.code).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'daemonsets.apps "dup" already exists' });
    const nons = await call('POST', '/apis/apps/v1/namespaces/nope/daemonsets', { body: dsBody('x') });
    expect(nons.code).toBe(404);
    expect(nons.body.message).toBe('namespaces "nope" not found');
  });

  it('dryRun=All creates nothing', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/default/daemonsets?dryRun=All', { body: dsBody('dry') });
    expect(r.code).toBe(201);
    expect(r.body.metadata.uid).toBeTruthy();
    expect((await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/dry')).code).toBe(404);
    await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body: dsBody('keep') });
    const d = await call('DELETE', '/apis/apps/v1/namespaces/default/daemonsets/keep?dryRun=All');
    expect(d.code).toBe(200);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/keep')).code).toBe(200);
  });

  it('generateName', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/events', { body: { apiVersion: 'v1', kind: 'Event', metadata: { generateName: 'e-' }, involvedObject: { kind: 'Node', name: 'node-1' }, reason: 'R' } });
    expect(r.code).toBe(201);
    expect(r.body.metadata.name).toMatch(/^e-[a-z0-9]{5}$/);
  });
});

describe('lists', () => {
  it('pages with limit and continue, and carries resourceVersion', async () => {
    const first = (await call('GET', '/api/v1/nodes?limit=4')).body;
    expect(first.kind).toBe('NodeList');
    expect(first.items.map((n: any) => n.metadata.name)).toEqual(['cp-1', 'node-1', 'node-2', 'node-3']);
    expect(first.items[0].kind).toBeUndefined(); // list items carry no type meta, as on the API server
    expect(first.metadata.remainingItemCount).toBe(2);
    expect(first.metadata.resourceVersion).toMatch(/^\d+$/);
    const second = (await call('GET', `/api/v1/nodes?limit=4&continue=${encodeURIComponent(first.metadata.continue)}`)).body;
    expect(second.items.map((n: any) => n.metadata.name)).toEqual(['node-4', 'node-5']);
    expect(second.metadata.continue).toBeUndefined();
    expect((await call('GET', '/api/v1/nodes?continue=garbage')).code).toBe(400);
  });

  it('filters by label and field selectors', async () => {
    const names = async (q: string) => (await call('GET', `/api/v1/nodes?${q}`)).body.items.map((n: any) => n.metadata.name);
    expect(await names('labelSelector=disktype%3Dssd')).toEqual(['cp-1', 'node-1', 'node-2', 'node-4', 'node-5']);
    expect(await names('labelSelector=!disktype')).toEqual(['node-3']);
    expect(await names('labelSelector=node-role.kubernetes.io%2Fcontrol-plane')).toEqual(['cp-1']);
    expect(await names('fieldSelector=metadata.name%3Dnode-2')).toEqual(['node-2']);
  });
});

describe('tables', () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  it('nodes: the printer columns, -o wide ones at priority 1, PartialObjectMetadata rows', async () => {
    const t = (await call('GET', '/api/v1/nodes?limit=500', { accept })).body;
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c: any) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0', 'Status:0', 'Roles:0', 'Age:0', 'Version:0', 'Internal-IP:1', 'External-IP:1', 'OS-Image:1', 'Kernel-Version:1', 'Container-Runtime:1',
    ]);
    expect(t.rows[0].cells.slice(0, 3)).toEqual(['cp-1', 'Ready', 'control-plane,master']);
    expect(t.rows[1].cells[2]).toBe('<none>');
    expect(t.rows[0].object.kind).toBe('PartialObjectMetadata');
    const full = (await call('GET', '/api/v1/nodes/node-1?includeObject=Object', { accept })).body;
    expect(full.rows[0].object.kind).toBe('Node');
    const none = (await call('GET', '/api/v1/nodes/node-1?includeObject=None', { accept })).body;
    expect(none.rows[0].object).toBeUndefined();
  });

  it('daemonsets: DESIRED ... NODE SELECTOR AGE, CONTAINERS IMAGES SELECTOR', async () => {
    const body = dsBody('tbl');
    (body.spec.template.spec as any).nodeSelector = { disktype: 'ssd', zone: 'a' };
    await call('POST', '/apis/apps/v1/namespaces/default/daemonsets', { body });
    const t = (await call('GET', '/apis/apps/v1/namespaces/default/daemonsets/tbl', { accept })).body;
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.rows[0].cells).toEqual(['tbl', 0, 0, 0, 0, 0, 'disktype=ssd,zone=a', expect.stringMatching(/^\d+s$/), 'c', 'nginx:1.25', 'app=tbl']);
  });
});

describe('watches', () => {
  it('from resourceVersion: the changes since, with selector transitions', async () => {
    const rv = (await call('GET', '/api/v1/nodes')).body.metadata.resourceVersion;
    const events = watch(`/api/v1/nodes?watch=true&resourceVersion=${rv}&labelSelector=team%3Dblue`, (e) => e.length >= 3);
    await new Promise((r) => setTimeout(r, 50));
    await call('PATCH', '/api/v1/nodes/node-3', { body: { metadata: { labels: { team: 'blue' } } }, type: 'application/merge-patch+json' });
    await call('PATCH', '/api/v1/nodes/node-3', { body: { spec: { unschedulable: true } }, type: 'application/strategic-merge-patch+json' });
    await call('PATCH', '/api/v1/nodes/node-3', { body: { metadata: { labels: { team: null } } }, type: 'application/merge-patch+json' });
    const got = await events;
    expect(got.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(got.every((e) => e.object.metadata.name === 'node-3')).toBe(true);
    await call('PATCH', '/api/v1/nodes/node-3', { body: { spec: { unschedulable: null } }, type: 'application/strategic-merge-patch+json' });
  });

  it('without resourceVersion: ADDED for what exists, then changes; bookmarks when allowed', async () => {
    const got = await watch('/api/v1/nodes?watch=1&fieldSelector=metadata.name%3Dnode-1&allowWatchBookmarks=true', (e) => e.some((x) => x.type === 'BOOKMARK'));
    expect(got[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'node-1' } } });
    const bm = got.find((e) => e.type === 'BOOKMARK');
    expect(bm.object.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it('a resourceVersion older than the history is an ERROR event with 410 Expired', async () => {
    const old = sim.store.historyLimit;
    sim.store.historyLimit = 2;
    for (let i = 0; i < 4; i++) await call('PATCH', '/api/v1/nodes/node-5', { body: { metadata: { annotations: { n: String(i) } } }, type: 'application/merge-patch+json' });
    const got = await watch('/api/v1/nodes?watch=true&resourceVersion=1', () => false, 1000);
    sim.store.historyLimit = old;
    expect(got).toHaveLength(1);
    expect(got[0].type).toBe('ERROR');
    expect(got[0].object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(got[0].object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('timeoutSeconds ends the stream', async () => {
    const t0 = Date.now();
    await watch('/api/v1/nodes?watch=true&timeoutSeconds=1', () => false, 4000);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('faults', () => {
  it('failNext answers matching requests with a Status, `times` times', async () => {
    sim.faults.failNext({ method: 'GET', path: /\/nodes\/node-2$/, times: 2 }, 500);
    expect((await call('GET', '/api/v1/nodes/node-1')).code).toBe(200);
    const a = await call('GET', '/api/v1/nodes/node-2');
    expect(a.code).toBe(500);
    expect(a.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect((await call('GET', '/api/v1/nodes/node-2')).code).toBe(500);
    expect((await call('GET', '/api/v1/nodes/node-2')).code).toBe(200);
    sim.faults.failNext({ path: /daemonsets/ }, 429);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/daemonsets')).body.reason).toBe('TooManyRequests');
  });

  it('delay slows matching requests until undone', async () => {
    const undo = sim.faults.delay({ path: /node-4/ }, 300);
    let t0 = Date.now();
    await call('GET', '/api/v1/nodes/node-4');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    undo();
    t0 = Date.now();
    await call('GET', '/api/v1/nodes/node-4');
    expect(Date.now() - t0).toBeLessThan(290);
  });

  it('dropWatches closes open watches', async () => {
    const events = watch('/api/v1/nodes?watch=true', () => false, 5000);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    sim.faults.dropWatches();
    await events;
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('nodes from the handle', () => {
  it('addNode carries the not-ready taint; stopNode/startNode flip the annotation; removeNode deletes', async () => {
    sim.addNode({ name: 'extra-1', labels: { disktype: 'ssd' }, cpu: 2 });
    const n = (await call('GET', '/api/v1/nodes/extra-1')).body;
    expect(n.spec.taints).toEqual([expect.objectContaining({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' })]);
    expect(n.status.capacity.cpu).toBe('2');
    sim.stopNode('extra-1');
    expect((await call('GET', '/api/v1/nodes/extra-1')).body.metadata.annotations['sim.kubectl-ds/stopped']).toBe('true');
    sim.startNode('extra-1');
    expect((await call('GET', '/api/v1/nodes/extra-1')).body.metadata.annotations['sim.kubectl-ds/stopped']).toBeUndefined();
    sim.removeNode('extra-1');
    expect((await call('GET', '/api/v1/nodes/extra-1')).code).toBe(404);
    expect(() => sim.stopNode('nope')).toThrow('node "nope" not found');
  });
});
