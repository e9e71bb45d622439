/**
 * PLACEHOLDER until the sim-ctl branch lands: the simulated controllers (DaemonSet controller,
 * scheduler, kubelet, node lifecycle) start here. This stub does nothing; sim-ctl replaces this file
 * and keeps the interface.
 */
import type { Store } from '../store.js';

export interface ControllerOptions {
  /** How long a stopped node keeps Ready before it turns NotReady/Unknown (default: the controllers'). */
  nodeNotReadyAfterMs?: number;
}

export interface Controllers {
  stop(): void;
  /** Resolves when every controller is idle. */
  settle(): Promise<void>;
}

export function startControllers(_store: Store, _opts: ControllerOptions = {}): Controllers {
  return { stop() {}, settle: async () => {} };
}
