// Patches as the API server applies them (src/sim/patch.ts): RFC 7386, RFC 6902 and strategic merge
// with the k8s.io/api patchMergeKey/patchStrategy of the kinds served. Expected objects by hand.
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/sim/patch.js';

const ds = () => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'x', labels: { a: '1' }, finalizers: ['f1'] },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: {
      metadata: { labels: { app: 'x' } },
      spec: {
        containers: [
          { name: 'main', image: 'img:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
          { name: 'side', image: 'side:1' },
        ],
        volumes: [{ name: 'v', hostPath: { path: '/var/log', type: '' } }],
        tolerations: [{ key: 't1', operator: 'Exists' }],
      },
    },
  },
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null, replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
  it('kubectl label node (merge patch of metadata.labels)', () => {
    const node = { metadata: { name: 'n', labels: { x: 'y' } } };
    expect(mergePatch(node, { metadata: { labels: { disktype: 'ssd' } } })).toEqual({ metadata: { name: 'n', labels: { x: 'y', disktype: 'ssd' } } });
    expect(mergePatch(node, { metadata: { labels: { x: null } } })).toEqual({ metadata: { name: 'n', labels: {} } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('add, replace, remove, move, copy and test', () => {
    const doc = { a: [1, 2], b: { c: 'x' } };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/a/-', value: 3 },
        { op: 'add', path: '/a/0', value: 0 },
        { op: 'replace', path: '/b/c', value: 'y' },
        { op: 'copy', from: '/b/c', path: '/d' },
        { op: 'move', from: '/d', path: '/e' },
        { op: 'remove', path: '/a/1' },
        { op: 'test', path: '/e', value: 'y' },
        { op: 'add', path: '/f~1g', value: true },
      ]),
    ).toEqual({ a: [0, 2, 3], b: { c: 'y' }, e: 'y', 'f/g': true });
    expect(doc).toEqual({ a: [1, 2], b: { c: 'x' } }); // the input is not changed
  });
  it('a failed test or a missing path is a 422', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/test failed/);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(/missing/);
    expect(() => jsonPatch({}, { op: 'add' })).toThrow();
  });
});

