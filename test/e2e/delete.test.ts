/**
 * `kubectl ds delete` against a real control plane (KUBECTL_DS_E2E_KUBECONFIG). Every expectation is
 * what the real DaemonSet controller and garbage collector do, read back with the real kubectl:
 * ownerReferences, pod UIDs, revision ownership. Works on any cluster: its own namespace, cleaned up.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kds, kubectl } from '../helpers/cli.js';
import { uids, type Obj } from '../helpers/objects.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const ns = `kds-delete-e2e-${Date.now().toString(36)}`;
const LONG = 240_000;

type Pod = Obj;
type Rev = Obj;
type Ds = Obj;

async function k(args: string[], input?: string) {
  const r = await kubectl(['--kubeconfig', kc!, '-n', ns, ...args], { input, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function getJson<T>(what: string, selector?: string): Promise<T[]> {
  const out = await k(['get', what, '-o', 'json', ...(selector ? ['-l', selector] : [])]);
  return (JSON.parse(out) as { items: T[] }).items;
}

async function dsOrNull(name: string): Promise<Ds | null> {
  const r = await kubectl(['--kubeconfig', kc!, '-n', ns, 'get', 'ds', name, '-o', 'json', '--ignore-not-found'], { timeoutMs: 60_000 });
  return r.stdout.trim() ? (JSON.parse(r.stdout) as Ds) : null;
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 120_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function manifest(name: string, opts: { app: string; image: string; onDelete?: boolean; marker?: string }): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: opts.app } },
      updateStrategy: opts.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: opts.app }, ...(opts.marker ? { annotations: { marker: opts.marker } } : {}) },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: opts.image }] },
      },
    },
  });
}

/** Pods controlled by the DaemonSet with this UID. */
function controlledBy(pods: Pod[], uid: string): Pod[] {
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid));
}

/** Waits until the controller has created one pod per desired node with the current template. */
async function rolledOut(name: string, app: string): Promise<{ ds: Ds; pods: Pod[] }> {
  return eventually(`daemonset ${name} to run its pods`, async () => {
    const ds = await dsOrNull(name);
    const desired = ds?.status?.desiredNumberScheduled ?? 0;
    if (!ds || desired === 0 || ds.status?.observedGeneration !== ds.metadata.generation || ds.status?.updatedNumberScheduled !== desired) return false;
    const pods = controlledBy(await getJson<Pod>('pods', `app=${app}`), ds.metadata.uid);
    return pods.length === desired ? { ds, pods } : false;
  });
}

const run = (args: string[], input?: string) => kds([...args, '--kubeconfig', kc!, '-n', ns], { input, timeoutMs: 120_000 });

