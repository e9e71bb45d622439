import { describe, expect, it } from 'vitest';
import { diffLines, unifiedHunks } from '../../src/core/linediff.js';
import {
  currentRevision,
  explainRollout,
  isPodAvailable,
  isPodUpdated,
  isStalled,
  ownedRevisions,
  planUndo,
  podReason,
  podTargetNode,
  rolloutStatus,
  shouldRunOn,
  stallAt,
  stalledFor,
  templateImages,
  templatesEqual,
  trackProgress,
  type DaemonSetLike,
  type NodeLike,
  type PodLike,
  type RevisionLike,
  type Taint,
} from '../../src/core/rollout.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function ds(over: { generation?: number; strategy?: string; status?: DaemonSetLike['status']; minReadySeconds?: number; templateGen?: string } = {}): DaemonSetLike {
  return {
    metadata: { name: 'fluentd', namespace: 'logging', uid: 'ds-uid', generation: over.generation ?? 2, annotations: { 'deprecated.daemonset.template.generation': over.templateGen ?? '2' } },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      updateStrategy: { type: over.strategy ?? 'RollingUpdate' },
      minReadySeconds: over.minReadySeconds,
      template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'c', image: 'fluentd:2' }], tolerations: [{ key: 'dedicated', operator: 'Exists' }] } },
    },
    status: over.status ?? { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 },
  };
}

describe('rolloutStatus: kubectl DaemonSetStatusViewer', () => {
  const cases: [string, DaemonSetLike, { done: boolean; message: string; error?: string }][] = [
    ['OnDelete is an error', ds({ strategy: 'OnDelete' }), { done: false, message: '', error: 'rollout status is only available for RollingUpdate strategy type' }],
    ['a missing strategy type is not RollingUpdate', { ...ds(), spec: { ...ds().spec, updateStrategy: {} } }, { done: false, message: '', error: 'rollout status is only available for RollingUpdate strategy type' }],
    [
      'spec not observed yet',
      ds({ generation: 3, status: { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5 } }),
      { done: false, message: 'Waiting for daemon set spec update to be observed...' },
    ],
    [
      'updated below desired',
      ds({ status: { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 1, numberAvailable: 4 } }),
      { done: false, message: 'Waiting for daemon set "fluentd" rollout to finish: 1 out of 5 new pods have been updated...' },
    ],
    [
      'updated missing (the API server omits 0)',
      ds({ status: { observedGeneration: 2, desiredNumberScheduled: 5, numberAvailable: 5 } }),
      { done: false, message: 'Waiting for daemon set "fluentd" rollout to finish: 0 out of 5 new pods have been updated...' },
    ],
    [
      'all updated, not all available',
      ds({ status: { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 3 } }),
      { done: false, message: 'Waiting for daemon set "fluentd" rollout to finish: 3 of 5 updated pods are available...' },
    ],
    ['done', ds(), { done: true, message: 'daemon set "fluentd" successfully rolled out' }],
    [
      'observedGeneration ahead of generation counts as observed',
      ds({ generation: 2, status: { observedGeneration: 3, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 } }),
      { done: true, message: 'daemon set "fluentd" successfully rolled out' },
    ],
    ['desired 0 succeeds at once', ds({ status: { observedGeneration: 2 } }), { done: true, message: 'daemon set "fluentd" successfully rolled out' }],
    [
      'current and misscheduled are not used',
      ds({ status: { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, currentNumberScheduled: 0 } }),
      { done: true, message: 'daemon set "fluentd" successfully rolled out' },
    ],
  ];
  for (const [what, input, want] of cases) it(what, () => expect(rolloutStatus(input)).toEqual(want));
});

