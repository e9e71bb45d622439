import { describe, expect, it } from 'vitest';
import {
  adoptionNotes,
  fateText,
  laterAdoptionNote,
  parseCascade,
  planDeletion,
  podNode,
  podStatus,
  PROPAGATION_POLICY,
  type DaemonSetLike,
  type PodLike,
  type RevisionLike,
} from '../../src/core/deletion.js';

// Hand-written objects in the shape the API server returns them.

function ds(
  name: string,
  uid: string,
  opts: { selector?: Record<string, string>; strategy?: 'RollingUpdate' | 'OnDelete'; generation?: number; maxUnavailable?: number | string; maxSurge?: number | string; ns?: string; deleting?: boolean; labels?: Record<string, string> } = {},
): DaemonSetLike {
  const selector = opts.selector ?? { app: 'agent' };
  return {
    metadata: {
      name,
      namespace: opts.ns ?? 'logging',
      uid,
      annotations: { 'deprecated.daemonset.template.generation': String(opts.generation ?? 1) },
      ...(opts.deleting ? { deletionTimestamp: '2026-11-23T00:00:00Z', finalizers: ['orphan'] } : {}),
    },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy:
        opts.strategy === 'OnDelete'
          ? { type: 'OnDelete' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: opts.maxUnavailable ?? 1, maxSurge: opts.maxSurge ?? 0 } },
      template: { metadata: { labels: opts.labels ?? selector }, spec: {} },
    },
  };
}

function owner(name: string, uid: string) {
  return [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true, blockOwnerDeletion: true }];
}

function pod(name: string, node: string, ownerDs: [string, string] | undefined, hash: string, gen = '1', extra: Partial<PodLike> = {}): PodLike {
  return {
    metadata: {
      name,
      namespace: 'logging',
      uid: `uid-${name}`,
      labels: { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': gen },
      ownerReferences: ownerDs ? owner(...ownerDs) : [],
      ...extra.metadata,
    },
    spec: { nodeName: node, ...extra.spec },
    status: { phase: 'Running', ...extra.status },
  };
}

function rev(name: string, revision: number, ownerDs: [string, string] | undefined, hash: string): RevisionLike {
  return { metadata: { name, namespace: 'logging', uid: `uid-${name}`, labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: ownerDs ? owner(...ownerDs) : [] }, revision };
}

const OLD: [string, string] = ['agent', 'u-old'];
const oldDs = ds('agent', 'u-old', { generation: 2 });
// The old DaemonSet had its template changed once: its pods carry hash 5f7c and generation 2.
const oldPods = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '2'), pod('agent-bbbbb', 'node-2', OLD, '5f7c', '2'), pod('agent-ccccc', 'node-3', OLD, '5f7c', '2')];
const oldRevs = [rev('agent-6d9b', 1, OLD, '6d9b'), rev('agent-5f7c', 2, OLD, '5f7c')];

describe('parseCascade (kubectl parseCascadingFlag)', () => {
  it('defaults to background, and a bare --cascade means background', () => {
    expect(parseCascade(undefined)).toEqual({ ok: true, cascade: 'background' });
    expect(parseCascade(true)).toEqual({ ok: true, cascade: 'background' });
  });
  it('takes the three modes as they are', () => {
    expect(parseCascade('orphan')).toEqual({ ok: true, cascade: 'orphan' });
    expect(parseCascade('foreground')).toEqual({ ok: true, cascade: 'foreground' });
    expect(parseCascade('background')).toEqual({ ok: true, cascade: 'background' });
  });
  it('maps the deprecated booleans with kubectl\'s warning, echoing the value typed', () => {
    expect(parseCascade('false')).toEqual({
      ok: true,
      cascade: 'orphan',
      warning: 'warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.',
    });
    expect(parseCascade('true')).toEqual({
      ok: true,
      cascade: 'background',
      warning: 'warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.',
    });
    // Go's strconv.ParseBool forms
    expect(parseCascade('0')).toMatchObject({ cascade: 'orphan', warning: 'warning: --cascade=0 is deprecated (boolean value) and can be replaced with --cascade=orphan.' });
    expect(parseCascade('F')).toMatchObject({ cascade: 'orphan' });
    expect(parseCascade('FALSE')).toMatchObject({ cascade: 'orphan' });
    expect(parseCascade('1')).toMatchObject({ cascade: 'background' });
    expect(parseCascade('True')).toMatchObject({ cascade: 'background' });
  });
  it('rejects anything else with kubectl\'s message (values are case-sensitive; yes is not a Go bool)', () => {
    expect(parseCascade('Orphan')).toEqual({ ok: false, error: 'invalid cascade value (Orphan). Must be "background", "foreground", or "orphan"' });
    expect(parseCascade('yes')).toEqual({ ok: false, error: 'invalid cascade value (yes). Must be "background", "foreground", or "orphan"' });
    expect(parseCascade('')).toEqual({ ok: false, error: 'invalid cascade value (). Must be "background", "foreground", or "orphan"' });
  });
  it('sends the API propagation policies', () => {
    expect(PROPAGATION_POLICY).toEqual({ background: 'Background', foreground: 'Foreground', orphan: 'Orphan' });
  });
});

