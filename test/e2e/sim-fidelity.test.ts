/**
 * Fidelity: the simulator must behave like a real control plane. The same scenario runs on the cluster
 * in KUBECTL_DS_E2E_KUBECONFIG and on a simulator given the SAME nodes (names, labels, taints,
 * capacity, copied from the real cluster), both driven by the real kubectl; what kubectl reports must
 * agree. Any difference is a simulator bug. Skipped against the simulator itself (it would compare
 * the simulator with itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, run, testEnv } from '../helpers/cli.js';
import { nodesSh, runtimeOf } from '../helpers/realk8s.js';
import { startSim, type SimHandle } from '../helpers/sim.js';

const realKc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
const skip = !realKc || process.env.KUBECTL_DS_E2E_FLAVOUR === 'sim';
if (skip) console.log(`e2e sim-fidelity skipped: ${!realKc ? 'KUBECTL_DS_E2E_KUBECONFIG is not set' : 'the e2e cluster is the simulator itself'}`);

const ns = `fidelity-${process.pid}`;
/** Our own node (node stop and cordon must not disturb the shared nodes). */
const ownNode = `fid-${process.pid}`;

interface Side {
  name: string;
  kc: string;
}

async function k(side: Side, args: string[], input?: string) {
  const r = await kubectl(['--kubeconfig', side.kc, ...args], { env: testEnv(), input });
  return r;
}

