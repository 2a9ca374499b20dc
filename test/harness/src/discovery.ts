// kubeadm's bootstrap-token discovery, the I/O half (the checks are validateClusterInfo in
// @coxswain/api): read kube-public/cluster-info without credentials and without trusting the
// server's certificate, retrying until the bootstrap signer has signed it for the token; check
// it; then read it again over TLS verified with the CA just trusted and require the same
// kubeconfig (kubeadm does the same, so a man in the middle of the first read gains nothing).
import { Agent, request } from 'undici';
import { BootstrapToken, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, clusterInfoUnsigned, DiscoveredCluster, DiscoveryPins, validateClusterInfo } from '@coxswain/api';

export interface DiscoveryOptions extends DiscoveryPins {
  /** The API server to ask (`https://host:port`). */
  apiUrl: string;
  token: BootstrapToken;
  /** How long to keep trying while the server is unreachable or cluster-info is not signed yet (kubeadm: 5 min). */
  timeoutMs?: number;
  retryMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readClusterInfo(apiUrl: string, ca: string | undefined): Promise<Record<string, string> | undefined> {
  const dispatcher = new Agent({ connect: ca ? { ca } : { rejectUnauthorized: false } });
  try {
    const url = `${apiUrl.replace(/\/+$/, '')}/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_NAME}`;
    const res = await request(url, { dispatcher, headers: { accept: 'application/json' } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { data?: Record<string, string> }).data;
  } finally {
    await dispatcher.close();
  }
}

/** The validated cluster (server and CA) for a joining machine; throws on a failed check or after the timeout. */
export async function discoverCluster(options: DiscoveryOptions): Promise<DiscoveredCluster> {
  if (!/^https:\/\//.test(options.apiUrl)) throw new Error(`discovery needs the API server's https:// address, not ${options.apiUrl}`);
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  let data: Record<string, string> | undefined;
  for (;;) {
    let why: string;
    try {
      data = await readClusterInfo(options.apiUrl, undefined);
      if (!clusterInfoUnsigned(data, options.token)) break;
      why = `cluster-info is not signed for token id "${options.token.id}" yet`;
    } catch (error) {
      why = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`discovery at ${options.apiUrl} timed out: ${why}`);
    options.log?.(`discovery: ${why}; retrying`);
    await sleep(options.retryMs ?? 1000);
  }
  const insecure = validateClusterInfo(data, options.token, options);
  const secure = await readClusterInfo(options.apiUrl, insecure.caPem);
  if (secure?.kubeconfig !== insecure.kubeconfig) throw new Error('the second cluster-info read (over TLS verified with the discovered CA) differs from the first');
  return insecure;
}
