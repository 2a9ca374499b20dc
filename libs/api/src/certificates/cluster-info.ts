// kubeadm's token discovery: the ConfigMap kube-public/cluster-info holds a kubeconfig with the
// cluster's server and CA (readable without credentials) and, per bootstrap token that may
// sign, `jws-kubeconfig-<token id>`: a detached JWS (HS256, keyed by the token secret) over
// that kubeconfig. A joining machine that knows a token and the CA's public-key hash
// (`--discovery-token-ca-cert-hash sha256:<hex>`) checks the signature (the ConfigMap came
// from someone who knows the token) and the hash (the CA is the one the admin pinned) before
// it trusts the CA.
import { createHash, createHmac, timingSafeEqual, X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { BootstrapToken } from './bootstrap-token';

export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_NAME = 'cluster-info';
export const CLUSTER_INFO_KUBECONFIG_KEY = 'kubeconfig';
export const JWS_KEY_PREFIX = 'jws-kubeconfig-';

/** `sha256:<hex>` of the CA certificate's DER SubjectPublicKeyInfo (kubeadm's CA cert hash). */
export function caCertHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** The detached JWS (`<header>..<signature>`) of `content` under `token`, as kubeadm's bootstrap signer writes it. */
export function signClusterInfo(content: string, token: BootstrapToken): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: token.id }));
  const signature = createHmac('sha256', token.secret).update(`${header}.${b64url(content)}`).digest();
  return `${header}..${b64url(signature)}`;
}

/** Whether `jws` is a valid detached HS256 signature of `content` by `token`. */
export function verifyClusterInfo(content: string, jws: string, token: BootstrapToken): boolean {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  let header: { alg?: string; kid?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
  } catch {
    return false;
  }
  if (header.alg !== 'HS256' || (header.kid !== undefined && header.kid !== token.id)) return false;
  const want = Buffer.from(signClusterInfo(content, token).split('..')[1], 'base64url');
  const got = Buffer.from(parts[2], 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A well-formed `sha256:<64 hex>` pin (lower-cased), or undefined. */
export function parseCaCertHash(text: string): string | undefined {
  const match = /^sha256:([0-9a-fA-F]{64})$/.exec(text.trim());
  return match ? `sha256:${match[1].toLowerCase()}` : undefined;
}

/** The kubeconfig published in cluster-info: the server(s) and the CA, no credentials. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: ""
  cluster:
    server: ${server}
    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}
contexts: []
current-context: ""
preferences: {}
users: []
`;
}

export interface DiscoveredCluster {
  /** The API server URL cluster-info names. */
  server: string;
  /** The cluster CA (PEM) — trusted only after the checks below. */
  caPem: string;
  /** cluster-info's kubeconfig text, to compare with a second, CA-verified read. */
  kubeconfig: string;
}

export interface DiscoveryPins {
  /** `sha256:<hex>` pins (--discovery-token-ca-cert-hash); at least one unless unsafeSkipCaVerification. */
  caCertHashes: string[];
  /** --discovery-token-unsafe-skip-ca-verification: trust the signed CA without a pin. */
  unsafeSkipCaVerification?: boolean;
}

/** Whether `data` does not yet carry this token's signature (the bootstrap signer may still be at work): retry, as kubeadm does. */
export function clusterInfoUnsigned(data: Record<string, string> | undefined, token: BootstrapToken): boolean {
  return !data?.[`${JWS_KEY_PREFIX}${token.id}`];
}

/**
 * kubeadm's token discovery checks on a cluster-info ConfigMap fetched without trusting the
 * server: the token's JWS signs the kubeconfig (whoever serves it knows the token) and the CA
 * in it matches a pinned public-key hash (it is the admin's CA). Throws kubeadm's messages.
 */
export function validateClusterInfo(data: Record<string, string> | undefined, token: BootstrapToken, pins: DiscoveryPins): DiscoveredCluster {
  const kubeconfig = data?.[CLUSTER_INFO_KUBECONFIG_KEY];
  if (!kubeconfig) throw new Error(`there is no ${CLUSTER_INFO_KUBECONFIG_KEY} key in the ${CLUSTER_INFO_NAME} ConfigMap`);
  const jws = data?.[`${JWS_KEY_PREFIX}${token.id}`];
  if (!jws) throw new Error(`token id "${token.id}" is invalid for this cluster or it has expired. Use "coxctl token create" on the control plane to create a new valid token`);
  if (!verifyClusterInfo(kubeconfig, jws, token)) throw new Error(`failed to verify JWS signature of received ${CLUSTER_INFO_NAME} object, can't trust this API Server`);
  const cluster = firstCluster(kubeconfig);
  if (pins.unsafeSkipCaVerification) return { ...cluster, kubeconfig };
  if (!pins.caCertHashes.length) throw new Error('--discovery-token-ca-cert-hash is required (or --discovery-token-unsafe-skip-ca-verification)');
  const hashes = pemCertificates(cluster.caPem).map(caCertHash);
  if (!hashes.some((h) => pins.caCertHashes.includes(h))) {
    throw new Error(`cluster CA found in ${CLUSTER_INFO_NAME} ConfigMap is invalid: none of the public keys "${hashes.join(', ')}" are pinned`);
  }
  return { ...cluster, kubeconfig };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const pemCertificates = (pem: string) => pem.match(PEM_CERT) ?? [];

function firstCluster(kubeconfig: string): { server: string; caPem: string } {
  let doc: { clusters?: { cluster?: { server?: unknown; 'certificate-authority-data'?: unknown } }[] };
  try {
    doc = parse(kubeconfig) as typeof doc;
  } catch (error) {
    throw new Error(`couldn't parse the kubeconfig in ${CLUSTER_INFO_NAME}: ${(error as Error).message}`);
  }
  const cluster = doc?.clusters?.[0]?.cluster;
  const server = cluster?.server;
  const caData = cluster?.['certificate-authority-data'];
  if (typeof server !== 'string' || !/^https:\/\//.test(server)) throw new Error(`the kubeconfig in ${CLUSTER_INFO_NAME} names no https server`);
  const caPem = typeof caData === 'string' ? Buffer.from(caData, 'base64').toString('utf8') : '';
  if (!pemCertificates(caPem).length) throw new Error(`the kubeconfig in ${CLUSTER_INFO_NAME} carries no certificate-authority-data`);
  return { server, caPem };
}
