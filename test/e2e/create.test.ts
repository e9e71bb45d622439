/**
 * `kubectl ds create` and `kubectl create daemonset` (through the real kubectl's plugin path) against a
 * real control plane: every preset and a spread of flag combinations are accepted with --dry-run=server
 * (nothing stored) and for real, and the real DaemonSet controller and scheduler place the pods.
 *
 * Placement: on the "mixed" nodes of ../shared/realk8s (and .ci/run) the expected nodes of each case are
 * written by hand below from the nodes' labels and taints:
 *   cp-1    disktype=ssd, taint node-role.kubernetes.io/control-plane:NoSchedule
 *   node-1  disktype=ssd
 *   node-2  disktype=ssd, taint dedicated=gpu:NoSchedule
 *   node-3  (no disktype)
 *   node-4  disktype=ssd, only 1 cpu / 1Gi
 *   node-5  disktype=ssd
 * The DaemonSet controller makes a pod for every node whose labels match and whose NoSchedule/NoExecute
 * taints are tolerated; the scheduler then binds it only if its requests fit (a pod that does not fit
 * stays Pending on its node). On another cluster the placement checks are skipped (said once); the API
 * checks run anyway. Nodes other helpers add to a shared cluster are ignored.
 *
 * Errors are compared with what the same kubectl prints for `kubectl create deployment` (its own kind),
 * where the server serves Deployments (the built-in simulator does not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, testEnv, orThrow, sleep } from '../helpers/cli.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const ns = `kds-create-e2e-${Date.now().toString(36)}`;
const env = () => testEnv({ KUBECONFIG: kc });
const IMAGE = 'registry.k8s.io/pause:3.9';
const MIXED = ['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5'];

const kubectl = (args: string[], input?: string) => run('kubectl', args, { env: env(), input });
/**
 * kubectl ARGS in our namespace. -n goes after the words (before any --): kubectl refuses flags before a
 * plugin's name ("flags cannot be placed before plugin name"), and `kubectl -n X create daemonset`
 * does not find the create-subcommand plugin at all.
 */
const k = (args: string[], input?: string) => kubectl(beforeDash(args, ['-n', ns]), input);

/** args with `more` inserted before the first `--` (or at the end). */
function beforeDash(args: string[], more: string[]): string[] {
  const dash = args.indexOf('--');
  const at = dash < 0 ? args.length : dash;
  return [...args.slice(0, at), ...more, ...args.slice(at)];
}

const ok = orThrow(k);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects read field by field
type Json = Record<string, any>;

async function getJson(args: string[]): Promise<Json> {
  return JSON.parse(await ok([...args, '-o', 'json'])) as Json;
}

/** Is this the mixed cluster, with its nodes as described above? */
async function isMixedCluster(): Promise<boolean> {
  const r = await kubectl(['get', 'nodes', '-o', 'json']);
  if (r.code !== 0) return false;
  const nodes = new Map<string, Json>(((JSON.parse(r.stdout) as Json).items as Json[]).map((n) => [n.metadata.name as string, n]));
  const taints = (n: string) => ((nodes.get(n)?.spec?.taints ?? []) as Json[]).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).sort();
  const disk = (n: string) => nodes.get(n)?.metadata?.labels?.disktype;
  const ready = (n: string) => ((nodes.get(n)?.status?.conditions ?? []) as Json[]).some((c) => c.type === 'Ready' && c.status === 'True');
  return (
    MIXED.every((n) => nodes.has(n) && ready(n)) &&
    JSON.stringify(taints('cp-1')) === JSON.stringify(['node-role.kubernetes.io/control-plane:NoSchedule']) &&
    JSON.stringify(taints('node-2')) === JSON.stringify(['dedicated=gpu:NoSchedule']) &&
    ['node-1', 'node-3', 'node-4', 'node-5'].every((n) => taints(n).length === 0) &&
    ['cp-1', 'node-1', 'node-2', 'node-4', 'node-5'].every((n) => disk(n) === 'ssd') &&
    disk('node-3') === undefined &&
    nodes.get('node-4')?.status?.allocatable?.cpu === '1'
  );
}

