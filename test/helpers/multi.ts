/**
 * Several clusters in one kubeconfig, for the multi-cluster tests: every simulator's kubeconfig uses
 * the names ds-sim / ds-sim-admin / ds-sim-viewer, so each file's names are renamed after the new name
 * given for it (its current context "ds-sim" -> "a", "ds-sim-viewer" -> "a-viewer", user
 * "ds-sim-admin" -> "a-admin"; a name that does not start with the current context's gets "a-" in
 * front) and all are merged into one file. File paths inside (certificate-authority) must be absolute.
 *
 * Also: a DaemonSet's status as the controller writes it, for simulators started without controllers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { SimHandle } from '../../src/sim/cluster.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  context?: T;
}

/** Merges kubeconfig files; `files` maps the new name of each file's cluster to the file. Returns the merged file's path. */
export function mergeKubeconfigs(files: Record<string, string>, current?: string): string {
  const merged = { apiVersion: 'v1', kind: 'Config', clusters: [] as Named<unknown>[], users: [] as Named<unknown>[], contexts: [] as Named<{ cluster: string; user: string; namespace?: string }>[], 'current-context': current ?? Object.keys(files)[0] };
  for (const [as, file] of Object.entries(files)) {
    const kc = parse(readFileSync(file, 'utf8')) as typeof merged;
    const cur = (kc as { 'current-context': string })['current-context'];
    const rename = (n: string) => (n === cur ? as : n.startsWith(`${cur}-`) ? as + n.slice(cur.length) : `${as}-${n}`);
    for (const c of kc.clusters) merged.clusters.push({ ...c, name: rename(c.name) });
    for (const u of kc.users) merged.users.push({ ...u, name: rename(u.name) });
    for (const c of kc.contexts) merged.contexts.push({ name: rename(c.name), context: { ...c.context!, cluster: rename(c.context!.cluster), user: rename(c.context!.user) } });
  }
  const path = join(mkdtempSync(join(tmpdir(), 'kds-multi-')), 'kubeconfig');
  writeFileSync(path, stringify(merged), { mode: 0o600 });
  return path;
}

export function dsManifest(name: string, image: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image }] } },
      ...extra,
    },
  };
}

type Store = SimHandle['store'];

/** A DaemonSet's status as the controller writes it (observedGeneration = generation). Only for simulators without the controller. */
export function writeDaemonSetStatus(store: Store, namespace: string, name: string, status: Record<string, number>): void {
  const ds = store.get('DaemonSet', namespace, name)!;
  store.update('DaemonSet', { ...ds, status: { observedGeneration: ds.metadata.generation, ...status } } as never);
}
