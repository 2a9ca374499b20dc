// How a machine joins the cluster, used for the harness's extra nodes so the tested path is
// the one a real second machine takes: a bootstrap token created through the API (as
// `coxctl token create` does) in a kubeconfig the node agent gives to --bootstrap-kubeconfig.
import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { bootstrapTokenSecret, generateBootstrapToken } from '@coxswain/api';
import { kubeconfigYaml, RunningApiServerHarness, tlsDispatcher } from './apiserver';

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