describe('pod node and status', () => {
  it('finds the node of a pending daemon pod in its matchFields term', () => {
    const p: PodLike = {
      metadata: { name: 'x' },
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-4'] }] }] } } } },
      status: { phase: 'Pending' },
    };
    expect(podNode(p)).toBe('node-4');
    expect(podStatus(p)).toBe('Pending');
  });
  it('shows Terminating and container reasons as kubectl does', () => {
    expect(podStatus(pod('p', 'n', undefined, 'h', '1', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }))).toBe('Terminating');
    expect(podStatus(pod('p', 'n', undefined, 'h', '1', { status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] } }))).toBe('ImagePullBackOff');
  });
});

describe('planDeletion: orphan', () => {
  it('with nothing to adopt: every pod left running without owner, every revision orphaned, nothing deleted', () => {
    const other = ds('metrics', 'u-m', { selector: { app: 'metrics' } });
    const stranger = pod('stray', 'node-1', undefined, '5f7c'); // matches the selector but is not controlled by agent
    const plan = planDeletion({ targets: [oldDs], pods: [...oldPods, stranger], revisions: oldRevs, daemonSets: [oldDs, other], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => [p.name, p.node, p.fate])).toEqual([
      ['agent-aaaaa', 'node-1', 'orphan'],
      ['agent-bbbbb', 'node-2', 'orphan'],
      ['agent-ccccc', 'node-3', 'orphan'],
    ]);
    expect(t.pods.some((p) => p.fate === 'delete')).toBe(false);
    expect(t.revisions).toEqual([
      { name: 'agent-6d9b', revision: 1, hash: '6d9b', action: 'orphan', adopters: [] },
      { name: 'agent-5f7c', revision: 2, hash: '5f7c', action: 'orphan', adopters: [] },
    ]);
    expect(t.adopters).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(laterAdoptionNote(t)).toContain('labels app=agent');
    expect(fateText(t.pods[0]!)).toBe('left running, no owner');
  });

  it('an existing RollingUpdate DaemonSet with the SAME template adopts and keeps the pods', () => {
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { generation: 1 });
    // Its current revision (the highest number it owns) has the old pods' hash: same template.
    const revs = [...oldRevs, rev('agent-v2-5f7c', 1, NEW, '5f7c')];
    const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: revs, daemonSets: [oldDs, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => p.fate)).toEqual(['keep', 'keep', 'keep']);
    expect(t.pods[0]!.adopters).toEqual(['agent-v2']);
    expect(t.adopters).toHaveLength(1);
    expect(t.adopters[0]).toMatchObject({ name: 'agent-v2', strategy: 'RollingUpdate', currentHash: '5f7c', keep: ['agent-aaaaa', 'agent-bbbbb', 'agent-ccccc'], replace: [] });
    expect(t.revisions.map((r) => r.adopters)).toEqual([['agent-v2'], ['agent-v2']]);
    expect(fateText(t.pods[0]!)).toBe('adopted by agent-v2, kept (same template)');
    // Both select app=agent: that is an overlap, warned.
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('overlaps with "agent-v2"');
  });

  it('a RollingUpdate adopter with ANOTHER template replaces the pods, at its maxUnavailable/maxSurge', () => {
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { generation: 1, maxUnavailable: '25%', maxSurge: 0 });
    const revs = [...oldRevs, rev('agent-v2-9a9a', 1, NEW, '9a9a')];
    const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: revs, daemonSets: [oldDs, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => p.fate)).toEqual(['replace', 'replace', 'replace']);
    expect(t.adopters[0]).toMatchObject({ replace: ['agent-aaaaa', 'agent-bbbbb', 'agent-ccccc'], maxUnavailable: '25%', maxSurge: '0' });
    expect(adoptionNotes(t)[0]).toContain('3 run another template and will be replaced (maxUnavailable 25%, maxSurge 0)');
  });

  it('mixed pods: only those whose hash differs from the adopter\'s current one are replaced', () => {
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { generation: 5 });
    // agent-v2 owns revisions 1 (6d9b) and 3 (5f7c): 3 is current.
    const revs = [rev('agent-v2-6d9b', 1, NEW, '6d9b'), rev('agent-v2-5f7c', 3, NEW, '5f7c')];
    const pods = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '2'), pod('agent-zzzzz', 'node-9', OLD, '6d9b', '1')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: revs, daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => [p.name, p.fate])).toEqual([
      ['agent-aaaaa', 'keep'],
      ['agent-zzzzz', 'replace'],
    ]);
  });

  it('an OnDelete adopter with another template keeps the pods running until someone deletes them', () => {
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { strategy: 'OnDelete' });
    const revs = [...oldRevs, rev('agent-v2-9a9a', 1, NEW, '9a9a')];
    const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: revs, daemonSets: [oldDs, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => p.fate)).toEqual(['on-delete', 'on-delete', 'on-delete']);
    expect(t.adopters[0]).toMatchObject({ strategy: 'OnDelete', onDelete: ['agent-aaaaa', 'agent-bbbbb', 'agent-ccccc'], replace: [] });
    expect(fateText(t.pods[0]!)).toBe('adopted by agent-v2, kept until deleted (OnDelete)');
  });

  it('hash differs but pod-template-generation equals the adopter\'s template generation: depends on the controller version', () => {
    // A DaemonSet never updated labels its pods pod-template-generation=1; a new DaemonSet also starts at 1.
    const fresh = ds('agent', 'u-old', { generation: 1 });
    const pods = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '1')];
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { generation: 1 });
    const plan = planDeletion({ targets: [fresh], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [fresh, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods[0]!.fate).toBe('depends');
    expect(adoptionNotes(t)[0]).toContain('pod-template-generation=1');
  });

  it('when the controller version is known, the generation case is resolved: older controllers replace, newer keep the old template', () => {
    const fresh = ds('agent', 'u-old', { generation: 1 });
    const pods = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '1')];
    const NEW: [string, string] = ['agent-v2', 'u-new'];
    const adopter = ds('agent-v2', 'u-new', { generation: 1 });
    const input = { targets: [fresh], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [fresh, adopter], cascade: 'orphan' as const };
    expect(planDeletion({ ...input, generationLabelCounts: false }).targets[0]!.pods[0]!.fate).toBe('replace');
    const kept = planDeletion({ ...input, generationLabelCounts: true }).targets[0]!;
    expect(kept.pods[0]!.fate).toBe('stale');
    expect(kept.adopters[0]!.stale).toEqual(['agent-aaaaa']);
    // A generation that differs is replaced whatever the version.
    const gen2 = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '2')];
    expect(planDeletion({ ...input, pods: gen2, generationLabelCounts: true }).targets[0]!.pods[0]!.fate).toBe('replace');
  });

  it('an adopter with no ControllerRevision yet: the outcome is not known', () => {
    const adopter = ds('agent-v2', 'u-new', { generation: 1 });
    const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: oldRevs, daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => p.fate)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('two DaemonSets match: the pods are contested, and both overlaps are warned', () => {
    const a = ds('agent-a', 'u-a', { selector: { app: 'agent' } });
    const b = ds('agent-b', 'u-b', { selector: { app: 'agent' }, strategy: 'OnDelete' });
    const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: oldRevs, daemonSets: [oldDs, a, b], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => p.fate)).toEqual(['contested', 'contested', 'contested']);
    expect(t.pods[0]!.adopters).toEqual(['agent-a', 'agent-b']);
    expect(t.overlapping).toEqual(['agent-a', 'agent-b']);
    expect(plan.warnings[0]).toContain('overlaps with "agent-a", "agent-b"');
  });

  it('ignores DaemonSets in other namespaces, DaemonSets being deleted, and the other targets of the same delete', () => {
    const elsewhere = ds('agent', 'u-x', { ns: 'other' });
    const dying = ds('agent-old2', 'u-d', { deleting: true });
    const alsoTarget = ds('agent-twin', 'u-t');
    const plan = planDeletion({ targets: [oldDs, alsoTarget], pods: oldPods, revisions: oldRevs, daemonSets: [oldDs, elsewhere, dying, alsoTarget], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => p.fate)).toEqual(['orphan', 'orphan', 'orphan']);
    expect(plan.targets[0]!.overlapping).toEqual([]);
    expect(plan.targets[1]!.pods).toEqual([]); // agent-twin controls none of these pods
  });

  it('a selector that matches only some pods: pods with other labels are left unowned', () => {
    const narrow = ds('agent-gpu', 'u-g', { selector: { app: 'agent', pool: 'gpu' } });
    const gpuPod = pod('agent-ggggg', 'node-2', OLD, '5f7c', '2');
    gpuPod.metadata!.labels!.pool = 'gpu';
    const plan = planDeletion({ targets: [oldDs], pods: [oldPods[0]!, gpuPod], revisions: [rev('agent-gpu-5f7c', 1, ['agent-gpu', 'u-g'], '5f7c')], daemonSets: [oldDs, narrow], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => [p.name, p.fate])).toEqual([
      ['agent-aaaaa', 'orphan'],
      ['agent-ggggg', 'keep'],
    ]);
  });

  it('a pod already being deleted is not adopted', () => {
    const adopter = ds('agent-v2', 'u-new');
    const going = pod('agent-ddddd', 'node-4', OLD, '5f7c', '2', { metadata: { deletionTimestamp: '2026-11-23T00:00:00Z' } });
    const plan = planDeletion({ targets: [oldDs], pods: [going], revisions: [], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods[0]).toMatchObject({ fate: 'orphan', status: 'Terminating', adopters: [] });
  });
});