describe('strategic merge patch', () => {
  it('kubectl set image: merges containers by name, other fields kept', () => {
    const out = strategicMergePatch(ds(), { spec: { template: { spec: { containers: [{ name: 'main', image: 'img:2' }] } } } }, 'DaemonSet');
    const cs = out.spec.template.spec.containers;
    expect(cs.map((c: any) => [c.name, c.image])).toEqual([
      ['main', 'img:2'],
      ['side', 'side:1'],
    ]);
    expect(cs[0].env).toHaveLength(2);
    expect(cs[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('env by name, ports by containerPort, volumeMounts by mountPath, volumes by name', () => {
    const out = strategicMergePatch(
      ds(),
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'main',
                  env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }],
                  ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 9100 }],
                  volumeMounts: [{ mountPath: '/v', readOnly: true }],
                },
              ],
              volumes: [{ name: 'w', emptyDir: {} }],
            },
          },
        },
      },
      'DaemonSet',
    );
    const main = out.spec.template.spec.containers[0];
    expect(main.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(main.ports).toEqual([{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }, { containerPort: 9100 }]);
    expect(main.volumeMounts).toEqual([{ name: 'v', mountPath: '/v', readOnly: true }]);
    expect(out.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['v', 'w']);
  });

  it('tolerations (no patch strategy upstream) are replaced whole', () => {
    const out = strategicMergePatch(ds(), { spec: { template: { spec: { tolerations: [{ key: 't2', operator: 'Exists' }] } } } }, 'DaemonSet');
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 't2', operator: 'Exists' }]);
  });

  it('node taints (no patch strategy) are replaced whole: kubectl taint sends the full list', () => {
    const node = { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } };
    expect(strategicMergePatch(node, { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', value: 'c', effect: 'NoExecute' }] } }, 'Node').spec.taints).toHaveLength(2);
    expect(strategicMergePatch(node, { spec: { taints: null } }, 'Node').spec).toEqual({});
  });

  it('kubectl cordon: spec.unschedulable', () => {
    expect(strategicMergePatch({ metadata: { name: 'n' }, spec: {} }, { spec: { unschedulable: true } }, 'Node').spec).toEqual({ unschedulable: true });
    expect(strategicMergePatch({ metadata: { name: 'n' }, spec: { unschedulable: true } }, { spec: { unschedulable: null } }, 'Node').spec).toEqual({});
  });

  it('kubectl rollout undo: $patch replace on the template', () => {
    const tpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'main', image: 'img:0' }] } };
    const out = strategicMergePatch(ds(), { spec: { template: { $patch: 'replace', ...tpl } } }, 'DaemonSet');
    expect(out.spec.template).toEqual(tpl);
    expect(out.spec.selector).toEqual({ matchLabels: { app: 'x' } });
  });

  it('$patch delete removes a list element by key, or a map', () => {
    const out = strategicMergePatch(ds(), { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, 'DaemonSet');
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['main']);
    const out2 = strategicMergePatch(ds(), { spec: { template: { spec: { $patch: 'delete' } } } }, 'DaemonSet');
    expect(out2.spec.template.spec).toBeUndefined();
  });

  it('$patch replace inside a merging list replaces the list', () => {
    const out = strategicMergePatch(ds(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } } } }, 'DaemonSet');
    expect(out.spec.template.spec.containers).toEqual([{ name: 'only', image: 'o:1' }]);
  });

  it('$setElementOrder orders the merged list as kubectl apply asks', () => {
    const out = strategicMergePatch(
      ds(),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }], containers: [{ name: 'side', image: 'side:2' }] } } } },
      'DaemonSet',
    );
    expect(out.spec.template.spec.containers.map((c: any) => `${c.name}:${c.image}`)).toEqual(['side:side:2', 'main:img:1']);
  });

  it('$deleteFromPrimitiveList and merging primitive lists (finalizers)', () => {
    expect(strategicMergePatch(ds(), { metadata: { finalizers: ['f2'] } }, 'DaemonSet').metadata.finalizers).toEqual(['f1', 'f2']);
    expect(strategicMergePatch(ds(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] } }, 'DaemonSet').metadata.finalizers).toBeUndefined();
  });

  it('$retainKeys keeps only the listed fields of a volume', () => {
    const out = strategicMergePatch(ds(), { spec: { template: { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }] } } } }, 'DaemonSet');
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'v', emptyDir: {} }]);
  });

  it('null deletes a field; annotations merge (kubectl rollout restart)', () => {
    const out = strategicMergePatch(ds(), { metadata: { labels: { a: null } }, spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } } } } }, 'DaemonSet');
    expect(out.metadata.labels).toEqual({});
    expect(out.spec.template.metadata).toEqual({ labels: { app: 'x' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } });
  });

  it('node conditions merge by type (status patches)', () => {
    const node = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'False' }] } };
    const out = strategicMergePatch(node, { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, 'Node');
    expect(out.status.conditions).toEqual([
      { type: 'Ready', status: 'Unknown' },
      { type: 'DiskPressure', status: 'False' },
    ]);
  });

  it('a list element without its merge key is a 400', () => {
    expect(() => strategicMergePatch(ds(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 'DaemonSet')).toThrow(/does not contain declared merge key: name/);
  });
});

describe('removalsPatch (server-side apply by one manager)', () => {
  it('nulls dropped fields and deletes dropped list elements by key', async () => {
    const { removalsPatch } = await import('../../src/sim/patch.js');
    const prev = { metadata: { labels: { a: '1', b: '2' } }, spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'main', image: 'x', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 'y' }] } } } };
    const next = { metadata: { labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'main', image: 'x' }] } } } };
    expect(removalsPatch(prev, next, 'DaemonSet')).toEqual({
      metadata: { labels: { b: null } },
      spec: { template: { spec: { hostNetwork: null, containers: [{ env: null, name: 'main' }, { name: 'side', $patch: 'delete' }] } } },
    });
  });
});
