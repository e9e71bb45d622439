import { describe, expect, it } from 'vitest';
import { nodeCoverageFindings } from '../../src/core/validate/live-nodes.js';

// validate --live DS404: expectations written by hand from the eligibility rules.
const node = (name: string, labels: Record<string, string> = {}, taints: { key: string; value?: string; effect: string }[] = []) => ({ metadata: { name, labels }, spec: { taints } });
const nodes = [
  node('cp-1', { disktype: 'ssd' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
  node('node-1', { disktype: 'ssd' }),
  node('node-2', { disktype: 'ssd' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
  node('node-3'),
  node('node-4', { disktype: 'ssd' }),
];

describe('DS404: nodes the DaemonSet would not run on', () => {
  it('one finding per reason, with the nodes, the count, and the fix', () => {
    const f = nodeCoverageFindings({ nodeSelector: { disktype: 'ssd' } }, nodes);
    expect(f.map((x) => [x.path.at(-1), x.message])).toEqual([
      ['tolerations', 'would not run on 1 of 5 nodes (cp-1): taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated; it would run on 2 nodes'],
      ['tolerations', 'would not run on 1 of 5 nodes (node-2): taint dedicated=gpu:NoSchedule is not tolerated; it would run on 2 nodes'],
      ['nodeSelector', 'would not run on 1 of 5 nodes (node-3): nodeSelector disktype=ssd: node has no label disktype; it would run on 2 nodes'],
    ]);
    expect(f[1]!.fix).toBe('if the daemon should run there, add the toleration {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}');
  });
  it('nodes excluded for the same reason are grouped', () => {
    const f = nodeCoverageFindings({ nodeSelector: { zone: 'a' }, tolerations: [{ operator: 'Exists' }] }, nodes);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toBe('would not run on 5 of 5 nodes (cp-1, node-1, node-2, node-3, node-4): nodeSelector zone=a: node has no label zone; it would run on no node at all');
  });
  it('nothing when every node is covered', () => {
    expect(nodeCoverageFindings({ tolerations: [{ operator: 'Exists' }] }, nodes)).toEqual([]);
  });
});
