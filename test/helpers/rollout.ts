/** Parsers for kubectl's rollout output, shared by the rollout int and e2e tests. */

/** Non-empty lines. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** `kubectl rollout history` rows (REVISION, CHANGE-CAUSE); ours has more columns, split on 3+ spaces. */
export function historyRows(text: string): { revision: number; cause: string }[] {
  return lines(text)
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => {
      const m = /^(\d+)\s+(.*)$/.exec(l)!;
      return { revision: Number(m[1]), cause: m[2]!.trim() };
    });
}

export interface DsOpts {
  strategy?: string;
  cpu?: string;
  tolerateAll?: boolean;
  nodeSelector?: Record<string, string>;
  /** The container's command (a real crash-looping container on a cluster with real kubelets). */
  command?: string[];
}

/** A one-container DaemonSet (container `c`, label app=NAME, no grace period) as JSON for `kubectl apply -f -`. */
export function daemonSetManifest(name: string, image: string, o: DsOpts = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: o.strategy ?? 'RollingUpdate' },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.tolerateAll ? { tolerations: [{ operator: 'Exists' }] } : {}),
          containers: [{ name: 'c', image, ...(o.command ? { command: o.command } : {}), ...(o.cpu ? { resources: { requests: { cpu: o.cpu } } } : {}) }],
        },
      },
    },
  });
}
