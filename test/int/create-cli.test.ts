/**
 * scaffold / create / `kubectl create daemonset` as a user runs them: the BUILT CLI as separate
 * processes, the real kubectl for plugin discovery, and a tiny HTTPS API stub (test/helpers/
 * stub-apiserver.mjs) that records exactly what create sends and answers as the API server does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, kds, kubectl, run, testEnv } from '../helpers/cli.js';
import { startStub, type Stub } from '../helpers/stub-apiserver.mjs';

const PKG_VERSION = (JSON.parse(readFileSync(join(BIN, '..', 'package.json'), 'utf8')) as { version: string }).version;

const dir = mkdtempSync(join(tmpdir(), 'kds-create-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** `kubectl create deployment web --image=nginx --dry-run=client -o yaml`, as a DaemonSet (§1), by hand. */
const WEB_YAML = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
  updateStrategy: {}
status:
  currentNumberScheduled: 0
  desiredNumberScheduled: 0
  numberMisscheduled: 0
  numberReady: 0
`;

/** The same as JSON: the field order of the Go structs, 4-space indent, as kubectl -o json. */
const WEB_JSON = `{
    "kind": "DaemonSet",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "namespace": "team-a",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "resources": {}
                    }
                ]
            }
        },
        "updateStrategy": {}
    },
    "status": {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0
    }
}
`;

describe('scaffold', () => {
  it('prints the DaemonSet kubectl create deployment would give, with no kubeconfig at all', async () => {
    const r = await kds(['scaffold', 'web', '--image=nginx'], { env: testEnv({ HOME: dir, KUBECONFIG: join(dir, 'missing') }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(WEB_YAML);
  });

  it('-o json in Go field order, -n sets the namespace', async () => {
    const r = await kds(['scaffold', 'web', '--image=nginx', '-n', 'team-a', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(WEB_JSON);
  });

  it('a preset with overrides and a command after --', async () => {
    const r = await kds(['scaffold', 'logs', '--preset', 'log-collector', '--image=fluent/fluentd:v1.17', '--limits', 'memory=300Mi', '--', 'fluentd', '-c', '/etc/f.conf']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`      containers:
      - command:
        - fluentd
        - -c
        - /etc/f.conf
        image: fluent/fluentd:v1.17
        name: fluentd
        resources:
          limits:
            memory: 300Mi
          requests:
            cpu: 100m
            memory: 200Mi
`);
    expect(r.stdout).toContain('priorityClassName: system-node-critical');
  });

  it('--preset list names every preset with a description', async () => {
    const r = await kds(['scaffold', '--preset', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PRESET\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['log-collector', 'node-monitor', 'storage']);
  });

  it('--from-deployment -f - converts what kubectl create deployment prints, reporting each change on stderr', async () => {
    const dep = spawnSync('kubectl', ['create', 'deployment', 'api', '--image=nginx', '--replicas=3', '--dry-run=client', '-o', 'yaml'], { encoding: 'utf8' });
    expect(dep.status).toBe(0);
    const r = await kds(['scaffold', '--from-deployment', '-f', '-'], { input: dep.stdout });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`apiVersion: apps/v1
kind: DaemonSet
metadata:
  creationTimestamp: null
  labels:
    app: api
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: api
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
  updateStrategy: {}
