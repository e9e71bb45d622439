/**
 * The simulated control loops (src/sim/controllers) against the Kubernetes rules, on the `mixed`
 * scenario: cp-1 (control-plane taint, disktype=ssd), node-1 (ssd), node-2 (ssd, dedicated=gpu:NoSchedule),
 * node-3 (no disktype), node-4 (ssd, 1 cpu / 1Gi), node-5 (ssd); 4 cpu / 8Gi otherwise. Every expected
 * value below is derived by hand from those nodes and upstream's rules (daemonset-behaviour.md §4).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type SimHandle } from '../../src/sim/cluster.js';
import { nodeShouldRunDaemonPod, scaled } from '../../src/sim/controllers/daemonset.js';
import { templateHash } from '../../src/sim/controllers/history.js';
import type { KObj } from '../../src/sim/store.js';
import { defaultDaemonSet, defaultPod } from '../../src/sim/validation.js';

const NS = 'default';
const TG = 'deprecated.daemonset.template.generation';
let sim: SimHandle | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(opts: Parameters<typeof startCluster>[0] = {}): Promise<SimHandle> {
  sim = await startCluster({ scenario: 'mixed', port: 0, ...opts });
  await sim.settle();
  return sim;
}

/** Creates a DaemonSet as the API server would store it (defaults, generation, template generation). */
function createDs(s: SimHandle, name: string, podSpec: any = {}, spec: any = {}): KObj {
  const ds: KObj = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS, generation: 1, annotations: { [TG]: '1' } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }], ...podSpec } },
      ...spec,
    },
  };
  defaultDaemonSet(ds);
  return s.store.create('DaemonSet', ds);
}

/** A template change as the API server records it: generation and template generation + 1. */
function changeTemplate(s: SimHandle, name: string, fn: (tpl: any) => void): void {
  const ds = s.store.get('DaemonSet', NS, name)!;
  fn(ds.spec.template);
  ds.metadata.generation = (ds.metadata.generation ?? 1) + 1;
  ds.metadata.annotations = { ...ds.metadata.annotations, [TG]: String(Number(ds.metadata.annotations?.[TG] ?? '1') + 1) };
  s.store.update('DaemonSet', ds);
}

const setImage = (s: SimHandle, name: string, image: string) => changeTemplate(s, name, (t) => (t.spec.containers[0].image = image));

const podsOf = (s: SimHandle, name: string) =>
  s.store.list('Pod', NS).filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.name === name) && !p.metadata.deletionTimestamp);
const nodesOf = (pods: KObj[]) => pods.map((p) => p.spec.nodeName).sort();
const status = (s: SimHandle, name: string) => s.store.get('DaemonSet', NS, name)!.status;
const ready = (p: KObj) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function plainPod(name: string, spec: any): KObj {
  const p: KObj = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { containers: [{ name: 'c', image: 'nginx:1' }], ...spec } };
  defaultPod(p);
  return p;
}

