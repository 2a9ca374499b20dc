// The `/version` body. Coxswain speaks the Kubernetes 1.30 API surface, so it reports 1.30:
// kubectl 1.29–1.31 are within the supported ±1 minor skew, and kubectl dispatchers that pick
// a client by server version choose 1.30.

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: 'clean' | 'dirty';
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBERNETES_MAJOR = '1';
export const KUBERNETES_MINOR = '30';
export const GIT_VERSION = `v${KUBERNETES_MAJOR}.${KUBERNETES_MINOR}.0-coxswain`;

export interface VersionOptions {
  /** Commit the server was built from (40 hex digits); zeros when unknown. */
  gitCommit?: string;
  /** RFC 3339 build time, seconds precision, UTC. */
  buildDate?: string;
  /** `linux/amd64`; Node's names are translated (x64 → amd64). */
  platform?: string;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/** Translates Node's `process.platform`/`process.arch` into Go's `GOOS/GOARCH`. */
export function goPlatform(platform: string, arch: string): string {
  return `${platform}/${GOARCH[arch] ?? arch}`;
}

export function versionInfo(options: VersionOptions = {}): VersionInfo {
  return {
    major: KUBERNETES_MAJOR,
    minor: KUBERNETES_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: options.gitCommit ?? '0'.repeat(40),
    gitTreeState: 'clean',
    buildDate: options.buildDate ?? '1970-01-01T00:00:00Z',
    // The Go release Kubernetes 1.30.0 was built with; clients only display it.
    goVersion: 'go1.22.2',
    compiler: 'gc',
    platform: options.platform ?? 'linux/amd64',
  };
}