describe('progress tracking for --progress-deadline', () => {
  const at = (updated: number, available: number, generation = 2) =>
    ds({ generation, status: { observedGeneration: generation, desiredNumberScheduled: 5, updatedNumberScheduled: updated, numberAvailable: available } });

  it('starts the clock at the first observation', () => {
    const p = trackProgress(undefined, at(1, 4), T0);
    expect(p.since).toBe(T0);
    expect(stalledFor(p, T0 + 2500)).toBe(2500);
  });

  it('keeps the clock while nothing moves, restarts it when updated or available moves', () => {
    let p = trackProgress(undefined, at(1, 4), T0);
    p = trackProgress(p, at(1, 4), T0 + 60_000);
    expect(p.since).toBe(T0);
    p = trackProgress(p, at(1, 3), T0 + 70_000); // available moved (down counts too)
    expect(p.since).toBe(T0 + 70_000);
    p = trackProgress(p, at(2, 3), T0 + 80_000); // updated moved
    expect(p.since).toBe(T0 + 80_000);
  });

  it('a new generation restarts the clock', () => {
    const p = trackProgress(trackProgress(undefined, at(1, 4, 2), T0), at(1, 4, 3), T0 + 5000);
    expect(p.since).toBe(T0 + 5000);
  });

  it('fires exactly at the deadline, never when the deadline is 0', () => {
    const p = trackProgress(undefined, at(1, 4), T0);
    expect(isStalled(p, T0 + 2999, 3000)).toBe(false);
    expect(isStalled(p, T0 + 3000, 3000)).toBe(true);
    expect(isStalled(p, T0 + 10 * 60_000, 0)).toBe(false);
    expect(stallAt(p, 3000)).toBe(T0 + 3000);
    expect(stallAt(p, 0)).toBeUndefined();
  });
});

// --- nodes and pods shaped as the API server returns them -----------------------------------------

function node(name: string, o: { labels?: Record<string, string>; taints?: Taint[]; ready?: string } = {}): NodeLike {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...o.labels } },
    spec: { taints: o.taints ?? [] },
    status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True' }] },
  };
}

const ready = (since = '2025-12-31T23:00:00Z') => [
  { type: 'PodScheduled', status: 'True' },
  { type: 'Ready', status: 'True', lastTransitionTime: since },
];

function pod(name: string, nodeName: string | undefined, o: { hash?: string; gen?: string; status?: PodLike['status']; deleting?: boolean; created?: string; owner?: string } = {}): PodLike {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      labels: { app: 'fluentd', 'controller-revision-hash': o.hash ?? 'new', 'pod-template-generation': o.gen ?? '2' },
      creationTimestamp: o.created ?? '2025-12-31T22:00:00Z',
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ownerReferences: [{ uid: o.owner ?? 'ds-uid', controller: true, kind: 'DaemonSet', name: 'fluentd' }],
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName ?? 'node-4'] }] }] },
        },
      },
    },
    status: o.status ?? { phase: 'Running', conditions: ready() },
  };
}

describe('pods: target node, updated, available', () => {
  it('maps a Pending pod to its node through the metadata.name affinity term', () => {
    expect(podTargetNode(pod('a', undefined))).toBe('node-4');
    expect(podTargetNode(pod('b', 'node-1'))).toBe('node-1');
  });

  it('updated by revision hash or by template generation', () => {
    const d = ds({ templateGen: '7' });
    expect(isPodUpdated(pod('a', 'n', { hash: 'h1', gen: '1' }), d, 'h1')).toBe(true);
    expect(isPodUpdated(pod('a', 'n', { hash: 'old', gen: '7' }), d, 'h1')).toBe(true);
    expect(isPodUpdated(pod('a', 'n', { hash: 'old', gen: '6' }), d, 'h1')).toBe(false);
    expect(isPodUpdated(pod('a', 'n', { hash: 'old', gen: '6' }), d, undefined)).toBe(false);
  });

  it('available = Ready for minReadySeconds', () => {
    const p = pod('a', 'n', { status: { phase: 'Running', conditions: ready('2026-01-01T00:00:00Z') } });
    expect(isPodAvailable(p, 0, T0)).toBe(true);
    expect(isPodAvailable(p, 10, T0 + 9999)).toBe(false);
    expect(isPodAvailable(p, 10, T0 + 10_000)).toBe(true);
  });
});

