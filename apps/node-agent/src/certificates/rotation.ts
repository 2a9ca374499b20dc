// Client certificate rotation (the kubelet's certificate manager): renew when 70–90 % of the
// certificate's lifetime has passed — client-go's jittered deadline — with the node's own
// identity (the approver's selfnodeclient rule), keep the file and the kubeconfig pointing at
// it, and hand new connections the new pair without a restart.
import { readFileSync } from 'node:fs';
import { KUBELET_CLIENT_SIGNER } from '@coxswain/api/browser';
import { certificateValidity } from '@coxswain/api/certificates';
import { KubeClient, Logger } from '@coxswain/client';
import { clientSubject, writePrivate } from './bootstrap';
import { requestCertificate } from './request';

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
  nodeName: string;
  kubeconfig: string;
  pairFile: string;
  logger?: Logger;
  random?: () => number;
  /** How long to wait before retrying a failed renewal. */
  retryMs?: number;
}

export class ClientCertificateRotation {
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
    this.options.logger?.info({ notAfter: notAfter.toISOString(), rotateAt: deadline.toISOString() }, 'client certificate rotation scheduled');
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
      const issued = await requestCertificate(client, { signerName: KUBELET_CLIENT_SIGNER, usages: ['digital signature', 'client auth'], subject: clientSubject(this.options.nodeName) });
      await writePrivate(this.options.pairFile, `${issued.certPem.trim()}\n${issued.keyPem.trim()}\n`);
      this.pair = { cert: issued.certPem, key: issued.keyPem };
      this.options.logger?.info({ csr: issued.csrName }, 'client certificate rotated');
      this.start(client);
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'client certificate rotation failed; retrying');
      this.schedule(client, this.options.retryMs ?? 30_000);
    }
  }
}
