// Reading a PEM certificate request and the rules Kubernetes' kubelet signers put on it
// (ValidateKubeletClientCSR / ValidateKubeletServingCSR). Parsing is synchronous and pure, so
// API validation, the approver and the signer share it; the signature is checked by the signer.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { base64ToUtf8, isBase64, utf8ToBase64 } from '../meta/base64';

export interface CsrInfo {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** The parsed request, for signature checks and signing. */
  request: x509.Pkcs10CertificateRequest;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** Kubernetes' ParseCSR: the first PEM block must be a CERTIFICATE REQUEST that parses. */
export function parseCsrPem(pem: string): CsrInfo {
  const block = PEM_BLOCK.exec(pem);
  if (!block || block[1] !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(block[0]);
  } catch (error) {
    throw new Error(`x509: malformed certificate request: ${(error as Error).message}`);
  }
  const names = request.extensions.filter((e) => e.type === '2.5.29.17').flatMap((e) => new x509.SubjectAlternativeNameExtension(e.rawData).names.items);
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
  return {
    commonName: request.subjectName.getField('CN')[0] ?? '',
    organizations: request.subjectName.getField('O'),
    dnsNames: of('dns'),
    ipAddresses: of('ip'),
    emailAddresses: of('email'),
    uris: of('url'),
    request,
  };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...new Set(a)].length === new Set(b).size && a.every((x) => b.includes(x));
const CLIENT_USAGES = ['client auth', 'digital signature', 'key encipherment'];
const SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];
const NODE_PREFIX = 'system:node:';

function usagesMatch(usages: string[], required: string[]): boolean {
  const unique = [...new Set(usages)];
  return sameSet(unique, required) || sameSet(unique, required.filter((u) => u !== 'key encipherment'));
}

/** Why a request does not fit `kubernetes.io/kube-apiserver-client-kubelet`; undefined when it does. */
export function kubeletClientProblem(csr: CsrInfo, usages: string[]): string | undefined {
  if (csr.organizations.length !== 1 || csr.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (csr.dnsNames.length) return 'DNS subjectAltNames are not allowed';
  if (csr.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (csr.ipAddresses.length) return 'IP subjectAltNames are not allowed';
  if (csr.uris.length) return 'URI subjectAltNames are not allowed';
  if (!csr.commonName.startsWith(NODE_PREFIX)) return 'subject common name does not begin with system:node:';
  if (!usagesMatch(usages, CLIENT_USAGES)) return `usages did not match [${CLIENT_USAGES.join(' ')}]`;
  return undefined;
}

/** Why a request does not fit `kubernetes.io/kubelet-serving`; undefined when it does. */
export function kubeletServingProblem(csr: CsrInfo, usages: string[]): string | undefined {
  if (csr.organizations.length !== 1 || csr.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!csr.dnsNames.length && !csr.ipAddresses.length) return 'DNS or IP subjectAltName is required';
  if (csr.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (csr.uris.length) return 'URI subjectAltNames are not allowed';
  if (!usagesMatch(usages, SERVING_USAGES)) return `usages did not match [${SERVING_USAGES.join(' ')}]`;
  if (!csr.commonName.startsWith(NODE_PREFIX)) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** `system:node:n1` → `n1`; undefined for other names. */
export function nodeNameOf(user: string | undefined): string | undefined {
  return user?.startsWith(NODE_PREFIX) && user.length > NODE_PREFIX.length ? user.slice(NODE_PREFIX.length) : undefined;
}

/** base64 (the wire form of []byte) → text; undefined when it is not base64. */
export function decodeBytes(value: unknown): string | undefined {
  return typeof value === 'string' && isBase64(value) ? base64ToUtf8(value) : undefined;
}

export const encodeBytes = utf8ToBase64;
