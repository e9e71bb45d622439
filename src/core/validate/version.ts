/** Kubernetes minor versions as the rules need them: "1.20", "v1.32.4", "1.21.0-gke.1" -> {major: 1, minor: N}. */
export interface KubeVersion {
  major: number;
  minor: number;
}

/** The release the rules use when neither --kubernetes-version nor --live says otherwise. */
export const DEFAULT_KUBERNETES_VERSION = '1.32';
/** The oldest release whose rules are modelled (older servers are out of support since 2022). */
export const OLDEST_KUBERNETES_VERSION = '1.20';

export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function formatKubeVersion(v: KubeVersion): string {
  return `${v.major}.${v.minor}`;
}

/** a < b ? -1 : a > b ? 1 : 0 */
export function compareKubeVersion(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** Is v at least "1.N"? */
export function atLeast(v: KubeVersion, minor: string): boolean {
  return compareKubeVersion(v, parseKubeVersion(minor)!) >= 0;
}
