// CertificateSigningRequest rules (Kubernetes' certificates/validation for v1): the request
// must be a PEM CSR, a signer name of the form `example.com/path`, known usages without
// duplicates, expirationSeconds ≥ 600; conditions and the issued certificate follow the
// approval and status update rules. Pure: the API server's CSR strategy calls these.
import { decodeBytes, parseCsrPem } from '../certificates/csr';
import { KEY_USAGES } from '../types/certificates';
import { CauseReason, StatusCause } from '../status/status';
import { isDns1123Subdomain } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const invalid = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why = ''): StatusCause => ({ reason: CauseReason.Required, field, message: why ? `Required value: ${why}` : 'Required value' });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const duplicate = (field: string, value: unknown): StatusCause => ({ reason: CauseReason.Duplicate, field, message: `Duplicate value: ${show(value)}` });
const notSupported = (field: string, value: unknown, supported: readonly string[]): StatusCause => ({
  reason: CauseReason.NotSupported,
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});

const MIN_EXPIRATION_SECONDS = 600;
const SINGLE = new Set(['Approved', 'Denied', 'Failed']);

/** Kubernetes' ValidateSignerName: `<domain>/<path>`, the domain a DNS subdomain. */
export function signerNameProblems(name: string): string[] {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return ["must be a fully qualified domain and path of the form 'example.com/signer-name'"];
  const domain = name.slice(0, slash);
  const path = name.slice(slash + 1);
  const problems = isDns1123Subdomain(domain).map((p) => `domain part ${p}`);
  if (path.length > 571) problems.push('path part must be no more than 571 characters');
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)*$/.test(path)) {
    problems.push("path part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return problems;
}

export function checkCertificateSigningRequest(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec: Obj = obj.spec ?? {};
  if (typeof spec.request === 'string' && spec.request !== '') {
    const pem = decodeBytes(spec.request);
    if (pem === undefined) causes.push(invalid('spec.request', '<bytes>', 'must be base64-encoded'));
    else {
      try {
        parseCsrPem(pem);
      } catch (error) {
        causes.push(invalid('spec.request', '<bytes>', (error as Error).message));
      }
    }
  }
  if (typeof spec.signerName === 'string' && spec.signerName !== '') for (const p of signerNameProblems(spec.signerName)) causes.push(invalid('spec.signerName', spec.signerName, p));
  if (spec.usages === undefined || (Array.isArray(spec.usages) && spec.usages.length === 0)) causes.push(required('spec.usages', 'usages must be provided'));
  if (Array.isArray(spec.usages)) {
    const seen = new Set<string>();
    spec.usages.forEach((u: unknown, i: number) => {
      if (!(KEY_USAGES as readonly unknown[]).includes(u)) causes.push(notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
      else if (seen.has(u as string)) causes.push(duplicate(`spec.usages[${i}]`, u));
      seen.add(u as string);
    });
  }
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    causes.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds > 2 ** 31 - 1) causes.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'must be less than or equal to 2147483647'));
  causes.push(...checkCsrStatus(obj.status));
  return causes;
}

/** Conditions and certificate shape (any write that carries a status). */
export function checkCsrStatus(status: Obj | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const conditions: Obj[] = Array.isArray(status?.conditions) ? status!.conditions : [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const at = `status.conditions[${i}]`;
    if (typeof c?.type !== 'string' || c.type === '') {
      causes.push(required(`${at}.type`));
      return;
    }
    if (SINGLE.has(c.type)) {
      if (seen.has(c.type)) causes.push(duplicate(`${at}.type`, c.type));
      seen.add(c.type);
    }
    if (c.type === 'Approved' || c.type === 'Denied') {
      if (c.status !== 'True') causes.push(notSupported(`${at}.status`, c.status, ['True']));
    } else if (!['True', 'False', 'Unknown'].includes(c.status)) causes.push(notSupported(`${at}.status`, c.status, ['False', 'True', 'Unknown']));
  });
  if (seen.has('Approved') && seen.has('Denied')) causes.push(invalid('status.conditions', 'Approved, Denied', 'Approved and Denied conditions are mutually exclusive'));
  if (status?.certificate !== undefined && status.certificate !== '') {
    const pem = decodeBytes(status.certificate);
    if (pem === undefined) causes.push(invalid('status.certificate', '<certificate data>', 'must be base64-encoded'));
    else if (!/^\s*(-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*)+$/.test(pem)) {
      causes.push(invalid('status.certificate', '<certificate data>', 'must contain at least one CERTIFICATE PEM block and nothing else'));
    }
  }
  return causes;
}

const condition = (status: Obj | undefined, type: string): Obj | undefined => (Array.isArray(status?.conditions) ? status!.conditions.find((c: Obj) => c?.type === type) : undefined);

/** What a status or approval update may not do to conditions and the certificate already there. */
export function checkCsrStatusUpdate(previous: Obj | undefined, next: Obj | undefined): StatusCause[] {
  const causes = checkCsrStatus(next);
  for (const type of SINGLE) {
    const before = condition(previous, type);
    const after = condition(next, type);
    if (before && !after) causes.push(forbidden('status.conditions', `updates may not remove a condition of type "${type}"`));
    else if (before && after && before.status !== after.status) causes.push(forbidden('status.conditions', `updates may not modify the status of a condition of type "${type}"`));
  }
  const oldCert = previous?.certificate ?? '';
  const newCert = next?.certificate ?? '';
  if (oldCert !== '' && newCert !== oldCert) causes.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  if (oldCert === '' && newCert !== '') {
    if (!condition(next, 'Approved')) causes.push(forbidden('status.certificate', 'certificate may only be set on an approved request'));
    if (condition(next, 'Failed')?.status === 'True') causes.push(forbidden('status.certificate', 'certificate may not be set on a failed request'));
  }
  return causes;
}

/** True once the request carries a condition of `type` with status True. */
export function csrHasCondition(obj: { status?: Obj }, type: string): boolean {
  return condition(obj.status, type)?.status === 'True';
}