describe('planDeletion: an adopter that already runs pods on the same nodes (one pod per node)', () => {
  const NEW: [string, string] = ['agent-v2', 'u-new'];
  const at = (t: string) => ({ metadata: { creationTimestamp: t } });
  // The orphans were created at 10:00; the adopter's own pods at 11:00 (created while its selector overlapped).
  const olderPods = [pod('agent-aaaaa', 'node-1', OLD, '5f7c', '2', at('2026-11-22T10:00:00Z')), pod('agent-bbbbb', 'node-2', OLD, '5f7c', '2', at('2026-11-22T10:00:00Z'))];
  const own = (name: string, node: string, hash: string, t = '2026-11-22T11:00:00Z') => pod(name, node, NEW, hash, '1', at(t));

  it('OnDelete adopter: keeps the older adopted pod and deletes its own newer one, so the OLD template keeps running', () => {
    const adopter = ds('agent-v2', 'u-new', { strategy: 'OnDelete' });
    const pods = [...olderPods, own('agent-v2-11111', 'node-1', '9a9a')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => [p.name, p.fate])).toEqual([
      ['agent-aaaaa', 'on-delete'],
      ['agent-bbbbb', 'on-delete'],
    ]);
    expect(t.adopters[0]!.ownDeleted).toEqual(['agent-v2-11111 on node-1']);
    expect(adoptionNotes(t)[0]).toContain('it deletes its own pod (agent-v2-11111 on node-1)');
  });

  it('RollingUpdate adopter without surge: same rule, then the kept old pod is replaced by the rolling update', () => {
    const adopter = ds('agent-v2', 'u-new', { maxSurge: 0 });
    const pods = [...olderPods, own('agent-v2-11111', 'node-1', '9a9a')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => p.fate)).toEqual(['replace', 'replace']);
    expect(plan.targets[0]!.adopters[0]!.ownDeleted).toEqual(['agent-v2-11111 on node-1']);
  });

  it('an adopter pod OLDER than the orphan wins: the orphan is deleted right after adoption', () => {
    const adopter = ds('agent-v2', 'u-new', { strategy: 'OnDelete' });
    const pods = [...olderPods, own('agent-v2-00000', 'node-2', '9a9a', '2026-11-22T09:00:00Z')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    const t = plan.targets[0]!;
    expect(t.pods.map((p) => [p.name, p.fate])).toEqual([
      ['agent-aaaaa', 'on-delete'],
      ['agent-bbbbb', 'duplicate'],
    ]);
    expect(t.adopters[0]!.ownDeleted).toEqual([]);
    expect(fateText(t.pods[1]!)).toBe('adopted by agent-v2, then DELETED (it keeps its own pod on this node)');
  });

  it('with maxSurge: the oldest updated pod and the oldest old pod both stay; the old one is then replaced', () => {
    const adopter = ds('agent-v2', 'u-new', { maxSurge: 1, maxUnavailable: 0 });
    const pods = [...olderPods, own('agent-v2-11111', 'node-1', '9a9a')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: [rev('agent-v2-9a9a', 1, NEW, '9a9a')], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => p.fate)).toEqual(['replace', 'replace']);
    expect(plan.targets[0]!.adopters[0]!.ownDeleted).toEqual([]);
  });

  it('with maxSurge and the same template: two updated pods on a node, the newer (its own) is deleted', () => {
    const adopter = ds('agent-v2', 'u-new', { maxSurge: '10%', maxUnavailable: 0 });
    const pods = [...olderPods, own('agent-v2-11111', 'node-1', '5f7c')];
    const plan = planDeletion({ targets: [oldDs], pods, revisions: [rev('agent-v2-5f7c', 1, NEW, '5f7c')], daemonSets: [oldDs, adopter], cascade: 'orphan' });
    expect(plan.targets[0]!.pods.map((p) => p.fate)).toEqual(['keep', 'keep']);
    expect(plan.targets[0]!.adopters[0]!.ownDeleted).toEqual(['agent-v2-11111 on node-1']);
  });
});

