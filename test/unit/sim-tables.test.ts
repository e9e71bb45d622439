// Server-side printing in the simulator (src/sim/tables.ts): apimachinery's HumanDuration and the
// printers' STATUS/READY logic for pods and nodes. Expected strings by hand from printers.go's rules.
import { describe, expect, it } from 'vitest';
import type { KObj } from '../../src/sim/store.js';
import { humanDuration, podReadyAndStatus, toTable } from '../../src/sim/tables.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (the AGE column)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 5 * S, '2m5s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [8 * D, '8d'],
    [2 * 365 * D + 3 * D, '2y3d'],
    [9 * 365 * D, '9y'],
  ])('%d ms is %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

const pod = (status: Record<string, unknown>, extra: Partial<KObj['metadata']> = {}, containers = 1): KObj =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...extra },
    spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}` })), initContainers: [{ name: 'init' }] },
    status,
  }) as KObj;

describe('pod READY / STATUS / RESTARTS', () => {
  it('running and ready', () => {
    expect(podReadyAndStatus(pod({ phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2, state: { running: {} } }] }))).toEqual({ ready: '1/1', status: 'Running', restarts: 2 });
  });
  it('a waiting container names its reason', () => {
    expect(podReadyAndStatus(pod({ phase: 'Pending', containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] })).status).toBe('ImagePullBackOff');
    expect(podReadyAndStatus(pod({ phase: 'Running', containerStatuses: [{ ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }))).toEqual({ ready: '0/1', status: 'CrashLoopBackOff', restarts: 4 });
  });
  it('terminated without a reason shows the exit code or signal', () => {
    expect(podReadyAndStatus(pod({ phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] })).status).toBe('ExitCode:3');
    expect(podReadyAndStatus(pod({ phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] })).status).toBe('Signal:9');
  });
  it('init containers: Init:N/M, Init:<reason>', () => {
    expect(podReadyAndStatus(pod({ phase: 'Pending', initContainerStatuses: [{ state: { running: {} } }] })).status).toBe('Init:0/1');
    expect(podReadyAndStatus(pod({ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'ErrImagePull' } } }] })).status).toBe('Init:ErrImagePull');
    expect(podReadyAndStatus(pod({ phase: 'Running', initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }], containerStatuses: [{ ready: true, state: { running: {} } }] })).status).toBe('Running');
  });
  it('a pod being deleted is Terminating; an unscheduled pod is Pending', () => {
    expect(podReadyAndStatus(pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' })).status).toBe('Terminating');
    expect(podReadyAndStatus(pod({ phase: 'Pending' }, {}, 2))).toEqual({ ready: '0/2', status: 'Pending', restarts: 0 });
  });
});

describe('node rows', () => {
  const node = (labels: Record<string, string>, ready: string | undefined, unschedulable = false): KObj =>
    ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n', labels, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: unschedulable ? { unschedulable: true } : {},
      status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [], nodeInfo: { kubeletVersion: 'v1.30.0' } },
    }) as KObj;
  const cells = (n: KObj) => toTable('Node', [n], { include: 'None', listMeta: {}, now: Date.parse('2026-01-01T00:05:00Z') }).rows[0].cells;

  it('STATUS: Ready, NotReady (also for Unknown), Unknown without a condition, SchedulingDisabled', () => {
    expect(cells(node({}, 'True')).slice(1, 2)).toEqual(['Ready']);
    expect(cells(node({}, 'False'))[1]).toBe('NotReady');
    expect(cells(node({}, 'Unknown'))[1]).toBe('NotReady');
    expect(cells(node({}, undefined))[1]).toBe('Unknown');
    expect(cells(node({}, 'True', true))[1]).toBe('Ready,SchedulingDisabled');
  });
  it('ROLES from node-role.kubernetes.io/* and kubernetes.io/role, AGE, VERSION, wide <none>/<unknown>', () => {
    expect(cells(node({ 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': 'x' }, 'True'))).toEqual([
      'n', 'Ready', 'edge,worker', '5m', 'v1.30.0', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>',
    ]);
  });
});
