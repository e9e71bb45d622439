/**
 * The small YAML writer (src/output/yaml-emit.ts). Its contract: whatever it writes is byte for byte
 * what the yaml library writes with print.ts's options, and it declines (undefined) otherwise. The
 * hand-written cases follow the YAML 1.1 rules; the library is the oracle for thousands of generated
 * values; and the manifests people actually print must not be declined (or scaffold's fast start is lost).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { emitYaml, KUBE_STYLE, type EmitOptions } from '../../src/output/yaml-emit.js';
import { buildDaemonSet, PRESETS } from '../../src/core/builder.js';

const KUBE = KUBE_STYLE;
const PLAIN: EmitOptions = { sortKeys: false, indentSeq: true };
const library = (v: unknown, o: EmitOptions) =>
  stringify(v, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, ...(o.sortKeys ? { sortMapEntries: true } : {}), indentSeq: o.indentSeq });

describe('emitYaml: the YAML 1.1 rules, by hand', () => {
  it('strings that would read back as something else are double-quoted; the rest stay plain', () => {
    const v = { a: 'yes', b: 'No', c: 'on', d: '~', e: 'null', f: '', g: '0755', h: '1:20', i: '1e3', j: '.5', k: '0x1F', l: '12', m: '+1', n: 'x' };
    expect(emitYaml(v, PLAIN)).toBe('a: "yes"\nb: "No"\nc: "on"\nd: "~"\ne: "null"\nf: ""\ng: "0755"\nh: "1:20"\ni: "1e3"\nj: ".5"\nk: "0x1F"\nl: "12"\nm: "+1"\n"n": x\n');
  });

  it('Kubernetes values that are strings in YAML stay plain: quantities, images, paths, label keys, percentages', () => {
    const v = { cpu: '100m', memory: '200Mi', image: 'registry.k8s.io/pause:3.9', path: '/var/log', key: 'node-role.kubernetes.io/control-plane', max: '10%', flag: '-c', cmd: 'sleep infinity' };
    expect(emitYaml(v, PLAIN)).toBe('cpu: 100m\nmemory: 200Mi\nimage: registry.k8s.io/pause:3.9\npath: /var/log\nkey: node-role.kubernetes.io/control-plane\nmax: 10%\nflag: -c\ncmd: sleep infinity\n');
  });

  it('indicators, ": " and " #" inside, and edge spaces need quotes', () => {
    const v = { a: '#x', b: 'a: b', c: 'a #b', d: ' x', e: 'x ', f: 'x:', g: '*x', h: '- x', i: '-', j: 'a#b', k: 'a:b' };
    expect(emitYaml(v, PLAIN)).toBe('a: "#x"\nb: "a: b"\nc: "a #b"\nd: " x"\ne: "x "\nf: "x:"\ng: "*x"\nh: "- x"\ni: "-"\nj: a#b\nk: a:b\n');
  });

  it('block style: sorted keys and list items level with their key (kubectl), or insertion order and indented items', () => {
    const v = { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }], args: [] }], hostNetwork: true }, kind: 'DaemonSet', status: {}, gone: undefined, list: [[1, 2], { a: { b: null } }] };
    expect(emitYaml(v, KUBE)).toBe(
      'kind: DaemonSet\nlist:\n- - 1\n  - 2\n- a:\n    b: null\nspec:\n  containers:\n  - args: []\n    name: c\n    ports:\n    - containerPort: 80\n  hostNetwork: true\nstatus: {}\n',
    );
    expect(emitYaml(v, PLAIN)).toBe(
      'spec:\n  containers:\n    - name: c\n      ports:\n        - containerPort: 80\n      args: []\n  hostNetwork: true\nkind: DaemonSet\nstatus: {}\nlist:\n  - - 1\n    - 2\n  - a:\n      b: null\n',
    );
  });

  it('declines what it cannot write exactly as the library does', () => {
    for (const v of [{ a: 'two\nlines' }, { a: 'é' }, { a: 'tab\there' }, { a: '"yes"' }, { a: 'back\\slash: x' }, { a: 1.5 }, { a: -0 }, { a: 2 ** 60 }, { a: new Date(0) }, { a: [undefined] }, { a: '2001-12-14' }, { a: '---' }, 'scalar', 7]) {
      expect(emitYaml(v, KUBE), JSON.stringify(v) ?? String(v)).toBeUndefined();
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(emitYaml(cycle, KUBE)).toBeUndefined();
  });
});

// A small seeded generator, so that a failure names a value that can be reproduced.
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

const PIECES = [
  '', 'a', 'x', 'yes', 'No', 'y', 'n', 'on', 'OFF', 'True', 'null', 'Null', '~', '0', '007', '08', '0x1F', '0b101', '1e3', '1.5', '.5', '.', '1_000', '+1', '-1', '1:20', '190:20:30',
  '.inf', '-.Inf', '.NaN', '-', '-c', '- x', '?', '? x', '?x', ':', 'a: b', 'a:b', 'x:', ': ', ' #', 'a #b', '#', ' ', '  ', '"', "'", '\\', '@', '`', '%', '!', '&', '*', '|', '>', '[', ']',
  '{', '}', ',', '=', '<<', '100m', '200Mi', '0.5', 'nginx:1.27', 'registry.k8s.io/pause:3.9', '/var/log', 'node-role.kubernetes.io/control-plane', '10%', '2001-12-14', '---', '...',
  'é', '\t', '\n', 'a b', 'sleep infinity', 'key=value', 'k8s.io/x_y', '0o17', '1,000',
];

function randomString(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)]!;
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth >= 3 || pick < 0.45) {
    const k = r();
    if (k < 0.7) return randomString(r);
    if (k < 0.8) return [0, 1, -1, 80, 65535, 1.5, -0, 2 ** 53, 1e21, -7][Math.floor(r() * 10)];
    if (k < 0.9) return r() < 0.5;
    return null;
  }
  if (pick < 0.7) {
    const a: unknown[] = [];
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) a.push(randomValue(r, depth + 1));
    return a;
  }
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) o[randomString(r)] = r() < 0.05 ? undefined : randomValue(r, depth + 1);
  return o;
}

describe('emitYaml against the yaml library', () => {
  it('for 4,000 generated values, writes exactly what the library writes, or declines', () => {
    const r = rng(20261123);
    let written = 0;
    for (let i = 0; i < 4000; i++) {
      const v = r() < 0.5 ? randomValue(r, 0) : { k: randomValue(r, 1) };
      if (typeof v !== 'object' || v === null) continue;
      for (const o of [KUBE, PLAIN]) {
        const mine = emitYaml(v, o);
        if (mine === undefined) continue;
        written++;
        expect(mine, JSON.stringify(v)).toBe(library(v, o));
      }
    }
    // The generator is made of trouble; still, most values are written, or this checks little.
    expect(written).toBeGreaterThan(2000);
  });

  it('writes every preset and a DaemonSet using every flag, as the library does (none declined)', () => {
    const built = [
      ...Object.keys(PRESETS).map((preset) => buildDaemonSet({ name: 'agent', preset, images: ['fluent/fluentd:v1.17'], random: () => 'x2b4z' })),
      buildDaemonSet({
        name: 'agent', namespace: 'infra', images: ['nginx:1.27'], command: ['sh', '-c', 'sleep 3600'], port: '9100', nodeSelector: ['disktype=ssd'],
        tolerations: ['dedicated=gpu:NoSchedule', 'node.kubernetes.io/not-ready:Exists'], tolerateControlPlane: true, requests: ['cpu=100m,memory=200Mi'], limits: ['memory=1Gi'],
        env: ['A=1', 'B=two words', 'C=yes'], hostPaths: ['logs=/var/log:/host/log:ro'], hostNetwork: true, hostPID: true, privileged: true, serviceAccount: 'agent',
        priorityClass: 'system-node-critical', maxUnavailable: '10%', minReadySeconds: '5', labels: ['tier=node'], annotations: ['owner=me'], random: () => 'x2b4z',
      }),
      buildDaemonSet({ name: 'two', images: ['nginx', 'busybox:1.36'], updateStrategy: 'OnDelete', random: () => 'x2b4z' }),
      buildDaemonSet({ name: 'surge', images: ['nginx'], maxSurge: '1', random: () => 'x2b4z' }),
    ];
    for (const ds of built) {
      const mine = emitYaml(ds, KUBE);
      expect(mine).toBeDefined();
      expect(mine).toBe(library(ds, KUBE));
    }
  });
});
