/**
 * Several clusters in one kubeconfig, for the multi-cluster tests: every simulator's kubeconfig uses
 * the names ds-sim / ds-sim-admin / ds-sim-viewer, so each is renamed with a prefix (context "a",
 * "a-viewer", cluster "a", users "a-admin", "a-viewer") and all are merged into one file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

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
    const rename = (n: string) => (n === 'ds-sim' ? as : n.replace(/^ds-sim/, as));
    for (const c of kc.clusters) merged.clusters.push({ ...c, name: rename(c.name) });
    for (const u of kc.users) merged.users.push({ ...u, name: rename(u.name) });
    for (const c of kc.contexts) merged.contexts.push({ name: rename(c.name), context: { ...c.context!, cluster: rename(c.context!.cluster), user: rename(c.context!.user) } });
  }
  const path = join(mkdtempSync(join(tmpdir(), 'kds-multi-')), 'kubeconfig');
  writeFileSync(path, stringify(merged), { mode: 0o600 });
  return path;
}