async function json(side: Side, args: string[]): Promise<any> {
  const r = await k(side, [...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`${side.name}: kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The nodes both sides have (others' nodes may come and go on a shared cluster); set in beforeAll. */
let nodeNames: string[] = [];

function daemonSet(name: string, image: string, extra: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }], ...podSpec } },
      ...extra,
    },
  };
}

/** The manifest kept to the nodes copied into the simulator (nodes others add to a shared cluster meanwhile do not count). */
function withNodes<T extends ReturnType<typeof daemonSet>>(m: T): T {
  const c = JSON.parse(JSON.stringify(m));
  c.spec.template.spec.affinity = {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: nodeNames }] }] } },
  };
  return c;
}

/** DaemonSet status numbers, once the controller has observed the spec and they stopped moving. */
async function settledStatus(side: Side, name: string, until: (s: any) => boolean = () => true) {
  let last = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 45_000;
  for (;;) {
    const ds = await json(side, ['-n', ns, 'get', 'ds', name]);
    const st = ds.status ?? {};
    const nums = {
      desired: st.desiredNumberScheduled ?? 0,
      current: st.currentNumberScheduled ?? 0,
      ready: st.numberReady ?? 0,
      updated: st.updatedNumberScheduled ?? 0,
      available: st.numberAvailable ?? 0,
      misscheduled: st.numberMisscheduled ?? 0,
    };
    const key = JSON.stringify(nums);
    if (key !== last) {
      last = key;
      stableSince = Date.now();
    }
    const observed = (st.observedGeneration ?? 0) >= ds.metadata.generation;
    if (observed && until(nums) && Date.now() - stableSince > 3000) return nums;
    if (Date.now() > deadline) return nums;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** node -> "phase/ready" for the DaemonSet's pods (as `kubectl get pods -o wide` shows them). */
async function podsPerNode(side: Side, name: string): Promise<Record<string, string>> {
  const pods = await json(side, ['-n', ns, 'get', 'pods', '-l', `app=${name}`]);
  const out: Record<string, string> = {};
  for (const p of pods.items) {
    if (p.metadata.deletionTimestamp) continue;
    const aff = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
    const node = p.spec.nodeName ?? aff ?? '<none>';
    const ready = (p.status.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True';
    out[node] = `${p.status.phase}/${ready ? 'ready' : 'not-ready'}`;
  }
  return out;
}

describe.skipIf(skip)('the simulator agrees with a real control plane', () => {
  const real: Side = { name: 'real', kc: realKc ?? '' };
  let sim: Side;
  let handle: SimHandle;
  let fakeKubelet = false;
  let stopSim: () => Promise<void> = async () => {};

  beforeAll(async () => {
    // Our own node on the real side first (only where nodes.sh's fake kubelet runs the nodes), so it is copied too.
    const before = await json(real, ['get', 'nodes']);
    fakeKubelet = !!nodesSh && runtimeOf(before) === 'fake';
    if (fakeKubelet) {
      const r = await run('bash', [nodesSh!, real.kc, 'add', ownNode, '--label', `fidelity=${process.pid}`]);
      expect(r.code, r.stderr).toBe(0);
    } else console.log('e2e sim-fidelity: node stop and cordon cases skipped: not a realk8s cluster with nodes.sh');
    const nodes = await json(real, ['get', 'nodes']);
    const started = await startSim({ scenario: 'empty' });
    stopSim = started.stop;
    handle = started.sim;
    for (const n of nodes.items) {
      const cap = n.status.capacity ?? {};
      started.sim.addNode({
        name: n.metadata.name,
        labels: n.metadata.labels,
        taints: (n.spec.taints ?? []).filter((t: any) => !t.key.startsWith('node.kubernetes.io/')),
        cpu: cap.cpu,
        memory: cap.memory,
        pods: Number(cap.pods ?? 110),
      });
    }
    nodeNames = nodes.items.map((n: any) => n.metadata.name);
    sim = { name: 'sim', kc: started.kubeconfig };
    // What other users' pods already request on the shared nodes, so that the fit is the same.
    const pods = await json(real, ['get', 'pods', '-A', '--field-selector=status.phase!=Succeeded,status.phase!=Failed']);
    const withRequests = pods.items.filter((p: any) => p.spec.nodeName && !p.metadata.deletionTimestamp && p.spec.containers.some((c: any) => c.resources?.requests));
    if (withRequests.length) {
      await k(sim, ['create', 'namespace', 'others']);
      for (const [i, p] of withRequests.entries()) {
        handle.store.create('Pod', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `other-${i}`, namespace: 'others' },
          spec: { nodeName: p.spec.nodeName, containers: p.spec.containers.map((c: any) => ({ name: c.name, image: 'pause', resources: c.resources })) },
        });
      }
    }
    for (const side of [real, sim]) {
      const r = await k(side, ['create', 'namespace', ns]);
      expect(r.code, `${side.name}: ${r.stderr}`).toBe(0);
    }
    // New nodes lose their not-ready taint (the real node controller, the simulated lifecycle).
    for (const side of [real, sim]) {
      for (let i = 0; i < 60; i++) {
        const ns2 = await json(side, ['get', 'nodes']);
        if (ns2.items.every((n: any) => !(n.spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/not-ready'))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 90_000);

  afterAll(async () => {
    if (!skip) await k(real, ['delete', 'namespace', ns, '--wait=false']);
    if (fakeKubelet) await run('bash', [nodesSh!, real.kc, 'remove', ownNode]);
    await stopSim();
  });

  const cases: [string, ReturnType<typeof daemonSet>][] = [
    ['plain', daemonSet('fid-plain', 'nginx:1.25')],
    [
      'ssd-with-control-plane',
      daemonSet('fid-ssd', 'nginx:1.25', {}, {
        nodeSelector: { disktype: 'ssd' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      }),
    ],
    ['tolerate-all', daemonSet('fid-all', 'nginx:1.25', {}, { tolerations: [{ operator: 'Exists' }] })],
    [
      'big-requests',
      daemonSet('fid-big', 'nginx:1.25', {}, { containers: [{ name: 'main', image: 'nginx:1.25', resources: { requests: { cpu: '2' } } }] }),
    ],
    ['image-pull-failure', daemonSet('fid-notfound', 'registry.invalid/notfound:1')],
  ];

  it.each(cases)('%s: same status numbers and the same pods per node', async (_label, manifest) => {
    for (const side of [real, sim]) {
      const r = await k(side, ['apply', '-f', '-'], JSON.stringify(withNodes(manifest)));
      expect(r.code, `${side.name}: ${r.stderr}`).toBe(0);
    }
    const name = manifest.metadata.name;
    const [a, b] = await Promise.all([settledStatus(real, name), settledStatus(sim, name)]);
    expect(b).toEqual(a);
    expect(await podsPerNode(sim, name)).toEqual(await podsPerNode(real, name));
  });

  it('set image: the rollout ends with the same numbers and revisions', async () => {
    for (const side of [real, sim]) {
      const r = await k(side, ['-n', ns, 'set', 'image', 'ds/fid-plain', 'main=nginx:1.27']);
      expect(r.code, `${side.name}: ${r.stderr}`).toBe(0);
    }
    const done = (s: any) => s.updated === s.desired && s.available === s.desired;
    const [a, b] = await Promise.all([settledStatus(real, 'fid-plain', done), settledStatus(sim, 'fid-plain', done)]);
    expect(b).toEqual(a);
    const revs = async (side: Side) =>
      (await json(side, ['-n', ns, 'get', 'controllerrevisions', '-l', 'app=fid-plain'])).items.map((r: any) => r.revision).sort();
    expect(await revs(sim)).toEqual(await revs(real));
  });

  it('delete --cascade=orphan: the pods stay, with no owner, on the same nodes', async () => {
    const before: Record<string, Record<string, string>> = {};
    for (const side of [real, sim]) before[side.name] = await podsPerNode(side, 'fid-ssd');
    for (const side of [real, sim]) {
      const r = await k(side, ['-n', ns, 'delete', 'ds', 'fid-ssd', '--cascade=orphan']);
      expect(r.code, `${side.name}: ${r.stderr}`).toBe(0);
    }
    for (const side of [real, sim]) {
      const pods = await json(side, ['-n', ns, 'get', 'pods', '-l', 'app=fid-ssd']);
      expect(pods.items.length, side.name).toBe(Object.keys(before[side.name]!).length);
      expect(pods.items.map((p: any) => p.metadata.ownerReferences ?? []).flat(), side.name).toEqual([]);
      const revs = await json(side, ['-n', ns, 'get', 'controllerrevisions', '-l', 'app=fid-ssd']);
      expect(revs.items.map((r: any) => r.metadata.ownerReferences ?? []).flat(), side.name).toEqual([]);
    }
    expect(before.sim).toEqual(before.real);
  });

  /** The node's taints as key:effect (sorted) and its Ready status. */
  async function nodeState(side: Side, name: string) {
    const n = await json(side, ['get', 'node', name]);
    return {
      taints: (n.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort(),
      ready: (n.status.conditions ?? []).find((c: any) => c.type === 'Ready')?.status,
      unschedulable: !!n.spec.unschedulable,
    };
  }

  async function untilBoth(what: string, cond: (side: Side) => Promise<boolean>, ms = 60_000) {
    for (const side of [real, sim]) {
      const end = Date.now() + ms;
      while (!(await cond(side))) {
        if (Date.now() > end) throw new Error(`${side.name}: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  const own = () => daemonSet(`fid-own`, 'nginx:1.25', {}, { nodeSelector: { fidelity: String(process.pid) } });

  it('cordon: the unschedulable taint, and the daemon pod stays', async () => {
    if (!fakeKubelet) return;
    for (const side of [real, sim]) expect((await k(side, ['apply', '-f', '-'], JSON.stringify(withNodes(own())))).code).toBe(0);
    const one = (s: any) => s.desired === 1 && s.available === 1;
    expect(await settledStatus(sim, 'fid-own', one)).toEqual(await settledStatus(real, 'fid-own', one));
    for (const side of [real, sim]) expect((await k(side, ['cordon', ownNode])).code).toBe(0);
    await untilBoth('the unschedulable taint', async (side) => (await nodeState(side, ownNode)).taints.includes('node.kubernetes.io/unschedulable:NoSchedule'));
    expect(await nodeState(sim, ownNode)).toEqual(await nodeState(real, ownNode));
    const [a, b] = await Promise.all([settledStatus(real, 'fid-own'), settledStatus(sim, 'fid-own')]);
    expect(b).toEqual(a);
    expect(await podsPerNode(sim, 'fid-own')).toEqual(await podsPerNode(real, 'fid-own'));
    for (const side of [real, sim]) expect((await k(side, ['uncordon', ownNode])).code).toBe(0);
    await untilBoth('the taint to go', async (side) => !(await nodeState(side, ownNode)).taints.length);
    expect(await nodeState(sim, ownNode)).toEqual(await nodeState(real, ownNode));
  }, 120_000);

  it('node stop: NotReady with the unreachable taints, the same DaemonSet numbers and pods; started again, Ready without taints', async () => {
    if (!fakeKubelet) return;
    for (const side of [real, sim]) expect((await k(side, ['apply', '-f', '-'], JSON.stringify(withNodes(own())))).code).toBe(0);
    const one = (s: any) => s.desired === 1 && s.available === 1;
    expect(await settledStatus(sim, 'fid-own', one)).toEqual(await settledStatus(real, 'fid-own', one));
    expect((await run('bash', [nodesSh!, real.kc, 'stop', ownNode])).code).toBe(0);
    handle.stopNode(ownNode);
    await untilBoth('the node to turn NotReady and tainted', async (side) => {
      const st = await nodeState(side, ownNode);
      return st.ready !== 'True' && st.taints.length >= 2;
    });
    expect(await nodeState(sim, ownNode)).toEqual(await nodeState(real, ownNode));
    const [a, b] = await Promise.all([settledStatus(real, 'fid-own'), settledStatus(sim, 'fid-own')]);
    expect(b).toEqual(a);
    expect(await podsPerNode(sim, 'fid-own')).toEqual(await podsPerNode(real, 'fid-own'));
    expect((await run('bash', [nodesSh!, real.kc, 'start', ownNode])).code).toBe(0);
    handle.startNode(ownNode);
    await untilBoth('the node to be Ready without taints', async (side) => {
      const st = await nodeState(side, ownNode);
      return st.ready === 'True' && !st.taints.length;
    });
    // (pod readiness after the restart is not compared: realk8s's fake kubelet does not post a pod's
    // status twice, where a real kubelet would)
    const [c, d] = await Promise.all([settledStatus(real, 'fid-own', (s) => s.desired === 1), settledStatus(sim, 'fid-own', (s) => s.desired === 1)]);
    expect({ ...d, ready: 0, available: 0 }).toEqual({ ...c, ready: 0, available: 0 });
  }, 180_000);
});
