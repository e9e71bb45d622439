import { Command, Option } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addGlobalOptions } from '../../src/cli/globals.js';
import {
  Directive,
  directiveName,
  flagCandidates,
  formatCompletion,
  isRepeatable,
  listElement,
  parseLine,
  type ParsedLine,
} from '../../src/cli/complete-engine.js';
import { completeArgs, completeFlag, hasFlagCompleter, lookupTimeouts, resolveCompletion, values, withDeadline } from '../../src/cli/completers.js';

/** A small tree shaped like kubectl ds: global flags on the root, commands with their own flags. */
function tree(): Command {
  const root = new Command('kubectl ds');
  addGlobalOptions(root);
  root
    .command('status')
    .summary('Watch a rollout')
    .argument('<name>')
    .option('-w, --watch', 'keep watching')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', 'json for scripts');
  root
    .command('delete')
    .summary('Delete DaemonSets')
    .argument('[names...]')
    .addOption(new Option('--cascade <mode>', 'background, foreground or orphan').choices(['background', 'foreground', 'orphan', 'sideways']))
    .option('--orphan', 'same as --cascade=orphan')
    .option('-l, --selector <sel>', 'label selector', (v: string, prev: string[] = []) => [...prev, v]);
  root.command('validate').summary('Check manifests').addOption(new Option('-o, --output <format>', 'the report').choices(['text', 'json']));
  const sim = root.command('sim').summary('A simulated cluster');
  sim.command('start').summary('Start it').option('--nodes <n>', 'how many nodes').option('--scenario <name>', 'which scenario');
  sim.command('stop').summary('Stop it');
  root.command('__complete', { hidden: true }).summary('internal');
  root.command('fake').summary('For the registry').argument('<a>').argument('<b>');
  return root;
}

const values_ = (line: ParsedLine) => flagCandidates(line).map((c) => c.value);

describe('directives and output (cobra protocol)', () => {
  it('names directives as cobra does', () => {
    expect(directiveName(0)).toBe('ShellCompDirectiveDefault');
    expect(directiveName(4)).toBe('ShellCompDirectiveNoFileComp');
    expect(directiveName(6)).toBe('ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp');
    expect(directiveName(1)).toBe('ShellCompDirectiveError');
    expect(directiveName(8 | 32)).toBe('ShellCompDirectiveFilterFileExt, ShellCompDirectiveKeepOrder');
    expect(directiveName(64)).toBe('ERROR: unexpected ShellCompDirective value: 64');
  });

  it('prints one candidate a line, a tab before the description, and the directive last', () => {
    const text = formatCompletion({
      candidates: [{ value: 'status', description: 'Watch a rollout\nsecond line' }, { value: '' }, { value: 'web' }, { value: 'x', description: 'a\tb' }],
      directive: 6,
    });
    expect(text).toBe('status\tWatch a rollout\nweb\nx\ta b\n:6\n');
    expect(formatCompletion({ candidates: [{ value: 'status', description: 'd' }] }, false)).toBe('status\n:4\n');
    expect(formatCompletion({ candidates: [] })).toBe(':4\n');
  });
});

