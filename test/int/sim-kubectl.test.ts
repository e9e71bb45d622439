// The REAL kubectl (1.32) against the simulator over HTTPS with a real kubeconfig: the familiar
// columns from server-side Tables, apply/label/taint/cordon, orphaning deletes, rollout undo/status,
// and API errors printed as kubectl prints them. Expected output written by hand from kubectl's and the
// API server's conventions (../shared/reference/kubectl-requests.md, daemonset-behaviour.md).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl as runKubectl, testEnv, type RunResult } from '../helpers/cli.js';
import { startSim, type StartedSim } from '../helpers/sim.js';
import type { KObj } from '../../src/sim/store.js';

let s: StartedSim;
let env: NodeJS.ProcessEnv;
let dir: string;
/** Whether the simulated controllers (the sim-ctl branch) are in: a DaemonSet gets pods. */
let controllers = false;

const k = (args: string[], input?: string): Promise<RunResult> => runKubectl(args, { env, input });

const manifest = (name: string, image: string, extra = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      nodeSelector: {disktype: ssd}${extra}
      containers:
      - name: main
        image: ${image}
`;

beforeAll(async () => {
  s = await startSim({ scenario: 'mixed' });
  dir = mkdtempSync(join(tmpdir(), 'kds-sim-kubectl-'));
  env = testEnv({ KUBECONFIG: s.kubeconfig, KUBECACHEDIR: join(dir, 'cache') });
  const probe = await k(['apply', '-f', '-'], manifest('probe', 'registry.k8s.io/pause:3.9'));
  expect(probe.stderr).toBe('');
  await s.sim.settle();
  await new Promise((r) => setTimeout(r, 300));
  await s.sim.settle();
  controllers = s.sim.store.list('Pod', 'default').some((p) => p.metadata.ownerReferences?.some((o) => o.name === 'probe'));
  await k(['delete', 'ds', 'probe']);
});

afterAll(async () => {
  await s?.stop();
});

function ownedPod(name: string, ds: KObj, node: string, opts: { ready?: boolean } = {}): KObj {
  const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: ds.metadata.name, 'controller-revision-hash': 'abc123', 'pod-template-generation': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'nginx:1.25' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.7',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ name: 'main', ready: opts.ready !== false, restartCount: 0, state: { running: { startedAt: ts } }, image: 'nginx:1.25', imageID: '' }],
    },
  };
}

describe('kubectl get prints the familiar columns', () => {
  it('nodes', async () => {
    const r = await k(['get', 'nodes']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines[1]).toMatch(/^cp-1\s+Ready\s+control-plane,master\s+\d+s\s+v1\.30\.0$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    const wide = await k(['get', 'nodes', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
    expect(wide.stdout).toMatch(/node-1\s+Ready\s+<none>\s+\d+s\s+v1\.30\.0\s+10\.0\.0\.3\s+<none>\s+/);
  });

  it('daemonsets, pods and controllerrevisions', async () => {
    expect((await k(['apply', '-f', '-'], manifest('cols', 'nginx:1.25'))).code).toBe(0);
    const ds = s.sim.store.get('DaemonSet', 'default', 'cols')!;
    if (!controllers) {
      s.sim.store.create('Pod', ownedPod('cols-abcde', ds, 'node-1'));
      s.sim.store.create('Pod', ownedPod('cols-fghij', ds, 'node-4', { ready: false }));
      s.sim.store.create('ControllerRevision', {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: 'cols-abc123', namespace: 'default', ownerReferences: ds.metadata.uid ? [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cols', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }] : [] },
        revision: 1,
        data: {},
      });
      const cur = s.sim.store.get('DaemonSet', 'default', 'cols')!;
      cur.status = { ...cur.status, desiredNumberScheduled: 4, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, observedGeneration: 1 };
      s.sim.store.update('DaemonSet', cur);
    }
    await s.sim.settle();
    const r = await k(['get', 'ds', '-o', 'wide']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/);
    const row = lines.find((l) => l.startsWith('cols '))!;
    if (controllers) expect(row).toMatch(/^cols\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+disktype=ssd\s+\d+s\s+main\s+nginx:1\.25\s+app=cols$/);
    else expect(row).toMatch(/^cols\s+4\s+2\s+1\s+2\s+1\s+disktype=ssd\s+\d+s\s+main\s+nginx:1\.25\s+app=cols$/);

    const pods = await k(['get', 'pods', '-l', 'app=cols', '-o', 'wide']);
    expect(pods.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    if (!controllers) {
      expect(pods.stdout).toMatch(/\ncols-abcde\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.1\.7\s+node-1\s+<none>\s+<none>\n/);
      expect(pods.stdout).toMatch(/\ncols-fghij\s+0\/1\s+Running\s+0\s+\d+s\s+10\.244\.1\.7\s+node-4\s+<none>\s+<none>\n/);
    }
    const revs = await k(['get', 'controllerrevisions']);
    expect(revs.stdout.split('\n')[0]).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE$/);
    expect(revs.stdout).toMatch(/\ncols-[a-z0-9]+\s+daemonset\.apps\/cols\s+1\s+\d+s\n/);
  });
});

describe('kubectl changes things', () => {
  it('apply creates, then a re-apply changes the template (generation 2)', async () => {
    const first = await k(['apply', '-f', '-'], manifest('web', 'nginx:1.25'));
    expect(first.stdout).toBe('daemonset.apps/web created\n');
    const again = await k(['apply', '-f', '-'], manifest('web', 'nginx:1.26'));
    expect(again.stdout).toBe('daemonset.apps/web configured\n');
    expect((await k(['apply', '-f', '-'], manifest('web', 'nginx:1.26'))).stdout).toBe('daemonset.apps/web unchanged\n');
    const ds = s.sim.store.get('DaemonSet', 'default', 'web')!;
    expect(ds.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(ds.metadata.generation).toBe(2);
    expect(ds.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('2');
    // a second container and a toleration, then removing them again (three-way merge through $setElementOrder etc.)
    const extra = `\n      tolerations:\n      - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}`;
    expect((await k(['apply', '-f', '-'], manifest('web', 'nginx:1.26', extra).replace(/(\n {6}containers:\n)/, '$1      - {name: side, image: busybox:1.36}\n'))).code).toBe(0);
    let cur = s.sim.store.get('DaemonSet', 'default', 'web')!;
    expect(cur.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['side', 'main']);
    expect(cur.spec.template.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect((await k(['apply', '-f', '-'], manifest('web', 'nginx:1.26'))).stdout).toBe('daemonset.apps/web configured\n');
    cur = s.sim.store.get('DaemonSet', 'default', 'web')!;
    expect(cur.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(cur.spec.template.spec.tolerations).toBeUndefined();
  });

  it('apply --server-side', async () => {
    const r = await k(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.25'));
    expect(r.stdout).toBe('daemonset.apps/ssa serverside-applied\n');
    const r2 = await k(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27'));
    expect(r2.code).toBe(0);
    expect(s.sim.store.get('DaemonSet', 'default', 'ssa')!.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    // a field another manager set stays; what this manager stopped applying goes
    expect((await k(['label', 'ds', 'ssa', 'owner=someone-else'])).code).toBe(0);
    const withSide = manifest('ssa', 'nginx:1.27', '\n      hostNetwork: true').replace(/(\n {6}containers:\n)/, '$1      - {name: side, image: busybox:1.36}\n');
    expect((await k(['apply', '--server-side', '-f', '-'], withSide)).code).toBe(0);
    expect(s.sim.store.get('DaemonSet', 'default', 'ssa')!.spec.template.spec.containers.map((c: any) => c.name).sort()).toEqual(['main', 'side']);
    expect((await k(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27'))).code).toBe(0);
    const ds = s.sim.store.get('DaemonSet', 'default', 'ssa')!;
    expect(ds.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(ds.spec.template.spec.hostNetwork).toBeUndefined();
    expect(ds.metadata.labels).toEqual({ owner: 'someone-else' });
  });

  it('an invalid DaemonSet is refused with the API server message', async () => {
    const bad = manifest('bad', 'nginx').replace('matchLabels: {app: bad}', 'matchLabels: {app: other}');
    const r = await k(['apply', '-f', '-'], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`\n',
    );
  });

  it('label, taint, cordon and uncordon a node', async () => {
    expect((await k(['label', 'node', 'node-3', 'disktype=hdd'])).stdout).toBe('node/node-3 labeled\n');
    expect(s.sim.store.get('Node', undefined, 'node-3')!.metadata.labels!.disktype).toBe('hdd');
    expect((await k(['label', 'node', 'node-3', 'disktype-'])).stdout).toBe('node/node-3 unlabeled\n');
    expect(s.sim.store.get('Node', undefined, 'node-3')!.metadata.labels!.disktype).toBeUndefined();

    expect((await k(['taint', 'node', 'node-1', 'maintenance=true:NoSchedule'])).stdout).toBe('node/node-1 tainted\n');
    expect(s.sim.store.get('Node', undefined, 'node-1')!.spec.taints).toEqual([{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }]);
    expect((await k(['taint', 'node', 'node-2', 'extra=1:NoExecute'])).code).toBe(0);
    // kubectl taint sends the whole list (taints have no merge key), new taints first
    expect(s.sim.store.get('Node', undefined, 'node-2')!.spec.taints.map((t: any) => t.key)).toEqual(['extra', 'dedicated']);
    expect((await k(['taint', 'node', 'node-1', 'maintenance-'])).stdout).toBe('node/node-1 untainted\n');
    expect((await k(['taint', 'node', 'node-2', 'extra-'])).code).toBe(0);
    expect(s.sim.store.get('Node', undefined, 'node-2')!.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);

    expect((await k(['cordon', 'node-5'])).stdout).toBe('node/node-5 cordoned\n');
    expect((await k(['get', 'node', 'node-5'])).stdout).toMatch(/\nnode-5\s+Ready,SchedulingDisabled\s+/);
    expect((await k(['uncordon', 'node-5'])).stdout).toBe('node/node-5 uncordoned\n');
    expect(s.sim.store.get('Node', undefined, 'node-5')!.spec.unschedulable).toBeUndefined();
  });

  it('delete ds --cascade=orphan: pods and revisions stay, without the ownerReference', async () => {
    expect((await k(['apply', '-f', '-'], manifest('orph', 'nginx:1.25'))).code).toBe(0);
    const ds = s.sim.store.get('DaemonSet', 'default', 'orph')!;
    if (!controllers) {
      s.sim.store.create('Pod', ownedPod('orph-aaaaa', ds, 'node-1'));
      s.sim.store.create('ControllerRevision', {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: 'orph-abc123', namespace: 'default', labels: { app: 'orph' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'orph', uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }] },
        revision: 1,
      });
    }
    await s.sim.settle();
    const podsBefore = s.sim.store.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'orph').map((p) => p.metadata.name);
    expect(podsBefore.length).toBeGreaterThan(0);
    const r = await k(['delete', 'ds', 'orph', '--cascade=orphan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^daemonset\.apps "orph" deleted/);
    await s.sim.settle();
    expect(s.sim.store.get('DaemonSet', 'default', 'orph')).toBeUndefined();
    const podsAfter = s.sim.store.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'orph');
    expect(podsAfter.map((p) => p.metadata.name).sort()).toEqual([...podsBefore].sort());
    for (const p of podsAfter) expect(p.metadata.ownerReferences ?? []).toEqual([]);
    const revs = s.sim.store.list('ControllerRevision', 'default').filter((c) => c.metadata.name.startsWith('orph-'));
    expect(revs.length).toBeGreaterThan(0);
    for (const c of revs) expect(c.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('rollout undo patches the template back to the previous revision', async () => {
    expect((await k(['apply', '-f', '-'], manifest('undo', 'nginx:1.25'))).code).toBe(0);
    if (controllers) {
      await s.sim.settle();
      expect((await k(['set', 'image', 'ds/undo', 'main=nginx:1.26'])).code).toBe(0);
      await s.sim.settle();
    } else {
      // The two revisions the DaemonSet controller would have written, by hand.
      const ds = s.sim.store.get('DaemonSet', 'default', 'undo')!;
      const owner = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'undo', uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      const rev = (n: number, image: string) => {
        const template = structuredClone(ds.spec.template);
        template.spec.containers[0].image = image;
        return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `undo-rev${n}`, namespace: 'default', labels: { app: 'undo' }, ownerReferences: owner }, revision: n, data: { spec: { template: { ...template, $patch: 'replace' } } } } as KObj;
      };
      s.sim.store.create('ControllerRevision', rev(1, 'nginx:1.25'));
      expect((await k(['set', 'image', 'ds/undo', 'main=nginx:1.26'])).stdout).toBe('daemonset.apps/undo image updated\n');
      s.sim.store.create('ControllerRevision', rev(2, 'nginx:1.26'));
    }
    expect(s.sim.store.get('DaemonSet', 'default', 'undo')!.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    const r = await k(['rollout', 'undo', 'ds/undo']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('daemonset.apps/undo rolled back\n');
    const ds = s.sim.store.get('DaemonSet', 'default', 'undo')!;
    expect(ds.spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(ds.metadata.generation).toBe(3);
  });

  it('rollout status follows the status to the end', async () => {
    expect((await k(['apply', '-f', '-'], manifest('stat', 'nginx:1.25'))).code).toBe(0);
    const pending = k(['rollout', 'status', 'ds/stat', '--timeout=20s']);
    if (!controllers) {
      // What the DaemonSet controller would write through /status, in two steps.
      const write = (status: Record<string, number>) => {
        const cur = s.sim.store.get('DaemonSet', 'default', 'stat')!;
        cur.status = { ...cur.status, ...status };
        s.sim.store.update('DaemonSet', cur);
      };
      await new Promise((r) => setTimeout(r, 700));
      write({ observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 2, numberAvailable: 1, numberReady: 1 });
      await new Promise((r) => setTimeout(r, 300));
      write({ updatedNumberScheduled: 4, numberAvailable: 4, numberReady: 4 });
    }
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('daemon set "stat" successfully rolled out');
  });
});

describe('kubectl errors', () => {
  it('a missing DaemonSet: NotFound, exit 1', async () => {
    const r = await k(['get', 'ds', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): daemonsets.apps "x" not found\n');
  });

  it('the viewer context is forbidden to write', async () => {
    await k(['apply', '-f', '-'], manifest('guarded', 'nginx:1.25'));
    const r = await k(['--context', 'ds-sim-viewer', 'delete', 'ds', 'guarded']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (Forbidden): daemonsets.apps "guarded" is forbidden: User "viewer" cannot delete resource "daemonsets" in API group "apps" in the namespace "default"\n');
    expect((await k(['--context', 'ds-sim-viewer', 'get', 'ds', 'guarded'])).code).toBe(0);
    expect(s.sim.store.get('DaemonSet', 'default', 'guarded')).toBeDefined();
  });

  it('auth can-i answers per user', async () => {
    expect(await k(['auth', 'can-i', 'delete', 'daemonsets'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await k(['--context', 'ds-sim-viewer', 'auth', 'can-i', 'delete', 'daemonsets'])).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await k(['--context', 'ds-sim-viewer', 'auth', 'can-i', 'list', 'pods'])).toMatchObject({ code: 0, stdout: 'yes\n' });
  });

  it('a malformed body sent with create --raw is answered with a BadRequest Status', async () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"');
    const r = await k(['create', '--raw', '/apis/apps/v1/namespaces/default/daemonsets', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error from server \(BadRequest\): the object provided is unrecognized \(must be of type DaemonSet\): couldn't get version\/kind; json parse error: /);
  });

  it('raw HTTP with bad JSON gets a Status, and the server keeps serving', async () => {
    const status = await new Promise<any>((resolve, reject) => {
      const req = request(`${s.url}/api/v1/nodes/node-1`, { method: 'PATCH', ca: s.sim.caCert, headers: { authorization: `Bearer ${s.sim.tokens.admin}`, 'content-type': 'application/strategic-merge-patch+json' } }, (res) => {
        let t = '';
        res.on('data', (d) => (t += d));
        res.on('end', () => resolve({ code: res.statusCode, body: JSON.parse(t) }));
      });
      req.on('error', reject);
      req.end('{"spec": ');
    });
    expect(status.code).toBe(400);
    expect(status.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect((await k(['get', 'node', 'node-1'])).code).toBe(0);
  });
});
