/**
 * `kubectl ds delete` as a user runs it (the built CLI, and once through the real kubectl), against the
 * simulator over HTTPS. Expectations are the Kubernetes rules written by hand: an orphaning delete leaves
 * every pod (same UID) without an ownerReference and never sends a pod DELETE; background and foreground
 * delete the pods; dry runs change nothing; errors are one line with exit 1.
 *
 * Where the simulator has no DaemonSet controller yet, the test makes the daemon pods and the revision
 * itself, exactly as the controller makes them (labels, controller ownerReference with
 * blockOwnerDeletion); the adoption tests need the controller and say so when they skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl, testEnv } from '../helpers/cli.js';
import { live, uids, type Obj } from '../helpers/objects.js';

type Started = { kubeconfig: string; url: string; sim: any; stop(): Promise<void> };
let startSim: ((o?: { scenario?: string }) => Promise<Started>) | undefined;
try {
  // The simulator helper lands with the sim-api branch; until it is merged this file skips with a reason.
  const helper = '../helpers/sim.js';
  startSim = (await import(/* @vite-ignore */ helper)).startSim;
} catch {
  console.log('int delete skipped: test/helpers/sim.ts (the simulator) is not on this branch yet: git merge main once sim-api has landed');
}

const NS = 'del';

describe.skipIf(!startSim)('kubectl ds delete against the simulator', () => {
  let s: Started;
  let env: NodeJS.ProcessEnv;
  let controllerRuns = false;

  const k = async (args: string[], input?: string) => {
    const r = await kubectl(['-n', NS, ...args], { env, input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const list = async (what: string, selector?: string): Promise<Obj[]> =>
    (JSON.parse(await k(['get', what, '-o', 'json', ...(selector ? ['-l', selector] : [])])) as { items: Obj[] }).items;
  const getDs = async (name: string, ns = NS): Promise<Obj | null> => {
    const r = await kubectl(['-n', ns, 'get', 'ds', name, '-o', 'json', '--ignore-not-found'], { env });
    return r.stdout.trim() ? (JSON.parse(r.stdout) as Obj) : null;
  };
  const run = (args: string[], input?: string) => kds([...args, '-n', NS], { env, input });

  function manifest(name: string, app: string, image = 'registry.k8s.io/pause:3.9', extra: Record<string, unknown> = {}) {
    return JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name },
      spec: {
        selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image }] } },
        ...extra,
      },
    });
  }

  /** Creates a DaemonSet and returns its pods and revisions (made by the controller, or by hand as it would). */
  async function daemonSet(name: string, app: string, ns = NS): Promise<{ ds: Obj; pods: Obj[]; revisions: Obj[] }> {
    await kubectl(['-n', ns, 'apply', '-f', '-'], { env, input: manifest(name, app) });
    await s.sim.settle();
    const ds = (await getDs(name, ns))!;
    const owned = (o: Obj) => o.metadata.ownerReferences?.some((r) => r.uid === ds.metadata.uid);
    const podsNow = async () =>
      (JSON.parse((await kubectl(['-n', ns, 'get', 'pods', '-o', 'json', '-l', `app=${app}`], { env })).stdout).items as Obj[]).filter(owned);
    const revsNow = async () => (JSON.parse((await kubectl(['-n', ns, 'get', 'controllerrevisions', '-o', 'json'], { env })).stdout).items as Obj[]).filter(owned);
    if (!controllerRuns) {
      const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true };
      const labels = { app, 'controller-revision-hash': '7d8f9c6b5', 'pod-template-generation': '1' };
      const items = ['node-1', 'node-3', 'node-5'].map((node, i) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-p${i}`, labels, ownerReferences: [ref] },
        spec: { nodeName: node, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
      }));
      items.push({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: `${name}-7d8f9c6b5`, labels: { app, 'controller-revision-hash': '7d8f9c6b5' }, ownerReferences: [ref] },
        revision: 1,
        data: { spec: { template: { $patch: 'replace' } } },
      } as never);
      const made = await kubectl(['-n', ns, 'create', '--validate=false', '-f', '-'], { env, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
      if (made.code !== 0) throw new Error(`creating the daemon pods by hand: ${made.stderr}`);
    }
    return { ds, pods: await podsNow(), revisions: await revsNow() };
  }

  const deletesOfPods = () => (s.sim.requests as { method: string; url: string }[]).filter((r) => r.method === 'DELETE' && /\/pods(\/|\?|$)/.test(r.url));

  beforeAll(async () => {
    s = await startSim!({ scenario: 'mixed' });
    env = testEnv({ KUBECONFIG: s.kubeconfig });
    await kubectl(['create', 'namespace', NS], { env });
    // Is there a DaemonSet controller in this simulator?
    await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('probe', 'probe') });
    await s.sim.settle();
    controllerRuns = (await list('pods', 'app=probe')).length > 0;
    await kubectl(['-n', NS, 'delete', 'ds', 'probe'], { env });
    await s.sim.settle();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('orphan: every pod keeps running with its UID and no ownerReference, the revisions are orphaned, and no pod DELETE is sent', async () => {
    const { ds, pods, revisions } = await daemonSet('orph', 'orph');
    expect(pods.length).toBeGreaterThan(0);
    expect(revisions.length).toBeGreaterThan(0);
    const before = deletesOfPods().length;
    const r = await run(['delete', 'orph', '--orphan']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('daemonset.apps "orph" deleted');
    for (const p of pods) expect(r.stdout).toMatch(new RegExp(`${p.metadata.name}\\s+${p.spec!.nodeName}`));
    expect(await getDs('orph')).toBeNull();
    const after = await list('pods', 'app=orph');
    expect(uids(after)).toEqual(uids(pods));
    for (const p of after) expect(p.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid) ?? false).toBe(false);
    const revs = await list('controllerrevisions');
    for (const rv of revisions) {
      const now = revs.find((x) => x.metadata.uid === rv.metadata.uid);
      expect(now).toBeDefined();
      expect(now!.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid) ?? false).toBe(false);
    }
    expect(deletesOfPods().length).toBe(before);
    const dsDelete = (s.sim.requests as { method: string; url: string }[]).filter((x) => x.method === 'DELETE' && x.url.includes('/daemonsets/orph'));
    expect(dsDelete).toHaveLength(1);
    expect(dsDelete[0]!.url).toContain('propagationPolicy=Orphan');
  });

  it('background: the DaemonSet is gone and the garbage collector deletes its pods', async () => {
    const { pods } = await daemonSet('bg', 'bg');
    const r = await run(['delete', 'bg']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('daemonset.apps "bg" deleted');
    expect(r.stdout).toContain('daemonset.apps "bg" is gone');
    await s.sim.settle();
    const now = live(await list('pods', 'app=bg'));
    expect(now.filter((p) => uids(pods).includes(p.metadata.uid))).toEqual([]);
  });

  it('foreground: when the command returns the pods are gone, then the DaemonSet', async () => {
    const { pods } = await daemonSet('fg', 'fg');
    if (!controllerRuns) {
      // No kubelet in this simulator: the pods the garbage collector deletes stay Terminating, so the
      // DaemonSet (blocked by blockOwnerDeletion) stays too, and the wait ends at --timeout.
      const r = await run(['delete', 'fg', '--cascade=foreground', '--timeout', '3s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('daemonset.apps "fg" deleted');
      expect(r.stderr.trim()).toBe(
        `error: timed out after 3s waiting for the foreground deletion of daemonset.apps "fg": the DaemonSet is marked for deletion and still exists, held by the finalizer foregroundDeletion; ` +
          `0 of ${pods.length} pods deleted, ${pods.length} still present (${pods.length} terminating)`,
      );
      expect(live(await list('pods', 'app=fg'))).toEqual([]);
      return;
    }
    const r = await run(['delete', 'fg', '--cascade=foreground']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`daemonset.apps "fg" is gone, and so are its ${pods.length} pods.`);
    expect((await list('pods', 'app=fg')).filter((p) => uids(pods).includes(p.metadata.uid))).toEqual([]);
  });

  it('dry runs change nothing (server dry run sends dryRun=All), and -o json carries the plan', async () => {
    const { ds, pods } = await daemonSet('dry', 'dry');
    const c = await run(['delete', 'dry', '--dry-run=client', '--orphan']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('daemonset.apps "dry" deleted (dry run)');
    const sv = await run(['delete', 'dry', '--dry-run=server', '-o', 'json']);
    expect(sv.code).toBe(0);
    const doc = JSON.parse(sv.stdout);
    expect(doc.dryRun).toBe('server');
    expect(doc.daemonSets[0].pods.map((p: { name: string }) => p.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    expect(doc.daemonSets[0].pods.every((p: { fate: string }) => p.fate === 'delete')).toBe(true);
    const del = (s.sim.requests as { method: string; url: string }[]).filter((x) => x.method === 'DELETE' && x.url.includes('/daemonsets/dry'));
    expect(del).toHaveLength(1);
    expect(del[0]!.url).toContain('dryRun=All');
    await s.sim.settle();
    expect((await getDs('dry'))?.metadata.uid).toBe(ds.metadata.uid);
    expect(uids(live(await list('pods', 'app=dry')))).toEqual(uids(pods));
  });

  it('several names: a missing one is reported in one line, the others are deleted, exit 1', async () => {
    await daemonSet('m1', 'm1');
    await daemonSet('m2', 'm2');
    const r = await run(['delete', 'm1', 'missing', 'm2', '-o', 'name']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('daemonset.apps/m1\ndaemonset.apps/m2\n');
    const errs = r.stderr.split('\n').filter((l) => l.startsWith('Error') || l.startsWith('error'));
    expect(errs).toEqual(['Error from server (NotFound): daemonsets.apps "missing" not found in namespace "del"; nothing was deleted for it']);
    expect(await getDs('m1')).toBeNull();
    expect(await getDs('m2')).toBeNull();
  });

  it('forbidden (the read-only ds-sim-viewer context): one line, exit 1, nothing changed', async () => {
    const { ds, pods } = await daemonSet('ro', 'ro');
    const r = await run(['delete', 'ro', '--orphan', '--context', 'ds-sim-viewer']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error from server \(Forbidden\): .*; nothing was deleted: daemonset\.apps "ro" and its \d+ pods? are unchanged$/);
    expect((await getDs('ro'))?.metadata.uid).toBe(ds.metadata.uid);
    expect(uids(await list('pods', 'app=ro'))).toEqual(uids(pods));
  });

  it('a garbage collector that never finishes: --timeout 2s ends with one line saying what was and was not done', async () => {
    const { ds, pods, revisions } = await daemonSet('stall', 'stall');
    s.sim.faults.stallGarbageCollector(true);
    try {
      const r = await run(['delete', 'stall', '--orphan', '--timeout', '2s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('daemonset.apps "stall" deleted');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `error: timed out after 2s waiting for the garbage collector to orphan the pods of daemonset.apps "stall": the DaemonSet is marked for deletion but still exists; no pod was deleted; ` +
          `${pods.length} pods and ${revisions.length} ControllerRevision${revisions.length === 1 ? '' : 's'} still carry its ownerReference: ` +
          `the garbage collector (kube-controller-manager) has not done its part; check it, or run the command again`,
      );
      const held = await getDs('stall');
      expect(held?.metadata.deletionTimestamp).toBeTruthy();
      expect(held?.metadata.finalizers).toContain('orphan');
    } finally {
      s.sim.faults.stallGarbageCollector(false);
    }
    await s.sim.settle();
    expect(await getDs('stall')).toBeNull();
    const after = await list('pods', 'app=stall');
    expect(uids(after)).toEqual(uids(pods));
    for (const p of after) expect(p.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid) ?? false).toBe(false);
  });

  it('kube-system needs --force-system or a yes to -i', async () => {
    await daemonSet('sys-agent', 'sys-agent', 'kube-system');
    const refused = await kds(['delete', 'sys-agent', '-n', 'kube-system'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').filter((l) => l.startsWith('error'))).toEqual([
      'error: refusing to delete daemonset.apps "sys-agent" in kube-system without --force-system or -i: losing kube-proxy or the CNI agent takes nodes down; nothing was deleted',
    ]);
    expect(await getDs('sys-agent', 'kube-system')).not.toBeNull();

    const no = await kds(['delete', 'sys-agent', '-n', 'kube-system', '-i'], { env, input: 'n\n' });
    expect(no.code).toBe(0);
    expect(no.stdout).toContain('You are about to delete the following 1 resource(s):\ndaemonset.apps/sys-agent');
    expect(no.stdout).toContain('Do you want to continue? (y/n): deletion is cancelled');
    expect(await getDs('sys-agent', 'kube-system')).not.toBeNull();

    const yes = await kds(['delete', 'sys-agent', '-n', 'kube-system', '-i'], { env, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('daemonset.apps "sys-agent" deleted');
    expect(await getDs('sys-agent', 'kube-system')).toBeNull();
  });

  it('through the real kubectl: -l selects, --all needs a namespace, a bad --cascade is kubectl\'s message', async () => {
    await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('lab', 'lab') });
    await k(['label', 'ds', 'lab', 'team=obs']);
    const r = await kubectl(['ds', 'delete', '-l', 'team=obs', '-n', NS, '--cascade=false'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.');
    expect(r.stdout).toContain('daemonset.apps "lab" deleted');
    const none = await kubectl(['ds', 'delete', '-l', 'team=obs', '-n', NS], { env });
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toBe('No resources found');
    const all = await kubectl(['ds', 'delete', '--all'], { env });
    expect(all.code).toBe(2);
    expect(all.stderr.trim()).toBe('error: --all deletes every DaemonSet in a namespace: say which with -n NAMESPACE, or use -A for every namespace');
    const bad = await kubectl(['ds', 'delete', 'x', '--cascade=sideways'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"');
  });

  describe('adoption (needs the simulated DaemonSet controller)', () => {
    it('a new DaemonSet with the same selector adopts the orphans: same template kept, other template replaced', async (ctx) => {
      if (!controllerRuns) {
        console.log('int delete: adoption skipped: this simulator has no DaemonSet controller yet (sim-ctl)');
        ctx.skip();
      }
      // Old DaemonSet, template changed once so its pods carry pod-template-generation=2.
      await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('old', 'adopt') });
      await s.sim.settle();
      await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('old', 'adopt', 'registry.k8s.io/pause:3.8') });
      await s.sim.settle();
      const orphans = live(await list('pods', 'app=adopt'));
      expect(orphans.length).toBeGreaterThan(0);
      expect((await run(['delete', 'old', '--orphan'])).code).toBe(0);

      // Same template: adopted, same UIDs, owned by the new DaemonSet.
      await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('same', 'adopt', 'registry.k8s.io/pause:3.8') });
      await s.sim.settle();
      const same = (await getDs('same'))!;
      const kept = live(await list('pods', 'app=adopt'));
      expect(uids(kept)).toEqual(uids(orphans));
      for (const p of kept) expect(p.metadata.ownerReferences?.find((o) => o.controller)?.uid).toBe(same.metadata.uid);

      // Orphan again into nothing, then a DaemonSet with another template: every pod is replaced.
      expect((await run(['delete', 'same', '--orphan'])).code).toBe(0);
      await kubectl(['-n', NS, 'apply', '-f', '-'], { env, input: manifest('other', 'adopt', 'registry.k8s.io/pause:3.7') });
      await s.sim.settle();
      const other = (await getDs('other'))!;
      const replaced = live(await list('pods', 'app=adopt'));
      expect(replaced.length).toBe(orphans.length);
      for (const p of replaced) {
        expect(uids(orphans)).not.toContain(p.metadata.uid);
        expect(p.metadata.ownerReferences?.find((o) => o.controller)?.uid).toBe(other.metadata.uid);
        expect(p.spec!.containers![0]!.image).toBe('registry.k8s.io/pause:3.7');
      }
    });
  });
});