describe('parseLine: reads the words as commander does', () => {
  it('completes subcommands at the root and in a command group', () => {
    const root = tree();
    const l = parseLine(root, ['']);
    expect(l.command).toBe(root);
    expect(l.target.kind).toBe('argument');
    const s = parseLine(root, ['sim', 'st']);
    expect(s.path).toBe('sim');
    expect(s.toComplete).toBe('st');
  });

  it('skips global flags and their values before and after the subcommand', () => {
    const l = parseLine(tree(), ['-n', 'kube-system', 'status', '--context', 'prod', 'fo']);
    expect(l.path).toBe('status');
    expect(l.args).toEqual([]);
    expect(l.toComplete).toBe('fo');
    const given = new Map([...l.given].map(([o, v]) => [o.long, v]));
    expect(given.get('--namespace')).toEqual(['kube-system']);
    expect(given.get('--context')).toEqual(['prod']);
  });

  it('reads --flag=value, -nVALUE and combined short booleans', () => {
    const l = parseLine(tree(), ['--namespace=logging', 'status', '-Aw', '-ojson', 'x', '']);
    const given = new Map([...l.given].map(([o, v]) => [o.long, v]));
    expect(given.get('--namespace')).toEqual(['logging']);
    expect(given.get('--all-namespaces')).toEqual(['']);
    expect(given.get('--watch')).toEqual(['']);
    expect(given.get('--output')).toEqual(['json']);
    expect(l.args).toEqual(['x']);
  });

  it('completes the value of a flag given as the previous word, and after --flag=', () => {
    const a = parseLine(tree(), ['status', '-n', '']);
    expect(a.target.kind).toBe('flag-value');
    expect(a.target.kind === 'flag-value' && a.target.option.long).toBe('--namespace');
    const b = parseLine(tree(), ['delete', '--cascade=or']);
    expect(b.target.kind === 'flag-value' && b.target.option.long).toBe('--cascade');
    expect(b.toComplete).toBe('or');
    const c = parseLine(tree(), ['sim', 'start', '--scenario', 'mi']);
    expect(c.path).toBe('sim start');
    expect(c.target.kind === 'flag-value' && c.target.option.long).toBe('--scenario');
  });

  it('completes flag names only for a word starting with -, and nothing after --', () => {
    expect(parseLine(tree(), ['status', '-']).target.kind).toBe('flag-name');
    expect(parseLine(tree(), ['status', '--wa']).target.kind).toBe('flag-name');
    const l = parseLine(tree(), ['delete', '--', '-x', '-']);
    expect(l.target.kind).toBe('argument');
    expect(l.args).toEqual(['-x']);
  });

  it('a flag the command does not declare takes a value when a completer is registered for it', () => {
    const unknown = parseLine(tree(), ['status', '--nodes', 'a', '']);
    expect(unknown.args).toEqual(['a']);
    const known = parseLine(tree(), ['status', '--nodes', 'a', ''], (_path, long) => long === '--nodes');
    expect(known.args).toEqual([]);
    const pending = parseLine(tree(), ['status', '--nodes', ''], (_path, long) => long === '--nodes');
    expect(pending.target.kind === 'flag-value' && pending.target.option.long).toBe('--nodes');
    expect(hasFlagCompleter('coverage', '--nodes')).toBe(true);
    expect(hasFlagCompleter('coverage', '--colour-of-the-sky')).toBe(false);
  });
});

describe('flag names', () => {
  it('offers long and short forms with one-line descriptions, the command`s and the global ones', () => {
    const c = flagCandidates(parseLine(tree(), ['status', '-']));
    expect(c).toContainEqual({ value: '--watch', description: 'keep watching' });
    expect(c).toContainEqual({ value: '-w', description: 'keep watching' });
    expect(c.map((x) => x.value)).toEqual(expect.arrayContaining(['--namespace', '-n', '--context', '--kubeconfig', '--help', '-h']));
    // `--` offers long forms only
    expect(values_(parseLine(tree(), ['status', '--'])).filter((v) => !v.startsWith('--'))).toEqual([]);
  });

  it('does not offer a flag already given, unless it may be repeated', () => {
    const v = values_(parseLine(tree(), ['status', '-w', '--context', 'a', '-n', 'x', '--']));
    expect(v).not.toContain('--watch');
    expect(v).not.toContain('--namespace');
    expect(v).toContain('--context'); // --context accumulates (several clusters)
    const d = values_(parseLine(tree(), ['delete', '-l', 'a=b', '--']));
    expect(d).toContain('--selector');
  });

  it('knows accumulating and variadic options', () => {
    expect(isRepeatable(new Option('--x <v>').argParser((v: string, p: string[] = []) => [...p, v]))).toBe(true);
    expect(isRepeatable(new Option('--x <v...>'))).toBe(true);
    expect(isRepeatable(new Option('--x <v>'))).toBe(false);
    expect(isRepeatable(new Option('--x <v>').argParser((v: string) => Number(v)))).toBe(false);
    expect(isRepeatable(new Option('--x <v>').argParser(() => { throw new Error('bad'); }))).toBe(false);
  });
});