describe('planDeletion: background and foreground', () => {
  for (const cascade of ['background', 'foreground'] as const) {
    it(`${cascade}: every controlled pod and revision is deleted; no adoption; overlaps still warned`, () => {
      const adopter = ds('agent-v2', 'u-new');
      const plan = planDeletion({ targets: [oldDs], pods: oldPods, revisions: oldRevs, daemonSets: [oldDs, adopter], cascade });
      const t = plan.targets[0]!;
      expect(plan.cascade).toBe(cascade);
      expect(t.pods.map((p) => [p.name, p.node, p.fate])).toEqual([
        ['agent-aaaaa', 'node-1', 'delete'],
        ['agent-bbbbb', 'node-2', 'delete'],
        ['agent-ccccc', 'node-3', 'delete'],
      ]);
      expect(t.revisions.map((r) => [r.name, r.action, r.adopters])).toEqual([
        ['agent-6d9b', 'delete', []],
        ['agent-5f7c', 'delete', []],
      ]);
      expect(t.adopters).toEqual([]);
      expect(plan.warnings).toHaveLength(1);
    });
  }

  it('a DaemonSet already being deleted is flagged', () => {
    const dying = ds('agent', 'u-old', { deleting: true });
    const plan = planDeletion({ targets: [dying], pods: [], revisions: [], daemonSets: [dying], cascade: 'background' });
    expect(plan.targets[0]!.terminating).toBe(true);
    expect(plan.warnings[0]).toContain('already being deleted');
  });
});

