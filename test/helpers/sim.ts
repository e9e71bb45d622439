/**
 * Starts the simulator in this process on a free port, with a kubeconfig in a temp directory, for
 * tests that run the built CLI or the real kubectl against it:
 *
 *   const s = await startSim({ scenario: 'mixed' });
 *   await kds(['coverage', 'x'], { env: testEnv({ KUBECONFIG: s.kubeconfig }) });
 *   await s.stop();
 *
 * `s.sim` is the SimHandle (src/sim/cluster.ts): store, addNode/stopNode/startNode/removeNode, settle(),
 * faults, requests. The kubeconfig has contexts `ds-sim` (current, admin) and `ds-sim-viewer` (read-only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type ClusterOptions, type SimHandle } from '../../src/sim/cluster.js';

export type { SimHandle } from '../../src/sim/cluster.js';

export interface StartedSim {
  /** Path of the kubeconfig file. */
  kubeconfig: string;
  url: string;
  sim: SimHandle;
  stop(): Promise<void>;
}

export async function startSim(opts: Omit<ClusterOptions, 'port'> = {}): Promise<StartedSim> {
  const sim = await startCluster({ scenario: 'mixed', ...opts, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'kds-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  return {
    kubeconfig,
    url: sim.url,
    sim,
    stop: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