`);
    expect(r.stderr.trim().split('\n')).toEqual([
      'Deployment "api": kind Deployment -> DaemonSet',
      'Deployment "api": dropped spec.replicas (3): a DaemonSet runs one pod on each node its rules select',
      expect.stringMatching(/^Deployment "api": spec.strategy \{\} -> spec.updateStrategy \{\}/),
      'Deployment "api": dropped status (the API server writes it)',
    ]);
  });

  it('--from-deployment: a List stays a List; several documents stay documents', async () => {
    const d = (n: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: n }, spec: { selector: { matchLabels: { app: n } }, template: { metadata: { labels: { app: n } } } } });
    const list = file('list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [d('a'), d('b')] }));
    const r1 = await kds(['scaffold', '--from-deployment', '-f', list]);
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: apps\/v1\n  kind: DaemonSet\n/);
    expect(r1.stdout).toMatch(/\nkind: List\n/);
    const docs = file('docs.yaml', `${JSON.stringify(d('a'))}\n---\n${JSON.stringify(d('b'))}\n`);
    const r2 = await kds(['scaffold', '--from-deployment', '-f', docs]);
    expect(r2.stdout.split('---\n').map((s) => /name: (\w+)/.exec(s)?.[1])).toEqual(['a', 'b']);
  });
});

describe('bad input: one line on stderr naming the flag and the expected form, exit 2 (1 for file content)', () => {
  const notYaml = file('bad.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: name: x\n');
  const cm = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
  it.each<[string[], number, RegExp]>([
    [['scaffold', 'web'], 2, /^error: required flag\(s\) "image" not set/],
    [['scaffold', 'Web', '--image=nginx'], 2, /^error: invalid NAME "Web": a lowercase RFC 1123 subdomain/],
    [['scaffold', 'a', 'b', '--image=nginx'], 2, /^error: exactly one NAME is required, got 2; see 'kubectl ds scaffold -h' for help and examples$/],
    [['scaffold', '--image=nginx'], 2, /^error: exactly one NAME is required, got 0/],
    [['scaffold', 'web', '--image=nginx,busybox', '--', 'ls'], 2, /^error: cannot specify multiple --image options and command$/],
    [['scaffold', 'web', '--image=nginx', '--toleration', 'dedicated=gpu:NoSchedul'], 2, /^error: invalid --toleration "dedicated=gpu:NoSchedul": unknown effect "NoSchedul"; expected key\[=value\]\[:Effect\]/],
    [['scaffold', 'web', '--image=nginx', '--host-path', 'logs=/var/log'], 2, /^error: invalid --host-path "logs=\/var\/log": .*; expected NAME=\/host\/path:\/mount\/path\[:ro\]$/],
    [['scaffold', 'web', '--image=nginx', '--env', 'DEBUG'], 2, /^error: invalid --env "DEBUG": expected KEY=VALUE$/],
    [['scaffold', 'web', '--image=nginx', '--node-selector', 'ssd'], 2, /^error: invalid --node-selector "ssd": expected key=value/],
    [['scaffold', 'web', '--image=nginx', '--requests', 'cpu=fast'], 2, /^error: invalid --requests "cpu=fast": "fast" is not a quantity/],
    [['scaffold', 'web', '--preset', 'logger'], 2, /^error: unknown --preset "logger": known presets are log-collector, node-monitor, storage/],
    [['scaffold', 'web', '--image=nginx', '--update-strategy', 'OnDelete', '--max-surge', '1'], 2, /^error: --max-surge cannot be used with --update-strategy OnDelete/],
    [['scaffold', 'web', '--image=nginx', '-o', 'wide'], 2, /^error: unable to match a printer suitable for the output format "wide", allowed formats are: yaml,json$/],
    [['scaffold', 'web', '--image=nginx', '--bogus'], 2, /^error: unknown option '--bogus'/],
    [['scaffold', '--from-deployment'], 2, /^error: --from-deployment needs -f FILE/],
    [['scaffold', '--from-deployment', '-f', cm, '--image=nginx'], 2, /^error: --image cannot be used with --from-deployment/],
    [['scaffold', '--from-deployment', '-f', notYaml], 1, /^error: .*bad\.yaml:3:11: not valid YAML or JSON: Nested mappings are not allowed in compact mappings$/],
    [['scaffold', '--from-deployment', '-f', cm], 1, /^error: .*cm\.yaml: no Deployment found \(found ConfigMap "c"\)/],
    [['scaffold', '--from-deployment', '-f', join(dir, 'nope.yaml')], 1, /^error: cannot read .*nope\.yaml: no such file$/],
    [['create', 'web', '--image=nginx', '--dry-run=maybe'], 2, /^error: Invalid dry-run value \(maybe\)\. Must be "none", "server", or "client"\.$/],
    [['create', 'web', '--image=nginx', '--validate=sometimes'], 2, /^error: invalid - validate option "sometimes"; must be one of: strict \(or true\), warn, ignore \(or false\)$/],
    [['create', 'web', '--image=nginx', '-o', 'wide'], 2, /^error: unable to match a printer .* allowed formats are: yaml,json,name$/],
    [['create', 'web', '--max-surge', '1', '--max-unavailable', '1', '--image=nginx'], 2, /^error: --max-surge cannot be combined with a non-zero --max-unavailable/],
  ])('kubectl ds %j', async (args, code, message) => {
    const r = await kds(args);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.code).toBe(code);
  });
});

describe('through the real kubectl (plugin discovery)', () => {
  it('kubectl ds --help lists the commands and speaks as kubectl ds', async () => {
    const r = await kubectl(['ds', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kubectl ds /);
    expect(r.stdout).toMatch(/\n {2}scaffold\s/);
    expect(r.stdout).toMatch(/\n {2}create\s/);
  });

  it('the top-level help printed without loading the CLI (dist/help.txt) is the CLI\'s own, for no arguments, --help and -h', async () => {
    const rendered = await kds(['--help'], { env: testEnv({ KUBECTL_DS_RENDER_HELP: '1' }) });
    expect(rendered.code).toBe(0);
    expect(readFileSync(join(BIN, '..', 'dist', 'help.txt'), 'utf8')).toBe(rendered.stdout);
    for (const args of [[], ['--help'], ['-h']]) {
      const r = await kds(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(rendered.stdout);
    }
    // Anything more is the CLI's: a subcommand's help.
    expect((await kds(['scaffold', '--help'])).stdout).toMatch(/^Usage: kubectl ds scaffold /);
  });

  it('kubectl ds scaffold x --image=nginx', async () => {
    const r = await kubectl(['ds', 'scaffold', 'web', '--image=nginx']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(WEB_YAML);
  });

  it('kubectl create daemonset x --image=nginx --dry-run=client -o yaml is kubectl create deployment\'s output as a DaemonSet', async () => {
    const ds = await kubectl(['create', 'daemonset', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
    expect(ds.stderr).toBe('');
    expect(ds.code).toBe(0);
    // The oracle: what the real kubectl prints for the Deployment, changed as §1 says by hand.
    const dep = await kubectl(['create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
    const expected = dep.stdout
      .replace('kind: Deployment', 'kind: DaemonSet')
      .replace('  replicas: 1\n', '')
      .replace('  strategy: {}\n', '')
      .replace('        resources: {}\n', '        resources: {}\n  updateStrategy: {}\n')
      .replace('status: {}\n', 'status:\n  currentNumberScheduled: 0\n  desiredNumberScheduled: 0\n  numberMisscheduled: 0\n  numberReady: 0\n');
    expect(ds.stdout).toBe(expected);
  });

  it('kubectl create daemonset: usage and errors speak as kubectl create daemonset', async () => {
    const h = await kubectl(['create', 'daemonset', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: kubectl create daemonset NAME --image=image \[flags\] \[-- COMMAND \[args\.\.\.\]\]\n/);
    expect(h.stdout).toContain('  kubectl create daemonset web --image=nginx:1.27 --port=80');
    expect(h.stdout).not.toContain('kubectl ds create');
    const e = await kubectl(['create', 'daemonset', 'a', 'b', '--image=nginx', '--dry-run=client']);
    expect(e.stderr).toBe("error: exactly one NAME is required, got 2; see 'kubectl create daemonset -h' for help and examples\n");
    expect(e.code).toBe(2);
  });

  it('client dry run with --save-config: the annotation is the object as JSON plus a newline, as kubectl writes it', async () => {
    const r = await kubectl(['create', 'daemonset', 'web', '--image=nginx', '--dry-run=client', '--save-config', '-o', 'json']);
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.stdout);
    const saved: string = obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    expect(saved.endsWith('}\n')).toBe(true);
    delete obj.metadata.annotations;
    expect(saved).toBe(`${JSON.stringify(obj)}\n`);
    const plain = await kubectl(['create', 'daemonset', 'web', '--image=nginx', '--dry-run=client']);
    expect(plain.stdout).toBe('daemonset.apps/web created (dry run)\n');
  });
});

/** Runs a command whose stdout reader has gone away before it writes (as `... | head -1` after head exits). */
function withClosedStdout(cmd: string, args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // closes our read end: the child's first write gets EPIPE
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('output piped to a reader that has gone away (kubectl ds ... | head -1) ends quietly', () => {
  const cases = [
    ['--help'],
    ['scaffold', 'x', '--image=nginx'],
    ['scaffold', 'x', '--preset', 'node-monitor', '-o', 'json'],
    ['completion', 'bash'],
  ];
  for (const args of cases) {
    it(`kubectl-ds ${args.join(' ')}: exit 0, nothing on stderr`, async () => {
      const r = await withClosedStdout(process.execPath, [join(BIN, 'kubectl-ds.mjs'), ...args]);
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    });
  }
  it('through the real kubectl: kubectl ds --help and kubectl create daemonset x --image=nginx --dry-run=client -o yaml', async () => {
    for (const args of [['ds', '--help'], ['create', 'daemonset', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml']]) {
      const r = await withClosedStdout('kubectl', args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
  it('a shell pipeline into head -1 prints the first line and the pipeline status is 0', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${join(BIN, 'kubectl-ds.mjs')}" completion zsh | head -1`], { env: testEnv(), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.status).toBe(0);
  });
  it('an error still exits with its own code when stdout is closed (usage: 2)', async () => {
    const r = await withClosedStdout(process.execPath, [join(BIN, 'kubectl-ds.mjs'), 'scaffold', 'x']);
    expect(r.stderr).toMatch(/^error: .*--image/);
    expect(r.code).toBe(2);
  });
});

