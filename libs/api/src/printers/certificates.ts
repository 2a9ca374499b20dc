// CertificateSigningRequest rows, as kube-apiserver's printer (`kubectl get csr`).
import type { CertificateSigningRequest } from '../types/certificates';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { humanDuration, timestampSince } from './duration';

/** Denied, else Approved, else Pending; then ",Failed" and ",Issued" when they apply (kubectl's order). */
export function csrCondition(csr: Pick<CertificateSigningRequest, 'status'>): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let text = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) text += ',Failed';
  if (csr.status?.certificate) text += ',Issued';
  return text;
}

export const certificateSigningRequestPrinter: Printer<CertificateSigningRequest> = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    column('Requestor', 'string', 'username contains the name of the user that created the CertificateSigningRequest.'),
    column('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  row: (csr, nowMs) => ({
    cells: [
      csr.metadata?.name ?? '',
      timestampSince(csr.metadata?.creationTimestamp, nowMs),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      csr.spec?.expirationSeconds !== undefined ? humanDuration(csr.spec.expirationSeconds * 1000) : '<none>',
      csrCondition(csr),
    ],
  }),
};
