/**
 * Shell completion end to end: the committed scripts are what `kubectl ds completion` prints; real
 * bash (with bash-completion), zsh (through zpty) and fish run those scripts, and the real kubectl runs
 * `kubectl_complete-ds`, against a cluster holding DaemonSets made here; and an unreachable cluster
 * gives no candidates and no error text.
 *
 * The cluster: the simulator (test/helpers/sim.ts, `mixed` scenario).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { kds, kubectl, ROOT, run, testEnv, type RunResult } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';

const SHELL_FILES: Record<string, string> = {
  bash: 'completions/kubectl-ds.bash',
  zsh: 'completions/_kubectl-ds',
  fish: 'completions/kubectl-ds.fish',
  powershell: 'completions/kubectl-ds.ps1',
};

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const haveBash = has('bash') && existsSync(BASH_COMPLETION);
const haveZsh = has('zsh');
const haveFish = has('fish');
if (!haveBash) console.log('bash completion tests skipped: bash or the bash-completion package is not installed');
if (!haveZsh) console.log('zsh completion tests skipped: zsh is not installed');
if (!haveFish) console.log('fish completion tests skipped: fish is not installed');

const work = mkdtempSync(join(tmpdir(), 'kds-completion-'));
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

// ---------------------------------------------------------------------------------------------------
// Shell harnesses

/** Splits a command line as readline does for bash (blanks; '=' and ':' are words of their own), then completes the last word. */
const BASH_HARNESS = String.raw`
source ${BASH_COMPLETION}
source "$1"
line=$2
exec 3>&2
compopt() { echo "compopt $*" >&3; }
COMP_LINE=$line
COMP_POINT=${'$'}{#line}
COMP_WORDS=()
w=''
for ((i = 0; i < ${'$'}{#line}; i++)); do
  c=${'$'}{line:i:1}
  if [[ $c == ' ' ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); w=''
  elif [[ $c == [=:] ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w=''
  else w+=$c; fi
done
if [[ -n $w || $line == *' ' ]]; then COMP_WORDS+=("$w"); fi
COMP_CWORD=$((${'$'}{#COMP_WORDS[@]} - 1))
__kubectl_ds_complete
printf '%s\n' "${'$'}{COMPREPLY[@]}"
`;

/** Types LINE and TAB into an interactive zsh (zpty) with compinit and the script; records every match added. */
const ZSH_HARNESS = String.raw`
zmodload zsh/zpty
script=$1 line=$2 out=$3
zpty -b z zsh -f -i
zpty -w z "PS1='<P''ROMPT>'; autoload -U compinit; compinit -u -D -d /dev/null; source ${'$'}{(q)script}"
zpty -w z 'compadd() { local -a __m; builtin compadd -O __m "$@"; print -rl -- "${'$'}{__m[@]}" >> '${'$'}{(q)out}'; builtin compadd "$@"; }'
zpty -w z "PS1='<R''EADY>'"
zpty -r z junk '*<READY>*'
zpty -w -n z "$line"$'\t'
zpty -w -n z $'\C-u'
zpty -w z "print -r -- __DONE__ >> ${'$'}{(q)out}"
for i in {1..600}; do grep -q __DONE__ $out 2>/dev/null && break; sleep 0.05; done
zpty -d z
`;

const bashHarness = join(work, 'bash-harness.sh');
const zshHarness = join(work, 'zsh-harness.zsh');
writeFileSync(bashHarness, BASH_HARNESS);
writeFileSync(zshHarness, ZSH_HARNESS);
const script = (shell: string) => join(ROOT, SHELL_FILES[shell]!);

async function bash(line: string, env: NodeJS.ProcessEnv): Promise<{ words: string[]; compopt: string[]; r: RunResult }> {
  const r = await run('bash', ['--norc', '--noprofile', bashHarness, script('bash'), line], { env, timeoutMs: 20_000 });
  return { words: lines(r.stdout), compopt: lines(r.stderr).filter((l) => l.startsWith('compopt ')), r };
}

