import { describe, expect, it } from 'vitest';
import { nodeEligibility, podTargetNode, tolerates, whyNot, type EligibilityNode, type SchedulingSpec, type Taint } from '../../src/core/eligibility.js';

// Expectations are written by hand from the DaemonSet controller's rules
// (NodeShouldRunDaemonPod, ToleratesTaint, component-helpers nodeaffinity).

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): EligibilityNode {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}
const verdict = (spec: SchedulingSpec, n: EligibilityNode) => {
  const e = nodeEligibility(spec, n);
  return [e.shouldRun, e.shouldContinueRunning, whyNot(e)];
};

describe('template nodeName', () => {
  it('runs only on the named node', () => {
    expect(verdict({ nodeName: 'node-7' }, node('node-7'))).toEqual([true, true, '']);
    expect(verdict({ nodeName: 'node-7' }, node('node-1'))).toEqual([false, false, 'template nodeName is node-7']);
  });
  it('nodeName decides alone: other rules are not reported for another node', () => {
    const e = nodeEligibility({ nodeName: 'node-7', nodeSelector: { disktype: 'ssd' } }, node('node-1'));
    expect(e.reasons.map((r) => r.rule)).toEqual(['nodeName']);
  });
});

describe('nodeSelector', () => {
  const spec = { nodeSelector: { disktype: 'ssd' } };
  it('matches an exact label', () => expect(verdict(spec, node('n', { disktype: 'ssd' }))).toEqual([true, true, '']));
  it('names a missing label', () => expect(verdict(spec, node('node-3'))).toEqual([false, false, 'nodeSelector disktype=ssd: node has no label disktype']));
  it('names a different value', () => expect(verdict(spec, node('n', { disktype: 'hdd' }))).toEqual([false, false, 'nodeSelector disktype=ssd: node has disktype=hdd']));
  it('every entry must match (ANDed), each failure reported', () => {
    expect(verdict({ nodeSelector: { disktype: 'ssd', zone: 'a' } }, node('n', { zone: 'b' }))[2]).toBe(
      'nodeSelector disktype=ssd: node has no label disktype; nodeSelector zone=a: node has zone=b',
    );
  });
  it('an empty value only matches an empty label', () => {
    expect(verdict({ nodeSelector: { gpu: '' } }, node('n', { gpu: '' }))[0]).toBe(true);
    expect(verdict({ nodeSelector: { gpu: '' } }, node('n'))[0]).toBe(false);
  });
});

