// A certificate's validity window, read with node:crypto (the CSR library is loaded only when a
// certificate is requested: see request.ts).
import { X509Certificate } from 'node:crypto';

export function certificateValidity(pem: string): { notBefore: Date; notAfter: Date } {
  const cert = new X509Certificate(pem);
  return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
}
