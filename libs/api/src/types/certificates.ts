// certificates.k8s.io/v1 CertificateSigningRequest. `spec.request` and `status.certificate`
// are PEM bytes, base64 on the wire; the cross-field rules are in validation/certificates.ts.
import { AnyValue, FreeObject, Int, Nested, Opt, Req, Str, StrArray } from '../validation/decorators';
import { KindBase } from './meta';

export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** Kubernetes' KeyUsage values (certificates/v1). */
export const KEY_USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
] as const;

export class CertificateSigningRequestSpec {
  /** base64 of a PEM `CERTIFICATE REQUEST`. */
  @Req(Str()) request!: string;
  @Req(Str()) signerName!: string;
  @Opt(Int()) expirationSeconds?: number;
  @Opt(StrArray()) usages?: string[];
  /** Set by the API server from the requesting user; what a client sends is replaced. */
  @Opt(Str()) username?: string;
  @Opt(Str()) uid?: string;
  @Opt(StrArray()) groups?: string[];
  @Opt(FreeObject()) extra?: Record<string, string[]>;
}

export interface CertificateSigningRequestCondition {
  type: 'Approved' | 'Denied' | 'Failed' | string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CertificateSigningRequestStatus {
  conditions?: CertificateSigningRequestCondition[];
  /** base64 of PEM `CERTIFICATE` blocks, set by the signer once approved. */
  certificate?: string;
}

export class CertificateSigningRequest extends KindBase {
  @Req(Nested(() => CertificateSigningRequestSpec)) spec!: CertificateSigningRequestSpec;
  @AnyValue() status?: CertificateSigningRequestStatus;
}
