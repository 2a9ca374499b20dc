import { KubeClient, KubeClientOptions } from '../core/kube-client';
import { loadKubeconfig, LoadedKubeconfig, LoadKubeconfigOptions } from './load';
import { resolveKubeconfig, ResolveOptions, ResolvedKubeconfig } from './resolve';

export interface ClientFromKubeconfigOptions extends LoadKubeconfigOptions, ResolveOptions {
  /** Transport settings beyond what the kubeconfig says (QPS, concurrency, user agent…). */
  client?: Omit<Partial<KubeClientOptions>, keyof ResolvedKubeconfig['connection']>;
}

export interface KubeconfigClient {
  client: KubeClient;
  /** Default namespace for commands: --namespace, else the context's, else 'default'. */
  namespace: string;
  resolved: ResolvedKubeconfig;
  loaded: LoadedKubeconfig;
}

/** Loads the kubeconfig the kubectl way and builds a client for the selected context. */
export function clientFromKubeconfig(options: ClientFromKubeconfigOptions = {}): KubeconfigClient {
  const loaded = loadKubeconfig(options);
  const resolved = resolveKubeconfig(loaded, options);
  const client = new KubeClient({ ...options.client, ...resolved.connection });
  return { client, namespace: resolved.namespace, resolved, loaded };
}
