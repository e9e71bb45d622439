#!/usr/bin/env node
// `npm run bench`: start-up benchmarks, side by side against a bare `node -e ''`.
//
// Every file test/bench/*.bench.mjs adds cases: it exports `default async function setup()` that
// returns { cases: [{ label, args, env?, status?, target?, arrivals? }], teardown?() }, where `args` are
// the arguments to this Node (e.g. ['bin/kubectl-ds.mjs', '--help']), `status` the expected exit code
// (default 0; null: any), `target` the largest acceptable ratio of the case's median to bare node's, and
// `arrivals` a file where a server appends the wall-clock time (ms) of each request it receives: then
// the case's time is from the process's start to its first request's arrival, not to its end. With
// hyperfine on PATH it measures (hyperfine -N; `arrivals` cases by the loop below); otherwise a Node
// loop runs every case once per round, interleaved, so that drift on the machine hits all alike.
//
//   node test/bench/run.mjs [--runs N] [--check] [FILTER]
//     --runs N   rounds (default 20, env BENCH_RUNS); --check: exit 1 when a target is missed;
//     FILTER     only the cases whose label contains it (bare node always runs)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const argv = process.argv.slice(2);
let runs = Number(process.env.BENCH_RUNS ?? 20);
let check = false;
let filter = '';
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--check') check = true;
  else filter = argv[i];
}

const node = process.execPath;
const env = { ...process.env };
delete env.KUBECONFIG;

const suites = [];
for (const f of readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  suites.push({ file: f, ...(await mod.default({ root, node })) });
}
const cases = [{ label: "node -e ''", args: ['-e', ''] }, ...suites.flatMap((s) => s.cases).filter((c) => c.label.includes(filter))];

function hasHyperfine() {
  return spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
}

const quote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function viaHyperfine() {
  const out = join(mkdtempSync(join(tmpdir(), 'kds-bench-')), 'h.json');
  const commands = cases.map((c) => [...Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${quote(v)}`), quote(node), ...c.args.map(quote)].join(' '));
  // -N runs without a shell; env assignments need one, so use the shell only then.
  const needShell = cases.some((c) => c.env && Object.keys(c.env).length);
  // Cases that end with a non-zero code on purpose need -i (their codes are checked once, below).
  const ignore = cases.some((c) => c.status !== undefined && c.status !== 0) ? ['-i'] : [];
  for (const c of cases) once(c);
  const r = spawnSync('hyperfine', [...(needShell ? [] : ['-N']), ...ignore, '--warmup', '3', '--runs', String(runs), '--export-json', out, ...commands], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('hyperfine failed');
  const res = JSON.parse(readFileSync(out, 'utf8')).results;
  // hyperfine times whole runs; the time to a first request comes from the loop.
  const toRequest = viaLoop(cases.filter((c) => c.arrivals));
  return cases.map((c, i) => (c.arrivals ? toRequest.find((t) => t.label === c.label) : { ...c, median: res[i].median * 1000 }));
}

const wallClock = () => performance.timeOrigin + performance.now();

function once(c) {
  const t = process.hrtime.bigint();
  const started = wallClock();
  const r = spawnSync(node, c.args, { cwd: root, env: { ...env, ...c.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (c.status !== null && r.status !== (c.status ?? 0)) throw new Error(`${c.label}: exit ${r.status}: ${String(r.stderr).trim()}`);
  if (!c.arrivals) return ms;
  const first = readFileSync(c.arrivals, 'utf8').split('\n').map(Number).find((a) => a >= started);
  if (first === undefined) throw new Error(`${c.label}: no request reached the server`);
  return first - started;
}

function viaLoop(list = cases) {
  for (let w = 0; w < 3; w++) for (const c of list) once(c);
  const times = list.map(() => []);
  for (let i = 0; i < runs; i++) list.forEach((c, j) => times[j].push(once(c)));
  return list.map((c, j) => {
    const t = times[j].sort((a, b) => a - b);
    const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    return { ...c, median };
  });
}

let results;
try {
  const tool = hasHyperfine() ? 'hyperfine' : 'interleaved Node loop';
  process.stderr.write(`bench: ${cases.length} commands, ${runs} runs each, ${tool}, ${node} ${process.version}\n`);
  results = tool === 'hyperfine' ? viaHyperfine() : viaLoop();
} finally {
  for (const s of suites) await s.teardown?.();
}

const base = results[0].median;
const rows = results.map((r) => {
  const ratio = r.median / base;
  const verdict = r.target === undefined ? '' : ratio <= r.target ? `ok (target ${r.target}x)` : `MISSED (target ${r.target}x)`;
  return [r.label, `${r.median.toFixed(1)} ms`, `${ratio.toFixed(2)}x`, verdict];
});
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['COMMAND', 'MEDIAN', 'VS NODE'][i].length));
const line = (r) => [r[0].padEnd(widths[0]), r[1].padStart(widths[1]), r[2].padStart(widths[2]), r[3]].join('   ').trimEnd();
console.log(line(['COMMAND', 'MEDIAN', 'VS NODE', 'TARGET']));
for (const r of rows) console.log(line(r));
const missed = results.filter((r) => r.target !== undefined && r.median / base > r.target);
if (missed.length) {
  process.stderr.write(`bench: ${missed.length} target(s) missed: ${missed.map((m) => m.label).join('; ')}\n`);
  if (check) process.exit(1);
}