describe('eligibility (nodeShouldRunDaemonPod)', () => {
  const node = (labels: Record<string, string> = {}, taints: any[] = []): KObj => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', ...labels } },
    spec: { taints },
  });
  const run = (spec: any, n: KObj) => nodeShouldRunDaemonPod(spec, n);
  const YES = { shouldRun: true, shouldContinueRunning: true };
  const NO = { shouldRun: false, shouldContinueRunning: false };

  it('template nodeName: only that node', () => {
    expect(run({ nodeName: 'other' }, node())).toEqual(NO);
    expect(run({ nodeName: 'n1' }, node())).toEqual(YES);
  });
  it('nodeSelector and required node affinity (expressions, matchFields; terms ORed)', () => {
    expect(run({ nodeSelector: { disktype: 'ssd' } }, node())).toEqual(NO);
    expect(run({ nodeSelector: { disktype: 'ssd' } }, node({ disktype: 'ssd' }))).toEqual(YES);
    const aff = (terms: any[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    expect(run(aff([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }]), node({ zone: 'b' }))).toEqual(NO);
    expect(run(aff([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]), node({ zone: 'b' }))).toEqual(YES);
    expect(run(aff([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }]), node())).toEqual(NO);
    // nodeSelector AND affinity
    expect(run({ nodeSelector: { disktype: 'ssd' }, ...aff([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }]) }, node({ zone: 'a' }))).toEqual(NO);
  });
  it('taints: NoSchedule stops new pods but keeps running ones, NoExecute stops both, PreferNoSchedule is ignored', () => {
    expect(run({}, node({}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(run({}, node({}, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]))).toEqual(NO);
    expect(run({}, node({}, [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }]))).toEqual(YES);
    expect(run({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, node({}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]))).toEqual(YES);
    expect(run({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] }, node({}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(run({ tolerations: [{ operator: 'Exists' }] }, node({}, [{ key: 'x', effect: 'NoExecute' }]))).toEqual(YES);
  });
  it('the automatic daemon tolerations: NoExecute not-ready/unreachable, NoSchedule pressure and unschedulable, network-unavailable with hostNetwork only', () => {
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      expect(run({}, node({}, [{ key, effect: 'NoExecute' }]))).toEqual(YES);
      // ... but not their NoSchedule form (what the node lifecycle controller adds too)
      expect(run({}, node({}, [{ key, effect: 'NoSchedule' }]))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    }
    for (const key of ['disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable']) {
      expect(run({}, node({}, [{ key: `node.kubernetes.io/${key}`, effect: 'NoSchedule' }]))).toEqual(YES);
    }
    const net = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }];
    expect(run({}, node({}, net))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(run({ hostNetwork: true }, node({}, net))).toEqual(YES);
  });
  it('maxUnavailable/maxSurge scale against desired, percentages rounded up', () => {
    expect(scaled(1, 5)).toBe(1);
    expect(scaled('10%', 5)).toBe(1);
    expect(scaled('50%', 5)).toBe(3);
    expect(scaled('0%', 5)).toBe(0);
  });
});

