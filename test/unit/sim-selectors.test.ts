// The simulator's own selectors (src/sim/selectors.ts), against the rules of apimachinery's
// labels.Parse / LabelSelectorAsSelector and the API server's field selectors. Expected values by hand.
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, fromLabelSelector, matches, matchesFields, parseFieldSelector, parseLabelSelector } from '../../src/sim/selectors.js';
import { StatusError, type KObj } from '../../src/sim/store.js';

const sel = (s: string) => parseLabelSelector(s);
const m = (s: string, labels: Record<string, string>) => matches(sel(s), labels);

describe('label selector strings', () => {
  it('empty matches everything', () => {
    expect(m('', {})).toBe(true);
    expect(m('  ', { a: 'b' })).toBe(true);
  });

  it('equality and inequality', () => {
    expect(m('app=web', { app: 'web' })).toBe(true);
    expect(m('app==web', { app: 'web' })).toBe(true);
    expect(m('app=web', { app: 'db' })).toBe(false);
    expect(m('app=web', {})).toBe(false);
    expect(m('app!=web', { app: 'db' })).toBe(true);
    expect(m('app!=web', {})).toBe(true); // != holds when the key is absent
    expect(m('app!=web', { app: 'web' })).toBe(false);
  });

  it('set-based requirements', () => {
    expect(m('env in (prod, staging)', { env: 'staging' })).toBe(true);
    expect(m('env in (prod,staging)', { env: 'dev' })).toBe(false);
    expect(m('env notin (prod)', {})).toBe(true);
    expect(m('env notin (prod)', { env: 'prod' })).toBe(false);
    expect(m('gpu', { gpu: '' })).toBe(true);
    expect(m('gpu', {})).toBe(false);
    expect(m('!gpu', {})).toBe(true);
    expect(m('!gpu', { gpu: 'x' })).toBe(false);
  });

  it('ANDs every requirement, with keys that have prefixes', () => {
    const labels = { 'app.kubernetes.io/name': 'fluentd', tier: 'node' };
    expect(m('app.kubernetes.io/name=fluentd,tier=node', labels)).toBe(true);
    expect(m('app.kubernetes.io/name=fluentd,tier=web', labels)).toBe(false);
    expect(m('app.kubernetes.io/name in (fluentd),!legacy', labels)).toBe(true);
  });

  it('gt and lt compare integers', () => {
    expect(m('gen>3', { gen: '4' })).toBe(true);
    expect(m('gen>3', { gen: '3' })).toBe(false);
    expect(m('gen<3', { gen: 'x' })).toBe(false);
  });

  it('empty values are allowed', () => {
    expect(m('role=', { role: '' })).toBe(true);
  });

  it('malformed selectors are 400 BadRequest "unable to parse requirement"', () => {
    for (const bad of ['a in (b', 'a in b', '=b', 'a=b,', 'a b', 'Bad Key=x', 'a=b c']) {
      let err: unknown;
      try {
        sel(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(400);
      expect((err as StatusError).reason).toBe('BadRequest');
      expect((err as StatusError).message).toMatch(/^unable to parse requirement: /);
    }
    expect(() => sel('a in (b')).toThrow("unable to parse requirement: found '', expected: ',' or ')'");
  });
});

describe('metav1.LabelSelector', () => {
  it('nil matches nothing, empty matches everything', () => {
    expect(matches(fromLabelSelector(null), { a: 'b' })).toBe(false);
    expect(matches(fromLabelSelector(undefined), {})).toBe(false);
    expect(matches(fromLabelSelector({}), { a: 'b' })).toBe(true);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const s = fromLabelSelector({ matchLabels: { app: 'x' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }, { key: 'gpu', operator: 'DoesNotExist' }] });
    expect(matches(s, { app: 'x' })).toBe(true);
    expect(matches(s, { app: 'x', zone: 'b' })).toBe(true);
    expect(matches(s, { app: 'x', zone: 'a' })).toBe(false);
    expect(matches(s, { app: 'x', gpu: '1' })).toBe(false);
    expect(matches(s, { app: 'y' })).toBe(false);
  });

  it('an unknown operator matches nothing (the conversion fails upstream)', () => {
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'in', values: ['b'] }] }), { a: 'b' })).toBe(false);
  });

  it('prints as the printers do', () => {
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['y', 'x'] }, { key: 'e', operator: 'Exists' }, { key: 'n', operator: 'DoesNotExist' }] })).toBe(
      'k in (x,y),e,!n',
    );
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(null)).toBe('<none>');
  });
});

describe('field selectors', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'ns1' }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' } } as KObj;

  it('metadata.name, metadata.namespace and spec.nodeName', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=p1', 'Pod'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name==p2', 'Pod'), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector('spec.nodeName=node-1,metadata.namespace=ns1', 'Pod'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName!=node-1', 'Pod'), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector('spec.nodeName=', 'Pod'), { ...pod, spec: {} })).toBe(true);
  });

  it('the event fields kubectl describe sends', () => {
    const ev = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'd' }, involvedObject: { kind: 'DaemonSet', name: 'x', namespace: 'd', uid: 'u1' } } as KObj;
    const q = 'involvedObject.namespace=d,involvedObject.kind=DaemonSet,involvedObject.uid=u1,involvedObject.name=x';
    expect(matchesFields(parseFieldSelector(q, 'Event'), ev)).toBe(true);
    expect(matchesFields(parseFieldSelector(q.replace('u1', 'u2'), 'Event'), ev)).toBe(false);
  });

  it('unknown fields are 400 "field label not supported"', () => {
    expect(() => parseFieldSelector('spec.foo=b', 'Pod')).toThrow('field label not supported: spec.foo');
    expect(() => parseFieldSelector('spec.nodeName=b', 'DaemonSet')).toThrow('field label not supported: spec.nodeName');
  });
});
