// certificates.k8s.io/v1 CertificateSigningRequest. `spec.request` and `status.certificate`
// are PEM bytes, base64 on the wire; the cross-field rules are in validation/certificates.ts.
import { AnyValue, FreeObject, Int, Nested, Opt, Req, Str, StrArray } from '../validation/decorators';
import { KindBase } from './meta';

export * from './certificate-constants';

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
