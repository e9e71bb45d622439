/**
 * Runs the BUILT CLI (bin/ + dist/) as a user would, as separate processes, and kubectl with our
 * executables on PATH so that plugin discovery is the real one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A PATH whose first directory holds kubectl-ds, kubectl-create-daemonset, kubectl_complete-ds and this test's node. */
let pluginDir: string | undefined;
export function pluginPathDir(): string {
  if (pluginDir && existsSync(pluginDir)) return pluginDir;
  const dir = mkdtempSync(join(tmpdir(), 'kds-path-'));
  mkdirSync(dir, { recursive: true });
  for (const f of ['kubectl-ds', 'kubectl-create-daemonset', 'kubectl_complete-ds']) symlinkSync(join(BIN, `${f}.mjs`), join(dir, f));
  symlinkSync(process.execPath, join(dir, 'node'));
  pluginDir = dir;
  return dir;
}

export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PATH: `${pluginPathDir()}:${dirname(process.execPath)}:${process.env.PATH}` };
  delete env.FORCE_COLOR;
  delete env.KUBECONFIG;
  return { ...env, ...extra };
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? testEnv(), cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 55_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A child that exits without reading its stdin (a shell checking a script's syntax) closes the pipe:
    // the write then fails with EPIPE, which says nothing about the command under test.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** `kubectl-ds ARGS` with this process's Node. */
export function kds(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [join(BIN, 'kubectl-ds.mjs'), ...args], opts);
}

/** The real kubectl, with our executables first on PATH. */
export function kubectl(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run('kubectl', args, opts);
}

export interface Running {
  /** Resolves when stdout has a line matching `re` (or the process has ended: check `done`). */
  waitForLine(re?: RegExp): Promise<void>;
  /** What stdout has printed so far. */
  stdout(): string;
  kill(): void;
  done: Promise<RunResult>;
}

/** Starts a long-running command (a watch) and lets a test act while it runs. */
export function start(cmd: string, args: string[], opts: RunOptions = {}): Running {
  const child = spawn(cmd, args, { env: opts.env ?? testEnv(), cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ended = false;
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (ended || stdout.split('\n').slice(0, -1).some((l) => w.re.test(l))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<RunResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 150_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      check();
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  return {
    waitForLine: (re = /./) =>
      new Promise<void>((resolve) => {
        waiters.push({ re, resolve });
        check();
      }),
    stdout: () => stdout,
    kill: () => child.kill('SIGTERM'),
    done,
  };
}

/** `kubectl-ds ARGS` started in the background. */
export function startKds(args: string[], opts: RunOptions = {}): Running {
  return start(process.execPath, [join(BIN, 'kubectl-ds.mjs'), ...args], opts);
}
