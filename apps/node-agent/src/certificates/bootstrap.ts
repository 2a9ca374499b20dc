// TLS bootstrapping (the kubelet's --bootstrap-kubeconfig): when the node has no valid client
// certificate yet, it uses the bootstrap token to ask for one (CN=system:node:<name>,
// O=system:nodes), then writes a kubeconfig that authenticates with that certificate. Later
// starts reuse it while it is valid.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KUBELET_CLIENT_SIGNER } from '@coxswain/api/browser';
import { clientFromKubeconfig, Logger } from '@coxswain/client';
import { certificateValidity } from './validity';
import { requestCertificate } from './request';

/** Where the kubelet keeps its rotating client pair: certificate and key in one PEM file. */
export const CLIENT_PAIR_FILE = 'kubelet-client-current.pem';

export interface BootstrapOptions {
  nodeName: string;
  /** The token kubeconfig (server, CA, bootstrap token). */
  bootstrapKubeconfig: string;
  /** The kubeconfig to write (and reuse): server and CA from the bootstrap one, the node's own certificate. */
  kubeconfig: string;
  /** Directory for the certificate pair (default: `pki` beside the kubeconfig). */
  certDir?: string;
  logger?: Logger;
  timeoutMs?: number;
  now?: () => Date;
}

export const clientSubject = (nodeName: string) => ({ commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] });

/** Atomic write with owner-only permissions (keys live in these files). */
export async function writePrivate(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** True when `pairFile` holds a certificate valid at `now`. */
export async function validPair(pairFile: string, now: Date): Promise<boolean> {
  if (!existsSync(pairFile)) return false;
  try {
    const { notBefore, notAfter } = certificateValidity(await readFile(pairFile, 'utf8'));
    return notBefore <= now && now < notAfter;
  } catch {
    return false;
  }
}

export function certKubeconfig(server: string, caPem: string | undefined, pairFile: string, nodeName: string): string {
  // JSON is YAML: every kubeconfig reader takes it.
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'coxswain', cluster: { server, ...(caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : {}) } }],
      users: [{ name: `system:node:${nodeName}`, user: { 'client-certificate': pairFile, 'client-key': pairFile } }],
      contexts: [{ name: 'coxswain', context: { cluster: 'coxswain', user: `system:node:${nodeName}` } }],
      'current-context': 'coxswain',
    },
    null,
    2,
  )}\n`;
}

/** Ensures `kubeconfig` authenticates as system:node:<name>; returns the pair file it uses. */
export async function bootstrapClientCertificate(options: BootstrapOptions): Promise<string> {
  const certDir = options.certDir ?? join(dirname(options.kubeconfig), 'pki');
  const pairFile = join(certDir, CLIENT_PAIR_FILE);
  const now = (options.now ?? (() => new Date()))();
  if (existsSync(options.kubeconfig) && (await validPair(pairFile, now))) {
    options.logger?.info({ kubeconfig: options.kubeconfig }, 'client certificate still valid: skipping TLS bootstrap');
    return pairFile;
  }
  const { client, resolved } = clientFromKubeconfig({ path: options.bootstrapKubeconfig });
  try {
    options.logger?.info({ node: options.nodeName, server: resolved.connection.server }, 'requesting a client certificate with the bootstrap token');
    const issued = await requestCertificate(
      client,
      { signerName: KUBELET_CLIENT_SIGNER, usages: ['digital signature', 'client auth'], subject: clientSubject(options.nodeName), generateName: 'node-csr-' },
      { timeoutMs: options.timeoutMs },
    );
    await writePrivate(pairFile, `${issued.certPem.trim()}\n${issued.keyPem.trim()}\n`);
    const ca = resolved.connection.ca === undefined ? undefined : String(resolved.connection.ca);
    await writePrivate(options.kubeconfig, certKubeconfig(resolved.connection.server, ca, pairFile, options.nodeName));
    options.logger?.info({ csr: issued.csrName, kubeconfig: options.kubeconfig }, 'client certificate issued');
    return pairFile;
  } finally {
    await client.destroy();
  }
}
