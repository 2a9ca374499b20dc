// Reads the Secrets and ConfigMaps a pod references, one GET by name each (all the node
// authorizer lets a node do), cached for a short TTL so env resolution, volume setup and the
// periodic refresh of mounted volumes share requests. 404 reads as "does not exist" (null).
import { ConfigMap, ConfigReferences, Secret } from '@coxswain/api/browser';
import { ApiError, BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { ConfigObjects } from '../env/resolve-env';

type ConfigObject = ConfigMap | Secret;

interface Entry {
  at: number;
  value: Promise<ConfigObject | null>;
}

export class ConfigFetcher {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly client: Pick<KubeClient, 'get'>,
    private readonly ttlMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  private fetch(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Promise<ConfigObject | null> {
    const key = `${kind}/${namespace}/${name}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.client.get<ConfigObject & { metadata: { name?: string } }>(kind === 'ConfigMap' ? R.ConfigMap : R.Secret, name, { namespace }).then((obj) => obj as ConfigObject).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 404) return null;
      this.cache.delete(key); // do not remember failures
      throw error;
    });
    this.cache.set(key, { at: this.now(), value });
    return value;
  }

  async objects(namespace: string, refs: ConfigReferences): Promise<ConfigObjects> {
    const [configMaps, secrets] = await Promise.all([
      Promise.all([...refs.configMaps].map(async (n) => [n, (await this.fetch('ConfigMap', namespace, n)) as ConfigMap | null] as const)),
      Promise.all([...refs.secrets].map(async (n) => [n, (await this.fetch('Secret', namespace, n)) as Secret | null] as const)),
    ]);
    return { configMaps: new Map(configMaps), secrets: new Map(secrets) };
  }

  /** Forgets entries older than the TTL (called by the refresh loop to bound the cache). */
  prune(): void {
    for (const [key, entry] of this.cache) if (this.now() - entry.at >= this.ttlMs) this.cache.delete(key);
  }
}