let zshCount = 0;
async function zsh(line: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const out = join(work, `zsh-out-${++zshCount}`);
  await run('zsh', ['-f', zshHarness, script('zsh'), line, out], { env, timeoutMs: 30_000 });
  const got = existsSync(out) ? lines(readFileSync(out, 'utf8')) : [];
  expect(got, 'the zsh harness finished').toContain('__DONE__');
  return [...new Set(got.filter((l) => l !== '__DONE__'))];
}

async function fish(line: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const r = await run('fish', ['--no-config', '-c', `source ${script('fish')}; complete -C ${JSON.stringify(line).replace(/\$/g, '\\$')}`], {
    env,
    timeoutMs: 20_000,
  });
  return lines(r.stdout).map((l) => l.split('\t')[0]!);
}

// ---------------------------------------------------------------------------------------------------
// The cluster

interface Fixture {
  kubeconfig: string;
  stop: () => Promise<void>;
  nodes: string[];
}

async function startCluster(): Promise<Fixture> {
  const s = await startSim({ scenario: 'mixed' });
  return { kubeconfig: s.kubeconfig, stop: () => s.stop(), nodes: ['cp-1', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5'] };
}

const ns = `kds-compl-${process.pid}`;
const daemonSet = (name: string) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'nginx' }] } },
    },
  });

/** A kubeconfig with contexts of our own on the test cluster: `compl-ns` (namespace ns, current), `compl-default`, and one with colons. */
function writeKubeconfig(base: string): string {
  const cfg = parse(readFileSync(base, 'utf8')) as {
    clusters: { name: string }[];
    users: { name: string }[];
    contexts: { name: string; context: Record<string, string> }[];
    'current-context': string;
  };
  const current = cfg.contexts.find((c) => c.name === cfg['current-context']) ?? cfg.contexts[0]!;
  const ctx = (name: string, namespace?: string) => ({ name, context: { cluster: current.context.cluster!, user: current.context.user!, ...(namespace ? { namespace } : {}) } });
  cfg.contexts = [ctx('compl-ns', ns), ctx('compl-default'), ctx('arn:aws:eks:eu-west-1:123:cluster/compl', ns)];
  cfg['current-context'] = 'compl-ns';
  const file = join(work, 'kubeconfig');
  writeFileSync(file, stringify(cfg));
  return file;
}

/** A kubeconfig whose only cluster is at `server`. */
function unreachableKubeconfig(name: string, server: string): string {
  const file = join(work, `kubeconfig-${name}`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name, user: { token: 'x' } }],
      contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
      'current-context': name,
    }),
  );
  return file;
}

let fx: Fixture | undefined;
let kc = '';
let env: NodeJS.ProcessEnv = {};
let blackhole: Server | undefined;
const held: Socket[] = [];
let closedKc = '';
let blackholeKc = '';

beforeAll(async () => {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  // Unreachable clusters: a port nobody listens on, and a server that accepts and never answers.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  blackhole = createServer((s) => held.push(s));
  await new Promise<void>((r) => blackhole!.listen(0, '127.0.0.1', () => r()));
  closedKc = unreachableKubeconfig('closed', `https://127.0.0.1:${closedPort}`);
  blackholeKc = unreachableKubeconfig('blackhole', `https://127.0.0.1:${(blackhole.address() as { port: number }).port}`);

  fx = await startCluster();
  kc = writeKubeconfig(fx.kubeconfig);
  // A loaded machine (parallel test files, a shared cluster) can take more than the 1 s a user gets;
  // the unreachable-cluster cases below run with the default.
  env = testEnv({ HOME: home, KUBECONFIG: kc, KUBECTL_DS_COMPLETION_TIMEOUT: '10s' });
  const k = (args: string[], input?: string) => kubectl(['--kubeconfig', fx!.kubeconfig, ...args], { input });
  const created = await k(['create', 'namespace', ns]);
  expect(created.code, created.stderr).toBe(0);
  const applied = await k(['apply', '-f', '-'], `${daemonSet('alpha-agent')}---\n${daemonSet('beta-agent')}`);
  expect(applied.code, applied.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const s of held) s.destroy();
  blackhole?.close();
  if (fx) {
    await kubectl(['--kubeconfig', fx.kubeconfig, 'delete', 'namespace', ns, '--wait=false']);
    await fx.stop();
  }
});

