// Certificate rotation (the kubelet's certificate manager, --rotate-certificates and
// --rotate-server-certificates): renew when 70–90 % of the certificate's lifetime has passed —
// client-go's jittered deadline — keep the file the kubeconfig points at, and hand new
// connections the new pair without a restart.
import { readFileSync } from 'node:fs';
import { KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER } from '@coxswain/api/browser';
import { KubeClient, Logger } from '@coxswain/client';
import { certificateValidity } from './validity';
import { clientSubject, validPair, writePrivate } from './bootstrap';
import { CertificateRequest, requestCertificate } from './request';

/** client-go's nextRotationDeadline: notBefore + lifetime × (0.7 + 0.2 × jitter), jitter in [0, 1). */
export function rotationDeadline(notBefore: Date, notAfter: Date, jitter: number): Date {
  const total = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + total * (0.7 + 0.2 * Math.min(Math.max(jitter, 0), 0.999999)));
}

const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/;
const PEM_CERTS = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function splitPair(text: string): { cert: string; key: string } {
  const key = PEM_KEY.exec(text)?.[0];
  const certs = text.match(PEM_CERTS);
  if (!key || !certs) throw new Error('certificate pair file must hold a CERTIFICATE and a PRIVATE KEY');
  return { cert: `${certs.join('\n')}\n`, key: `${key}\n` };
}

export interface RotationOptions {
  /** What to ask for at each renewal (signer, usages, subject). */
  request: () => Promise<Omit<CertificateRequest, 'keyPem'>> | Omit<CertificateRequest, 'keyPem'>;
  pairFile: string;
  /** A name for the logs: "client" or "serving". */
  kind: string;
  logger?: Logger;
  random?: () => number;
  /** How long to wait before retrying a failed renewal. */
  retryMs?: number;
  /** Told of each new pair (the gRPC server's credentials swap to it). */
  onRotated?: (pair: { cert: string; key: string }) => void;
}

/**
 * A certificate renewed before it expires (client-go's certificate manager): a new key and a
 * CSR at the jittered deadline, the pair file replaced atomically, `current()` and
 * `onRotated` handing the new pair to new connections without a restart.
 */
export class CertificateRotation {
  private pair: { cert: string; key: string };
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: RotationOptions) {
    this.pair = splitPair(readFileSync(options.pairFile, 'utf8'));
  }

  /** The pair new connections use. */
  current(): { cert: string; key: string } {
    return this.pair;
  }

  start(client: KubeClient): void {
    const { notBefore, notAfter } = certificateValidity(this.pair.cert);
    const deadline = rotationDeadline(notBefore, notAfter, (this.options.random ?? Math.random)());
    this.options.logger?.info({ notAfter: notAfter.toISOString(), rotateAt: deadline.toISOString() }, `${this.options.kind} certificate rotation scheduled`);
    this.schedule(client, deadline.getTime() - Date.now());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(client: KubeClient, delayMs: number): void {
    if (this.stopped) return;
    // setTimeout's limit is 2^31-1 ms (24.8 days): wait in steps for long-lived certificates.
    const step = Math.min(Math.max(0, delayMs), 2 ** 31 - 1);
    this.timer = setTimeout(() => (delayMs > step ? this.schedule(client, delayMs - step) : void this.rotate(client)), step);
    this.timer.unref();
  }

  async rotate(client: KubeClient): Promise<void> {
    try {
      const issued = await requestCertificate(client, await this.options.request());
      await writePrivate(this.options.pairFile, `${issued.certPem.trim()}\n${issued.keyPem.trim()}\n`);
      this.pair = { cert: issued.certPem, key: issued.keyPem };
      this.options.onRotated?.(this.pair);
      this.options.logger?.info({ csr: issued.csrName }, `${this.options.kind} certificate rotated`);
      if (!this.stopped) this.start(client);
    } catch (error) {
      this.options.logger?.warn({ err: error }, `${this.options.kind} certificate rotation failed; retrying`);
      this.schedule(client, this.options.retryMs ?? 30_000);
    }
  }
}

/** The node's client certificate (kube-apiserver-client-kubelet), renewed with its own identity (the approver's selfnodeclient rule). */
export class ClientCertificateRotation extends CertificateRotation {
  constructor(options: { nodeName: string; kubeconfig: string; pairFile: string } & Omit<RotationOptions, 'request' | 'kind'>) {
    super({ ...options, kind: 'client', request: () => ({ signerName: KUBELET_CLIENT_SIGNER, usages: ['digital signature', 'client auth'], subject: clientSubject(options.nodeName) }) });
  }
}

/** The node's serving certificate (kubelet-serving) for its current addresses; approved only when they are its Node's. */
export class ServingCertificateRotation extends CertificateRotation {
  constructor(options: { nodeName: string; pairFile: string; addresses: () => Promise<{ dnsNames: string[]; ipAddresses: string[] }> } & Omit<RotationOptions, 'request' | 'kind'>) {
    super({ ...options, kind: 'serving', request: async () => ({ ...servingRequest(options.nodeName, await options.addresses()) }) });
  }
}

/** The kubelet-serving CSR for a node's addresses (pure). */
export function servingRequest(nodeName: string, addresses: { dnsNames: string[]; ipAddresses: string[] }): Omit<CertificateRequest, 'keyPem'> {
  return { signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'], subject: { ...clientSubject(nodeName), dnsNames: addresses.dnsNames, ipAddresses: addresses.ipAddresses } };
}

/** Where the kubelet keeps its rotating serving pair: certificate and key in one PEM file. */
export const SERVING_PAIR_FILE = 'kubelet-server-current.pem';

/**
 * The serving pair at start: a still valid one in `pairFile` is kept (a restart does not ask
 * again, as the kubelet does); otherwise a kubelet-serving CSR for the node's addresses now.
 * The node is already registered, so the approver can match the SANs against its addresses.
 */
export async function ensureServingPair(client: KubeClient, options: { nodeName: string; pairFile: string; addresses: () => Promise<{ dnsNames: string[]; ipAddresses: string[] }>; logger?: Logger; timeoutMs?: number }): Promise<void> {
  if (await validPair(options.pairFile, new Date())) return;
  const request = servingRequest(options.nodeName, await options.addresses());
  const serving = await requestCertificate(client, request, { timeoutMs: options.timeoutMs ?? 5 * 60_000 });
  await writePrivate(options.pairFile, `${serving.certPem.trim()}\n${serving.keyPem.trim()}\n`);
  options.logger?.info({ csr: serving.csrName, sans: [...(request.subject.dnsNames ?? []), ...(request.subject.ipAddresses ?? [])] }, 'serving certificate issued');
}