const affinity = (...terms: object[]): SchedulingSpec => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } } },
});
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe('required node affinity', () => {
  it('In', () => {
    const s = affinity(expr('zone', 'In', ['a', 'b']));
    expect(verdict(s, node('n', { zone: 'b' }))).toEqual([true, true, '']);
    expect(verdict(s, node('n', { zone: 'c' }))).toEqual([false, false, 'required node affinity not matched (term 1: zone In [a,b])']);
    expect(verdict(s, node('n'))[0]).toBe(false);
  });
  it('NotIn matches a node without the label', () => {
    const s = affinity(expr('zone', 'NotIn', ['a']));
    expect(verdict(s, node('n'))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'b' }))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'a' }))[2]).toBe('required node affinity not matched (term 1: zone NotIn [a])');
  });
  it('Exists and DoesNotExist', () => {
    expect(verdict(affinity(expr('gpu', 'Exists')), node('n', { gpu: '' }))[0]).toBe(true);
    expect(verdict(affinity(expr('gpu', 'Exists')), node('n'))[2]).toBe('required node affinity not matched (term 1: gpu Exists)');
    expect(verdict(affinity(expr('gpu', 'DoesNotExist')), node('n'))[0]).toBe(true);
    expect(verdict(affinity(expr('gpu', 'DoesNotExist')), node('n', { gpu: 'x' }))[2]).toBe('required node affinity not matched (term 1: gpu DoesNotExist)');
  });
  it('Gt and Lt compare integers; a non-integer or missing label never matches', () => {
    expect(verdict(affinity(expr('cores', 'Gt', ['4'])), node('n', { cores: '8' }))[0]).toBe(true);
    expect(verdict(affinity(expr('cores', 'Gt', ['4'])), node('n', { cores: '4' }))[2]).toBe('required node affinity not matched (term 1: cores Gt 4)');
    expect(verdict(affinity(expr('cores', 'Lt', ['4'])), node('n', { cores: '3' }))[0]).toBe(true);
    expect(verdict(affinity(expr('cores', 'Lt', ['4'])), node('n', { cores: '-10' }))[0]).toBe(true);
    expect(verdict(affinity(expr('cores', 'Gt', ['4'])), node('n', { cores: 'eight' }))[0]).toBe(false);
    expect(verdict(affinity(expr('cores', 'Gt', ['4'])), node('n'))[0]).toBe(false);
  });
  it('expressions in a term are ANDed; the first failing one is named', () => {
    const s = affinity({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] });
    expect(verdict(s, node('n', { zone: 'a', gpu: 'x' }))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'a' }))[2]).toBe('required node affinity not matched (term 1: gpu Exists)');
  });
  it('terms are ORed; when none matches each is named', () => {
    const s = affinity(expr('zone', 'In', ['a', 'b']), expr('gpu', 'Exists'));
    expect(verdict(s, node('n', { gpu: 'x' }))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'a' }))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'c' }))[2]).toBe('required node affinity not matched (term 1: zone In [a,b]; term 2: gpu Exists)');
  });
  it('matchFields metadata.name In / NotIn', () => {
    const inTerm = affinity({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] });
    expect(verdict(inTerm, node('node-1'))[0]).toBe(true);
    expect(verdict(inTerm, node('node-2'))[2]).toBe('required node affinity not matched (term 1: metadata.name In [node-1])');
    const notIn = affinity({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] });
    expect(verdict(notIn, node('node-1'))[0]).toBe(false);
    expect(verdict(notIn, node('node-2'))[0]).toBe(true);
  });
  it('matchExpressions and matchFields in one term are ANDed', () => {
    const s = affinity({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] });
    expect(verdict(s, node('node-1', { zone: 'a' }))[0]).toBe(true);
    expect(verdict(s, node('node-2', { zone: 'a' }))[0]).toBe(false);
  });
  it('an empty term matches nothing, and a term that does not parse is ignored (others still count)', () => {
    expect(verdict(affinity({}), node('n'))[0]).toBe(false);
    const bad = affinity(expr('zone', 'In', []), expr('gpu', 'Exists'));
    expect(verdict(bad, node('n', { zone: 'a' }))[0]).toBe(false);
    expect(verdict(bad, node('n', { gpu: '1' }))[0]).toBe(true);
    expect(verdict(affinity(expr('cores', 'Gt', ['4', '5'])), node('n', { cores: '8' }))[0]).toBe(false);
    expect(verdict(affinity({ matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['x'] }] }), node('x'))[0]).toBe(false);
  });
  it('nodeSelector and affinity must both match', () => {
    const s = { nodeSelector: { disktype: 'ssd' }, ...affinity(expr('zone', 'In', ['a'])) };
    expect(verdict(s, node('n', { disktype: 'ssd', zone: 'a' }))[0]).toBe(true);
    expect(verdict(s, node('n', { zone: 'a' }))[2]).toBe('nodeSelector disktype=ssd: node has no label disktype');
    expect(verdict(s, node('n', { disktype: 'ssd' }))[2]).toBe('required node affinity not matched (term 1: zone In [a])');
  });
  it('preferred affinity is ignored', () => {
    const s = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } } as SchedulingSpec;
    expect(verdict(s, node('n'))[0]).toBe(true);
  });
});

const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('taints and tolerations', () => {
  it('an untolerated NoSchedule taint excludes the node but a running pod may stay', () => {
    expect(verdict({}, node('node-2', {}, [gpu]))).toEqual([false, true, 'taint dedicated=gpu:NoSchedule is not tolerated']);
    expect(verdict({}, node('cp-1', {}, [cp]))).toEqual([false, true, 'taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated']);
  });
  it('an untolerated NoExecute taint excludes the node and evicts (shouldContinueRunning false)', () => {
    expect(verdict({}, node('n', {}, [{ key: 'maintenance', effect: 'NoExecute' }]))).toEqual([false, false, 'taint maintenance:NoExecute is not tolerated']);
  });
  it('PreferNoSchedule is ignored', () => {
    expect(verdict({}, node('n', {}, [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }]))).toEqual([true, true, '']);
  });
  it('Equal matches key and value', () => {
    expect(verdict({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, node('n', {}, [gpu]))[0]).toBe(true);
    expect(verdict({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }] }, node('n', {}, [gpu]))[0]).toBe(false);
    expect(verdict({ tolerations: [{ key: 'dedicated', value: 'gpu' }] }, node('n', {}, [gpu]))[0]).toBe(true); // operator defaults to Equal
  });
  it('Exists matches any value of the key', () => {
    expect(verdict({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, node('n', {}, [gpu]))[0]).toBe(true);
  });
  it('an empty key with Exists tolerates every taint', () => {
    const all = { tolerations: [{ operator: 'Exists' }] };
    expect(verdict(all, node('n', {}, [gpu, cp, { key: 'x', effect: 'NoExecute' }]))).toEqual([true, true, '']);
  });
  it('an effect-less toleration covers both effects; an effect restricts it', () => {
    expect(verdict({ tolerations: [{ key: 'k', operator: 'Exists' }] }, node('n', {}, [{ key: 'k', effect: 'NoExecute' }]))[0]).toBe(true);
    expect(verdict({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] }, node('n', {}, [{ key: 'k', effect: 'NoExecute' }]))).toEqual([
      false,
      false,
      'taint k:NoExecute is not tolerated',
    ]);
  });
  it('every untolerated taint is named', () => {
    expect(verdict({}, node('n', {}, [cp, gpu]))[2]).toBe('taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated; taint dedicated=gpu:NoSchedule is not tolerated');
  });
  it('tolerates() follows ToleratesTaint', () => {
    expect(tolerates({ operator: 'Exists', effect: 'NoSchedule' }, gpu)).toBe(true);
    expect(tolerates({ operator: 'Exists', effect: 'NoExecute' }, gpu)).toBe(false);
    expect(tolerates({ key: 'dedicated', operator: 'Bogus' }, gpu)).toBe(false);
  });
});