/** The environment with the default look-up timeout (1 s), for the unreachable clusters. */
function defaultTimeout(): NodeJS.ProcessEnv {
  const e = { ...env };
  delete e.KUBECTL_DS_COMPLETION_TIMEOUT;
  return e;
}

/** A case against the cluster; `needs` false (a shell that is not installed) skips it. */
function clusterIt(name: string, fn: () => Promise<void>, needs = true): void {
  it(name, async (t) => {
    if (!needs) return t.skip();
    await fn();
  });
}

// ---------------------------------------------------------------------------------------------------

describe('kubectl ds completion SHELL', () => {
  for (const [shell, file] of Object.entries(SHELL_FILES)) {
    it(`${file} is what 'kubectl ds completion ${shell}' prints (run it and commit the output when this fails)`, async () => {
      const r = await kds(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(readFileSync(join(ROOT, file), 'utf8'));
      expect(r.stdout).toContain('__complete');
    });
  }

  it('rejects an unknown shell with a usage error naming the shells', async () => {
    const r = await kds(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['error: unknown shell "tcsh": kubectl ds completion supports bash, zsh, fish, powershell']);
    const none = await kds(['completion']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/bash\|zsh\|fish\|powershell/);
  });

  it('the scripts parse in their shells', async () => {
    if (haveBash) expect((await run('bash', ['-n', script('bash')])).code).toBe(0);
    if (haveZsh) expect((await run('zsh', ['-n', script('zsh')])).code).toBe(0);
    if (haveFish) expect((await run('fish', ['--no-execute', script('fish')])).code).toBe(0);
  });
});

describe('kubectl-ds __complete (the protocol)', () => {
  it('answers with candidates, a tab and a description, the directive last, and names the directive on stderr', async () => {
    const r = await kds(['__complete', 'st']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^status\t\S/), ':4']);
    expect(lines(r.stderr)).toEqual(['Completion ended with directive: ShellCompDirectiveNoFileComp']);
  });

  it('does not treat -h, --help or a global flag as its own (they are words to complete)', async () => {
    const r = await kds(['__complete', 'status', '-h', '--']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toContain('--namespace\tthe namespace (default: the context\'s namespace, then "default")');
    const n = await kds(['__complete', '-n']);
    expect(lines(n.stdout)).toContain('-n\tthe namespace (default: the context\'s namespace, then "default")');
  });

  it('__completeNoDesc leaves the descriptions out', async () => {
    const r = await kds(['__completeNoDesc', 'st']);
    expect(lines(r.stdout)).toEqual(['status', ':4']);
  });
});