describe('comma-separated lists', () => {
  it('completes the last element, keeps the earlier ones, skips those listed, and asks for no space', () => {
    const all = [{ value: 'node-1' }, { value: 'node-2' }, { value: 'node-3' }, { value: 'cp-1' }];
    const r = listElement('node-1,no', all);
    expect(r.candidates.map((c) => c.value)).toEqual(['node-1,node-2', 'node-1,node-3']);
    expect(r.directive).toBe(Directive.NoFileComp | Directive.NoSpace);
    expect(listElement('', all).candidates).toHaveLength(4);
  });
});

describe('resolveCompletion: where the candidates come from', () => {
  const kubeconfig = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kds-complete-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: prod-eu',
        'clusters:',
        '- {name: eu, cluster: {server: "https://127.0.0.1:1"}}',
        '- {name: us, cluster: {server: "https://127.0.0.1:2"}}',
        'users:',
        '- {name: admin, user: {token: t}}',
        'contexts:',
        '- {name: prod-eu, context: {cluster: eu, user: admin, namespace: logging}}',
        '- {name: prod-us, context: {cluster: us, user: admin}}',
        '- {name: "arn:aws:eks:eu-west-1:1:cluster/x", context: {cluster: eu, user: admin}}',
      ].join('\n'),
    );
    return file;
  };
  const resolve = (words: string[]) => resolveCompletion(parseLine(tree(), words, hasFlagCompleter));
  const names = async (words: string[]) => (await resolve(words)).candidates.map((c) => c.value);

  it('lists visible subcommands with their summaries, not the hidden __complete', async () => {
    const r = await resolve(['']);
    expect(r.candidates).toContainEqual({ value: 'status', description: 'Watch a rollout' });
    expect(r.candidates.map((c) => c.value)).not.toContain('__complete');
    expect(r.directive).toBe(Directive.NoFileComp);
    expect(await names(['sim', ''])).toEqual(['start', 'stop']);
    expect(await names(['de'])).toEqual(['delete']);
  });

  it('completes fixed values: --cascade, --scenario, and -o from the option`s choices or its description', async () => {
    // the option's own choices win; the registry describes those it knows
    const cascade = await resolve(['delete', '--cascade', '']);
    expect(cascade.candidates.map((c) => c.value)).toEqual(['background', 'foreground', 'orphan', 'sideways']);
    expect(cascade.candidates[1]!.description).toBe('delete the pods first, then the DaemonSet');
    expect(cascade.candidates[3]!.description).toBeUndefined();
    expect(await names(['status', '--cascade', ''])).toEqual(['background', 'foreground', 'orphan']); // undeclared here: the registry
    expect(await names(['delete', '--cascade=f'])).toEqual(['foreground']);
    expect(await names(['sim', 'start', '--scenario', ''])).toEqual(['mixed', 'large', 'empty']);
    expect(await names(['validate', '-o', ''])).toEqual(['text', 'json']);
    expect(await names(['status', '-o', ''])).toEqual(['json']);
    expect(await names(['sim', 'start', '--nodes', ''])).toEqual([]); // a count there, not node names
  });

  it('completes contexts, clusters and users from the kubeconfig named by a --kubeconfig already typed', async () => {
    const kc = kubeconfig();
    const ctx = await resolve(['--kubeconfig', kc, 'status', '--context', '']);
    expect(ctx.candidates.map((c) => c.value)).toEqual(['prod-eu', 'prod-us', 'arn:aws:eks:eu-west-1:1:cluster/x']);
    expect(ctx.candidates[0]!.description).toContain('(current)');
    expect(await names(['--kubeconfig', kc, '--context', 'prod-'])).toEqual(['prod-eu', 'prod-us']);
    expect(await names(['--kubeconfig', kc, '--cluster', ''])).toEqual(['eu', 'us']);
    expect(await names(['--kubeconfig', kc, '--user', ''])).toEqual(['admin']);
    const list = await resolve(['--kubeconfig', kc, '--contexts', 'prod-eu,']);
    expect(list.candidates.map((c) => c.value)).toEqual(['prod-eu,prod-us', 'prod-eu,arn:aws:eks:eu-west-1:1:cluster/x']);
    expect(list.directive).toBe(Directive.NoFileComp | Directive.NoSpace);
  });

  it('honours KUBECONFIG when no --kubeconfig is typed, and gives nothing (no error) without a kubeconfig', async () => {
    const kc = kubeconfig();
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = kc;
      expect(await names(['--context', 'prod-u'])).toEqual(['prod-us']);
      process.env.KUBECONFIG = '/nonexistent/kubeconfig';
      expect(await resolve(['--context', ''])).toEqual({ candidates: [], directive: Directive.NoFileComp });
      expect(await resolve(['--kubeconfig', '/nonexistent', '--context', ''])).toEqual({ candidates: [], directive: Directive.NoFileComp });
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('completes file names where a file is expected', async () => {
    expect(await resolve(['--kubeconfig', ''])).toEqual({ candidates: [], directive: Directive.Default });
    // the extensions are not filtered by the typed prefix: the shell filters the files
    expect(await resolve(['validate', '--filename', 'manif'])).toEqual({
      candidates: [{ value: 'yaml' }, { value: 'yml' }, { value: 'json' }],
      directive: Directive.FilterFileExt,
    });
  });

  it('uses a registered argument completer, within the command`s arity', async () => {
    completeArgs(['fake'], (ctx) => values([`first-${ctx.line.args.length}`, `second-${ctx.line.args.length}`])(ctx));
    completeFlag(['fake'], ['colour'], values(['red', 'green']));
    expect(await names(['fake', ''])).toEqual(['first-0', 'second-0']);
    expect(await names(['fake', 'x', 's'])).toEqual(['second-1']);
    expect(await names(['fake', 'x', 'y', ''])).toEqual([]); // <a> <b>: no third argument
    expect(await names(['fake', '--colour', 'g'])).toEqual(['green']);
  });
});

