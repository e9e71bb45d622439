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

/**
 * The source files (from the bundle's source maps) that `kubectl-ds ARGS` loads: which of our modules
 * and which packages a command pulls in. Paths are relative to the project, e.g. `src/kube/client.ts`,
 * `node_modules/@kubernetes/client-node/dist/config.js`.
 */
export async function sourcesLoadedBy(args: string[], opts: RunOptions = {}): Promise<{ result: RunResult; sources: string[] }> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'kds-trace-'));
  const trace = join(dir, 'modules.txt');
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ resolve(s, c, next) { const r = next(s, c); appendFileSync(${JSON.stringify(trace)}, r.url + '\\n'); return r; } });\n`,
  );
  const env = { ...(opts.env ?? testEnv()), NODE_OPTIONS: `--import=${hook}` };
  const result = await kds(args, { ...opts, env });
  const files = existsSync(trace) ? [...new Set(readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith('file:') && u.includes('/dist/')))] : [];
  const sources = new Set<string>();
  for (const url of files) {
    const file = fileURLToPath(url);
    if (!existsSync(`${file}.map`)) continue;
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const s of map.sources) sources.add(join(dirname(file), s).slice(ROOT.length));
  }
  return { result, sources: [...sources].sort() };
}

/** A kubectl runner that resolves with stdout and throws (naming the command and its stderr) when kubectl fails. */
export function orThrow(k: (args: string[], input?: string) => Promise<RunResult>): (args: string[], input?: string) => Promise<string> {
  return async (args, input) => {
    const r = await k(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
