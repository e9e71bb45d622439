// `kubectl ds sim start|stop|demo` as a user runs them (the built CLI, separate processes), including
// the flow .ci/run uses: start --scenario mixed --kubeconfig F --background, then stop --kubeconfig F.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, kds, kubectl, testEnv } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kds-sim-cli-'));
const started: string[] = [];

afterAll(async () => {
  for (const kc of started) await kds(['sim', 'stop', '--kubeconfig', kc]);
});

describe('sim start --background / sim stop', () => {
  it('serves the mixed scenario, refuses a second start, and stops', async () => {
    const kc = join(dir, 'bg.kubeconfig');
    started.push(kc);
    const r = await kds(['sim', 'start', '--scenario', 'mixed', '--kubeconfig', kc, '--background']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`export KUBECONFIG=${kc}`);
    expect(r.stdout).toMatch(/Simulated cluster "mixed" with 6 nodes is serving at https:\/\/127\.0\.0\.1:\d+/);
    const pid = Number(readFileSync(`${kc}.pid`, 'utf8'));
    expect(pid).toBeGreaterThan(0);

    const env = testEnv({ KUBECONFIG: kc, KUBECACHEDIR: join(dir, 'cache') });
    const nodes = await kubectl(['get', 'nodes', '-o', 'name'], { env });
    expect(nodes.stdout.trim().split('\n')).toEqual(['node/cp-1', 'node/node-1', 'node/node-2', 'node/node-3', 'node/node-4', 'node/node-5']);
    expect((await kubectl(['config', 'get-contexts', '-o', 'name'], { env })).stdout.trim().split('\n').sort()).toEqual(['ds-sim', 'ds-sim-viewer']);

    const again = await kds(['sim', 'start', '--kubeconfig', kc, '--background']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: a simulator is already running for ${kc} (pid ${pid}); stop it with: kubectl ds sim stop --kubeconfig ${kc}\n`);

    const stop = await kds(['sim', 'stop', '--kubeconfig', kc]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`Simulator stopped (pid ${pid}).\n`);
    expect(existsSync(`${kc}.pid`)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    const none = await kds(['sim', 'stop', '--kubeconfig', kc]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: no simulator is recorded for .*bg\.kubeconfig/);
  });

  it('the large scenario with --nodes', async () => {
    const kc = join(dir, 'large.kubeconfig');
    started.push(kc);
    const r = await kds(['sim', 'start', '--scenario', 'large', '--nodes', '40', '--kubeconfig', kc, '--background']);
    expect(r.code).toBe(0);
    const nodes = await kubectl(['get', 'nodes', '--no-headers'], { env: testEnv({ KUBECONFIG: kc, KUBECACHEDIR: join(dir, 'cache') }) });
    expect(nodes.stdout.trim().split('\n')).toHaveLength(40);
    expect((await kds(['sim', 'stop', '--kubeconfig', kc])).code).toBe(0);
  });
});

describe('sim start in the foreground', () => {
  it('runs until interrupted, then cleans up its pid file', async () => {
    const kc = join(dir, 'fg.kubeconfig');
    const child = spawn(process.execPath, [join(BIN, 'kubectl-ds.mjs'), 'sim', 'start', '--scenario', 'empty', '--kubeconfig', kc], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !out.includes('Press Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/Simulated cluster "empty" with 0 nodes is serving at https:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(`${kc}.pid`)).toBe(true);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
    expect(existsSync(`${kc}.pid`)).toBe(false);
  });
});

describe('sim usage errors', () => {
  it('an unknown scenario, a bad port, a bad node count: one line, exit 2', async () => {
    const a = await kds(['sim', 'start', '--scenario', 'nope', '--kubeconfig', join(dir, 'x')]);
    expect([a.code, a.stderr]).toEqual([2, 'error: unknown scenario "nope": choose one of mixed, large, empty\n']);
    const b = await kds(['sim', 'start', '--port', 'http', '--kubeconfig', join(dir, 'x')]);
    expect([b.code, b.stderr]).toEqual([2, 'error: invalid value "http" for --port: must be a number from 0 (any free port) to 65535\n']);
    const c = await kds(['sim', 'start', '--nodes', '-3', '--kubeconfig', join(dir, 'x'), '--background']);
    expect(c.code).toBe(2);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a port in use: one line, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await kds(['sim', 'start', '--port', String(port), '--kubeconfig', join(dir, 'busy.kubeconfig')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: port ${port} on 127.0.0.1 is already in use; pick another with --port, or 0 for a free one\n`);
      const bg = await kds(['sim', 'start', '--port', String(port), '--kubeconfig', join(dir, 'busy2.kubeconfig'), '--background']);
      expect(bg.code).toBe(1);
      expect(bg.stderr).toMatch(new RegExp(`^error: the simulator did not start: port ${port} on 127\\.0\\.0\\.1 is already in use; .*\\(log: .*busy2\\.kubeconfig\\.log\\)\\n$`));
    } finally {
      blocker.close();
    }
  });

  it('never overwrites a kubeconfig it did not write', async () => {
    const mine = join(dir, 'users-own-config');
    writeFileSync(mine, 'apiVersion: v1\nkind: Config\nclusters: []\n');
    const r = await kds(['sim', 'start', '--kubeconfig', mine, '--background']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: refusing to overwrite ${mine}: it was not written by kubectl ds sim; choose another file with --kubeconfig\n`);
    expect(readFileSync(mine, 'utf8')).toBe('apiVersion: v1\nkind: Config\nclusters: []\n');
  });
});

describe('sim demo', () => {
  it('walks through every command on the mixed nodes, showing each reason a node goes without the pod, and exits 0', async () => {
    const r = await kds(['sim', 'demo'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const step = (cmd: string) => {
      const from = r.stdout.indexOf(`$ kubectl ds ${cmd}\n`);
      expect(from, cmd).toBeGreaterThan(-1);
      const to = r.stdout.indexOf('\n# ', from);
      return r.stdout.slice(from, to === -1 ? undefined : to);
    };
    // The API server's words for a selector that does not match the template's labels.
    expect(step('validate -f fluent-bit.yaml')).toContain('`selector` does not match template `labels`');
    expect(step('validate -f fluent-bit.yaml')).toContain('(exit code 1)');
    const cov = step('coverage fluentd');
    // The mixed nodes: node-2's taint is not tolerated, node-3 lacks disktype, node-4 has 1 cpu for a 1500m request.
    expect(cov).toMatch(/^node-2\s+no\s+.*dedicated=gpu:NoSchedule/m);
    expect(cov).toMatch(/^node-3\s+no\s+.*disktype/m);
    expect(cov).toMatch(/^node-4\s+yes\s+.*Insufficient cpu/m);
    expect(cov).toMatch(/^cp-1\s+yes\s/m);
    const stuck = step('status fluentd --progress-deadline 5s');
    expect(stuck).toMatch(/^node-4: /m);
    expect(stuck).toContain('exceeded its progress deadline');
    expect(stuck).toContain('(exit code 1)');
    expect(step('status node-exporter --timeout 60s')).toContain('daemon set "node-exporter" successfully rolled out');
    expect(step('delete fluentd --orphan')).toContain('4 pods left running');
    expect(r.stdout).toContain('Try it yourself: kubectl ds sim start --scenario mixed');
  }, 130_000);
});
