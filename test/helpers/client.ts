// For tests that call the API client (src/kube/client.ts) in-process: the global flags, and a
// kubeconfig with one cluster and one user.
import { writeFileSync } from 'node:fs';
import type { Globals } from '../../src/cli/globals.js';

/** The global flags as parsed with none given (a 10 s request timeout), with `o` on top. */
export function globals(o: Partial<Globals> = {}): Globals {
  return { contexts: [], allContexts: false, parallel: 1, requestTimeoutMs: 10_000, color: false, verbosity: 0, ...o };
}

/**
 * Writes `file`: a kubeconfig (as JSON, which is YAML) with cluster "c", user "u" and the current context
 * "ctx" joining them. Relative paths in the entries are read against the file's directory. Returns `file`.
 */
export function writeKubeconfig(file: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}