/** The node a daemon pod is for: where it is bound, else the node its controller-made affinity names. */
function nodeOf(pod: Json): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName as string;
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Json[];
  for (const t of terms) for (const f of (t.matchFields ?? []) as Json[]) if (f.key === 'metadata.name') return (f.values as string[])[0];
  return undefined;
}

interface Placement {
  /** Mixed nodes with a pod of the DaemonSet. */
  nodes: string[];
  /** Mixed nodes whose pod is Running. */
  running: string[];
}

async function placement(name: string): Promise<Placement> {
  const pods = (await getJson(['get', 'pods', '-l', `app=${name}`])).items as Json[];
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const on = (ps: Json[]) => [...new Set(ps.map(nodeOf).filter((n): n is string => !!n && MIXED.includes(n)))].sort();
  return { nodes: on(live), running: on(live.filter((p) => p.status?.phase === 'Running')) };
}

/** Waits until the placement is the expected one (or gives up after 60 s and returns the last seen). */
async function waitPlacement(name: string, want: Placement): Promise<Placement> {
  let p: Placement = { nodes: [], running: [] };
  for (let i = 0; i < 120; i++) {
    p = await placement(name);
    if (JSON.stringify(p) === JSON.stringify(want)) {
      await sleep(1000); // and it stays so: no extra pods come later
      return placement(name);
    }
    await sleep(500);
  }
  return p;
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

interface Case {
  name: string;
  /** The flags after NAME. */
  flags: string[];
  /** Mixed nodes that get a pod, written by hand from the rules. */
  nodes: string[];
  /** Of those, the nodes where the pod cannot run (does not fit): Pending. */
  pending?: string[];
  /** Checks on the object as the server stored it. */
  check?: (ds: Json) => void;
}

const ALL = MIXED;
const WORKERS_UNTAINTED = ['node-1', 'node-3', 'node-4', 'node-5'];

/** The server's minor version, read in beforeAll (the cases' checks run after it). */
let serverMinor = 0;
/**
 * The rollingUpdate the server stores for a given maxUnavailable: maxSurge defaults to 0 from 1.22 (the
 * DaemonSetUpdateSurge feature, beta and on by default); 1.20 has no such field, and 1.21 drops it while
 * the alpha gate is off.
 */
const rolling = (maxUnavailable: number | string) => ({ maxUnavailable, ...(serverMinor >= 22 ? { maxSurge: 0 } : {}) });

/**
 * kubectl create deployment is the model for our messages; the built-in simulator serves DaemonSets and
 * what they need, not Deployments, so there the comparison is left out and the hand-written forms remain.
 */
async function servesDeployments(): Promise<boolean> {
  const r = await kubectl(['api-resources', '--api-group=apps', '-o', 'name']);
  const yes = r.stdout.split('\n').includes('deployments.apps');
  if (!yes) console.log('create e2e: the server serves no deployments: the comparison with kubectl create deployment is left out');
  return yes;
}

const CASES: Case[] = [
  {
    name: 'preset-log-collector',
    flags: ['--preset', 'log-collector', '--image', IMAGE],
    // tolerates the control-plane taint, not dedicated=gpu
    nodes: ['cp-1', 'node-1', 'node-3', 'node-4', 'node-5'],
    check: (ds) => {
      const pod = ds.spec.template.spec;
      expect(pod.priorityClassName).toBe('system-node-critical');
      expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '200Mi' } });
      expect(pod.volumes.map((v: Json) => v.hostPath.path)).toEqual(['/var/log', '/var/lib/docker/containers']);
      expect(pod.containers[0].volumeMounts.every((m: Json) => m.readOnly === true)).toBe(true);
    },
  },
  {
    name: 'preset-node-monitor',
    flags: ['--preset', 'node-monitor', '--image', IMAGE],
    // tolerates every taint
    nodes: ALL,
    check: (ds) => {
      const pod = ds.spec.template.spec;
      expect(pod.hostNetwork).toBe(true);
      expect(pod.hostPID).toBe(true);
      expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
      expect(pod.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
      expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    },
  },
  {
    name: 'preset-storage',
    flags: ['--preset', 'storage', '--image', IMAGE],
    nodes: ['cp-1', 'node-1', 'node-3', 'node-4', 'node-5'],
    check: (ds) => {
      const pod = ds.spec.template.spec;
      expect(pod.containers[0].securityContext).toEqual({ privileged: true });


      expect(pod.volumes).toEqual([{ name: 'data', hostPath: { path: '/var/lib/storage-agent', type: 'DirectoryOrCreate' } }]);
    },
  },
  {
    name: 'plain',
    flags: ['--image', IMAGE],
    // no tolerations: not the control plane, not the gpu node
    nodes: WORKERS_UNTAINTED,
    check: (ds) => {
      expect(ds.spec.selector).toEqual({ matchLabels: { app: 'plain' } });
      expect(ds.spec.template.spec.containers.map((c: Json) => c.name)).toEqual(['pause']);
      // server defaults
      expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: rolling(1) });
      expect(ds.spec.revisionHistoryLimit).toBe(10);
    },
  },
  {
    name: 'ssd',
    flags: ['--image', IMAGE, '--node-selector', 'disktype=ssd'],
    nodes: ['node-1', 'node-4', 'node-5'],
  },
  {
    name: 'ssd-cp',
    flags: ['--image', IMAGE, '--node-selector', 'disktype=ssd', '--tolerate-control-plane'],
    nodes: ['cp-1', 'node-1', 'node-4', 'node-5'],
    check: (ds) => {
      expect(ds.spec.template.spec.nodeSelector).toEqual({ disktype: 'ssd' });
      expect(ds.spec.template.spec.tolerations).toEqual([
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    },
  },
  {
    name: 'gpu-ssd',
    flags: ['--image', IMAGE, '--toleration', 'dedicated=gpu:NoSchedule', '--node-selector', 'disktype=ssd'],
    nodes: ['node-1', 'node-2', 'node-4', 'node-5'],
  },
  {
    name: 'dedicated-exists',
    // key:Exists without an effect tolerates dedicated=<anything> of every effect
    flags: ['--image', IMAGE, '--toleration', 'dedicated:Exists'],
    nodes: ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'],
    check: (ds) => expect(ds.spec.template.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]),
  },
  {
    name: 'tolerate-all',
    flags: ['--image', IMAGE, '--tolerate-all'],
    nodes: ALL,
  },
  {
    name: 'two-tolerations',
    flags: ['--image', IMAGE, '--toleration', 'node-role.kubernetes.io/control-plane:NoSchedule', '--toleration', 'dedicated=gpu'],
    nodes: ALL,
  },
  {
    name: 'big',
    // 2 cpu does not fit node-4 (1 cpu): its pod is made but stays Pending
    flags: ['--image', IMAGE, '--requests', 'cpu=2,memory=256Mi', '--limits', 'cpu=2,memory=512Mi'],
    nodes: WORKERS_UNTAINTED,
    pending: ['node-4'],
    check: (ds) => expect(ds.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '2', memory: '256Mi' }, limits: { cpu: '2', memory: '512Mi' } }),
  },
  {
    name: 'agent',
    flags: ['--image', IMAGE, '--env', 'A=1', '--env', 'B=two words', '--host-path', 'logs=/var/log:/host/log:ro', '--host-path', 'run=/run:/host/run',
      '--host-network', '--host-pid', '--privileged', '--port', '18080', '--service-account', 'default'],
    nodes: WORKERS_UNTAINTED,
    check: (ds) => {
      const pod = ds.spec.template.spec;
      const c = pod.containers[0];
      expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }]);
      expect(c.volumeMounts).toEqual([{ name: 'logs', mountPath: '/host/log', readOnly: true }, { name: 'run', mountPath: '/host/run' }]);
      expect(pod.volumes).toEqual([{ name: 'logs', hostPath: { path: '/var/log', type: '' } }, { name: 'run', hostPath: { path: '/run', type: '' } }]);
      expect(c.ports).toEqual([{ containerPort: 18080, hostPort: 18080, protocol: 'TCP' }]);
      expect(c.securityContext).toEqual({ privileged: true });
      expect([pod.hostNetwork, pod.hostPID, pod.dnsPolicy, pod.serviceAccountName]).toEqual([true, true, 'ClusterFirstWithHostNet', 'default']);
    },
  },
  {
    name: 'ondelete',
    flags: ['--image', IMAGE, '--update-strategy', 'OnDelete', '--min-ready-seconds', '5', '--labels', 'tier=agent,team=infra', '--annotations', 'owner=me',
      '--', 'sleep', 'infinity'],
    nodes: WORKERS_UNTAINTED,
    check: (ds) => {
      expect(ds.spec.updateStrategy).toEqual({ type: 'OnDelete' });
      expect(ds.spec.minReadySeconds).toBe(5);
      expect(ds.metadata.labels).toEqual({ app: 'ondelete', tier: 'agent', team: 'infra' });
      expect(ds.spec.template.metadata.labels).toEqual({ app: 'ondelete', tier: 'agent', team: 'infra' });
      expect(ds.spec.selector).toEqual({ matchLabels: { app: 'ondelete' } });
      expect(ds.metadata.annotations.owner).toBe('me');
      expect(ds.spec.template.spec.containers[0].command).toEqual(['sleep', 'infinity']);
    },
  },
  {
    name: 'max-unavailable',
    flags: ['--image', IMAGE, '--max-unavailable', '2', '--node-selector', 'disktype=ssd', '--toleration', 'dedicated=gpu:NoSchedule'],
    nodes: ['node-1', 'node-2', 'node-4', 'node-5'],
    check: (ds) => expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: rolling(2) }),
  },
  {
    name: 'two-images',
    flags: ['--image', `${IMAGE},docker.io/library/busybox:1.36`, '--max-unavailable', '20%'],
    nodes: WORKERS_UNTAINTED,
    check: (ds) => {
      expect(ds.spec.template.spec.containers.map((c: Json) => [c.name, c.image])).toEqual([['pause', IMAGE], ['busybox', 'docker.io/library/busybox:1.36']]);
      expect(ds.spec.updateStrategy.rollingUpdate).toEqual(rolling('20%'));
    },
  },
];

