/** ../shared/realk8s for the e2e tier: its nodes.sh, and whether a cluster's nodes are run by a fake kubelet. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** nodes.sh adds, stops and removes nodes kept alive by realk8s's fake kubelet (KUBECTL_DS_E2E_NODES_SH overrides). */
export const nodesSh: string | undefined = [
  process.env.KUBECTL_DS_E2E_NODES_SH,
  join(ROOT, '..', 'shared', 'realk8s', 'nodes.sh'),
  join(ROOT, '..', '..', 'shared', 'realk8s', 'nodes.sh'),
].find((f): f is string => !!f && existsSync(f));

/**
 * The runtime every node reports: realk8s's fake kubelet says `fake://`, the simulator `sim://`. Both give
 * pods their status from the image name ("notfound" cannot be pulled, "crash" crash-loops); real kubelets
 * run the image.
 */
export function runtimeOf(nodes: { items: { status?: { nodeInfo?: { containerRuntimeVersion?: string } } }[] }): 'fake' | 'sim' | 'real' {
  const rts = nodes.items.map((n) => String(n.status?.nodeInfo?.containerRuntimeVersion ?? ''));
  if (rts.length && rts.every((r) => r.startsWith('fake://'))) return 'fake';
  if (rts.length && rts.every((r) => r.startsWith('sim://'))) return 'sim';
  return 'real';
}
