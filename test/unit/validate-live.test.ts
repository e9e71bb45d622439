/**
 * The pure part of `validate --live`: selector comparison and adoption/overlap findings, with the rules
 * of the DaemonSet controller (it adopts pods without a controller that its selector matches; pods of
 * other controllers are left alone) and of apps/v1 (the selector is immutable).
 */
import { describe, expect, it } from 'vitest';
import { canonicalSelector, liveFindings, type LiveState } from '../../src/core/validate/live.js';

const sel = { matchLabels: { app: 'agent' } };
const base: LiveState = { namespace: 'ops', pods: [], workloads: [] };

describe('validate --live core', () => {
  it('compares selectors ignoring order', () => {
    expect(canonicalSelector({ matchLabels: { a: '1', b: '2' } })).toBe(canonicalSelector({ matchLabels: { b: '2', a: '1' } }));
    expect(canonicalSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['y', 'x'] }] })).toBe(
      canonicalSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }),
    );
    expect(canonicalSelector({ matchLabels: { a: '1' } })).not.toBe(canonicalSelector({ matchLabels: { a: '2' } }));
  });

  it('DS401 when the live object selects differently; nothing when it is the same or new', () => {
    const changed = liveFindings('agent', { matchLabels: { app: 'agent', tier: 'node' } }, { ...base, existing: { spec: { selector: sel } } });
    expect(changed.map((f) => f.id)).toEqual(['DS401']);
    expect(changed[0]!.message).toBe('spec.selector: Invalid value: "app=agent,tier=node": field is immutable: the live DaemonSet ops/agent selects "app=agent", so applying this is rejected');
    expect(changed[0]!.fix).toContain('kubectl ds delete agent -n ops --orphan');
    expect(liveFindings('agent', sel, { ...base, existing: { spec: { selector: { matchLabels: { app: 'agent' } } } } })).toEqual([]);
    expect(liveFindings('agent', sel, base)).toEqual([]);
  });

  it('DS402 for orphans and for pods of other controllers; never for its own pods or pods it does not select', () => {
    const state: LiveState = {
      ...base,
      existing: { metadata: { uid: 'u1' }, spec: { selector: sel } },
      pods: [
        { metadata: { name: 'mine', labels: { app: 'agent' }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true }] } },
        { metadata: { name: 'stray', labels: { app: 'agent' } } },
        { metadata: { name: 'web-1', labels: { app: 'agent' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d', uid: 'r', controller: true }] } },
        { metadata: { name: 'other', labels: { app: 'db' } } },
      ],
    };
    const f = liveFindings('agent', sel, state);
    expect(f.map((x) => x.id)).toEqual(['DS402', 'DS402']);
    expect(f[0]!.message).toMatch(/^1 pod in namespace ops without a controller matches the selector \(stray\)/);
    expect(f[1]!.message).toMatch(/^1 pod of ReplicaSet\/web-5d matches the selector \(web-1\)/);
  });

  it('DS403 for other workloads whose template the selector matches, not for itself', () => {
    const state: LiveState = {
      ...base,
      workloads: [
        { kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { template: { metadata: { labels: { app: 'agent' } } } } },
        { kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'agent', tier: 'web' } } } } },
        { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { metadata: { labels: { app: 'db' } } } } },
      ],
    };
    const f = liveFindings('agent', sel, state);
    expect(f.map((x) => `${x.id} ${x.message}`)).toEqual(['DS403 the selector matches the pod template labels of Deployment/web in namespace ops: the two would fight over each other\'s pods']);
  });
});
