// Start-up of the commands people type all day (issue 2): --help and scaffold within 1.5x of bare
// node, a cluster command within 3x up to (and including) its first request, here `create
// --dry-run=server` against the HTTPS stub of test/helpers/stub-apiserver.mjs (in its own process:
// the runner's timing loop blocks this one).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export default async function setup({ root, node }) {
  const child = spawn(node, [join(root, 'test', 'helpers', 'stub-apiserver.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { kubeconfig } = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]));
    });
    child.on('exit', (code) => reject(new Error(`the API stub exited (${code})`)));
  });
  const bin = join(root, 'bin', 'kubectl-ds.mjs');
  return {
    cases: [
      { label: 'kubectl-ds --help', args: [bin, '--help'], target: 1.5 },
      { label: 'kubectl-ds scaffold x --image=nginx', args: [bin, 'scaffold', 'x', '--image=nginx'], target: 1.5 },
      {
        label: 'kubectl-ds create x --image=nginx --dry-run=server',
        args: [bin, 'create', 'x', '--image=nginx', '--dry-run=server', '--kubeconfig', kubeconfig],
        target: 3,
      },
    ],
    teardown: () => {
      child.removeAllListeners('exit');
      child.stdin.end();
    },
  };
}