describe('DaemonSet controller on the mixed nodes', () => {
  it('one pod per eligible node, pinned by matchFields, labelled, owned; status numbers', async () => {
    const s = await start();
    const ds = createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    const pods = podsOf(s, 'agent');
    // disktype=ssd: cp-1 (control-plane taint) and node-2 (dedicated=gpu) are excluded; node-3 has no label.
    expect(nodesOf(pods)).toEqual(['node-1', 'node-4', 'node-5']);
    const hash = s.store.list('ControllerRevision', NS)[0]!.metadata.labels!['controller-revision-hash'];
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] },
      ]);
      expect(p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
        'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
      expect(p.status.phase).toBe('Running');
      expect(ready(p)).toBe(true);
      expect(p.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    expect(status(s, 'agent')).toEqual({
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
      observedGeneration: 1,
    });
    // The DaemonSet itself never gets the automatic tolerations.
    expect(s.store.get('DaemonSet', NS, 'agent')!.spec.template.spec.tolerations).toBeUndefined();
    const events = s.store.list('Event', NS).filter((e) => e.involvedObject.name === 'agent').map((e) => e.reason);
    expect(events).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
  });

  it('a label change moves the pod: a node losing the label loses its pod, a node gaining it gets one', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    const n1 = s.store.get('Node', undefined, 'node-1')!;
    delete n1.metadata.labels!.disktype;
    s.store.update('Node', n1);
    const n3 = s.store.get('Node', undefined, 'node-3')!;
    n3.metadata.labels!.disktype = 'ssd';
    s.store.update('Node', n3);
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-3', 'node-4', 'node-5']);
  });

  it('a new NoSchedule taint keeps the pod (misscheduled); a NoExecute one removes it', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    const taint = (node: string, effect: string) => {
      const n = s.store.get('Node', undefined, node)!;
      n.spec.taints = [...(n.spec.taints ?? []), { key: 'maintenance', value: 'yes', effect }];
      s.store.update('Node', n);
    };
    taint('node-1', 'NoSchedule');
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1', 'node-4', 'node-5']);
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 1 });
    taint('node-4', 'NoExecute');
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1', 'node-5']);
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    const reasons = s.store.list('Event', NS).filter((e) => e.involvedObject.name === 'agent').map((e) => e.reason);
    expect(reasons.filter((r) => r === 'SuccessfulDelete')).toHaveLength(1);
  });

  it('failed and succeeded pods are replaced (FailedDaemonPod for the failed one)', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    const byNode = (n: string) => podsOf(s, 'agent').find((p) => p.spec.nodeName === n)!;
    const [failed, succeeded] = [byNode('node-1'), byNode('node-4')];
    for (const [p, phase] of [
      [failed, 'Failed'],
      [succeeded, 'Succeeded'],
    ] as const) {
      const o = s.store.get('Pod', NS, p.metadata.name)!;
      o.status.phase = phase;
      s.store.update('Pod', o);
    }
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1', 'node-4', 'node-5']);
    expect(s.store.get('Pod', NS, failed.metadata.name)).toBeUndefined();
    expect(s.store.get('Pod', NS, succeeded.metadata.name)).toBeUndefined();
    const ev = s.store.list('Event', NS).find((e) => e.reason === 'FailedDaemonPod')!;
    expect(ev).toMatchObject({ type: 'Warning', message: `Found failed daemon pod ${NS}/${failed.metadata.name} on node node-1, will try to kill it` });
  });

  it('RollingUpdate maxUnavailable 1 on 5 nodes: never more than one node without an available pod', async () => {
    const s = await start();
    // Tolerating dedicated=gpu: node-1..node-5 (cp-1 keeps its control-plane taint).
    createDs(s, 'ru', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    await s.settle();
    expect(status(s, 'ru').desiredNumberScheduled).toBe(5);
    const targets = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];
    let worst = 0;
    const unsub = s.store.subscribe(() => {
      const pods = podsOf(s, 'ru');
      const down = targets.filter((n) => !pods.some((p) => p.spec.nodeName === n && ready(p))).length;
      worst = Math.max(worst, down);
    });
    setImage(s, 'ru', 'nginx:2');
    await s.settle();
    unsub();
    expect(worst).toBe(1);
    const pods = podsOf(s, 'ru');
    expect(nodesOf(pods)).toEqual(targets);
    for (const p of pods) expect(p.spec.containers[0].image).toBe('nginx:2');
    expect(status(s, 'ru')).toMatchObject({ desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5, observedGeneration: 2 });
  });

  it('RollingUpdate maxSurge 1 (maxUnavailable 0): the new pod starts beside the old one, never a node without a ready pod', async () => {
    const s = await start();
    createDs(s, 'surge', { nodeSelector: { disktype: 'ssd' } }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    await s.settle();
    const targets = ['node-1', 'node-4', 'node-5'];
    let down = 0;
    let maxDoubled = 0;
    const unsub = s.store.subscribe(() => {
      const pods = podsOf(s, 'surge');
      down = Math.max(down, targets.filter((n) => !pods.some((p) => p.spec.nodeName === n && ready(p))).length);
      maxDoubled = Math.max(maxDoubled, targets.filter((n) => pods.filter((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] === n).length > 1).length);
    });
    setImage(s, 'surge', 'nginx:2');
    await s.settle();
    unsub();
    expect(down).toBe(0);
    expect(maxDoubled).toBe(1);
    const pods = podsOf(s, 'surge');
    expect(nodesOf(pods)).toEqual(targets);
    for (const p of pods) expect(p.spec.containers[0].image).toBe('nginx:2');
  });

  it('OnDelete: a template change replaces nothing until a pod is deleted', async () => {
    const s = await start();
    createDs(s, 'od', { nodeSelector: { disktype: 'ssd' } }, { updateStrategy: { type: 'OnDelete' } });
    await s.settle();
    const before = podsOf(s, 'od').map((p) => p.metadata.uid).sort();
    setImage(s, 'od', 'nginx:2');
    await s.settle();
    expect(podsOf(s, 'od').map((p) => p.metadata.uid).sort()).toEqual(before);
    expect(status(s, 'od')).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 2 });
    expect(status(s, 'od').updatedNumberScheduled).toBeUndefined();
    const victim = podsOf(s, 'od').find((p) => p.spec.nodeName === 'node-4')!;
    s.store.requestDeletion('Pod', NS, victim.metadata.name, {});
    await s.settle();
    const after = podsOf(s, 'od');
    expect(nodesOf(after)).toEqual(['node-1', 'node-4', 'node-5']);
    expect(after.find((p) => p.spec.nodeName === 'node-4')!.spec.containers[0].image).toBe('nginx:2');
    expect(status(s, 'od').updatedNumberScheduled).toBe(1);
  });

  it('adoption: an orphan pod matching the selector is adopted (no second pod on its node); one that stops matching is released', async () => {
    const s = await start();
    const orphan = plainPod('stray', { nodeName: 'node-1' });
    orphan.metadata.labels = { app: 'od' };
    s.store.create('Pod', orphan);
    await s.settle();
    const ds = createDs(s, 'od', { nodeSelector: { disktype: 'ssd' } }, { updateStrategy: { type: 'OnDelete' } });
    await s.settle();
    const pods = podsOf(s, 'od');
    expect(nodesOf(pods)).toEqual(['node-1', 'node-4', 'node-5']);
    const adopted = s.store.get('Pod', NS, 'stray')!;
    expect(adopted.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'od', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // No hash label: not updated.
    expect(status(s, 'od')).toMatchObject({ currentNumberScheduled: 3, updatedNumberScheduled: 2 });
    // Relabel: released, and node-1 gets a pod of its own.
    adopted.metadata.labels = { app: 'other' };
    s.store.update('Pod', adopted);
    await s.settle();
    expect(s.store.get('Pod', NS, 'stray')!.metadata.ownerReferences).toBeUndefined();
    expect(nodesOf(podsOf(s, 'od'))).toEqual(['node-1', 'node-4', 'node-5']);
    expect(podsOf(s, 'od').some((p) => p.metadata.name === 'stray')).toBe(false);
  });

  it('ControllerRevisions: <ds>-<hash>, revision numbers, a rollback reuses the identical revision as max+1, history limit', async () => {
    const s = await start();
    createDs(s, 'hist', { nodeSelector: { disktype: 'ssd' } }, { revisionHistoryLimit: 1 });
    await s.settle();
    const revs = () =>
      s.store
        .list('ControllerRevision', NS)
        .map((r) => ({ name: r.metadata.name, hash: r.metadata.labels!['controller-revision-hash'], revision: r.revision, image: r.data.spec.template.spec.containers[0].image }))
        .sort((a, b) => a.revision - b.revision);
    const [r1] = revs();
    expect(r1!.name).toBe(`hist-${r1!.hash}`);
    expect(r1).toMatchObject({ revision: 1, image: 'nginx:1' });
    const cr = s.store.get('ControllerRevision', NS, r1!.name)!;
    expect(cr.data.spec.template.$patch).toBe('replace');
    expect(cr.metadata.ownerReferences![0]).toMatchObject({ kind: 'DaemonSet', name: 'hist', controller: true, blockOwnerDeletion: true });
    setImage(s, 'hist', 'nginx:2');
    await s.settle();
    expect(revs().map((r) => [r.revision, r.image])).toEqual([
      [1, 'nginx:1'],
      [2, 'nginx:2'],
    ]);
    // Back to nginx:1: the same revision object, renumbered 3; the pods get its hash back.
    setImage(s, 'hist', 'nginx:1');
    await s.settle();
    expect(revs().map((r) => [r.name, r.revision, r.image])).toEqual([
      [revs()[0]!.name, 2, 'nginx:2'],
      [r1!.name, 3, 'nginx:1'],
    ]);
    for (const p of podsOf(s, 'hist')) expect(p.metadata.labels!['controller-revision-hash']).toBe(r1!.hash);
    // Limit 1: after a third template, only the current one and one old revision are kept.
    setImage(s, 'hist', 'nginx:3');
    await s.settle();
    expect(revs().map((r) => [r.revision, r.image])).toEqual([
      [3, 'nginx:1'],
      [4, 'nginx:3'],
    ]);
  });

  it('a revision name taken by other data: collisionCount 1 and a new hash', async () => {
    const s = await start();
    const template = { metadata: { labels: { app: 'col' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
    const probe: KObj = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'col' }, spec: { template } };
    defaultDaemonSet(probe);
    const taken = `col-${templateHash(probe.spec.template)}`;
    s.store.create('ControllerRevision', { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: taken, namespace: NS, labels: { app: 'unrelated' } }, revision: 1, data: { spec: { template: { $patch: 'replace' } } } });
    createDs(s, 'col');
    await s.settle();
    expect(status(s, 'col').collisionCount).toBe(1);
    const own = s.store.list('ControllerRevision', NS).filter((r) => r.metadata.ownerReferences?.some((o) => o.name === 'col'));
    expect(own).toHaveLength(1);
    expect(own[0]!.metadata.name).not.toBe(taken);
    expect(own[0]!.metadata.name).toBe(`col-${templateHash(probe.spec.template, 1)}`);
  });

  it('Background deletion of the DaemonSet removes its pods and revisions (garbage collector)', async () => {
    const s = await start();
    createDs(s, 'gone', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    s.store.requestDeletion('DaemonSet', NS, 'gone', { propagationPolicy: 'Background' });
    await s.settle();
    expect(s.store.list('Pod', NS)).toEqual([]);
    expect(s.store.list('ControllerRevision', NS)).toEqual([]);
  });
});

