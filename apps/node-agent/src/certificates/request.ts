// Asking the cluster for a certificate, as the kubelet's certificate manager does: make (or
// reuse) a key, send a CertificateSigningRequest, wait for the signer's certificate. Denied or
// Failed requests end the wait with their message.
import type { CertificateSigningRequest } from '@coxswain/api/browser';
import type { SubjectSpec } from '@coxswain/api/certificates';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';

export interface CertificateRequest {
  signerName: string;
  usages: string[];
  subject: SubjectSpec;
  /** Keep this key (PEM) instead of making a new one. */
  keyPem?: string;
  /** spec.expirationSeconds (≥ 600); the signer's maximum when absent. */
  expirationSeconds?: number;
  /** metadata.generateName; kubelet uses `csr-`, its bootstrap `node-csr-`. */
  generateName?: string;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  csrName: string;
}

// Loaded when a certificate is asked for (bootstrap, rotation), not at start: the X.509/ASN.1
// stack behind CSRs is ~300 modules the agent otherwise never needs in its heap (as apps/cli's context.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const csrLibrary = () => require('./csr-library') as typeof import('./csr-library');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function requestCertificate(client: KubeClient, request: CertificateRequest, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<IssuedCertificate> {
  const { csrForKeyPem, decodeBytes, encodeBytes, generateKeyAndCsr } = csrLibrary();
  const { keyPem, csrPem } = request.keyPem ? { keyPem: request.keyPem, csrPem: await csrForKeyPem(request.subject, request.keyPem) } : await generateKeyAndCsr(request.subject);
  const created = await client.create<CertificateSigningRequest>(R.CertificateSigningRequest, {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: request.generateName ?? 'csr-' },
    spec: { request: encodeBytes(csrPem), signerName: request.signerName, usages: request.usages, ...(request.expirationSeconds ? { expirationSeconds: request.expirationSeconds } : {}) },
  });
  const name = created.metadata.name!;
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const csr = await client.get<CertificateSigningRequest>(R.CertificateSigningRequest, name);
    const ended = (csr.status?.conditions ?? []).find((c) => (c.type === 'Denied' || c.type === 'Failed') && c.status === 'True');
    if (ended) throw new Error(`certificate request ${name} ${ended.type.toLowerCase()}: ${ended.reason ?? ''} ${ended.message ?? ''}`.trim());
    const certPem = csr.status?.certificate ? decodeBytes(csr.status.certificate) : undefined;
    if (certPem) return { certPem, keyPem, csrName: name };
    if (Date.now() > deadline) throw new Error(`timed out waiting for certificate request ${name} to be approved and signed`);
    await sleep(options.pollMs ?? 500);
  }
}
