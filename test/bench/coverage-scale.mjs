#!/usr/bin/env node
/**
 * `npm run bench:coverage` (and the second half of `npm run bench`): how fast `kubectl ds coverage` is at scale.
 *
 *  1. The pure core (src/core/coverage.ts): 5,000 nodes x 20 DaemonSets (about 60,000 pods), the median
 *     of several runs of computeCoverage for all 20.
 *  2. End to end, against the simulator (`large` scenario, 500 and 5,000 nodes, one daemon pod per node
 *     placed in its store): the built `kubectl ds coverage NAME` beside the raw listing a user would
 *     otherwise do (`kubectl get nodes -o json` then `kubectl get pods -l app=NAME -o json`), run
 *     alternately; prints the median wall times, the ratio (target: at most 1.0) and our peak memory
 *     (target: under 200 MB at 5,000 nodes).
 *
 * Options: --quick (core only), --runs N (end-to-end runs per side, default 5).
 * The TypeScript sources are bundled on the fly with esbuild into .tmp/ (git-ignored).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;

const out = join(ROOT, '.tmp', 'bench-coverage.mjs');
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents: `export { computeCoverage } from './src/core/coverage.ts'; export { startCluster } from './src/sim/cluster.ts';`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { computeCoverage, startCluster } = await import(pathToFileURL(out).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

// ---------------------------------------------------------------------------------------------------
// 1. The pure core

function syntheticCluster(nodeCount, dsCount) {
  const zones = ['a', 'b', 'c'];
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    metadata: { name: `node-${i + 1}`, labels: { 'kubernetes.io/hostname': `node-${i + 1}`, zone: zones[i % 3], ...(i % 4 ? { disktype: 'ssd' } : {}) }, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { taints: i % 10 === 0 ? [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] : [] },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  }));
  const variants = [
    {},
    { nodeSelector: { disktype: 'ssd' } },
    { tolerations: [{ operator: 'Exists' }] },
    { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } } },
  ];
  const sets = [];
  for (let d = 0; d < dsCount; d++) {
    const uid = `uid-${d}`;
    const ds = {
      metadata: { name: `ds-${d}`, namespace: 'bench', uid, generation: 1 },
      spec: { selector: { matchLabels: { app: `ds-${d}` } }, template: { metadata: { labels: { app: `ds-${d}` } }, spec: variants[d % variants.length] } },
      status: { observedGeneration: 1 },
    };
    // A pod on every node but a few (missing), some not ready, some on an old revision.
    const pods = [];
    for (let i = 0; i < nodeCount; i += 1 + (d % 3)) {
      pods.push({
        metadata: { name: `ds-${d}-${i}`, labels: { app: `ds-${d}`, 'controller-revision-hash': i % 50 ? 'new' : 'old' }, creationTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ uid, controller: true }] },
        spec: { nodeName: `node-${i + 1}` },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: i % 97 ? 'True' : 'False' }], containerStatuses: [{ name: 'c', ready: i % 97 !== 0, restartCount: 0, state: { running: {} } }] },
      });
    }
    sets.push({ ds, pods });
  }
  return { nodes, sets };
}

const NODES = 5000;
const DS = 20;
const { nodes, sets } = syntheticCluster(NODES, DS);
const podCount = sets.reduce((n, s) => n + s.pods.length, 0);
const times = [];
for (let r = 0; r < 7; r++) {
  const t = performance.now();
  for (const s of sets) computeCoverage({ ds: s.ds, nodes, pods: s.pods, currentHash: 'new', now: Date.now() });
  times.push(performance.now() - t);
}
console.log(`core: ${NODES} nodes x ${DS} DaemonSets (${podCount} pods): median ${fmt(median(times))} for all ${DS} (${fmt(median(times) / DS)} per DaemonSet; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
if (quick) process.exit(0);

// ---------------------------------------------------------------------------------------------------
// 2. End to end against the simulator

const node24 = process.execPath;
const kdsBin = join(ROOT, 'bin', 'kubectl-ds.mjs');
try {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
} catch {
  console.error('bench: npm run build failed');
  process.exit(1);
}

/** Runs a command without blocking this process (the simulator serves from it). */
function spawnAsync(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, argv, { env: opts.env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (status) => resolve({ status, stdout, stderr }));
    c.stdin.end(opts.input ?? '');
  });
}

async function timed(cmd, argv, env) {
  const t = performance.now();
  const r = await spawnAsync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { env });
  const ms = performance.now() - t;
  const kb = Number(r.stderr.trim().split('\n').pop());
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr}`);
  return { ms, mb: kb / 1024, code: r.status, stdout: r.stdout };
}

for (const n of [500, 5000]) {
  const sim = await startCluster({ scenario: 'large', nodes: n, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'kds-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  const env = { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', PATH: `${dirname(node24)}:${process.env.PATH}` };
  await spawnAsync('kubectl', ['create', 'namespace', 'bench'], { env });
  const manifest = JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'bench' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] } } },
  });
  const applied = await spawnAsync('kubectl', ['apply', '-f', '-'], { env, input: manifest });
  if (applied.status !== 0) throw new Error(`kubectl apply: ${applied.stderr}`);
  await sim.settle();
  const ds = sim.store.get('DaemonSet', 'bench', 'agent');
  const have = new Set(sim.store.list('Pod', 'bench').map((p) => p.spec?.nodeName));
  for (let i = 1; i <= n; i++) {
    if (have.has(`node-${i}`)) continue; // the simulated controllers placed it already
    sim.store.create('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `agent-${i}`, namespace: 'bench', labels: { app: 'agent', 'controller-revision-hash': 'h' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true }] },
      spec: { nodeName: `node-${i}`, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] },
      status: { phase: 'Running', podIP: '10.1.0.1', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
    });
  }
  await sim.settle();
  const ours = [];
  const raw = [];
  for (let r = 0; r < runs; r++) {
    ours.push(await timed(node24, [kdsBin, 'coverage', 'agent', '-n', 'bench'], env));
    const a = await timed('kubectl', ['get', 'nodes', '-o', 'json'], env);
    const b = await timed('kubectl', ['get', 'pods', '-n', 'bench', '-l', 'app=agent', '-o', 'json'], env);
    raw.push({ ms: a.ms + b.ms, mb: Math.max(a.mb, b.mb) });
  }
  const rowsSeen = ours[0].stdout.split('\n').filter((l) => /^node-\d+\s/.test(l)).length;
  const o = median(ours.map((x) => x.ms));
  const k = median(raw.map((x) => x.ms));
  console.log(
    `e2e ${n} nodes, ${n} pods: kubectl ds coverage ${fmt(o)} (peak ${Math.max(...ours.map((x) => x.mb)).toFixed(0)} MB, ${rowsSeen} node rows) | kubectl get nodes + get pods -o json ${fmt(k)} (peak ${Math.max(...raw.map((x) => x.mb)).toFixed(0)} MB) | ratio ${(o / k).toFixed(2)}`,
  );
  await sim.stop();
}
process.exit(0);