describe('refuses an old Node.js in one line', () => {
  const systemNode = '/usr/bin/node';
  const version = spawnSync(systemNode, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const old = /^v(1\d|20|21|22\.(1[0-8]|\d)\.)/.test(version) || /^v2[01]\./.test(version);
  it.skipIf(!old)(`${systemNode} (${version}) bin/kubectl-ds.mjs --help`, async () => {
    for (const exe of ['kubectl-ds.mjs', 'kubectl-create-daemonset.mjs']) {
      const r = await run(systemNode, [join(BIN, exe), '--help']);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: kubectl-ds needs Node\.js 22\.19 or newer .*this is Node\.js 2\d\.\d+\.\d+\. Install Node\.js 24 and run it again\.\n$/);
      expect(r.code).toBe(1);
    }
  });
});

describe('create against an API server stub', () => {
  let stub: Stub;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stub = await startStub({
      handler(req) {
        if (req.method === 'POST' && req.body?.metadata?.name === 'invalid') {
          return {
            code: 422,
            body: {
              kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422,
              message: 'DaemonSet.apps "invalid" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Required value',
              details: { name: 'invalid', group: 'apps', kind: 'DaemonSet', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].ports[0].containerPort' }] },
            },
          };
        }
        if (req.method === 'POST' && req.body?.metadata?.name === 'warned') {
          return { code: 201, body: req.body, headers: { warning: '299 - "unknown field \\"spec.foo\\""' } };
        }
        return undefined;
      },
    });
    env = testEnv({ KUBECONFIG: stub.kubeconfig });
  });
  afterAll(() => stub?.close());

  const last = () => stub.requests[stub.requests.length - 1]!;

  it('POSTs the built object as is, with fieldManager kubectl-create and fieldValidation Strict, to the context namespace', async () => {
    const r = await kds(['create', 'web', '--image=nginx', '--port=80'], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('daemonset.apps/web created\n');
    expect(r.code).toBe(0);
    const q = last();
    expect(q.method).toBe('POST');
    expect(q.path).toBe('/apis/apps/v1/namespaces/stub-ns/daemonsets');
    expect(q.query).toEqual({ fieldManager: 'kubectl-create', fieldValidation: 'Strict' });
    expect(q.headers['content-type']).toBe('application/json');
    // kubectl's form (kubectl/v1.32.0 (linux/amd64) ...), so that managedFields and audit logs name us, not "undici".
    expect(q.headers['user-agent']).toBe(`kubectl-ds/v${PKG_VERSION} (${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch})`);
    expect(q.body).toEqual({
      kind: 'DaemonSet', apiVersion: 'apps/v1',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] } },
        updateStrategy: {},
      },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    });
  });

  it('a second create: kubectl\'s AlreadyExists line, exit 1', async () => {
    const r = await kds(['create', 'web', '--image=nginx', '--port=80'], { env });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: failed to create daemonset: daemonsets.apps "web" already exists\n');
    expect(r.code).toBe(1);
  });

  it('--dry-run=server sends dryRun=All and says (server dry run); -n, --field-manager, --validate=warn', async () => {
    const r = await kds(['create', 'probe', '--image=nginx', '-n', 'other', '--dry-run=server', '--field-manager', 'me', '--validate=warn'], { env });
    expect(r.stdout).toBe('daemonset.apps/probe created (server dry run)\n');
    expect(last().path).toBe('/apis/apps/v1/namespaces/other/daemonsets');
    expect(last().query).toEqual({ dryRun: 'All', fieldManager: 'me', fieldValidation: 'Warn' });
    expect(last().body.metadata.namespace).toBe('other');
    expect(stub.stored.has('other/probe')).toBe(false);
  });

  it('--validate=false sends Ignore; bare --dry-run means client with kubectl\'s warning and sends nothing', async () => {
    await kds(['create', 'v', '--image=nginx', '--validate=false', '--dry-run=server'], { env });
    expect(last().query.fieldValidation).toBe('Ignore');
    const before = stub.requests.length;
    const r = await kds(['create', 'v', '--image=nginx', '--dry-run'], { env });
    expect(r.stdout).toBe('daemonset.apps/v created (dry run)\n');
    expect(r.stderr).toBe('Warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n');
    expect(stub.requests.length).toBe(before);
  });

  it('-o yaml prints the server\'s object without managedFields; -o name', async () => {
    const y = await kds(['create', 'shown', '--image=nginx', '-o', 'yaml'], { env });
    expect(y.code).toBe(0);
    expect(y.stdout).toMatch(/^apiVersion: apps\/v1\nkind: DaemonSet\nmetadata:\n  creationTimestamp: "2026-11-23T00:00:00Z"\n  generation: 1\n/);
    expect(y.stdout).toContain('  uid: uid-');
    expect(y.stdout).not.toContain('managedFields');
    const n = await kds(['create', 'named', '--image=nginx', '-o', 'name'], { env });
    expect(n.stdout).toBe('daemonset.apps/named\n');
  });

  it('--save-config sends the last-applied annotation', async () => {
    await kds(['create', 'saved', '--image=nginx', '--save-config'], { env });
    const md = last().body.metadata;
    expect(Object.keys(md)).toEqual(['name', 'creationTimestamp', 'labels', 'annotations']);
    expect(JSON.parse(md.annotations['kubectl.kubernetes.io/last-applied-configuration']).metadata).toEqual({ name: 'saved', creationTimestamp: null, labels: { app: 'saved' } });
  });

  it('an Invalid answer is printed as kubectl prints it; a server warning as "Warning: ..."', async () => {
    const r = await kds(['create', 'invalid', '--image=nginx'], { env });
    expect(r.stderr).toBe('error: failed to create daemonset: DaemonSet.apps "invalid" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Required value\n');
    expect(r.code).toBe(1);
    const w = await kds(['create', 'warned', '--image=nginx'], { env });
    expect(w.stderr).toBe('Warning: unknown field "spec.foo"\n');
    expect(w.stdout).toBe('daemonset.apps/warned created\n');
  });

  it('--from-deployment: each converted DaemonSet is created in its own namespace; a -n that differs is refused before anything is sent', async () => {
    const f = file('two.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: {name: one, namespace: apps}
spec: {replicas: 2, selector: {matchLabels: {app: one}}, template: {metadata: {labels: {app: one}}, spec: {containers: [{name: c, image: nginx}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: two, namespace: apps}
spec: {selector: {matchLabels: {app: two}}, template: {metadata: {labels: {app: two}}, spec: {containers: [{name: c, image: nginx}]}}}
`);
    const r = await kds(['create', '--from-deployment', '-f', f], { env });
    expect(r.stdout).toBe('daemonset.apps/one created\ndaemonset.apps/two created\n');
    expect(r.code).toBe(0);
    expect(stub.requests.slice(-2).map((q) => q.path)).toEqual(['/apis/apps/v1/namespaces/apps/daemonsets', '/apis/apps/v1/namespaces/apps/daemonsets']);
    expect(stub.requests[stub.requests.length - 2]!.body.spec.replicas).toBeUndefined();
    const before = stub.requests.length;
    const bad = await kds(['create', '--from-deployment', '-f', f, '-n', 'elsewhere'], { env });
    expect(bad.stderr).toBe(`error: the namespace from the provided object "apps" does not match the namespace "elsewhere". You must pass '--namespace=apps' to perform this operation.\n`);
    expect(bad.code).toBe(1);
    expect(stub.requests.length).toBe(before);
  });

  it('bad input is refused before any request', async () => {
    const before = stub.requests.length;
    const r = await kds(['create', 'web', '--image=nginx', '--toleration', 'x:Never'], { env });
    expect(r.code).toBe(2);
    expect(stub.requests.length).toBe(before);
  });

  it('an unreachable server: one line naming it', async () => {
    const kc = file('down.yaml', `apiVersion: v1
kind: Config
current-context: down
clusters: [{name: down, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: down, context: {cluster: down, user: u}}]
`);
    const r = await kds(['create', 'web', '--image=nginx', '--kubeconfig', kc]);
    expect(r.stderr).toMatch(/^error: create daemonset web: cannot talk to https:\/\/127\.0\.0\.1:1: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.code).toBe(1);
  });
});