describe('delete flags (checked before any request)', async () => {
  const { parseRequest } = await import('../../src/commands/delete.js');
  const { CliError, UsageError } = await import('../../src/cli/errors.js');
  const ns = { namespace: 'logging' };

  it('defaults: background, wait, no timeout, kubectl\'s not-found rule', () => {
    expect(parseRequest(['a', 'b', 'a'], {}, ns)).toMatchObject({ names: ['a', 'b'], cascade: 'background', wait: true, timeoutMs: 0, dryRun: 'none', ignoreNotFound: false });
    expect(parseRequest([], { selector: 'app=x' }, ns).ignoreNotFound).toBe(true);
    expect(parseRequest([], { all: true }, ns).ignoreNotFound).toBe(true);
  });
  it('--orphan is --cascade=orphan; they must not contradict', () => {
    expect(parseRequest(['a'], { orphan: true }, ns).cascade).toBe('orphan');
    expect(parseRequest(['a'], { orphan: true, cascade: 'orphan' }, ns).cascade).toBe('orphan');
    expect(() => parseRequest(['a'], { orphan: true, cascade: 'foreground' }, ns)).toThrow(UsageError);
  });
  it('a bad --cascade is kubectl\'s message with exit 1; the deprecated form carries the warning', () => {
    let err: unknown;
    try {
      parseRequest(['a'], { cascade: 'nope' }, ns);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as InstanceType<typeof CliError>).exitCode).toBe(1);
    expect((err as Error).message).toBe('invalid cascade value (nope). Must be "background", "foreground", or "orphan"');
    expect(parseRequest(['a'], { cascade: 'false' }, ns)).toMatchObject({
      cascade: 'orphan',
      warnings: ['warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.'],
    });
  });
  it('names, -l, --all and -A combine as kubectl allows (usage errors, exit 2)', () => {
    expect(() => parseRequest(['a'], { selector: 'app=x' }, ns)).toThrow(/name cannot be provided when a selector is specified/);
    expect(() => parseRequest(['a'], { all: true }, ns)).toThrow(/name cannot be provided when a selector is specified/);
    expect(() => parseRequest([], { all: true, selector: 'a=b' }, ns)).toThrow('cannot set --all and --selector at the same time');
    expect(() => parseRequest(['a'], { allNamespaces: true }, ns)).toThrow(/cannot be retrieved by name across all namespaces/);
    expect(() => parseRequest([], {}, ns)).toThrow(UsageError);
    expect(() => parseRequest([], { selector: 'a in (b' }, ns)).toThrow(UsageError);
  });
  it('refuses several clusters at once', () => {
    expect(() => parseRequest(['a'], {}, { ...ns, contexts: ['x', 'y'] })).toThrow(/one cluster at a time/);
    expect(() => parseRequest(['a'], {}, { ...ns, contexts: [], allContexts: true })).toThrow(/one cluster at a time/);
    expect(parseRequest(['a'], {}, { ...ns, contexts: ['x'] }).names).toEqual(['a']);
  });
  it('--all needs an explicit namespace or -A', () => {
    expect(() => parseRequest([], { all: true }, {})).toThrow(/-n NAMESPACE, or use -A/);
    expect(parseRequest([], { all: true, allNamespaces: true }, {}).all).toBe(true);
    expect(parseRequest([], { all: true }, ns).all).toBe(true);
  });
  it('--dry-run, --wait, --timeout and -o as kubectl', () => {
    expect(parseRequest(['a'], { dryRun: true }, ns).dryRun).toBe('client');
    expect(parseRequest(['a'], { dryRun: 'server' }, ns).dryRun).toBe('server');
    expect(() => parseRequest(['a'], { dryRun: 'maybe' }, ns)).toThrow('Invalid dry-run value (maybe). Must be "none", "server", or "client".');
    expect(parseRequest(['a'], { wait: 'false' }, ns).wait).toBe(false);
    expect(() => parseRequest(['a'], { wait: 'nah' }, ns)).toThrow(UsageError);
    expect(parseRequest(['a'], { timeout: '1m30s' }, ns).timeoutMs).toBe(90_000);
    expect(() => parseRequest(['a'], { output: 'yaml' }, ns)).toThrow(/allowed formats are: name,json/);
    expect(parseRequest(['daemonset/a', 'ds/b'], {}, ns).names).toEqual(['a', 'b']);
    expect(() => parseRequest(['pod/a'], {}, ns)).toThrow(/not a DaemonSet/);
  });
});
