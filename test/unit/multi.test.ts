/** The pure parts of working on several clusters: the rollout verdict over clusters and the DaemonSets of a manifest. */
import { describe, expect, it } from 'vitest';
import { crossClusterError, crossClusterVerdict } from '../../src/core/rollout.js';
import { daemonSetsIn, ManifestError, parseManifests } from '../../src/core/from-deployment.js';

describe('crossClusterVerdict', () => {
  it('is done only when every cluster completed (or was evaluated with --watch=false)', () => {
    expect(crossClusterVerdict([{ cluster: 'a', outcome: 'complete' }, { cluster: 'b', outcome: 'progressing' }])).toEqual({ done: true, blocking: [] });
  });
  it('names each cluster that blocks with its nodes or its error, in the order given', () => {
    const v = crossClusterVerdict([
      { cluster: 'a', outcome: 'complete' },
      { cluster: 'b', outcome: 'stalled', error: 'exceeded its progress deadline', blocking: [{ node: 'n3', reason: 'ImagePullBackOff' }, { node: 'n4', reason: 'no pod yet' }] },
      { cluster: 'c', error: 'cannot talk to https://c' },
      { cluster: 'd', outcome: 'deleted', error: 'object has been deleted' },
    ]);
    expect(v.done).toBe(false);
    expect(v.blocking).toEqual([
      { cluster: 'b', nodes: ['n3', 'n4'], error: 'exceeded its progress deadline' },
      { cluster: 'c', nodes: [], error: 'cannot talk to https://c' },
      { cluster: 'd', nodes: [], error: 'object has been deleted' },
    ]);
    expect(crossClusterError('fluentd', 4, v.blocking)).toBe(
      'rollout of daemon set "fluentd" not finished on 3 of 4 clusters: b (nodes n3, n4; exceeded its progress deadline), c (cannot talk to https://c), d (object has been deleted)',
    );
  });
  it('shortens a long node list', () => {
    const nodes = Array.from({ length: 9 }, (_, i) => `n${i}`);
    expect(crossClusterError('x', 1, [{ cluster: 'a', nodes }])).toBe('rollout of daemon set "x" not finished on 1 of 1 cluster: a (nodes n0, n1, n2, n3, n4, n5, ... (9))');
  });
});

describe('daemonSetsIn', () => {
  const ds = (name: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\nspec: {}\n`;
  it('keeps the DaemonSets of several documents and of a List, in order', () => {
    const text = `${ds('a')}---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: b}}\n`;
    expect(daemonSetsIn(parseManifests(text, 'f.yaml'), 'f.yaml').map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b']);
  });
  it('refuses other kinds, an old apiVersion, a missing name and an empty file, naming them', () => {
    const other = `${ds('a')}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n`;
    expect(() => daemonSetsIn(parseManifests(other, 'f.yaml'), 'f.yaml')).toThrow(/f\.yaml: found Service "s": kubectl ds sends only DaemonSets/);
    expect(() => daemonSetsIn(parseManifests('apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: x}\n', 'f'), 'f')).toThrow(/DaemonSet of apiVersion extensions\/v1beta1/);
    expect(() => daemonSetsIn(parseManifests('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {}\n', 'f'), 'f')).toThrow(/has no metadata\.name/);
    expect(() => daemonSetsIn(parseManifests('', 'f'), 'f')).toThrow(ManifestError);
  });
});

describe('drift across API server versions', () => {
  it('a v1.20 server without maxSurge is not drift against a newer one that defaulted it to 0; a real surge is', async () => {
    const { compareDaemonSets } = await import('../../src/core/drift.js');
    const ds = (rollingUpdate: Record<string, unknown>) => ({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate } } });
    expect(compareDaemonSets([{ cluster: 'old', daemonSet: ds({ maxUnavailable: 1 }) }, { cluster: 'new', daemonSet: ds({ maxUnavailable: 1, maxSurge: 0 }) }]).same).toBe(true);
    const r = compareDaemonSets([{ cluster: 'old', daemonSet: ds({ maxUnavailable: 1 }) }, { cluster: 'new', daemonSet: ds({ maxUnavailable: 0, maxSurge: 1 }) }]);
    expect(r.differences.map((d) => [d.path, d.values.map((v) => v.value)])).toEqual([
      ['spec.updateStrategy.rollingUpdate.maxSurge', [undefined, '1']],
      ['spec.updateStrategy.rollingUpdate.maxUnavailable', ['1', '0']],
    ]);
  });
});
