/**
 * The version of kubectl-ds, and the User-Agent it sends. The build (.ci/build.mjs) replaces
 * __KDS_VERSION__ with package.json's version; from sources (tests) it reads "0.0.0-dev".
 */
declare const __KDS_VERSION__: string | undefined;

export const VERSION: string = typeof __KDS_VERSION__ === 'string' ? __KDS_VERSION__ : '0.0.0-dev';

/** Go's names for Node's process.arch values, as kubectl reports them. */
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

/**
 * kubectl's User-Agent form (`kubectl/v1.32.0 (linux/amd64) kubernetes/<commit>`) without the commit:
 * `kubectl-ds/v0.1.0 (linux/amd64)`. The API server names the field manager of a write without
 * ?fieldManager after the part before the first "/" ("kubectl-ds"), and audit logs show it whole.
 */
export function userAgent(platform: string = process.platform, arch: string = process.arch): string {
  return `kubectl-ds/v${VERSION} (${platform === 'win32' ? 'windows' : platform}/${GOARCH[arch] ?? arch})`;
}