describe('withDeadline', () => {
  it('gives the fallback when the work hangs, fails, or returns the value in time', async () => {
    expect(await withDeadline(() => new Promise<string[]>(() => undefined), 50, ['fallback'])).toEqual(['fallback']);
    expect(await withDeadline(() => Promise.reject(new Error('x')), 1000, ['fallback'])).toEqual(['fallback']);
    expect(await withDeadline(async () => ['ok'], 1000, ['fallback'])).toEqual(['ok']);
  });
});

describe('lookupTimeouts', () => {
  it('1 s a request and 1.5 s in all, unless KUBECTL_DS_COMPLETION_TIMEOUT says otherwise; a bad value keeps the default', () => {
    expect(lookupTimeouts({})).toEqual({ requestMs: 1000, deadlineMs: 1500 });
    expect(lookupTimeouts({ KUBECTL_DS_COMPLETION_TIMEOUT: '3s' })).toEqual({ requestMs: 3000, deadlineMs: 3500 });
    expect(lookupTimeouts({ KUBECTL_DS_COMPLETION_TIMEOUT: 'soon' })).toEqual({ requestMs: 1000, deadlineMs: 1500 });
    expect(lookupTimeouts({ KUBECTL_DS_COMPLETION_TIMEOUT: '0' })).toEqual({ requestMs: 1000, deadlineMs: 1500 });
  });
});
