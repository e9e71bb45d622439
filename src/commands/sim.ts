import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, UsageError } from '../cli/errors.js';
import { globalsOf } from '../cli/globals.js';
import { out, warn } from '../output/print.js';

/**
 * `kubectl ds sim`: a simulated multi-node cluster on 127.0.0.1 (src/sim), for trying kubectl-ds (and
 * kubectl) without a cluster. `start` writes a kubeconfig (contexts ds-sim and ds-sim-viewer) and runs
 * until stopped; `--background` leaves it running detached, and `stop` ends it; `demo` walks through
 * the commands on a fresh simulator.
 *
 * `--kubeconfig PATH` (the global flag) names the kubeconfig file to WRITE here, never $KUBECONFIG:
 * a user's real kubeconfig is never overwritten (only files this command wrote are).
 */

const SCENARIO_NAMES = ['mixed', 'large', 'empty'];
const MARKER = '# written by kubectl ds sim';
export const DEFAULT_SIM_KUBECONFIG = join(homedir(), '.kube', 'ds-sim.kubeconfig');

const pidFile = (kc: string) => `${kc}.pid`;
const logFile = (kc: string) => `${kc}.log`;

function parsePort(v: string | undefined): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`invalid value "${v}" for --port: must be a number from 0 (any free port) to 65535`);
  return Number(v);
}

function parseNodes(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 20000) throw new UsageError(`invalid value "${v}" for --nodes: must be a number from 1 to 20000`);
  return Number(v);
}

function parseScenario(v: string | undefined): 'mixed' | 'large' | 'empty' {
  const s = v ?? 'mixed';
  if (!SCENARIO_NAMES.includes(s)) throw new UsageError(`unknown scenario "${s}": choose one of ${SCENARIO_NAMES.join(', ')}`);
  return s as 'mixed' | 'large' | 'empty';
}

/** The pid recorded for a simulator started with this kubeconfig, if that process is still alive. */
function runningPid(kc: string): number | undefined {
  if (!existsSync(pidFile(kc))) return undefined;
  const pid = Number(readFileSync(pidFile(kc), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  // On Linux, make sure the pid is still a simulator (pids get reused).
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('sim')) return undefined;
  } catch {
    /* not Linux: trust the pid file */
  }
  return pid;
}

/** Refuses to write over a file that this command did not write. */
function checkWritable(kc: string): void {
  if (existsSync(kc)) {
    let text = '';
    try {
      text = readFileSync(kc, 'utf8');
    } catch {
      throw new CliError(`cannot read ${kc}; choose another file with --kubeconfig`);
    }
    if (!text.startsWith(MARKER)) throw new CliError(`refusing to overwrite ${kc}: it was not written by kubectl ds sim; choose another file with --kubeconfig`);
  }
  const pid = runningPid(kc);
  if (pid) throw new CliError(`a simulator is already running for ${kc} (pid ${pid}); stop it with: kubectl ds sim stop --kubeconfig ${kc}`);
}

interface StartFlags {
  nodes?: string;
  scenario?: string;
  port?: string;
  background?: boolean;
}

function guidance(kc: string, url: string, scenario: string, nodeCount: number, background: boolean): string {
  return [
    `Simulated cluster "${scenario}" with ${nodeCount} node${nodeCount === 1 ? '' : 's'} is serving at ${url}`,
    `Kubeconfig: ${kc} (contexts ds-sim, and ds-sim-viewer for read-only access)`,
    '',
    `  export KUBECONFIG=${kc}`,
    '  kubectl get nodes',
    '  kubectl ds create node-exporter --preset node-monitor',
    '',
    background ? `Stop it with: kubectl ds sim stop --kubeconfig ${kc}` : 'Press Ctrl-C to stop.',
  ].join('\n');
}