describe('through the real kubectl (kubectl_complete-ds)', () => {
  it('kubectl ds <TAB> lists the subcommands with their descriptions', async () => {
    const r = await kubectl(['__complete', 'ds', ''], { env });
    expect(r.code).toBe(0);
    const got = lines(r.stdout);
    for (const c of ['status', 'coverage', 'delete', 'history', 'undo', 'restart', 'completion']) expect(got.some((l) => l.startsWith(`${c}\t`))).toBe(true);
    expect(got.some((l) => l.startsWith('__complete'))).toBe(false);
    expect(got.at(-1)).toBe(':4');
  });

  clusterIt('kubectl ds status <TAB> lists the DaemonSets of the context`s namespace', async () => {
    const r = await kubectl(['__complete', 'ds', 'status', ''], { env });
    expect(lines(r.stdout).map((l) => l.split('\t')[0])).toEqual(['alpha-agent', 'beta-agent', ':4']);
  });

  clusterIt('honours -n and --context typed before the word', async () => {
    const other = await kubectl(['__complete', 'ds', 'delete', '--context', 'compl-default', ''], { env });
    expect(lines(other.stdout).map((l) => l.split('\t')[0])).not.toContain('alpha-agent');
    const r = await kubectl(['__complete', 'ds', 'delete', '--context', 'compl-default', '-n', ns, 'b'], { env });
    expect(lines(r.stdout).map((l) => l.split('\t')[0])).toEqual(['beta-agent', ':4']);
    const again = await kubectl(['__complete', 'ds', 'delete', 'alpha-agent', ''], { env });
    expect(lines(again.stdout).map((l) => l.split('\t')[0])).toEqual(['beta-agent', ':4']);
  });

  clusterIt('completes namespaces, contexts (from a --kubeconfig typed) and --nodes', async () => {
    const n = await kubectl(['__complete', 'ds', 'status', '-n', ''], { env });
    expect(lines(n.stdout)).toEqual(expect.arrayContaining([ns, 'default', 'kube-system', ':4']));
    const c = await kubectl(['__complete', 'ds', '--kubeconfig', kc, '--context', ''], { env: { ...env, KUBECONFIG: closedKc } });
    expect(lines(c.stdout).map((l) => l.split('\t')[0])).toEqual(['compl-ns', 'compl-default', 'arn:aws:eks:eu-west-1:123:cluster/compl', ':4']);
    const nodes = await kubectl(['__complete', 'ds', 'coverage', '--nodes', ''], { env });
    expect(lines(nodes.stdout).map((l) => l.split('\t')[0])).toEqual([...fx!.nodes].sort().concat(':6'));
  });

  it('kubectl 1.32 does not ask a plugin to complete `kubectl create daemonset` (so none is shipped)', async () => {
    const r = await kubectl(['__complete', 'create', 'daemonset', ''], { env });
    expect(lines(r.stdout)).toEqual([':0']);
  });
});

describe('bash (bash-completion)', () => {
  const b = haveBash ? it : it.skip;
  b('completes subcommands, flags and flag values', async () => {
    expect((await bash('kubectl-ds sta', env)).words).toEqual(['status']);
    expect((await bash('kubectl-ds delete --cascade=f', env)).words).toEqual(['foreground']);
    expect((await bash('kubectl-ds delete --cascade ', env)).words).toEqual(['background', 'foreground', 'orphan']);
    expect((await bash('kubectl-ds status --namesp', env)).words).toEqual(['--namespace']);
  });

  b('file names where files are expected: --filename offers YAML/JSON files and directories, --kubeconfig any file', async () => {
    const dir = join(work, 'manifests');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    for (const f of ['a.yaml', 'b.txt', 'c.json']) writeFileSync(join(dir, f), '');
    const r = await bash(`kubectl-ds validate --filename ${dir}/`, env);
    expect(r.words.sort()).toEqual([`${dir}/a.yaml`, `${dir}/c.json`, `${dir}/sub`]);
    const k = await bash('kubectl-ds --kubeconfig ', env);
    expect(k.compopt).toContain('compopt -o default');
  });

  b('an unreachable cluster: no candidates and nothing printed', async () => {
    for (const file of [closedKc, blackholeKc]) {
      const r = await bash(`kubectl-ds --kubeconfig ${file} status `, defaultTimeout());
      expect(r.words).toEqual([]);
      expect(r.r.stderr).toBe('');
      expect(r.r.code).toBe(0);
    }
  });

  clusterIt('DaemonSets, namespaces, node lists (no space after) and context names with colons', async () => {
    expect((await bash('kubectl-ds status ', env)).words).toEqual(['alpha-agent', 'beta-agent']);
    expect((await bash(`kubectl-ds -n ${ns.slice(0, -2)}`, env)).words).toEqual([ns]);
    const nodes = await bash(`kubectl-ds coverage --nodes ${fx!.nodes[0]},`, env);
    expect(nodes.words).toEqual(fx!.nodes.slice(1).sort().map((n) => `${fx!.nodes[0]},${n}`));
    expect(nodes.compopt).toContain('compopt -o nospace');
    // bash splits words at ':' too, so the reply holds what follows the last ':' typed (bash-completion's __ltrim_colon_completions)
    expect((await bash('kubectl-ds --context arn:aws:eks:eu', env)).words).toEqual(['eu-west-1:123:cluster/compl']);
    expect((await bash('kubectl-ds --context arn:a', env)).words).toEqual(['aws:eks:eu-west-1:123:cluster/compl']);
  }, haveBash);
});