describe('shouldRunOn: which nodes the DaemonSet targets', () => {
  const t = ds().spec!.template!;
  it('untolerated NoSchedule taints exclude a node; tolerated and PreferNoSchedule ones do not', () => {
    expect(shouldRunOn(t, node('cp-1', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }))).toBe(false);
    expect(shouldRunOn(t, node('node-2', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }))).toBe(true);
    expect(shouldRunOn(t, node('n', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }))).toBe(true);
  });
  it('automatic tolerations: unschedulable and NoExecute not-ready are tolerated; NoSchedule not-ready is not', () => {
    expect(shouldRunOn(t, node('n', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }))).toBe(true);
    expect(shouldRunOn(t, node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }))).toBe(true);
    expect(shouldRunOn(t, node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }))).toBe(false);
  });
  it('nodeSelector and required node affinity', () => {
    const sel = { spec: { nodeSelector: { disktype: 'ssd' } } };
    expect(shouldRunOn(sel, node('node-3'))).toBe(false);
    expect(shouldRunOn(sel, node('node-1', { labels: { disktype: 'ssd' } }))).toBe(true);
    const aff = {
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }] } } } },
    };
    expect(shouldRunOn(aff, node('a', { labels: { cores: '8' } }))).toBe(true);
    expect(shouldRunOn(aff, node('b', { labels: { cores: '4' } }))).toBe(false);
  });
});

describe('podReason: why a new pod is not available', () => {
  it('ImagePullBackOff with the kubelet message', () => {
    const p = pod('a', 'node-3', {
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }],
        containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }],
      },
    });
    expect(podReason(p, 0, T0)).toBe('ImagePullBackOff: Back-off pulling image "x"');
  });
  it('unschedulable: Pending with the scheduler message', () => {
    const p = pod('a', undefined, {
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn\'t match Pod\'s node affinity.' }],
      },
    });
    expect(podReason(p, 0, T0)).toBe("Pending: 0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn't match Pod's node affinity.");
  });
  it('CrashLoopBackOff with restarts and the last exit code', () => {
    const p = pod('a', 'node-2', {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'c', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      },
    });
    expect(podReason(p, 0, T0)).toBe('CrashLoopBackOff, 5 restarts (last exit code 1)');
  });
  it('running but not ready; ready but inside minReadySeconds', () => {
    const notReady = pod('a', 'n', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', message: 'containers with unready status: [c]' }], containerStatuses: [{ name: 'c', ready: false, state: { running: {} } }] } });
    expect(podReason(notReady, 0, T0)).toBe('Running, not ready: containers with unready status: [c]');
    const fresh = pod('b', 'n', { status: { phase: 'Running', conditions: ready('2026-01-01T00:00:00Z') } });
    expect(podReason(fresh, 30, T0 + 10_000)).toBe('Ready, available in 20s (minReadySeconds 30)');
  });
  it('init containers come first', () => {
    const p = pod('a', 'n', {
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }],
        initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'ErrImagePull', message: 'pull failed' } } }],
        containerStatuses: [{ name: 'c', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    expect(podReason(p, 0, T0)).toBe('Init:ErrImagePull: pull failed');
  });
});