async function startForeground(kc: string, flags: StartFlags, verbosity: number): Promise<void> {
  const scenario = parseScenario(flags.scenario);
  const nodes = parseNodes(flags.nodes);
  const port = parsePort(flags.port);
  checkWritable(kc);
  const { startCluster, kubeconfigYaml } = await import('../sim/cluster.js');
  let sim;
  try {
    sim = await startCluster({
      scenario,
      nodes,
      port,
      onRequest: verbosity >= 6 ? (r) => warn(`${r.method} ${r.url} ${r.code} ${r.user} ${r.ms}ms`) : undefined,
    });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  mkdirSync(dirname(kc), { recursive: true });
  writeFileSync(pidFile(kc), `${process.pid}\n`);
  writeFileSync(kc, `${MARKER}; stop it with: kubectl ds sim stop --kubeconfig ${kc}\n${kubeconfigYaml(sim.url, sim.caCert, sim.tokens)}`, { mode: 0o600 });
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sim.stop().finally(() => {
        try {
          if (readFileSync(pidFile(kc), 'utf8').trim() === String(process.pid)) rmSync(pidFile(kc), { force: true });
        } catch {
          /* already gone */
        }
        done();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Only now say "Press Ctrl-C": a Ctrl-C (or a script's SIGINT) that comes as soon as it is read must
    // find the handler, or Node's default would end the process without stopping the simulator cleanly.
    out(guidance(kc, sim.url, scenario, sim.store.peekAll('Node').length, !!flags.background));
  });
}

async function startBackground(kc: string, flags: StartFlags): Promise<void> {
  // Check everything the child would, so that mistakes are reported here, in one line.
  parseScenario(flags.scenario);
  parseNodes(flags.nodes);
  parsePort(flags.port);
  checkWritable(kc);
  mkdirSync(dirname(kc), { recursive: true });
  rmSync(kc, { force: true });
  rmSync(pidFile(kc), { force: true });
  const log = openSync(logFile(kc), 'w');
  const args = [process.argv[1]!, 'sim', 'start', '--kubeconfig', kc];
  if (flags.scenario) args.push('--scenario', flags.scenario);
  if (flags.nodes) args.push('--nodes', flags.nodes);
  if (flags.port) args.push('--port', flags.port);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, NO_COLOR: '1' } });
  closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      const lines = readFileSync(logFile(kc), 'utf8').trim().split('\n');
      throw new CliError(`the simulator did not start: ${(lines[lines.length - 1] ?? '').replace(/^error: /, '')} (log: ${logFile(kc)})`);
    }
    if (existsSync(kc) && existsSync(pidFile(kc))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(kc)) {
    child.kill('SIGTERM');
    throw new CliError(`the simulator did not start within 60s (log: ${logFile(kc)})`);
  }
  child.unref();
  const text = readFileSync(logFile(kc), 'utf8');
  const url = /serving at (\S+)/.exec(text)?.[1] ?? '(see the kubeconfig)';
  const count = Number(/with (\d+) node/.exec(text)?.[1] ?? '0');
  out(guidance(kc, url, parseScenario(flags.scenario), count, true));
  out(`Running in the background as pid ${child.pid} (log: ${logFile(kc)}).`);
}