describe.skipIf(!kc)('create e2e: the real API server accepts what we build, the real controller places the pods', () => {
  let mixed = false;
  beforeAll(async () => {
    await ok(['create', 'namespace', ns]);
    mixed = await isMixedCluster();
    if (!mixed) console.log('create e2e: not the mixed cluster of ../shared/realk8s: pod placement checks skipped');
    const v = JSON.parse((await kubectl(['version', '-o', 'json'])).stdout) as Json;
    serverMinor = Number.parseInt(v.serverVersion.minor, 10);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  CASES.forEach((c, i) => {
    // Alternate between the two ways kubectl runs us.
    const how = i % 2 === 0 ? ['ds', 'create'] : ['create', 'daemonset'];
    it(`kubectl ${how.join(' ')} ${c.name} ${c.flags.join(' ')}`, async () => {
      const dry = await k(beforeDash([...how, c.name, ...c.flags], ['--dry-run=server', '-o', 'json']));
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      const seen = JSON.parse(dry.stdout) as Json;
      expect(seen.metadata.name).toBe(c.name);
      expect(seen.spec.template.spec.restartPolicy).toBe('Always'); // defaulted by the server
      expect((await k(['get', 'daemonset', c.name])).stderr).toBe(`Error from server (NotFound): daemonsets.apps "${c.name}" not found\n`);
      c.check?.(seen);

      const real = await k([...how, c.name, ...c.flags]);
      expect(real.stderr).toBe('');
      expect(real.stdout).toBe(`daemonset.apps/${c.name} created\n`);
      expect(real.code).toBe(0);
      const stored = await getJson(['get', 'daemonset', c.name]);
      c.check?.(stored);
      if (!mixed) return;
      const want = { nodes: [...c.nodes].sort(), running: c.nodes.filter((n) => !c.pending?.includes(n)).sort() };
      expect(await waitPlacement(c.name, want)).toEqual(want);
    });
  });

  it('--max-surge: maxUnavailable 0 and maxSurge, accepted from Kubernetes 1.22 (DaemonSetUpdateSurge); a 1.20 server knows no maxSurge and refuses maxUnavailable 0', async () => {
    const r = await k(['ds', 'create', 'surge', '--image', IMAGE, '--max-surge', '1']);
    if (serverMinor >= 22) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((await getJson(['get', 'daemonset', 'surge'])).spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
      if (mixed) expect(await waitPlacement('surge', { nodes: WORKERS_UNTAINTED, running: WORKERS_UNTAINTED })).toEqual({ nodes: WORKERS_UNTAINTED, running: WORKERS_UNTAINTED });
    } else if (serverMinor <= 20) {
      expect(r.stderr).toBe(
        'error: failed to create daemonset: DaemonSet.apps "surge" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: cannot be 0\n',
      );
      expect(r.code).toBe(1);
      expect((await k(['get', 'daemonset', 'surge'])).code).toBe(1);
    }
  });

  it('a second create: the same error line and exit code as kubectl create deployment for its own kind', async () => {
    const first = await k(['create', 'daemonset', 'dup', '--image', IMAGE]);
    expect(first.code).toBe(0);
    const ours = await k(['create', 'daemonset', 'dup', '--image', IMAGE]);
    const oursDs = await k(['ds', 'create', 'dup', '--image', IMAGE]);
    expect(ours.stderr).toBe('error: failed to create daemonset: daemonsets.apps "dup" already exists\n');
    expect(oursDs.stderr).toBe(ours.stderr);
    expect([ours.stdout, ours.code, oursDs.code]).toEqual(['', 1, 1]);
    if (await servesDeployments()) {
      await ok(['create', 'deployment', 'dup', '--image', IMAGE]);
      const theirs = await k(['create', 'deployment', 'dup', '--image', IMAGE]);
      expect(theirs.stderr).toBe('error: failed to create deployment: deployments.apps "dup" already exists\n');
      expect(theirs.code).toBe(ours.code);
    }
  });

  it('an Invalid answer: the same form as kubectl create deployment (a 64-character NAME is a valid object name, not a valid app= label value)', async () => {
    const name = 'a'.repeat(64);
    const ours = await k(['create', 'daemonset', name, '--image', IMAGE]);
    const tooLong = `metadata.labels: Invalid value: "${name}": must be no more than 63 characters`;
    expect(ours.stderr.startsWith(`error: failed to create daemonset: DaemonSet.apps "${name}" is invalid: [${tooLong}, `)).toBe(true);
    expect(ours.stderr).toContain(`spec.template.labels: Invalid value: "${name}": must be no more than 63 characters`);
    expect(lines(ours.stderr)).toHaveLength(1);
    expect([ours.stdout, ours.code]).toEqual(['', 1]);
    if (await servesDeployments()) {
      const theirs = await k(['create', 'deployment', name, '--image', IMAGE]);
      expect(theirs.stderr.startsWith(`error: failed to create deployment: Deployment.apps "${name}" is invalid: [${tooLong}, `)).toBe(true);
      expect(theirs.code).toBe(ours.code);
    }
  });

  it('--save-config: kubectl apply later finds the last-applied annotation (no "missing" warning), as after kubectl create --save-config', async () => {
    for (const [name, save] of [['saved', true], ['unsaved', false]] as const) {
      const r = await k(['ds', 'create', name, '--image', IMAGE, ...(save ? ['--save-config'] : [])]);
      expect(r.code).toBe(0);
      const ann = ((await getJson(['get', 'daemonset', name])).metadata.annotations ?? {}) as Record<string, string>;
      const last = ann['kubectl.kubernetes.io/last-applied-configuration'];
      if (save) {
        const applied = JSON.parse(last!) as Json;
        expect([applied.kind, applied.apiVersion, applied.metadata.name, applied.spec.template.spec.containers[0].image]).toEqual(['DaemonSet', 'apps/v1', name, IMAGE]);
      } else {
        expect(last).toBeUndefined();
      }
      const manifest = (await run('kubectl', ['ds', 'scaffold', name, '--image', IMAGE, '--env', 'X=1'], { env: env() })).stdout;
      const applied = await k(['apply', '-f', '-'], manifest);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toBe(`daemonset.apps/${name} configured\n`);
      const missing = `Warning: resource daemonsets/${name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation`;
      if (save) expect(applied.stderr).not.toContain('missing the kubectl.kubernetes.io/last-applied-configuration');
      else expect(applied.stderr).toContain(missing);
    }
  });

  const managers = async (name: string) =>
    ((await getJson(['get', 'daemonset', name, '--show-managed-fields'])).metadata.managedFields as Json[])
      .filter((f) => f.manager !== 'kube-controller-manager')
      .map((f) => `${f.manager}/${f.operation}`)
      .sort();

  it('managedFields on the real server: kubectl-create by default, --field-manager NAME, and our User-Agent name when no manager is sent', async () => {
    await ok(['ds', 'create', 'fm-default', '--image', IMAGE]);
    await ok(['create', 'daemonset', 'fm-named', '--image', IMAGE, '--field-manager', 'my-pipeline']);
    await ok(['ds', 'create', 'fm-empty', '--image', IMAGE, '--field-manager=']);
    expect(await managers('fm-default')).toEqual(['kubectl-create/Update']);
    expect(await managers('fm-named')).toEqual(['my-pipeline/Update']);
    // With no field manager the server names it after the User-Agent up to its first "/": kubectl gets
    // "kubectl"; we send kubectl-ds/vX (os/arch), not fetch's default "undici".
    expect(await managers('fm-empty')).toEqual(['kubectl-ds/Update']);
    if (await servesDeployments()) {
      await ok(['create', 'deployment', 'fm-empty-kubectl', '--image', IMAGE, '--field-manager=']);
      expect(((await getJson(['get', 'deployment', 'fm-empty-kubectl', '--show-managed-fields'])).metadata.managedFields as Json[]).map((f) => f.manager)).toContain('kubectl');
    }
  });

  it('kubectl ds restart is recorded as kubectl-rollout, as kubectl rollout restart is', async () => {
    await ok(['ds', 'create', 'rs-ours', '--image', IMAGE]);
    await ok(['ds', 'create', 'rs-theirs', '--image', IMAGE]);
    const r = await k(['ds', 'restart', 'rs-ours']);
    expect(r.stdout).toBe('daemonset.apps/rs-ours restarted\n');
    await ok(['rollout', 'restart', 'daemonset/rs-theirs']);
    expect(await managers('rs-ours')).toEqual(['kubectl-create/Update', 'kubectl-rollout/Update']);
    expect(await managers('rs-ours')).toEqual(await managers('rs-theirs'));
  });

  it('-o name and -o yaml after a real create; --dry-run=client sends nothing', async () => {
    const named = await k(['create', 'daemonset', 'named', '--image', IMAGE, '-o', 'name']);
    expect([named.stdout, named.code]).toEqual(['daemonset.apps/named\n', 0]);
    const client = await k(['ds', 'create', 'client-only', '--image', IMAGE, '--dry-run=client']);
    expect(client.stdout).toBe('daemonset.apps/client-only created (dry run)\n');
    expect((await k(['get', 'daemonset', 'client-only'])).code).toBe(1);
    const yaml = await k(['ds', 'create', 'as-yaml', '--image', IMAGE, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    const uid = (await getJson(['get', 'daemonset', 'as-yaml'])).metadata.uid as string;
    expect(lines(yaml.stdout)).toContain(`  uid: ${uid}`);
    expect(yaml.stdout).not.toContain('managedFields');
  });
});