describe('explainRollout: the nodes that hold the rollout up', () => {
  const nodes = [
    node('cp-1', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    node('node-1'),
    node('node-2', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    node('node-3'),
    node('node-4'),
    node('node-5', { ready: 'Unknown' }),
  ];
  const d = ds({ status: { observedGeneration: 2, desiredNumberScheduled: 5, updatedNumberScheduled: 3, numberAvailable: 2 } });

  it('names each blocking node with its reason, and the nodes waiting for their turn', () => {
    const pods = [
      pod('f-1', 'node-1', { hash: 'new', gen: '2' }), // updated and available
      pod('f-2', 'node-2', { hash: 'old', gen: '1' }), // old pod: waits for its turn
      pod('f-3', 'node-3', {
        status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] },
      }),
      pod('f-4', undefined, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/6 nodes are available: 1 Insufficient cpu.' }] } }),
      pod('f-5', 'node-5', { hash: 'old', gen: '1' }),
      pod('other', 'node-3', { owner: 'someone-else', hash: 'new' }), // not ours: ignored
    ];
    const r = explainRollout({ ds: d, pods, nodes, currentHash: 'new', now: T0 });
    expect(r.blocking).toEqual([
      { node: 'node-3', reason: 'ImagePullBackOff: Back-off pulling image "x"', pod: 'f-3' },
      { node: 'node-4', reason: 'Pending: 0/6 nodes are available: 1 Insufficient cpu.', pod: 'f-4' },
      { node: 'node-5', reason: 'node NotReady', pod: 'f-5' },
    ]);
    expect(r.waiting).toEqual(['node-2']);
    expect(r.done).toEqual(['node-1']);
  });

  it('no pod at all, and a pod being deleted', () => {
    const pods = [pod('f-1', 'node-1', { deleting: true, hash: 'old', gen: '1' })];
    const r = explainRollout({ ds: d, pods, nodes: [node('node-1'), node('node-3')], currentHash: 'new', now: T0 });
    expect(r.blocking).toEqual([
      { node: 'node-1', reason: 'old pod terminating', pod: 'f-1' },
      { node: 'node-3', reason: 'no pod yet' },
    ]);
  });

  it('a node the DaemonSet does not target is never blocking', () => {
    const r = explainRollout({ ds: d, pods: [], nodes: [nodes[0]!], currentHash: 'new', now: T0 });
    expect(r).toEqual({ blocking: [], waiting: [], done: [] });
  });
});

// --- history and undo -------------------------------------------------------------------------------

function rev(n: number, image: string, o: { owner?: string; cause?: string } = {}): RevisionLike {
  return {
    metadata: {
      name: `fluentd-h${n}`,
      labels: { app: 'fluentd', 'controller-revision-hash': `h${n}` },
      annotations: o.cause ? { 'kubernetes.io/change-cause': o.cause } : {},
      ownerReferences: [{ uid: o.owner ?? 'ds-uid', controller: true, kind: 'DaemonSet', name: 'fluentd' }],
    },
    revision: n,
    data: {
      spec: {
        template: {
          $patch: 'replace',
          metadata: { creationTimestamp: null, labels: { app: 'fluentd' } },
          spec: { containers: [{ name: 'c', image }], tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
        },
      },
    },
  };
}

describe('ControllerRevisions', () => {
  const history = [rev(3, 'fluentd:3'), rev(1, 'fluentd:1'), rev(2, 'fluentd:2'), rev(9, 'other:1', { owner: 'x' })];

  it('keeps the revisions the DaemonSet controls, by revision number', () => {
    expect(ownedRevisions(history, ds()).map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('current = the revision whose template is the DaemonSet template (nulls and $patch aside)', () => {
    const d = ds(); // template image fluentd:2
    expect(currentRevision(ownedRevisions(history, d), d)?.revision).toBe(2);
  });

  it('template comparison ignores nulls, $patch and key order, and reads Dates as the API strings', () => {
    const raw = { $patch: 'replace', metadata: { creationTimestamp: null, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const typed = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { app: 'x' }, creationTimestamp: undefined } };
    expect(templatesEqual(raw, typed)).toBe(true);
    expect(templatesEqual({ a: new Date('2026-01-01T00:00:00Z') }, { a: '2026-01-01T00:00:00.000Z' })).toBe(true);
    expect(templatesEqual(raw, { ...typed, spec: { containers: [{ name: 'c', image: 'j' }] } })).toBe(false);
  });

  it('images column', () => {
    expect(templateImages({ spec: { initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'c', image: 'x:1' }] } })).toBe('i=busybox,c=x:1');
  });

  describe('planUndo (kubectl DaemonSetRollbacker)', () => {
    const owned = ownedRevisions(history, ds());
    const at3 = (): DaemonSetLike => {
      const d = ds();
      d.spec!.template!.spec!.containers = [{ name: 'c', image: 'fluentd:3' }];
      return d;
    };
    it('default: the second highest revision', () => {
      const p = planUndo(owned, at3(), 0);
      expect(p.kind).toBe('patch');
      if (p.kind === 'patch') {
        expect(p.revision).toBe(2);
        expect(p.patch).toEqual(rev(2, 'fluentd:2').data);
      }
    });
    it('skip when the target already matches, naming the revision as asked (0 for the default, as kubectl)', () => {
      expect(planUndo(owned, ds(), 2)).toEqual({ kind: 'skip', revision: 2, message: 'skipped rollback (current template already matches revision 2)' });
      expect(planUndo(owned, ds(), 0)).toEqual({ kind: 'skip', revision: 2, message: 'skipped rollback (current template already matches revision 0)' });
    });
    it('errors', () => {
      expect(planUndo([rev(1, 'a')], ds(), 0)).toEqual({ kind: 'error', message: 'no last revision to roll back to' });
      expect(planUndo([], ds(), 0)).toEqual({ kind: 'error', message: 'no last revision to roll back to' });
      expect(planUndo(owned, ds(), 7)).toEqual({ kind: 'error', message: 'unable to find specified revision 7 in history' });
    });
    it('an explicit revision', () => {
      const p = planUndo(owned, at3(), 1);
      expect(p.kind === 'patch' && p.template?.spec?.containers?.[0]?.image).toBe('fluentd:1');
    });
  });
});

describe('line diff', () => {
  it('marks kept, removed and added lines', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c']).map((o) => `${o.op}${o.line}`)).toEqual([' a', '-b', '+x', ' c']);
    expect(diffLines([], ['a']).map((o) => `${o.op}${o.line}`)).toEqual(['+a']);
  });
  it('unified hunks with 3 lines of context and diff -u headers', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const b = ['1', '2', '3', '4', '5', 'six', '7', '8', '9', '10'];
    const h = unifiedHunks(a, b);
    expect(h).toHaveLength(1);
    expect(h[0]!.header).toBe('@@ -3,7 +3,7 @@');
    expect(h[0]!.lines.map((l) => `${l.op}${l.line}`)).toEqual([' 3', ' 4', ' 5', '-6', '+six', ' 7', ' 8', ' 9']);
  });
  it('two distant changes make two hunks; equal inputs none', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = a.map((l, i) => (i === 1 || i === 18 ? `${l}!` : l));
    expect(unifiedHunks(a, b).map((x) => x.header)).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
    expect(unifiedHunks(a, a)).toEqual([]);
  });
  it('insertion at the start of an empty file', () => {
    expect(unifiedHunks([], ['a', 'b'])[0]!.header).toBe('@@ -0,0 +1,2 @@');
  });
});

describe('live view helpers', () => {
  it('wrap: splits at spaces, continuation lines 4 narrower, at most max pieces', async () => {
    const { wrap, clock } = await import('../../src/commands/follow.js');
    expect(wrap('aaa bbb ccc ddd', 8, 3)).toEqual(['aaa bbb', 'ccc', 'ddd']);
    expect(wrap('short', 20, 3)).toEqual(['short']);
    expect(wrap('a b c d e f g h', 4, 2)).toEqual(['a b', 'c d e f g h']);
    expect([clock(42_000), clock(187_000), clock(3_720_000)]).toEqual(['42s', '3m07s', '1h02m']);
  });
});
