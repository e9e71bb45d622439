/**
 * `kubectl ds coverage` against a real cluster. For several DaemonSets with different tolerations,
 * selectors and affinities (built from the cluster's own node labels, so it works on any cluster),
 * once the real DaemonSet controller has acted:
 *  - the nodes coverage calls eligible (SHOULD RUN) are exactly those where the controller placed a pod;
 *  - the summary (DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE) equals `kubectl get ds`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, testEnv, orThrow, sleep } from '../helpers/cli.js';

const kc = process.env.KUBECTL_DS_E2E_KUBECONFIG;
if (!kc) console.log('e2e skipped: KUBECTL_DS_E2E_KUBECONFIG is not set');

const ns = `kds-coverage-e2e-${Date.now().toString(36)}`;
const env = () => testEnv({ KUBECONFIG: kc });
const k = (args: string[], input?: string) => run('kubectl', ['-n', ns, ...args], { env: env(), input });

const ok = orThrow(k);

function manifest(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 0, ...spec, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
      },
    },
  });
}

interface Node {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { taints?: { key: string; value?: string; effect: string }[] };
}

/** The nodes where the controller placed pods of `name` (bound, or pinned by its matchFields term). */
async function placed(name: string): Promise<string[]> {
  const pods = JSON.parse(await ok(['get', 'pods', '-l', `app=${name}`, '-o', 'json'])).items as {
    spec: { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { values: string[] }[] }[] } } } };
  }[];
  return pods
    .map((p) => p.spec.nodeName ?? p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0] ?? '?')
    .sort();
}

/** Waits until the controller has observed the DaemonSet and created a pod for every node it wants. */
async function settled(name: string) {
  let last = '';
  for (let i = 0; i < 120; i++) {
    const j = JSON.parse(await ok(['get', 'ds', name, '-o', 'json']));
    const st = j.status ?? {};
    const pods = await placed(name);
    const now = JSON.stringify([st, pods]);
    if ((st.observedGeneration ?? 0) >= j.metadata.generation && st.currentNumberScheduled === st.desiredNumberScheduled && pods.length === st.desiredNumberScheduled && now === last) return;
    last = now;
    await sleep(1000);
  }
  throw new Error(`daemonset ${name}: the controller did not settle`);
}

describe.skipIf(!kc)('coverage against a real cluster', () => {
  let nodes: Node[] = [];
  const cases: [string, Record<string, unknown>][] = [];

  beforeAll(async () => {
    await run('kubectl', ['create', 'namespace', ns], { env: env() });
    nodes = JSON.parse((await run('kubectl', ['get', 'nodes', '-o', 'json'], { env: env() })).stdout).items;
    const first = nodes[0]!;
    const tainted = nodes.find((n) => (n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' && !t.key.startsWith('node.kubernetes.io/')));
    const taint = tainted?.spec?.taints?.find((t) => t.effect === 'NoSchedule' && !t.key.startsWith('node.kubernetes.io/'));
    const labelKey = Object.keys(nodes.find((n) => n.metadata.labels?.disktype)?.metadata.labels ?? {}).includes('disktype') ? 'disktype' : 'kubernetes.io/hostname';
    const labelValue = labelKey === 'disktype' ? 'ssd' : first.metadata.name;
    cases.push(
      ['plain', {}],
      ['all', { tolerations: [{ operator: 'Exists' }] }],
      ['sel', { nodeSelector: { [labelKey]: labelValue } }],
      ['notin', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [first.metadata.name] }] }] } } } }],
      [
        'ored',
        {
          tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: labelKey, operator: 'DoesNotExist' }] },
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: [first.metadata.name] }] },
                ],
              },
            },
          },
        },
      ],
    );
    if (taint) cases.push(['tol', { tolerations: [{ key: taint.key, operator: taint.value ? 'Equal' : 'Exists', ...(taint.value ? { value: taint.value } : {}), effect: 'NoSchedule' }] }]);
    for (const [name, spec] of cases) await ok(['apply', '-f', '-'], manifest(name, spec));
    for (const [name] of cases) await settled(name);
  }, 300_000);

  afterAll(async () => {
    await run('kubectl', ['delete', 'namespace', ns, '--wait=false'], { env: env() });
  });

  it('SHOULD RUN is exactly where the real controller placed pods, for every DaemonSet', async () => {
    for (const [name] of cases) {
      const r = await run('kubectl', ['ds', 'coverage', name, '-n', ns, '-o', 'json'], { env: env() });
      expect(r.stderr).toBe('');
      const item = JSON.parse(r.stdout).items[0];
      const eligible = item.nodes.filter((n: { shouldRun: boolean }) => n.shouldRun).map((n: { name: string }) => n.name).sort();
      expect({ name, eligible }).toEqual({ name, eligible: await placed(name) });
      // Every excluded node says why.
      for (const n of item.nodes.filter((x: { shouldRun: boolean }) => !x.shouldRun)) expect(n.reasons.length).toBeGreaterThan(0);
    }
  });

  it('the summary equals kubectl get ds', async () => {
    for (const [name] of cases) {
      const get = (await ok(['get', 'ds', name, '--no-headers'])).trim().split(/\s+/);
      const [, desired, current, ready, upToDate, available] = get;
      const r = await run('kubectl', ['ds', 'coverage', name, '-n', ns], { env: env() });
      const lines = r.stdout.split('\n');
      const at = lines.findIndex((l) => l.startsWith('NAME '));
      const ours = lines[at + 1]!.trim().split(/\s+/);
      expect({ name, counts: ours.slice(1, 6) }).toEqual({ name, counts: [desired, current, ready, upToDate, available] });
      expect(r.code).toBe(ours[7] === `${ours[1]}/${ours[1]}` && ours[6] === '0' ? 0 : 1);
    }
  });

  it('the all-DaemonSets matrix has a column per DaemonSet and COVERED matching each', async () => {
    const r = await run('kubectl', ['ds', 'coverage', '-n', ns], { env: env() });
    const lines = r.stdout.split('\n');
    expect(lines[0]!.trim().split(/\s{3,}/)).toEqual(['NODE', ...cases.map(([n]) => n).sort().map((n) => n.toUpperCase())]);
    expect(lines.filter((l) => nodes.some((n) => l.startsWith(`${n.metadata.name} `)))).toHaveLength(nodes.length);
  });
});
