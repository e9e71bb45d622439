// Start-up of the commands people type all day (issue 2). Targets, as ratios of the median to bare
// `node -e ''`: --help and scaffold within 1.5x; a cluster command within 3x up to its first request:
// `status x` against the HTTPS stub of test/helpers/stub-apiserver.mjs, from the process's start to the
// moment its first request reaches the stub (the stub logs arrival times; `arrivals` below). The same
// run is also shown to its end (the stub answers NotFound, so the command exits right after that first
// answer). The stub runs in its own process because the runner's timing loop blocks this one. validate
// and completion are offline commands too (no API client, no spinner): measured side by side, without
// a target of their own. The reference rows are not ours: a bare Node.js script making the same first
// request (https-get.mjs), the floor under any cluster command written for Node.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SMALL_DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  labels: {app.kubernetes.io/name: agent}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: agent, app.kubernetes.io/instance: agent}
  template:
    metadata:
      labels: {app.kubernetes.io/name: agent, app.kubernetes.io/instance: agent}
    spec:
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.9
        resources:
          requests: {cpu: 10m, memory: 16Mi}
          limits: {memory: 32Mi}
`;

export default async function setup({ root, node }) {
  const arrivals = join(mkdtempSync(join(tmpdir(), 'kds-bench-')), 'arrivals');
  const child = spawn(node, [join(root, 'test', 'helpers', 'stub-apiserver.mjs'), arrivals], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { kubeconfig } = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]));
    });
    child.on('exit', (code) => reject(new Error(`the API stub exited (${code})`)));
  });
  const file = join(mkdtempSync(join(tmpdir(), 'kds-bench-')), 'agent.yaml');
  writeFileSync(file, SMALL_DAEMONSET);
  const bin = join(root, 'bin', 'kubectl-ds.mjs');
  return {
    cases: [
      { label: 'kubectl-ds --help', args: [bin, '--help'], target: 1.5 },
      { label: 'kubectl-ds scaffold x --image=nginx', args: [bin, 'scaffold', 'x', '--image=nginx'], target: 1.5 },
      { label: 'kubectl-ds validate -f agent.yaml', args: [bin, 'validate', '-f', file], status: null },
      { label: 'kubectl-ds completion bash', args: [bin, 'completion', 'bash'] },
      // The measure: from the start of the process to its first request reaching the server.
      { label: 'kubectl-ds status x (to 1st request)', args: [bin, 'status', 'x', '--kubeconfig', kubeconfig], status: 1, target: 3, arrivals },
      { label: 'kubectl-ds status x (to 1st answer)', args: [bin, 'status', 'x', '--kubeconfig', kubeconfig], status: 1 },
      // Not ours: the floor under every cluster command (Node's TLS and one request), for reference.
      { label: 'reference: one HTTPS GET in node (to request)', args: [join(root, 'test', 'bench', 'https-get.mjs'), kubeconfig], arrivals },
      { label: 'reference: one HTTPS GET in node (to answer)', args: [join(root, 'test', 'bench', 'https-get.mjs'), kubeconfig] },
      // What a machine setting adds: NODE_EXTRA_CA_CERTS (set on our CI machines to the system bundle)
      // makes Node parse every certificate in that file when the first TLS context is made, ~8 ms, for
      // any Node client alike. Shown beside the rows above, run without it (an empty value turns it off).
      ...(process.env.NODE_EXTRA_CA_CERTS
        ? [
            { label: 'status x (to 1st request), no NODE_EXTRA_CA_CERTS', args: [bin, 'status', 'x', '--kubeconfig', kubeconfig], status: 1, arrivals, env: { NODE_EXTRA_CA_CERTS: '' } },
            { label: 'reference (to request), no NODE_EXTRA_CA_CERTS', args: [join(root, 'test', 'bench', 'https-get.mjs'), kubeconfig], arrivals, env: { NODE_EXTRA_CA_CERTS: '' } },
          ]
        : []),
    ],
    teardown: () => {
      child.removeAllListeners('exit');
      child.stdin.end();
    },
  };
}
