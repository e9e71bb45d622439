/**
 * The built `kubectl ds coverage`, through the real kubectl, against the simulator. Expectations are
 * written by hand from the Kubernetes rules for the `mixed` nodes: cp-1 (control-plane taint, disktype=ssd),
 * node-1 (ssd), node-2 (ssd, dedicated=gpu:NoSchedule), node-3 (no disktype), node-4 (ssd, 1 cpu),
 * node-5 (ssd). A DaemonSet with nodeSelector disktype=ssd and no tolerations: node-1, node-4, node-5.
 *
 * Part 1 runs on a simulator without controllers and places pods by hand in its store, in states a
 * controller would not leave: MISSING, MISSCHEDULED, Pending with the scheduler's reason, stray and
 * duplicate pods, the matrix, several clusters.
 * Part 2 runs on a fresh simulator with its controllers (DaemonSet controller, scheduler, kubelet, node
 * lifecycle) and checks coverage against where they place pods.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, startKds, testEnv, type RunResult } from '../helpers/cli.js';
import { startSim, type StartedSim } from '../helpers/sim.js';

const ns = 'cov';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (t: string) => t.split('\n').filter((l) => l.trim() !== '');
/** Table cells: columns are separated by at least three spaces. */
const cells = (l: string) => l.trim().split(/\s{3,}/);

interface DsSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: object[];
  affinity?: object;
  image?: string;
  cpu?: string;
  hostPort?: number;
  labels?: Record<string, string>;
}
function manifest(name: string, o: DsSpec = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, labels: o.labels ?? {} },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.tolerations ? { tolerations: o.tolerations } : {}),
          ...(o.affinity ? { affinity: o.affinity } : {}),
          containers: [
            {
              name: 'c',
              image: o.image ?? 'registry.k8s.io/pause:3.9',
              ...(o.cpu ? { resources: { requests: { cpu: o.cpu } } } : {}),
              ...(o.hostPort ? { ports: [{ containerPort: o.hostPort, hostPort: o.hostPort }] } : {}),
            },
          ],
        },
      },
    },
  });
}

let s: StartedSim;
let env: NodeJS.ProcessEnv;
const k = async (args: string[], input?: string) => {
  const r = await kubectl(['-n', ns, ...args], { env, input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const cov = (args: string[], e = env): Promise<RunResult> => kubectl(['ds', 'coverage', '-n', ns, ...args], { env: e });

type Obj = { metadata: { name: string; uid: string; namespace?: string; labels?: Record<string, string> }; spec: { template: unknown } };

/** A pod of DaemonSet `ds` placed by hand (bound to `node`, or pinned and Pending with a scheduler message). */
function placePod(ds: Obj, name: string, o: { node?: string; pinned?: string; unschedulable?: string; hash?: string; ready?: boolean; waiting?: string }) {
  const ready = o.ready ?? true;
  s.sim.store.create('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: ds.metadata.name, 'controller-revision-hash': o.hash ?? 'h1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.pinned
        ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [o.pinned] }] }] } } } }
        : {}),
    },
    status: o.node
      ? {
          phase: 'Running',
          podIP: '10.0.0.9',
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(Date.now() - 60_000).toISOString() }],
          containerStatuses: [{ name: 'c', ready, restartCount: 0, state: o.waiting ? { waiting: { reason: o.waiting } } : { running: {} } }],
        }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.unschedulable }] },
  } as never);
}