describe('scheduler', () => {
  const scheduled = (p: KObj | undefined) => p?.status?.conditions?.find((c: any) => c.type === 'PodScheduled');

  it('a pod too big for every node: the FitError message, reasons counted and sorted', async () => {
    const s = await start();
    s.store.create('Pod', plainPod('huge', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '30' } } }] }));
    await s.settle();
    const p = s.store.get('Pod', NS, 'huge')!;
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status.phase).toBe('Pending');
    expect(scheduled(p)).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        "0/6 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 4 Insufficient cpu.",
    });
    const ev = s.store.list('Event', NS).find((e) => e.involvedObject.name === 'huge')!;
    expect(ev).toMatchObject({ type: 'Warning', reason: 'FailedScheduling', message: scheduled(p).message });
  });

  it('a DaemonSet pod on a node too small stays Pending; the other nodes only fail the pin', async () => {
    const s = await start();
    createDs(s, 'big', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '2' } } }] });
    await s.settle();
    const pods = podsOf(s, 'big');
    // Targets: node-1, node-3, node-4, node-5; node-4 has 1 cpu.
    expect(pods.length).toBe(4);
    const pending = pods.filter((p) => !p.spec.nodeName);
    expect(pending.length).toBe(1);
    expect(scheduled(pending[0])!.message).toBe(
      "0/6 nodes are available: 1 Insufficient cpu, 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 3 node(s) didn't match Pod's node affinity.",
    );
    expect(status(s, 'big')).toMatchObject({ desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, numberAvailable: 3, numberUnavailable: 1 });
  });

  it('host ports: a second pod wanting the same port on the same node does not fit; it is bound once the first goes', async () => {
    const s = await start();
    const spec = { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] };
    s.store.create('Pod', plainPod('first', spec));
    await s.settle();
    s.store.create('Pod', plainPod('second', spec));
    await s.settle();
    expect(s.store.get('Pod', NS, 'first')!.spec.nodeName).toBe('node-1');
    expect(scheduled(s.store.get('Pod', NS, 'second'))!.message).toBe(
      "0/6 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 3 node(s) didn't match Pod's node affinity.",
    );
    s.store.requestDeletion('Pod', NS, 'first', {});
    await s.settle();
    expect(s.store.get('Pod', NS, 'second')!.spec.nodeName).toBe('node-1');
  });

  it('a plain pod goes to a node whose taints it tolerates and whose labels match', async () => {
    const s = await start();
    s.store.create('Pod', plainPod('gpu', { nodeSelector: { disktype: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }] }));
    await s.settle();
    // ssd and fits 3 cpu: node-1, node-2, node-5 (cp-1 tainted, node-4 has 1 cpu).
    expect(['node-1', 'node-2', 'node-5']).toContain(s.store.get('Pod', NS, 'gpu')!.spec.nodeName);
    expect(scheduled(s.store.get('Pod', NS, 'gpu'))!.status).toBe('True');
  });
});

