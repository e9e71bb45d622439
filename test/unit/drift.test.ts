import { describe, expect, it } from 'vitest';
import { compareDaemonSets, type DaemonSetLike } from '../../src/core/drift.js';

function ds(image: string, extra: Partial<NonNullable<DaemonSetLike['spec']>> = {}, tolerations?: unknown[]): DaemonSetLike {
  return {
    metadata: { name: 'fluentd', namespace: 'logging' },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'fluentd' } },
        spec: {
          containers: [
            { name: 'fluentd', image, resources: {} },
            { name: 'sidecar', image: 'busybox:1.36' },
          ],
          ...(tolerations ? { tolerations } : {}),
        },
      },
      ...extra,
    },
  };
}

describe('drift across clusters', () => {
  it('finds nothing when the copies are equal, whatever the order of containers or empty fields', () => {
    const a = ds('fluentd:v1');
    const b = ds('fluentd:v1');
    (b.spec!.template!.spec as { containers: unknown[] }).containers.reverse();
    const r = compareDaemonSets([{ cluster: 'a', daemonSet: a }, { cluster: 'b', daemonSet: b }]);
    expect(r).toEqual({ present: ['a', 'b'], absent: [], differences: [], same: true });
  });

  it('names the field that differs, keyed by container name, with every value', () => {
    const r = compareDaemonSets([
      { cluster: 'a', daemonSet: ds('fluentd:v1') },
      { cluster: 'b', daemonSet: ds('fluentd:v2') },
      { cluster: 'c', daemonSet: ds('fluentd:v1') },
    ]);
    expect(r.same).toBe(false);
    expect(r.differences).toEqual([
      {
        path: 'spec.template.spec.containers[fluentd].image',
        values: [
          { cluster: 'a', value: 'fluentd:v1' },
          { cluster: 'b', value: 'fluentd:v2' },
          { cluster: 'c', value: 'fluentd:v1' },
        ],
      },
    ]);
  });

  it('reports a field set on one cluster only, and strategy and toleration changes', () => {
    const r = compareDaemonSets([
      { cluster: 'a', daemonSet: ds('x:1', { minReadySeconds: 10 }, [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]) },
      { cluster: 'b', daemonSet: ds('x:1', { updateStrategy: { type: 'OnDelete' } }) },
    ]);
    expect(r.differences.map((d) => [d.path, d.values.map((v) => v.value)])).toEqual([
      ['spec.minReadySeconds', ['10', undefined]],
      ['spec.template.spec.tolerations[dedicated:Exists:NoSchedule].effect', ['NoSchedule', undefined]],
      ['spec.template.spec.tolerations[dedicated:Exists:NoSchedule].key', ['dedicated', undefined]],
      ['spec.template.spec.tolerations[dedicated:Exists:NoSchedule].operator', ['Exists', undefined]],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable', ['1', undefined]],
      ['spec.updateStrategy.type', ['RollingUpdate', 'OnDelete']],
    ]);
  });

  it('is not the same when a cluster lacks the DaemonSet', () => {
    const r = compareDaemonSets([{ cluster: 'a', daemonSet: ds('x:1') }, { cluster: 'b' }]);
    expect(r).toMatchObject({ present: ['a'], absent: ['b'], differences: [], same: false });
  });
});