/** The current ControllerRevision of a DaemonSet, as the controller would write it (hash h1). */
function placeRevision(ds: Obj) {
  s.sim.store.create('ControllerRevision', {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${ds.metadata.name}-h1`,
      namespace: ns,
      labels: { app: ds.metadata.name, 'controller-revision-hash': 'h1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid, controller: true }],
    },
    revision: 1,
    data: { spec: { template: { ...(ds.spec.template as object), $patch: 'replace' } } },
  } as never);
}

async function applyDs(name: string, o: DsSpec = {}): Promise<Obj> {
  await k(['apply', '-f', '-'], manifest(name, o));
  return s.sim.store.get('DaemonSet', ns, name) as unknown as Obj;
}

beforeAll(async () => {
  s = await startSim({ scenario: 'mixed', controllers: false });
  env = testEnv({ KUBECONFIG: s.kubeconfig });
  await kubectl(['create', 'namespace', ns], { env });
});

afterAll(async () => {
  await s?.stop();
});

describe('coverage of one DaemonSet, pods placed by hand', () => {
  beforeAll(async () => {
    const ds = await applyDs('agent', { nodeSelector: { disktype: 'ssd' } });
    placeRevision(ds);
    placePod(ds, 'agent-n1', { node: 'node-1' });
    placePod(ds, 'agent-n4', { pinned: 'node-4', unschedulable: "0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 1 No preemption victims found for incoming pod, 5 Preemption is not helpful for scheduling." });
    placePod(ds, 'agent-n2', { node: 'node-2' }); // node-2's gpu taint is not tolerated
  });

  it('one row per node: SHOULD RUN and WHY NOT from the rules, MISSING, MISSCHEDULED, Pending with its reason', async () => {
    const r = await cov(['agent']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    expect(cells(rows[0]!)).toEqual(['NODE', 'SHOULD RUN', 'WHY NOT', 'POD', 'STATUS', 'READY', 'UP-TO-DATE', 'RESTARTS', 'AGE']);
    const byNode = Object.fromEntries(rows.slice(1, 7).map((l) => [cells(l)[0], cells(l)]));
    expect(byNode['cp-1']!.slice(1, 5)).toEqual(['no', 'taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated', '-', '-']);
    expect(byNode['node-1']!.slice(1, 7)).toEqual(['yes', '-', 'agent-n1', 'Running', '1/1', 'yes']);
    expect(byNode['node-2']!.slice(1, 5)).toEqual(['no', 'taint dedicated=gpu:NoSchedule is not tolerated', 'agent-n2', 'MISSCHEDULED']);
    expect(byNode['node-3']!.slice(1, 4)).toEqual(['no', 'nodeSelector disktype=ssd: node has no label disktype', '-']);
    expect(byNode['node-4']!.slice(1, 5)).toEqual(['yes', '-', 'agent-n4', 'Pending (Insufficient cpu)']);
    expect(byNode['node-5']!.slice(1, 5)).toEqual(['yes', '-', '-', 'MISSING']);
    // The summary as the controller counts it: desired 3 (node-1, node-4, node-5), current 2, ready 1,
    // up-to-date 2 (both have the current hash h1), misscheduled 1 (node-2).
    const head = rows.findIndex((l) => l.startsWith('NAME'));
    expect(cells(rows[head]!)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'MISSCHEDULED', 'COVERED']);
    expect(cells(rows[head + 1]!)).toEqual(['agent', '3', '2', '1', '2', '1', '1', '1/3']);
    expect(rows.at(-1)).toBe('1 of 3 eligible nodes covered: 1 missing (node-5), 1 not ready (node-4: Pending: Insufficient cpu), 1 misscheduled (node-2)');
  });

  it('-o wide adds the pod IP, the revision and the node taints', async () => {
    const r = await cov(['agent', '-o', 'wide']);
    const rows = lines(r.stdout);
    expect(cells(rows[0]!).slice(-3)).toEqual(['IP', 'REVISION', 'TAINTS']);
    const n2 = cells(rows.find((l) => l.startsWith('node-2'))!);
    expect(n2.slice(-3)).toEqual(['10.0.0.9', 'h1', 'dedicated=gpu:NoSchedule']);
  });

  it('--problems keeps the problem rows; --nodes restricts the nodes', async () => {
    const r = await cov(['agent', '--problems']);
    expect(lines(r.stdout).slice(1, 4).map((l) => cells(l)[0])).toEqual(['node-2', 'node-4', 'node-5']);
    const only = await cov(['agent', '--nodes', 'node-1,node-3']);
    expect(only.code).toBe(0);
    expect(lines(only.stdout).slice(1, 3).map((l) => cells(l)[0])).toEqual(['node-1', 'node-3']);
    expect(lines(only.stdout).at(-1)).toBe('all 1 eligible node run a ready, up-to-date pod');
    const sel = await cov(['agent', '--node-selector', '!disktype']);
    expect(lines(sel.stdout).slice(1, 2).map((l) => cells(l)[0])).toEqual(['node-3']);
    const bad = await cov(['agent', '--nodes', 'node-9']);
    expect([bad.code, bad.stderr.trim()]).toEqual([1, 'error: node not found: node-9']);
  });

  it('-o json: the documented schema', async () => {
    const r = await cov(['agent', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ apiVersion: 'kubectl-ds/v1', kind: 'DaemonSetCoverage', ok: false });
    const item = doc.items[0];
    expect(item).toMatchObject({ namespace: ns, name: 'agent', currentRevision: 'h1', summary: { desired: 3, current: 2, ready: 1, upToDate: 2, available: 1, misscheduled: 1, missing: 1 } });
    const n3 = item.nodes.find((n: { name: string }) => n.name === 'node-3');
    expect(n3).toMatchObject({ shouldRun: false, reasons: [{ rule: 'nodeSelector', message: 'nodeSelector disktype=ssd: node has no label disktype' }], pods: [] });
    const n4 = item.nodes.find((n: { name: string }) => n.name === 'node-4');
    expect(n4).toMatchObject({ shouldRun: true, state: 'failing', status: 'Pending', detail: 'Insufficient cpu', pods: [{ name: 'agent-n4', ready: false, revision: 'h1' }] });
  });

  it('stray pods (no node) and several pods on one node are problems', async () => {
    const ds = await applyDs('dup', { tolerations: [{ operator: 'Exists' }] });
    placeRevision(ds);
    for (const n of ['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']) placePod(ds, `dup-${n}`, { node: n });
    placePod(ds, 'dup-extra', { node: 'node-3' });
    s.sim.store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dup-loose', namespace: ns, labels: { app: 'dup' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'dup', uid: ds.metadata.uid, controller: true }] }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } } as never);
    const r = await cov(['dup', '--problems']);
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    expect(cells(rows.find((l) => l.startsWith('node-3'))!).slice(3, 4)).toEqual(['dup-extra (+1)']);
    expect(cells(rows.find((l) => l.startsWith('<none>'))!).slice(2, 4)).toEqual(['not bound to any node', 'dup-loose']);
    expect(rows.at(-1)).toBe('6 of 6 eligible nodes covered: 1 node with several pods (node-3), 1 pod on no known node (dup-loose)');
  });

  it('an orphaned pod the selector matches is shown as such and counted (the controller adopts it)', async () => {
    const ds = await applyDs('orph', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    placeRevision(ds);
    s.sim.store.create('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'left-behind', namespace: ns, labels: { app: 'orph', 'controller-revision-hash': 'h1' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
    } as never);
    const r = await cov(['orph']);
    expect(cells(lines(r.stdout).find((l) => l.startsWith('node-1'))!).slice(1, 5)).toEqual(['yes', '-', 'left-behind (orphan)', 'Running']);
    const j = JSON.parse((await cov(['orph', '-o', 'json'])).stdout).items[0];
    expect(j.summary).toMatchObject({ desired: 1, current: 1, ready: 1, upToDate: 1 });
    expect(j.nodes.find((n: { name: string }) => n.name === 'node-1').pods[0].orphan).toBe(true);
    await k(['delete', 'ds', 'orph', '--cascade=orphan']);
  });

  it('every DaemonSet: the matrix with glyphs, COVERED per DaemonSet, legend; --problems drops good rows and columns', async () => {
    await applyDs('fine', { nodeName: undefined, nodeSelector: { 'kubernetes.io/hostname': 'node-5' } } as DsSpec);
    const fine = s.sim.store.get('DaemonSet', ns, 'fine') as unknown as Obj;
    placeRevision(fine);
    placePod(fine, 'fine-n5', { node: 'node-5' });
    const r = await cov([]);
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    expect(cells(rows[0]!)).toEqual(['NODE', 'AGENT', 'DUP', 'FINE']);
    const m = Object.fromEntries(rows.slice(1, 8).map((l) => [cells(l)[0], l.trim().split(/\s+/).slice(1).join(' ')]));
    expect(m).toEqual({
      'cp-1': '· ✓ ·',
      'node-1': '✓ ✓ ·',
      'node-2': 'M ✓ ·',
      'node-3': '· ✓ ·',
      'node-4': '! ✓ ·',
      'node-5': '✗ ✓ ✓',
      COVERED: '1/3 6/6 1/1',
    });
    expect(rows.some((l) => l.includes('✗ missing'))).toBe(true);
    const p = await cov(['--problems']);
    const pr = lines(p.stdout);
    expect(cells(pr[0]!)).toEqual(['NODE', 'AGENT', 'DUP']);
    expect(pr.slice(1, 5).map((l) => cells(l)[0])).toEqual(['node-2', 'node-3', 'node-4', 'node-5']);
    const sel = await cov(['-l', 'nothing=here']);
    expect([sel.code, sel.stderr.trim()]).toEqual([0, 'No resources found in this namespace.']);
  });
});

describe('errors', () => {
  it('a DaemonSet that does not exist: one line, exit 1; usage errors exit 2', async () => {
    await applyDs('agent', { nodeSelector: { disktype: 'ssd' } });
    const r = await cov(['nope']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `error: daemonsets.apps "nope" not found in namespace "${ns}"\n`]);
    expect((await cov(['agent', '-o', 'bogus'])).code).toBe(2);
    const both = await cov(['agent', '-l', 'app=x']);
    expect([both.code, both.stderr]).toEqual([2, 'error: name cannot be provided when a selector is specified\n']);
    expect((await cov(['-l', 'a in (b'])).code).toBe(2);
  });

});

describe('--watch', () => {
  it('redraws from watch events: a node gaining the selected label becomes eligible', async () => {
    await kubectl(['create', 'namespace', 'cov-watch'], { env });
    await kubectl(['-n', 'cov-watch', 'apply', '-f', '-'], { env, input: manifest('wat', { nodeSelector: { disktype: 'ssd' } }) });
    const w = startKds(['coverage', 'wat', '-n', 'cov-watch', '--watch'], { env });
    try {
      await w.waitForLine(/\b3 eligible nodes\b/);
      await kubectl(['label', 'node', 'node-3', 'disktype=ssd'], { env });
      await w.waitForLine(/\b4 eligible nodes\b/);
    } finally {
      w.kill();
      await kubectl(['label', 'node', 'node-3', 'disktype-'], { env });
    }
    const r = await w.done;
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^node-3\s+yes\s/m);
    expect(r.stdout).toMatch(/^node-3\s+no\s+nodeSelector disktype=ssd: node has no label disktype/m);
  });
});

describe('several clusters', () => {
  let others: StartedSim[] = [];
  let multiEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    others = [await startSim({ scenario: 'mixed' }), await startSim({ scenario: 'mixed' })];
    // One merged kubeconfig with contexts a (the main sim), b, and c (stopped: unreachable).
    const all = [s, ...others].map((x) => parse(readFileSync(x.kubeconfig, 'utf8')));
    const merged = { apiVersion: 'v1', kind: 'Config', clusters: [] as object[], users: [] as object[], contexts: [] as object[], 'current-context': 'a' };
    ['a', 'b', 'c'].forEach((n, i) => {
      const kc = all[i];
      const ctx = kc.contexts.find((c: { name: string }) => c.name === kc['current-context']).context;
      merged.clusters.push({ name: n, cluster: kc.clusters.find((c: { name: string }) => c.name === ctx.cluster).cluster });
      merged.users.push({ name: n, user: kc.users.find((u: { name: string }) => u.name === ctx.user).user });
      merged.contexts.push({ name: n, context: { cluster: n, user: n, namespace: ns } });
    });
    const dir = mkdtempSync(join(tmpdir(), 'kds-cov-'));
    writeFileSync(join(dir, 'kubeconfig'), stringify(merged), { mode: 0o600 });
    multiEnv = testEnv({ KUBECONFIG: join(dir, 'kubeconfig') });
    await kubectl(['--context', 'b', 'create', 'namespace', ns], { env: multiEnv });
    for (const c of ['a', 'b']) await kubectl(['--context', c, '-n', ns, 'apply', '-f', '-'], { env: multiEnv, input: manifest('agent', { nodeSelector: { disktype: 'ssd' } }) });
    await others[1]!.stop();
  });
  afterAll(async () => {
    await others[0]?.stop();
  });

  it('a CLUSTER column, a cross-cluster summary, the unreachable cluster reported and exit 1', async () => {
    const r = await kubectl(['ds', 'coverage', 'agent', '--contexts', 'a,b,c', '--request-timeout', '5s'], { env: multiEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: context "c": get daemonset agent: cannot talk to https:\/\/127\.0\.0\.1:\d+: connection refused/m);
    const rows = lines(r.stdout);
    expect(cells(rows[0]!).slice(0, 3)).toEqual(['CLUSTER', 'NODE', 'SHOULD RUN']);
    expect(rows.filter((l) => /^(a|b)\s/.test(l) && /node-|cp-1/.test(l))).toHaveLength(12);
    const at = rows.findIndex((l) => l.startsWith('Across 3 clusters'));
    expect(cells(rows[at + 1]!)).toEqual(['CLUSTER', 'DAEMONSETS', 'COVERED', 'PROBLEMS', 'STATE']);
    const c = cells(rows.find((l) => l.startsWith('c '))!);
    expect(c).toEqual(['c', '-', '-', '-', 'unreachable']);
    const total = cells(rows.find((l) => l.startsWith('TOTAL'))!);
    // 3 eligible nodes per cluster (node-1, node-4, node-5), whoever placed the pods.
    expect(total[2]).toMatch(/^\d+\/6$/);
    const j = JSON.parse((await kubectl(['ds', 'coverage', 'agent', '--contexts', 'a,b,c', '--request-timeout', '5s', '-o', 'json'], { env: multiEnv })).stdout);
    expect(j.items.map((i: { cluster: string }) => i.cluster)).toEqual(['a', 'b']);
    expect(j.clusters.map((x: { cluster: string; ok: boolean; error?: string }) => [x.cluster, typeof x.error])).toEqual([
      ['a', 'undefined'],
      ['b', 'undefined'],
      ['c', 'string'],
    ]);
    expect(j.total.eligible).toBe(6);
  });
});

describe('with the simulated controllers', () => {
  const nsC = 'cov-ctl';
  const kc = (args: string[], input?: string) => kubectl(['-n', nsC, ...args], { env, input });
  const covC = (args: string[]) => kubectl(['ds', 'coverage', '-n', nsC, ...args], { env });
  const apply = async (name: string, o: DsSpec = {}) => {
    await kc(['apply', '-f', '-'], manifest(name, o));
    await sleep(200);
    await s.sim.settle();
  };
  /** The nodes where the simulated controller placed pods of DaemonSet `name`. */
  const placed = (name: string) =>
    (s.sim.store.list('Pod', nsC) as unknown as { metadata: { labels?: Record<string, string> }; spec: { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { values: string[] }[] }[] } } } } }[])
      .filter((p) => p.metadata.labels?.app === name)
      .map((p) => p.spec.nodeName ?? p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0])
      .sort();
  const shouldRun = async (name: string) => {
    const j = JSON.parse((await covC([name, '-o', 'json'])).stdout);
    return j.items[0].nodes.filter((n: { shouldRun: boolean }) => n.shouldRun).map((n: { name: string }) => n.name).sort();
  };

  beforeAll(async () => {
    // Part 1's simulator has no controllers: this part gets its own, with them.
    await s.stop();
    s = await startSim({ scenario: 'mixed' });
    env = testEnv({ KUBECONFIG: s.kubeconfig });
    await kubectl(['create', 'namespace', nsC], { env });
  });

  it('SHOULD RUN equals where the controller places pods, for selectors, tolerations and affinities', async () => {
    await apply('sel', { nodeSelector: { disktype: 'ssd' } });
    await apply('all', { tolerations: [{ operator: 'Exists' }] });
    await apply('gpu', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { disktype: 'ssd' } });
    await apply('aff', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1', 'node-3', 'cp-1'] }] }] } } } });
    expect(await shouldRun('sel')).toEqual(['node-1', 'node-4', 'node-5']);
    expect(placed('sel')).toEqual(['node-1', 'node-4', 'node-5']);
    expect(await shouldRun('all')).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    expect(placed('all')).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    expect(await shouldRun('gpu')).toEqual(['node-1', 'node-2', 'node-4', 'node-5']);
    expect(placed('gpu')).toEqual(['node-1', 'node-2', 'node-4', 'node-5']);
    expect(await shouldRun('aff')).toEqual(['node-1', 'node-3']);
    expect(placed('aff')).toEqual(['node-1', 'node-3']);
  });

  it('the summary equals the DaemonSet status once the controller is idle; all well exits 0', async () => {
    await apply('sum', { nodeSelector: { disktype: 'ssd' } });
    await sleep(500);
    await s.sim.settle();
    const j = JSON.parse((await covC(['sum', '-o', 'json'])).stdout);
    const item = j.items[0];
    expect(item.summary).toMatchObject(item.reported);
    expect(item.summary.desired).toBe(3);
    const r = await covC(['sum']);
    expect([r.code, lines(r.stdout).at(-1)]).toEqual([0, 'all 3 eligible nodes run a ready, up-to-date pod']);
  });

  it('resource shortage and a host port conflict: Pending with the scheduler reason', async () => {
    await apply('big', { nodeSelector: { disktype: 'ssd' }, cpu: '2' });
    await apply('port1', { nodeSelector: { disktype: 'ssd' }, hostPort: 9100 });
    await apply('port2', { nodeSelector: { disktype: 'ssd' }, hostPort: 9100 });
    const big = JSON.parse((await covC(['big', '-o', 'json'])).stdout).items[0];
    expect(big.nodes.find((n: { name: string }) => n.name === 'node-4')).toMatchObject({ state: 'failing', status: 'Pending', detail: expect.stringContaining('Insufficient cpu') });
    const p2 = JSON.parse((await covC(['port2', '-o', 'json'])).stdout).items[0];
    expect(p2.nodes.filter((n: { detail: string | null }) => n.detail === 'host port in use').length).toBe(3);
  });

  it('an image that cannot be pulled, and a rollout half done', async () => {
    await apply('pull', { nodeSelector: { disktype: 'ssd' }, image: 'registry.example/notfound:1' });
    await sleep(500);
    const r = JSON.parse((await covC(['pull', '-o', 'json'])).stdout).items[0];
    expect(r.nodes.filter((n: { status: string }) => /ImagePullBackOff|ErrImagePull/.test(n.status)).map((n: { name: string }) => n.name)).toEqual(['node-1', 'node-4', 'node-5']);
    await apply('half', { nodeSelector: { disktype: 'ssd' } });
    await sleep(500);
    await apply('half', { nodeSelector: { disktype: 'ssd' }, image: 'registry.example/notfound:2' });
    await sleep(500);
    const h = JSON.parse((await covC(['half', '-o', 'json'])).stdout).items[0];
    // maxUnavailable 1: one node gets the new (failing) pod, the other two keep the old ready pods.
    expect(h.summary).toMatchObject({ desired: 3, upToDate: 1, outdated: 2, failing: 1 });
  });

  it('every DaemonSet with --problems: only the failing DaemonSets and the nodes where they fail', async () => {
    const r = await covC(['--problems']);
    expect(r.code).toBe(1);
    const rows = lines(r.stdout);
    // big: node-4 has 1 cpu for a 2-cpu request; half and pull: the image cannot be pulled; port2: host port 9100 is taken by port1.
    expect(cells(rows[0]!)).toEqual(['NODE', 'BIG', 'HALF', 'PORT2', 'PULL']);
    expect(rows.slice(1, 4).map((l) => cells(l)[0])).toEqual(['node-1', 'node-4', 'node-5']);
  });

  it('NotReady (stopped) node: it drops out of DESIRED and its pod counts as misscheduled; a cordoned node stays eligible', async () => {
    await apply('nr', { nodeSelector: { disktype: 'ssd' } });
    await kubectl(['cordon', 'node-1'], { env });
    s.sim.stopNode('node-5');
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      const n = s.sim.store.get('Node', undefined, 'node-5') as unknown as { spec?: { taints?: { key: string; effect: string }[] } };
      if (n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable')) break;
    }
    await s.sim.settle();
    const j = JSON.parse((await covC(['nr', '-o', 'json'])).stdout).items[0];
    const n5 = j.nodes.find((n: { name: string }) => n.name === 'node-5');
    expect(n5.shouldRun).toBe(false);
    expect(n5.reasons[0].message).toMatch(/^node is (not ready|unreachable) \(taint node\.kubernetes\.io\/(not-ready|unreachable):NoSchedule\)$/);
    expect(n5.state).toBe('misscheduled');
    expect(j.nodes.find((n: { name: string }) => n.name === 'node-1').shouldRun).toBe(true);
    s.sim.startNode('node-5');
    await kubectl(['uncordon', 'node-1'], { env });
  });
});
