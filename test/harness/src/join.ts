// How a machine joins the cluster, used for the harness's extra nodes so the tested path is
// the one a real second machine takes: a bootstrap token created through the API (as
// `coxctl token create` does), token discovery of the server and CA from cluster-info (as
// `npm run up -- --join` does), and a kubeconfig the node agent gives to --bootstrap-kubeconfig.
import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { bootstrapTokenSecret, CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, clusterInfoKubeconfig, generateBootstrapToken, parseBootstrapToken } from '@coxswain/api';
import { kubeconfigYaml, RunningApiServerHarness, tlsDispatcher } from './apiserver';
import { discoverCluster, DiscoveryOptions } from './discovery';

/** Creates a bootstrap token Secret through the API as admin; returns `<id>.<secret>`. */
export async function createBootstrapToken(api: Pick<RunningApiServerHarness, 'url' | 'ca' | 'tokens'>, ttlMs = 2 * 3600_000, description = 'harness node join'): Promise<string> {
  const token = generateBootstrapToken();
  const secret = bootstrapTokenSecret(token, { expiration: new Date(Date.now() + ttlMs), description });
  const res = await request(`${api.url}/api/v1/namespaces/kube-system/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(secret),
    ...(api.ca ? { dispatcher: tlsDispatcher(api.ca) } : {}),
  });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`creating a bootstrap token: HTTP ${res.statusCode}: ${text}`);
  return `${token.id}.${token.secret}`;
}

/** Writes the kubeconfig a joining node agent starts with (server, CA, bootstrap token). */
export async function writeBootstrapKubeconfig(path: string, apiUrl: string, token: string, ca?: string): Promise<string> {
  await writeFile(path, kubeconfigYaml(apiUrl, token, ca, 'kubelet-bootstrap'), { mode: 0o600 });
  return path;
}

/**
 * Publishes kube-public/cluster-info (kubeadm init's bootstrap-token phase): the server joining
 * machines should use and the cluster CA. The controller-manager's bootstrapsigner adds a
 * signature per bootstrap token. An existing ConfigMap is left as it is (its signatures too).
 */
export async function publishClusterInfo(api: Pick<RunningApiServerHarness, 'url' | 'ca' | 'tokens'>, server: string, caPem: string): Promise<void> {
  const res = await request(`${api.url}/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLUSTER_INFO_NAME, namespace: CLUSTER_INFO_NAMESPACE }, data: { [CLUSTER_INFO_KUBECONFIG_KEY]: clusterInfoKubeconfig(server, caPem) } }),
    ...(api.ca ? { dispatcher: tlsDispatcher(api.ca) } : {}),
  });
  const text = await res.body.text();
  if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`publishing ${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}: HTTP ${res.statusCode}: ${text}`);
}

/**
 * Token discovery, then the bootstrap kubeconfig: what a joining machine knows is the API
 * server's address, the token and the CA's key hash; the server and CA come from cluster-info
 * once the token's signature and the pin check out. Returns the trusted CA (PEM).
 */
export async function discoverBootstrapKubeconfig(path: string, options: Omit<DiscoveryOptions, 'token'> & { token: string }): Promise<{ server: string; caPem: string }> {
  const token = parseBootstrapToken(options.token);
  if (!token) throw new Error('--token must be a bootstrap token: [a-z0-9]{6}.[a-z0-9]{16} (coxctl token create)');
  const cluster = await discoverCluster({ ...options, token });
  await writeFile(path, kubeconfigYaml(cluster.server, options.token, cluster.caPem, 'kubelet-bootstrap'), { mode: 0o600 });
  return { server: cluster.server, caPem: cluster.caPem };
}
