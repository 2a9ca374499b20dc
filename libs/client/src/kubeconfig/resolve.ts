import { readFileSync } from 'node:fs';
import { ConnectionOptions } from '../core/rest-transport';
import { LoadedKubeconfig } from './load';
import { KubeconfigCluster, KubeconfigContext, KubeconfigUser } from './types';

export interface ResolveOptions {
  /** --context: use this context instead of current-context. */
  context?: string;
  /** --cluster / --user: override the context's. */
  cluster?: string;
  user?: string;
  /** --namespace: override the context's. */
  namespace?: string;
  /** --server / --token / --insecure-skip-tls-verify: override the kubeconfig. */
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface ResolvedKubeconfig {
  contextName?: string;
  clusterName?: string;
  userName?: string;
  /** The namespace commands default to: --namespace, else the context's, else 'default'. */
  namespace: string;
  connection: ConnectionOptions;
}

export function findContext(loaded: LoadedKubeconfig, name: string): KubeconfigContext | undefined {
  return loaded.config.contexts.find((c) => c.name === name)?.context;
}

export function findCluster(loaded: LoadedKubeconfig, name: string): KubeconfigCluster | undefined {
  return loaded.config.clusters.find((c) => c.name === name)?.cluster;
}

export function findUser(loaded: LoadedKubeconfig, name: string): KubeconfigUser | undefined {
  return loaded.config.users.find((u) => u.name === name)?.user;
}

/**
 * Picks context, cluster and user (flags over kubeconfig) and turns them into connection
 * options: CA from file or data, client cert/key, bearer token (inline or tokenFile), basic auth.
 */
export function resolveKubeconfig(loaded: LoadedKubeconfig, options: ResolveOptions = {}): ResolvedKubeconfig {
  const contextName = options.context || loaded.config['current-context'] || undefined;
  let context: KubeconfigContext = {};
  if (contextName) {
    const found = findContext(loaded, contextName);
    if (!found) throw new Error(`context "${contextName}" does not exist in kubeconfig (${loaded.files.join(', ')})`);
    context = found;
  }
  const clusterName = options.cluster || context.cluster;
  const userName = options.user || context.user;
  const cluster = clusterName ? findCluster(loaded, clusterName) : undefined;
  if (clusterName && !cluster && !options.server) throw new Error(`cluster "${clusterName}" does not exist in kubeconfig`);
  const user = userName ? findUser(loaded, userName) : undefined;
  if (userName && !user) throw new Error(`user "${userName}" does not exist in kubeconfig`);

  const server = options.server || clusterServers(cluster);
  if (!server) {
    throw new Error('no API server configured: set a current context in the kubeconfig, or pass --server / --kubeconfig');
  }
  if (user && (user.exec || user['auth-provider']) && !user.token && !user.tokenFile && !user['client-certificate'] && !user['client-certificate-data']) {
    throw new Error(`user "${userName}" uses an exec/auth-provider plugin, which is not supported; use a token or client certificate`);
  }
  const connection: ConnectionOptions = {
    server,
    ca: readData(cluster?.['certificate-authority-data'], cluster?.['certificate-authority']),
    cert: readData(user?.['client-certificate-data'], user?.['client-certificate']),
    key: readData(user?.['client-key-data'], user?.['client-key']),
    insecureSkipTlsVerify: options.insecureSkipTlsVerify ?? cluster?.['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster?.['tls-server-name'],
    token: options.token || user?.token || (user?.tokenFile ? readData(undefined, user.tokenFile)?.toString('utf8').trim() : undefined),
    username: user?.username,
    password: user?.password,
  };
  for (const key of Object.keys(connection) as Array<keyof ConnectionOptions>) if (connection[key] === undefined) delete connection[key];
  return { contextName, clusterName, userName, namespace: options.namespace || context.namespace || 'default', connection };
}

/** Inline base64 data wins over a file, as in client-go. */
function readData(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`kubeconfig refers to ${file}, which cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The cluster extension that lists every API server of an HA control plane. A kubeconfig keeps
 * one `server` (what kubectl dials); Coxswain clients read the list from this extension and
 * fail over between its servers.
 */
export const SERVERS_EXTENSION = 'servers.coxswain.io';

/** The server list of a kubeconfig cluster: the extension's servers (comma-joined), else `server`. */
export function clusterServers(cluster: KubeconfigCluster | undefined): string | undefined {
  const extensions = cluster?.extensions;
  if (Array.isArray(extensions)) {
    for (const entry of extensions as Array<{ name?: unknown; extension?: { servers?: unknown } }>) {
      const servers = entry?.name === SERVERS_EXTENSION ? entry.extension?.servers : undefined;
      if (Array.isArray(servers) && servers.length && servers.every((s) => typeof s === 'string' && s)) return servers.join(',');
    }
  }
  return cluster?.server;
}
