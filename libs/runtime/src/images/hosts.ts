/** Registry hosts config, containerd-style: mirrors per upstream domain, then the upstream. */
export interface RegistryConfig {
  /** Upstream domain (as in normalised refs, e.g. 'docker.io') → mirror URLs or host[:port], tried in order. */
  mirrors?: Record<string, string[]>;
  /** Upstream domain → the server to use instead of the domain itself (containerd hosts.toml `server`). */
  servers?: Record<string, string>;
  /** Hosts reached over plain HTTP, or HTTPS without certificate verification when the URL says https. */
  insecure?: string[];
  /** Credentials by host[:port]: basic (username/password) or a ready bearer token. */
  auths?: Record<string, RegistryCredentials>;
}

export interface RegistryCredentials {
  username?: string;
  password?: string;
  token?: string;
}

export interface RegistryEndpoint {
  /** Base URL without trailing slash; the API lives under `${url}/v2/`. */
  url: string;
  /** host[:port] of the URL, the key for `auths` and `insecure`. */
  host: string;
  mirror: boolean;
  /** Skip TLS certificate verification. */
  skipVerify: boolean;
}

/** Docker Hub's API host differs from the domain used in references. */
const UPSTREAM_HOST: Record<string, string> = { 'docker.io': 'registry-1.docker.io' };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

function toEndpoint(entry: string, mirror: boolean, insecure: Set<string>): RegistryEndpoint {
  const explicit = /^https?:\/\//.test(entry);
  const hostPart = explicit ? new URL(entry).host : entry.replace(/\/+$/, '');
  // Docker treats loopback registries as insecure by default; so do we.
  const plain = insecure.has(hostPart) || LOOPBACK.test(hostPart);
  const url = (explicit ? entry : `${plain ? 'http' : 'https'}://${entry}`).replace(/\/+$/, '').replace(/\/v2$/, '');
  return { url, host: hostPart, mirror, skipVerify: insecure.has(hostPart) };
}

/** The endpoints to try for a reference's domain: its mirrors in order, then the upstream. */
export function registryEndpoints(domain: string, config: RegistryConfig = {}): RegistryEndpoint[] {
  const insecure = new Set(config.insecure ?? []);
  const mirrors = (config.mirrors?.[domain] ?? []).map((m) => toEndpoint(m, true, insecure));
  const upstream = toEndpoint(config.servers?.[domain] ?? UPSTREAM_HOST[domain] ?? domain, false, insecure);
  return [...mirrors, upstream];
}

/**
 * The node's insecure host list: the hosts named insecure on its command line plus mirrors
 * written with an explicit `http://` (that scheme is itself the declaration of plain HTTP).
 * An `https://` mirror is not added: its certificate is verified unless it is declared.
 */
export function insecureHosts(mirrors: Record<string, string[]>, declared: string[]): string[] {
  const plain = Object.values(mirrors)
    .flat()
    .filter((u) => u.startsWith('http://'))
    .map((u) => new URL(u).host);
  return [...new Set([...declared, ...plain])];
}

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses the first challenge of a WWW-Authenticate header (RFC 7235), e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`.
 */
export function parseAuthChallenge(header: string): AuthChallenge | undefined {
  const m = /^\s*([A-Za-z][\w-]*)\s*/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  let rest = header.slice(m[0].length);
  const param = /^\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/;
  for (;;) {
    const p = param.exec(rest);
    if (!p) break;
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    rest = rest.slice(p[0].length);
  }
  return { scheme: m[1].toLowerCase(), params };
}

/** The token endpoint URL for a bearer challenge; `scope` defaults to pull access on `repository`. */
export function tokenUrl(challenge: AuthChallenge, repository: string): string {
  const realm = challenge.params.realm;
  if (!realm) throw new Error('bearer challenge without realm');
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? `repository:${repository}:pull`);
  return url.toString();
}