describe('zsh (compinit, through zpty)', () => {
  const z = haveZsh ? it : it.skip;
  z('completes subcommands, flags and flag values', async () => {
    expect(await zsh('kubectl-ds sta', env)).toEqual(['status']);
    expect(await zsh('kubectl-ds delete --cascade=f', env)).toEqual(['foreground']);
    expect((await zsh('kubectl-ds delete --cascade ', env)).sort()).toEqual(['background', 'foreground', 'orphan']);
    expect((await zsh('kubectl-ds status --conte', env)).sort()).toEqual(['--context', '--context-selector', '--contexts']);
  });

  z('an unreachable cluster: no candidates', async () => {
    expect(await zsh(`kubectl-ds --kubeconfig ${blackholeKc} status `, defaultTimeout())).toEqual([]);
  });

  clusterIt('DaemonSets and namespaces from the cluster', async () => {
    expect((await zsh('kubectl-ds status ', env)).sort()).toEqual(['alpha-agent', 'beta-agent']);
    expect(await zsh(`kubectl-ds -n ${ns.slice(0, -2)}`, env)).toEqual([ns]);
  }, haveZsh);
});

describe('fish', () => {
  const f = haveFish ? it : it.skip;
  f('completes subcommands, flags and flag values', async () => {
    expect(await fish('kubectl-ds sta', env)).toEqual(['status']);
    expect(await fish('kubectl-ds delete --cascade=f', env)).toEqual(['--cascade=foreground']);
    expect((await fish('kubectl-ds delete --cascade ', env)).sort()).toEqual(['background', 'foreground', 'orphan']);
  });

  f('an unreachable cluster: no candidates', async () => {
    expect(await fish(`kubectl-ds --kubeconfig ${closedKc} status `, defaultTimeout())).toEqual([]);
  });

  clusterIt('DaemonSets and contexts', async () => {
    expect((await fish('kubectl-ds status ', env)).sort()).toEqual(['alpha-agent', 'beta-agent']);
    expect((await fish('kubectl-ds --context compl-', env)).sort()).toEqual(['compl-default', 'compl-ns']);
  }, haveFish);
});

describe('an unreachable cluster (closed port, or a server that never answers)', () => {
  for (const [what, file] of [
    ['closed port', () => closedKc],
    ['blackholed server', () => blackholeKc],
  ] as const) {
    it(`${what}: returns, prints only the directive, and no error`, async () => {
      for (const [words, directive] of [[['status', ''], ':4'], [['-n', ''], ':4'], [['coverage', '--nodes', ''], ':6']] as const) {
        const r = await kds(['__complete', '--kubeconfig', file(), ...words], { env: defaultTimeout(), timeoutMs: 15_000 });
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`${directive}\n`);
        expect(lines(r.stderr)).toEqual([expect.stringMatching(/^Completion ended with directive: /)]);
      }
      const k = await kubectl(['__complete', 'ds', 'status', ''], { env: { ...defaultTimeout(), KUBECONFIG: file() }, timeoutMs: 15_000 });
      expect(lines(k.stdout)).toEqual([':4']);
    });
  }
});