describe('kubelet', () => {
  const containerState = (p: KObj) => p.status.containerStatuses[0];

  it('image conventions: notfound -> ImagePullBackOff, crash -> CrashLoopBackOff with restarts, slow -> ready after 5 s', async () => {
    const s = await start();
    createDs(s, 'nf', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'c', image: 'registry.example/notfound:1' }] });
    createDs(s, 'cr', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'c', image: 'registry.example/crash:1' }] });
    createDs(s, 'sl', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'c', image: 'registry.example/slow:1' }] });
    await s.settle();
    const [nf] = podsOf(s, 'nf');
    expect(nf!.status.phase).toBe('Pending');
    expect(containerState(nf!).state.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example/notfound:1"' });
    expect(ready(nf!)).toBe(false);
    const [cr] = podsOf(s, 'cr');
    expect(cr!.status.phase).toBe('Running');
    expect(containerState(cr!).state.waiting.reason).toBe('CrashLoopBackOff');
    expect(containerState(cr!).restartCount).toBeGreaterThanOrEqual(1);
    expect(ready(cr!)).toBe(false);
    const [sl] = podsOf(s, 'sl');
    expect(sl!.status.phase).toBe('Running');
    expect(ready(sl!)).toBe(false);
    expect(status(s, 'sl')).toMatchObject({ desiredNumberScheduled: 1, numberReady: 0 });
    await until('the slow pod to turn ready', () => ready(podsOf(s, 'sl')[0]!), 8000);
    await s.settle();
    expect(status(s, 'sl')).toMatchObject({ numberReady: 1, numberAvailable: 1 });
  });

  it('graceful deletion: the kubelet removes the pod; the controller replaces it', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    await s.settle();
    const [p] = podsOf(s, 'agent');
    s.store.requestDeletion('Pod', NS, p!.metadata.name, {});
    expect(s.store.get('Pod', NS, p!.metadata.name)!.metadata.deletionTimestamp).toBeDefined();
    await s.settle();
    expect(s.store.get('Pod', NS, p!.metadata.name)).toBeUndefined();
    const [q] = podsOf(s, 'agent');
    expect(q!.metadata.uid).not.toBe(p!.metadata.uid);
    expect(q!.spec.nodeName).toBe('node-1');
  });

  it('leases in kube-node-lease for running nodes', async () => {
    const s = await start();
    expect(s.store.list('Lease', 'kube-node-lease').map((l) => l.metadata.name).sort()).toEqual(['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
  });
});