describe.skipIf(!kc)('kubectl ds delete on a real cluster', () => {
  beforeAll(async () => {
    await kubectl(['--kubeconfig', kc!, 'create', 'namespace', ns]);
  });
  afterAll(async () => {
    await kubectl(['--kubeconfig', kc!, 'delete', 'namespace', ns, '--wait=false']);
  });

  // Shared by the orphan/adopt chain below.
  let origin: Pod[] = [];
  let originRevs: string[] = [];

  it('orphan: every pod keeps running with the same UID and no ownerReference; the revisions are orphaned too', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-a', { app: 'chain', image: 'registry.k8s.io/pause:3.9' }));
    await rolledOut('e2e-a', 'chain');
    // Change the template once: the pods then carry pod-template-generation=2, so no later DaemonSet
    // (generation 1) can count them as up to date by that label whatever the controller version.
    await k(['apply', '-f', '-'], manifest('e2e-a', { app: 'chain', image: 'registry.k8s.io/pause:3.9', marker: 'two' }));
    const { ds, pods } = await rolledOut('e2e-a', 'chain');
    origin = pods;
    originRevs = (await getJson<Rev>('controllerrevisions')).filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid)).map((r) => r.metadata.name);
    expect(originRevs.length).toBe(2);

    const r = await run(['delete', 'e2e-a', '--orphan']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('daemonset.apps "e2e-a" deleted');
    for (const p of pods) expect(r.stdout).toMatch(new RegExp(`${p.metadata.name}\\s+${p.spec?.nodeName}\\s+\\S+`));

    expect(await dsOrNull('e2e-a')).toBeNull();
    const after = await getJson<Pod>('pods', 'app=chain');
    expect(uids(after)).toEqual(uids(pods));
    for (const p of after) expect(p.metadata.ownerReferences ?? []).toEqual([]);
    const revs = await getJson<Rev>('controllerrevisions');
    for (const name of originRevs) {
      const rv = revs.find((x) => x.metadata.name === name);
      expect(rv, name).toBeDefined();
      expect(rv!.metadata.ownerReferences ?? []).toEqual([]);
    }
  });

  it('a new DaemonSet with the same selector and the same template adopts the pods and keeps them', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-b', { app: 'chain', image: 'registry.k8s.io/pause:3.9', marker: 'two' }));
    const b = await eventually('e2e-b', () => dsOrNull('e2e-b'));
    const adopted = await eventually('the orphans to be adopted by e2e-b', async () => {
      const pods = controlledBy(await getJson<Pod>('pods', 'app=chain'), b.metadata.uid);
      return pods.length === origin.length ? pods : false;
    });
    expect(uids(adopted)).toEqual(uids(origin)); // same template hash: nothing replaced
    await eventually('e2e-a\'s revisions to be adopted', async () => {
      const revs = await getJson<Rev>('controllerrevisions');
      return originRevs.every((n) => revs.find((r) => r.metadata.name === n)?.metadata.ownerReferences?.some((o) => o.uid === b.metadata.uid));
    });
  });

  it('orphaning with an OnDelete DaemonSet already overlapping: the plan says it adopts the older pods and deletes its own; the controller does exactly that', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-c', { app: 'chain', image: 'registry.k8s.io/pause:3.8', onDelete: true }));
    const c = await eventually('e2e-c to create its own pods', async () => {
      const ds = await dsOrNull('e2e-c');
      if (!ds) return false;
      const own = controlledBy(await getJson<Pod>('pods', 'app=chain'), ds.metadata.uid);
      return own.length === origin.length ? { ds, own } : false;
    });

    const plan = await run(['delete', 'e2e-b', '--orphan', '--dry-run=server', '-o', 'json']);
    expect(plan.code).toBe(0);
    const doc = JSON.parse(plan.stdout);
    const t = doc.daemonSets[0];
    expect(t.pods.map((p: { fate: string }) => p.fate)).toEqual(origin.map(() => 'on-delete'));
    expect(t.adopters[0].name).toBe('e2e-c');
    expect(t.adopters[0].ownDeleted.length).toBe(origin.length);
    expect(await dsOrNull('e2e-b')).not.toBeNull(); // server dry run changed nothing

    const r = await run(['delete', 'e2e-b', '--orphan']);
    expect(r.code).toBe(0);
    // One pod per node, the oldest: the orphans (same UIDs) stay, owned by e2e-c; e2e-c's own pods go.
    const after = await eventually('e2e-c to keep one pod per node', async () => {
      const pods = await getJson<Pod>('pods', 'app=chain');
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      return live.length === origin.length && controlledBy(pods, c.ds.metadata.uid).length === origin.length ? live : false;
    });
    expect(uids(after)).toEqual(uids(origin));
    for (const p of after) expect(p.spec?.containers?.[0]?.image).toBe('registry.k8s.io/pause:3.9'); // OnDelete: old template runs on
  });

  it('orphaning into a RollingUpdate DaemonSet with another template: the adopted pods are replaced', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-d', { app: 'chain', image: 'registry.k8s.io/pause:3.7' }));
    const d = await eventually('e2e-d', () => dsOrNull('e2e-d'));
    // Until the controller's first sync has written e2e-d's ControllerRevision, nobody (the controller
    // included) knows its template hash, and the plan rightly says 'unknown'. Wait for that revision.
    await eventually('e2e-d\'s first ControllerRevision', async () =>
      (await getJson<Rev>('controllerrevisions')).some((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid)),
    );
    const plan = await run(['delete', 'e2e-c', '--orphan', '--dry-run=client', '-o', 'json']);
    expect(plan.code).toBe(0);
    const fates = JSON.parse(plan.stdout).daemonSets[0].pods.map((p: { fate: string }) => p.fate);
    expect(new Set(fates)).toEqual(new Set(['replace']));

    const r = await run(['delete', 'e2e-c', '--orphan']);
    expect(r.code).toBe(0);
    const final = await eventually('e2e-d to replace every adopted pod', async () => {
      const pods = await getJson<Pod>('pods', 'app=chain');
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      const mine = controlledBy(pods, d.metadata.uid);
      return live.length === origin.length && mine.length === origin.length && mine.every((p) => p.spec?.containers?.[0]?.image === 'registry.k8s.io/pause:3.7') ? mine : false;
    });
    for (const p of final) expect(uids(origin)).not.toContain(p.metadata.uid);
  });

  it('background: the DaemonSet is gone at once and the garbage collector deletes the pods', { timeout: LONG }, async () => {
    // Its own DaemonSet, so that it does not depend on the chain above having ended where it should.
    await k(['apply', '-f', '-'], manifest('e2e-e', { app: 'bg', image: 'registry.k8s.io/pause:3.9' }));
    const { pods: before } = await rolledOut('e2e-e', 'bg');
    const r = await run(['delete', 'e2e-e']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('daemonset.apps "e2e-e" deleted');
    expect(r.stdout).toContain('daemonset.apps "e2e-e" is gone');
    expect(await dsOrNull('e2e-e')).toBeNull();
    await eventually('the pods to be deleted', async () => {
      const now = await getJson<Pod>('pods', 'app=bg');
      return before.every((p) => !now.some((x) => x.metadata.uid === p.metadata.uid && !x.metadata.deletionTimestamp));
    });
  });

  it('foreground: when the command returns, the pods are gone', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-f', { app: 'fg', image: 'registry.k8s.io/pause:3.9' }));
    const { pods } = await rolledOut('e2e-f', 'fg');
    const r = await run(['delete', 'e2e-f', '--cascade=foreground']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`daemonset.apps "e2e-f" is gone, and so are its ${pods.length} pods.`);
    const left = await getJson<Pod>('pods', 'app=fg');
    expect(left.filter((p) => uids(pods).includes(p.metadata.uid))).toEqual([]);
  });

  it('dry-run (client and server) changes nothing; not found is one line and exit 1', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-g', { app: 'dry', image: 'registry.k8s.io/pause:3.9' }));
    const { ds, pods } = await rolledOut('e2e-g', 'dry');
    for (const mode of ['client', 'server']) {
      const r = await run(['delete', 'e2e-g', `--dry-run=${mode}`]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`daemonset.apps "e2e-g" deleted (${mode === 'server' ? 'server ' : ''}dry run)`);
    }
    expect((await dsOrNull('e2e-g'))?.metadata.uid).toBe(ds.metadata.uid);
    expect(uids(controlledBy(await getJson<Pod>('pods', 'app=dry'), ds.metadata.uid))).toEqual(uids(pods));

    const nf = await run(['delete', 'e2e-nothere']);
    expect(nf.code).toBe(1);
    expect(nf.stderr.trim().split('\n')).toHaveLength(1);
    expect(nf.stderr).toContain('(NotFound)');
    expect(nf.stderr).toContain('nothing was deleted');
  });

  it('forbidden: a token that may read but not delete gets one clear line, exit 1, and nothing changes', { timeout: LONG }, async () => {
    const ds = (await dsOrNull('e2e-g'))!;
    // A read-only identity: the context KUBECTL_DS_E2E_VIEWER_CONTEXT names (the built-in simulator's
    // ds-sim-viewer; it serves no ServiceAccounts or RBAC), else a ServiceAccount bound to a read-only Role.
    const viewerContext = process.env.KUBECTL_DS_E2E_VIEWER_CONTEXT;
    let viewerArgs: string[];
    if (viewerContext) {
      viewerArgs = ['--kubeconfig', kc!, '--context', viewerContext, '-n', ns];
    } else {
      await k(['create', 'serviceaccount', 'kds-viewer']);
      await k(['create', 'role', 'kds-view', '--verb=get,list,watch', '--resource=daemonsets.apps,pods,controllerrevisions.apps']);
      await k(['create', 'rolebinding', 'kds-view', '--role=kds-view', `--serviceaccount=${ns}:kds-viewer`]);
      // A token: TokenRequest where the server offers it, else the Secret a 1.20-era server creates.
      let token = (await kubectl(['--kubeconfig', kc!, '-n', ns, 'create', 'token', 'kds-viewer'])).stdout.trim();
      if (!token) {
        token = await eventually('the service account token Secret', async () => {
          const sa = JSON.parse(await k(['get', 'serviceaccount', 'kds-viewer', '-o', 'json']));
          const secret = sa.secrets?.[0]?.name;
          if (!secret) return false;
          return Buffer.from(JSON.parse(await k(['get', 'secret', secret, '-o', 'json'])).data.token, 'base64').toString();
        });
      }
      const cluster = JSON.parse((await kubectl(['--kubeconfig', kc!, 'config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'])).stdout).clusters[0];
      const dir = mkdtempSync(join(tmpdir(), 'kds-viewer-'));
      const viewer = join(dir, 'kubeconfig');
      writeFileSync(
        viewer,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [cluster],
          users: [{ name: 'viewer', user: { token } }],
          contexts: [{ name: 'viewer', context: { cluster: cluster.name, user: 'viewer', namespace: ns } }],
          'current-context': 'viewer',
        }),
      );
      viewerArgs = ['--kubeconfig', viewer];
    }
    const r = await kds(['delete', 'e2e-g', '--orphan', ...viewerArgs], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^Error from server \(Forbidden\): .*cannot delete resource "daemonsets".*nothing was deleted/);
    expect(r.stdout).not.toContain('deleted\n');
    expect((await dsOrNull('e2e-g'))?.metadata.uid).toBe(ds.metadata.uid);
  });

  it('a delete that cannot finish (a finalizer nobody removes) ends after --timeout with one line saying what was done', { timeout: LONG }, async () => {
    await k(['apply', '-f', '-'], manifest('e2e-h', { app: 'held', image: 'registry.k8s.io/pause:3.9' }));
    const { pods } = await rolledOut('e2e-h', 'held');
    await k(['patch', 'ds', 'e2e-h', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
    try {
      const r = await run(['delete', 'e2e-h', '--orphan', '--timeout', '3s']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('daemonset.apps "e2e-h" deleted');
      const errLines = r.stderr.trim().split('\n');
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(/^error: timed out after 3s .*no pod was deleted.*held by the finalizer example\.com\/hold/);
      // The garbage collector did orphan the pods: same UIDs, no owner.
      const now = await getJson<Pod>('pods', 'app=held');
      expect(uids(now)).toEqual(uids(pods));
      for (const p of now) expect(p.metadata.ownerReferences ?? []).toEqual([]);
    } finally {
      await k(['patch', 'ds', 'e2e-h', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    }
  });
});
