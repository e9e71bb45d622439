/**
 * scaffold's fast path (src/cli/fast-scaffold.ts, built as dist/scaffold-fast.js) against the full CLI
 * (commander, KUBECTL_DS_NO_FAST_PATH=1): for what it accepts, the same bytes on stdout; for what it
 * declines, the built kubectl-ds still prints what the full CLI prints. The expectation here is the
 * full CLI's own behaviour, which create-cli.test.ts and the unit tests check against the rules.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, kds, run, testEnv } from '../helpers/cli.js';

const ROOT = join(BIN, '..');
const { fastScaffold } = (await import(pathToFileURL(join(ROOT, 'dist', 'scaffold-fast.js')).href)) as { fastScaffold: (a: string[]) => string | undefined };
const full = (args: string[]) => kds(['scaffold', ...args], { env: testEnv({ KUBECTL_DS_NO_FAST_PATH: '1' }) });

// Images without '_' or '.' in their last path part: those get a random container-name suffix.
const ACCEPTED: string[][] = [
  ['web', '--image', 'nginx:1.27', '--port', '80'],
  ['--image=nginx', 'web'],
  ['fluentd', '--preset', 'log-collector', '--image', 'fluent/fluentd:v1.17'],
  ['exporter', '--preset', 'node-monitor', '--image', 'prom/node-exporter:v1.8.2'],
  ['disks', '--preset', 'storage', '--image', 'registry.example/csi-node:v2'],
  ['exporter', '--preset=node-monitor', '--image', 'prom/node-exporter:v1', '--no-host-network', '--no-host-pid'],
  ['agent', '-n', 'infra', '--image', 'busybox', '--', 'sh', '-c', 'sleep 3600'],
  ['agent', '--namespace=infra', '--image', 'nginx', '-o', 'json'],
  ['agent', '--image', 'nginx', '--output=yaml'],
  ['agent', '--image', 'nginx,busybox:1.36', '--max-unavailable', '10%'],
  ['agent', '--image', 'nginx', '--port', '80', '--port', '8080', '--max-surge', '1'],
  ['agent', '--image', 'nginx', '--update-strategy', 'OnDelete', '--min-ready-seconds', '5'],
  [
    'agent', '--image', 'nginx', '--node-selector', 'disktype=ssd', '--node-selector', 'zone=a', '--toleration', 'dedicated=gpu:NoSchedule', '--toleration', 'special:Exists',
    '--tolerate-control-plane', '--requests', 'cpu=100m,memory=200Mi', '--limits', 'memory=1Gi', '--env', 'A=1', '--env', 'B=two words', '--env', 'C=yes',
    '--host-path', 'logs=/var/log:/host/log:ro', '--host-path', 'run=/run:/host/run', '--host-network', '--host-pid', '--privileged', '--service-account', 'agent',
    '--priority-class', 'system-node-critical', '--labels', 'tier=node,team=infra', '--annotations', 'owner=me', '--tolerate-all', '--no-tolerate-all',
  ],
];

const DECLINED: string[][] = [
  ['--help'],
  ['web', '-h'],
  ['web'], // no --image
  ['web', '--image', 'nginx', '--toleration', 'dedicated=gpu:Sometimes'],
  ['web', '--image', 'nginx', '--requests', 'cpu=lots'],
  ['a', 'b', '--image', 'nginx'],
  ['--preset', 'list'],
  ['web', '--image', 'nginx', '--bogus'],
  ['web', '--image', 'nginx', '-o', 'name'],
  ['web', '--image', 'nginx', '--context', 'other'],
  ['web', '--image', 'nginx', '--env', 'TWO=lines\nhere'], // the YAML writer leaves multi-line strings to the library
  ['web', '--image', 'nginx', '--host-network=true'],
  ['web', '--image', 'nginx', '--port'],
  ['web', '--image', 'nginx', '--max-surge', '1', '--update-strategy', 'OnDelete'],
  ['--from-deployment', '-f', '/nonexistent/deploy.yaml'],
];

describe('scaffold fast path', () => {
  it.each(ACCEPTED.map((a) => [a.join(' '), a]))('accepted: %s: the same output as the full CLI', async (_, args) => {
    const ref = await full(args as string[]);
    expect(ref.stderr).toBe('');
    expect(ref.code).toBe(0);
    expect(fastScaffold(args as string[])).toBe(ref.stdout);
    const r = await kds(['scaffold', ...(args as string[])]);
    expect(r).toEqual(ref);
  });

  it.each(DECLINED.map((a) => [a.join(' '), a]))('declined: %s: left to the full CLI, which answers as without the fast path', async (_, args) => {
    expect(fastScaffold(args as string[])).toBeUndefined();
    const ref = await full(args as string[]);
    const r = await kds(['scaffold', ...(args as string[])]);
    expect(r).toEqual(ref);
  });

  it('the built kubectl-ds takes it: a scaffold works with the CLI bundle gone, and what it declines does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-fast-'));
    try {
      for (const p of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
      rmSync(join(dir, 'dist', 'kubectl-ds.js'));
      const bin = join(dir, 'bin', 'kubectl-ds.mjs');
      const ok = await run(process.execPath, [bin, 'scaffold', 'web', '--image', 'nginx:1.27']);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe((await full(['web', '--image', 'nginx:1.27'])).stdout);
      const declined = await run(process.execPath, [bin, 'scaffold', 'web', '--help']);
      expect(declined.code).not.toBe(0);
      expect(declined.stderr).toMatch(/kubectl-ds\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