describe('node lifecycle', () => {
  const readyStatus = (s: SimHandle, n: string) => s.store.get('Node', undefined, n)!.status.conditions.find((c: any) => c.type === 'Ready');
  const taints = (s: SimHandle, n: string) => (s.store.get('Node', undefined, n)!.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

  it('a stopped node turns Ready=Unknown with the unreachable taints; its daemon pod stays (misscheduled); started again, all is back', async () => {
    const s = await start({ nodeNotReadyAfterMs: 200 });
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    s.stopNode('node-5');
    await until('node-5 NotReady', () => readyStatus(s, 'node-5').status === 'Unknown');
    await s.settle();
    expect(readyStatus(s, 'node-5')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(taints(s, 'node-5')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const pod = podsOf(s, 'agent').find((p) => p.spec.nodeName === 'node-5')!;
    expect(ready(pod)).toBe(false);
    // The unreachable NoSchedule taint is not among the automatic tolerations: node-5 leaves DESIRED, its
    // pod (tolerating the NoExecute one) stays and counts as misscheduled.
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 2 });
    s.startNode('node-5');
    await s.settle();
    expect(readyStatus(s, 'node-5').status).toBe('True');
    expect(taints(s, 'node-5')).toEqual([]);
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3 });
  });

  it('a pod deleted on a stopped node stays Terminating until the kubelet is back (within the grace period too)', async () => {
    const s = await start({ nodeNotReadyAfterMs: 60_000 });
    createDs(s, 'agent', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    await s.settle();
    const [p] = podsOf(s, 'agent');
    s.stopNode('node-1');
    await s.settle();
    s.store.requestDeletion('Pod', NS, p!.metadata.name, {});
    await s.settle();
    expect(s.store.get('Pod', NS, p!.metadata.name)!.metadata.deletionTimestamp).toBeDefined();
    expect(readyStatus(s, 'node-1').status).toBe('True');
    s.startNode('node-1');
    await s.settle();
    expect(s.store.get('Pod', NS, p!.metadata.name)).toBeUndefined();
    const [q] = podsOf(s, 'agent');
    expect(q!.spec.nodeName).toBe('node-1');
    expect(ready(q!)).toBe(true);
  });

  it('a new node carries not-ready:NoSchedule until seen Ready, then gets its daemon pod', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    s.addNode({ name: 'node-9', labels: { disktype: 'ssd' } });
    expect(taints(s, 'node-9')).toEqual(['node.kubernetes.io/not-ready:NoSchedule']);
    await s.settle();
    await until('the not-ready taint to go', () => taints(s, 'node-9').length === 0, 5000);
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1', 'node-4', 'node-5', 'node-9']);
  });

  it('cordon: the unschedulable taint; daemon pods stay, plain pods no longer fit', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    await s.settle();
    const n = s.store.get('Node', undefined, 'node-1')!;
    n.spec.unschedulable = true;
    s.store.update('Node', n);
    await s.settle();
    expect(taints(s, 'node-1')).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1']);
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 1, numberReady: 1 });
    s.store.create('Pod', plainPod('plain', { nodeSelector: { 'kubernetes.io/hostname': 'node-1' } }));
    await s.settle();
    expect(s.store.get('Pod', NS, 'plain')!.status.conditions[0].message).toBe(
      "0/6 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity.",
    );
    n.spec.unschedulable = false;
    s.store.update('Node', { ...s.store.get('Node', undefined, 'node-1')!, spec: { ...s.store.get('Node', undefined, 'node-1')!.spec, unschedulable: false } });
    await s.settle();
    expect(taints(s, 'node-1')).toEqual([]);
    expect(s.store.get('Pod', NS, 'plain')!.spec.nodeName).toBe('node-1');
  });

  it('a removed node: its daemon pod goes', async () => {
    const s = await start();
    createDs(s, 'agent', { nodeSelector: { disktype: 'ssd' } });
    await s.settle();
    s.removeNode('node-4');
    await s.settle();
    expect(nodesOf(podsOf(s, 'agent'))).toEqual(['node-1', 'node-5']);
    expect(status(s, 'agent')).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2 });
  });
});
