// imagePullSecrets → registry credentials, as the kubelet's docker keyring reads them:
// `.dockerconfigjson` ({"auths": {...}}) or legacy `.dockercfg` (the auths map itself); each
// entry is keyed by a registry host with an optional path prefix and scheme; `auth` is
// base64("user:password"). The entry with the longest matching key wins; the docker.io
// aliases (index.docker.io/v1/, registry-1.docker.io) all mean docker.io.
import { parseReference, RegistryConfig, RegistryCredentials, registryEndpoints } from '@coxswain/runtime';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DOCKER_HUB = ['index.docker.io', 'registry-1.docker.io', 'docker.io'];

/** `https://index.docker.io/v1/` → `docker.io`; `reg:5000/team` stays. */
export function normalizeRegistryKey(key: string): string {
  let k = key.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
  if (k === 'index.docker.io/v1') k = 'docker.io';
  const [host, ...rest] = k.split('/');
  return [DOCKER_HUB.includes(host) ? 'docker.io' : host, ...rest].join('/');
}

function credentialsOf(entry: Obj): RegistryCredentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && entry.username !== '') return { username: entry.username, password: entry.password ?? '' };
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return { token: entry.identitytoken };
  return undefined;
}

/** The auths map of one Secret (dockerconfigjson or dockercfg); empty for other types. */
export function dockerAuthsOf(secret: Obj): Record<string, Obj> {
  const data = secret.data ?? {};
  const read = (key: string): Obj | undefined => {
    if (typeof data[key] !== 'string') return undefined;
    try {
      return JSON.parse(Buffer.from(data[key], 'base64').toString('utf8')) as Obj;
    } catch {
      return undefined;
    }
  };
  if (secret.type === 'kubernetes.io/dockerconfigjson') return read('.dockerconfigjson')?.auths ?? {};
  if (secret.type === 'kubernetes.io/dockercfg') return read('.dockercfg') ?? {};
  return {};
}

/** Credentials for an image from the pod's pull secrets (in their order), or undefined. */
export function credentialsForImage(image: string, secrets: Obj[]): RegistryCredentials | undefined {
  const ref = parseReference(image);
  const target = `${ref.domain}/${ref.path}`;
  let best: { length: number; creds: RegistryCredentials } | undefined;
  for (const secret of secrets) {
    for (const [key, entry] of Object.entries(dockerAuthsOf(secret))) {
      const prefix = normalizeRegistryKey(key);
      const matches = target === prefix || target.startsWith(`${prefix}/`);
      const creds = matches ? credentialsOf(entry) : undefined;
      if (creds && (!best || prefix.length > best.length)) best = { length: prefix.length, creds };
    }
  }
  return best?.creds;
}

/**
 * Makes the registry client use `creds` for every endpoint serving the image (its mirrors and
 * upstream), by writing them into the shared RegistryConfig the client reads at auth time.
 * Static credentials configured for a host stay as they are.
 */
export function registerPullCredentials(config: RegistryConfig, image: string, creds: RegistryCredentials): string[] {
  config.auths ??= {};
  const hosts = registryEndpoints(parseReference(image).domain, config).map((e) => e.host);
  for (const host of hosts) config.auths[host] = creds;
  return hosts;
}