async function stop(kc: string): Promise<void> {
  if (!existsSync(pidFile(kc))) throw new CliError(`no simulator is recorded for ${kc} (no ${pidFile(kc)}); start one with: kubectl ds sim start --background --kubeconfig ${kc}`);
  const pid = runningPid(kc);
  if (!pid) {
    rmSync(pidFile(kc), { force: true });
    out(`The simulator for ${kc} was not running.`);
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(pid, 0);
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  rmSync(pidFile(kc), { force: true });
  out(`Simulator stopped (pid ${pid}).`);
}

interface DemoStep {
  args: string[];
  note: string;
  /** Shown before the command: what the step is about to show. */
  before?: string[];
  /** Go on at once instead of waiting for the controllers to settle (to watch what follows). */
  noSettle?: boolean;
}

/** A manifest with the mistake users make most: template labels that the selector does not match. */
const DEMO_BROKEN = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
spec:
  selector:
    matchLabels:
      app: fluent-bit
  template:
    metadata:
      labels:
        app: fluentbit
    spec:
      containers:
      - name: fluent-bit
        image: fluent/fluent-bit:latest
`;

/**
 * The tour, on the mixed scenario. Its nodes make every "why not" show: cp-1 (control-plane taint, which
 * the log-collector preset tolerates), node-2 (a taint nobody tolerates), node-3 (no disktype label),
 * node-4 (1 cpu: too small for a 1500m request).
 */
const DEMO_STEPS: DemoStep[] = [
  {
    args: ['validate', '-f', 'fluent-bit.yaml'],
    note: 'Catch mistakes before the cluster does (the API server would reject this one)',
    before: ['$ cat fluent-bit.yaml', DEMO_BROKEN.trimEnd()],
  },
  { args: ['scaffold', 'fluentd', '--preset', 'log-collector', '--node-selector', 'disktype=ssd'], note: 'A manifest from flags and a preset, without a cluster' },
  {
    args: ['create', 'fluentd', '--preset', 'log-collector', '--node-selector', 'disktype=ssd', '--requests', 'cpu=1500m'],
    note: 'Create it (with a CPU request node-4, a 1-cpu node, cannot meet)',
  },
  { args: ['coverage', 'fluentd'], note: 'Which nodes run it, which should, and why not' },
  { args: ['status', 'fluentd', '--progress-deadline', '5s'], note: 'Follow the rollout: it is stuck, so it ends and names the node that blocks it' },
  { args: ['create', 'node-exporter', '--preset', 'node-monitor'], note: 'A node agent that tolerates every taint' },
  { args: ['status', 'node-exporter', '--timeout', '60s'], note: 'Its rollout, to the end' },
  { args: ['restart', 'node-exporter'], note: 'Restart it: a new revision, rolled out node by node', noSettle: true },
  { args: ['status', 'node-exporter', '--timeout', '60s'], note: 'Follow the restart' },
  { args: ['history', 'node-exporter'], note: 'Its revisions' },
  { args: ['coverage'], note: 'Every DaemonSet against every node' },
  { args: ['delete', 'fluentd', '--orphan'], note: 'Delete fluentd but keep its pods running, and say what is left' },
  { args: ['delete', 'node-exporter'], note: 'Delete node-exporter and its pods' },
];

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  command: string[] = [process.execPath, process.argv[1]!],
  cwd?: string,
): Promise<{ code: number; output: string; missing?: boolean }> {
  return new Promise((resolveRun) => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolveRun({ code: code ?? 1, output }));
    child.on('error', (e) => resolveRun({ code: 1, output: e.message, missing: (e as NodeJS.ErrnoException).code === 'ENOENT' }));
  });
}

/** A reader that goes away (`| head`) ends the command quietly instead of with EPIPE. */
function quietOnClosedStdout(stop?: () => Promise<void>): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') return;
    void (stop ? stop() : Promise.resolve()).finally(() => process.exit(0));
  });
}

async function demo(): Promise<void> {
  const { startCluster, kubeconfigYaml } = await import('../sim/cluster.js');
  const sim = await startCluster({ scenario: 'mixed', port: 0 });
  const dir = join(tmpdir(), `kds-demo-${process.pid}`);
  quietOnClosedStdout(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(dir, { recursive: true });
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, `${MARKER}\n${kubeconfigYaml(sim.url, sim.caCert, sim.tokens)}`, { mode: 0o600 });
  const env = { ...process.env, KUBECONFIG: kc };
  try {
    out(`A simulated cluster (scenario "mixed": cp-1, node-1 ... node-5) is serving at ${sim.url}.`);
    out(`Each step runs kubectl-ds with KUBECONFIG=${kc}.\n`);
    const nodes = await runCli(['get', 'nodes'], env, ['kubectl']);
    if (!nodes.missing) {
      out('# The nodes, as the real kubectl sees them');
      out('$ kubectl get nodes');
      out(`${nodes.output.trimEnd()}\n`);
    }
    writeFileSync(join(dir, 'fluent-bit.yaml'), DEMO_BROKEN);
    let n = 0;
    for (const step of DEMO_STEPS) {
      n++;
      out(`# ${n}. ${step.note}`);
      for (const l of step.before ?? []) out(l);
      out(`$ kubectl ds ${step.args.join(' ')}`);
      const r = await runCli(step.args, env, undefined, dir);
      out(r.output.trimEnd());
      if (r.code !== 0) out(`(exit code ${r.code})`);
      out('');
      if (!step.noSettle) await sim.settle();
    }
    out('Try it yourself: kubectl ds sim start --scenario mixed');
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function define(cmd: Command): void {
  cmd.addHelpText(
    'after',
    `
Scenarios:
  mixed   cp-1 (control plane, tainted), node-1, node-2 (taint dedicated=gpu:NoSchedule), node-3 (no
          disktype label), node-4 (1 cpu, 1Gi), node-5; --nodes N above 6 adds plain node-6 ...
  large   N plain nodes node-1 ... node-N (--nodes, default 500)
  empty   no nodes

Examples:
  kubectl ds sim start                                   # mixed scenario, ~/.kube/ds-sim.kubeconfig
  kubectl ds sim start --scenario large --nodes 2000 --port 6443
  kubectl ds sim start --background --kubeconfig /tmp/sim.kubeconfig
  kubectl ds sim stop --kubeconfig /tmp/sim.kubeconfig
  kubectl ds sim demo                                    # a guided tour on a fresh simulator`,
  );

  cmd
    .command('start')
    .description('Serve a simulated cluster on 127.0.0.1 and write a kubeconfig for it (runs until Ctrl-C)')
    .option('--scenario <name>', `the nodes to start with: ${SCENARIO_NAMES.join(', ')}`, 'mixed')
    .option('--nodes <n>', 'number of nodes (mixed: at least 6; large: default 500)')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--background', 'run detached and return once it serves (pid and log beside the kubeconfig)')
    .addHelpText(
      'after',
      `
The kubeconfig goes to --kubeconfig PATH (default ${DEFAULT_SIM_KUBECONFIG}); $KUBECONFIG is never
written. It has the contexts ds-sim (current) and ds-sim-viewer (read-only: writes are Forbidden).

Examples:
  kubectl ds sim start
  kubectl ds sim start --scenario large --nodes 5000
  kubectl ds sim start --background --kubeconfig /tmp/sim.kubeconfig && export KUBECONFIG=/tmp/sim.kubeconfig`,
    )
    .action(async (flags: StartFlags, sub: Command) => {
      const g = globalsOf(sub);
      const kc = resolve(g.kubeconfig ?? DEFAULT_SIM_KUBECONFIG);
      if (flags.background) await startBackground(kc, flags);
      else await startForeground(kc, flags, g.verbosity);
    });

  cmd
    .command('stop')
    .description('Stop a simulator started with sim start (found through its kubeconfig)')
    .addHelpText(
      'after',
      `
Examples:
  kubectl ds sim stop                                    # the one for ${DEFAULT_SIM_KUBECONFIG}
  kubectl ds sim stop --kubeconfig /tmp/sim.kubeconfig`,
    )
    .action(async (_flags: unknown, sub: Command) => {
      const g = globalsOf(sub);
      await stop(resolve(g.kubeconfig ?? DEFAULT_SIM_KUBECONFIG));
    });

  cmd
    .command('demo')
    .description('Start the mixed scenario in this process and walk through kubectl-ds on it')
    .addHelpText(
      'after',
      `
Examples:
  kubectl ds sim demo
  npm run demo                                           # builds first`,
    )
    .action(async () => {
      await demo();
    });
}