describe('automatic daemon-pod tolerations', () => {
  it('cordoned nodes stay eligible (unschedulable taint tolerated; spec.unschedulable not read)', () => {
    const n = node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    n.spec!.unschedulable = true;
    expect(verdict({}, n)).toEqual([true, true, '']);
  });
  it('pressure taints are tolerated', () => {
    for (const k of ['disk-pressure', 'memory-pressure', 'pid-pressure']) {
      expect(verdict({}, node('n', {}, [{ key: `node.kubernetes.io/${k}`, effect: 'NoSchedule' }]))[0]).toBe(true);
    }
  });
  it('not-ready and unreachable: NoExecute tolerated, NoSchedule not (the node drops out, its pod stays)', () => {
    expect(verdict({}, node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]))[0]).toBe(true);
    expect(verdict({}, node('n', {}, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]))[0]).toBe(true);
    expect(verdict({}, node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]))).toEqual([
      false,
      true,
      'node is not ready (taint node.kubernetes.io/not-ready:NoSchedule)',
    ]);
    expect(
      verdict({}, node('n', {}, [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      ])),
    ).toEqual([false, true, 'node is unreachable (taint node.kubernetes.io/unreachable:NoSchedule)']);
  });
  it('a template toleration for not-ready keeps the NotReady node eligible', () => {
    const s = { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] };
    expect(verdict(s, node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]))[0]).toBe(true);
  });
  it('network-unavailable is tolerated only with hostNetwork', () => {
    const t: Taint = { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' };
    expect(verdict({}, node('n', {}, [t]))).toEqual([false, true, 'node network is unavailable (taint node.kubernetes.io/network-unavailable:NoSchedule)']);
    expect(verdict({ hostNetwork: true }, node('n', {}, [t]))[0]).toBe(true);
  });
});

describe('combinations', () => {
  it('the mixed scenario: nodeSelector disktype=ssd, no tolerations', () => {
    const s = { nodeSelector: { disktype: 'ssd' } };
    const nodes = [
      node('cp-1', { disktype: 'ssd', 'node-role.kubernetes.io/control-plane': '' }, [cp]),
      node('node-1', { disktype: 'ssd' }),
      node('node-2', { disktype: 'ssd' }, [gpu]),
      node('node-3'),
      node('node-4', { disktype: 'ssd' }),
      node('node-5', { disktype: 'ssd' }),
    ];
    expect(nodes.filter((n) => nodeEligibility(s, n).shouldRun).map((n) => n.metadata!.name)).toEqual(['node-1', 'node-4', 'node-5']);
  });
  it('a selector miss and a taint are both reported; the pod would be evicted only by the selector', () => {
    const e = nodeEligibility({ nodeSelector: { disktype: 'ssd' } }, node('n', {}, [gpu]));
    expect(e.reasons.map((r) => r.rule)).toEqual(['nodeSelector', 'taint']);
    expect(e.shouldContinueRunning).toBe(false);
    expect(e.reasons[1]!.taint).toEqual(gpu);
  });
});

describe('podTargetNode', () => {
  it('uses nodeName, else the controller matchFields term', () => {
    expect(podTargetNode({ spec: { nodeName: 'node-1' } })).toBe('node-1');
    const pending = { spec: affinity({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-4'] }] }) };
    expect(podTargetNode(pending)).toBe('node-4');
    expect(podTargetNode({ spec: {} })).toBeUndefined();
  });
});
