// What the CSR approver, the CSR signer and the token cleaner decide, as pure functions of the
// object, what they need to know about the cluster, and `now`. The controllers only apply.
import {
  BOOTSTRAP_TOKEN_PREFIX,
  bootstrapTokenData,
  bootstrapTokenExpiry,
  CLUSTER_INFO_KUBECONFIG_KEY,
  JWS_KEY_PREFIX,
  parseBootstrapToken,
  signClusterInfo,
  verifyClusterInfo,
  BOOTSTRAP_TOKEN_TYPE,
  BOOTSTRAPPERS_GROUP,
  CertificateSigningRequest,
  CsrInfo,
  csrHasCondition,
  decodeBytes,
  kubeletClientProblem,
  KUBELET_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  kubeletServingProblem,
  Node,
  nodeNameOf,
  parseCsrPem,
  Secret,
} from '@coxswain/api';

export type ApprovalDecision = { approve: true; message: string } | { approve: false; reason: string };

const done = (csr: CertificateSigningRequest): string | undefined => {
  if (csr.status?.certificate) return 'already issued';
  if (csrHasCondition(csr, 'Approved')) return 'already approved';
  if (csrHasCondition(csr, 'Denied')) return 'denied';
  if (csrHasCondition(csr, 'Failed')) return 'failed';
  return undefined;
};

function parsed(csr: CertificateSigningRequest): CsrInfo | string {
  const pem = decodeBytes(csr.spec?.request);
  if (pem === undefined) return 'spec.request is not base64';
  try {
    return parseCsrPem(pem);
  } catch (error) {
    return (error as Error).message;
  }
}

/** The addresses a node's serving certificate may name: its status.addresses (IPs, hostname, DNS names). */
export function nodeAddresses(node: Node | undefined): Set<string> {
  return new Set((node?.status?.addresses ?? []).map((a) => a.address).filter(Boolean));
}

/**
 * Kubernetes' csrapproving recognisers, plus serving certificates: a kubelet client CSR from a
 * bootstrap token (nodeclient), a node renewing its own client certificate (selfnodeclient),
 * and a node asking for a serving certificate whose SANs are all its own addresses. Anything
 * else is left for a human (`coxctl certificate approve`), never denied automatically.
 */
export function planApproval(csr: CertificateSigningRequest, nodeNamed: (name: string) => Node | undefined): ApprovalDecision {
  const finished = done(csr);
  if (finished) return { approve: false, reason: finished };
  const info = parsed(csr);
  if (typeof info === 'string') return { approve: false, reason: info };
  const usages = csr.spec.usages ?? [];
  const requester = csr.spec.username ?? '';
  const groups = csr.spec.groups ?? [];
  if (csr.spec.signerName === KUBELET_CLIENT_SIGNER) {
    const problem = kubeletClientProblem(info, usages);
    if (problem) return { approve: false, reason: problem };
    if (requester === info.commonName && groups.includes('system:nodes')) return { approve: true, message: 'Auto approving self kubelet client certificate renewal.' };
    if (groups.includes(BOOTSTRAPPERS_GROUP)) return { approve: true, message: 'Auto approving kubelet client certificate for a bootstrap token.' };
    return { approve: false, reason: `requester ${requester} is neither a bootstrap token nor the node itself` };
  }
  if (csr.spec.signerName === KUBELET_SERVING_SIGNER) {
    const problem = kubeletServingProblem(info, usages);
    if (problem) return { approve: false, reason: problem };
    if (requester !== info.commonName || !groups.includes('system:nodes')) return { approve: false, reason: `requester ${requester} is not ${info.commonName}` };
    const nodeName = nodeNameOf(requester)!;
    const node = nodeNamed(nodeName);
    if (!node) return { approve: false, reason: `node ${nodeName} is not registered` };
    const own = nodeAddresses(node);
    const foreign = [...info.dnsNames, ...info.ipAddresses].filter((san) => !own.has(san));
    if (foreign.length) return { approve: false, reason: `subject alternative names ${foreign.join(', ')} are not addresses of node ${nodeName}` };
    return { approve: true, message: `Auto approving kubelet serving certificate: every subject alternative name is an address of node ${nodeName}.` };
  }
  return { approve: false, reason: `signer ${csr.spec.signerName} is not auto-approved` };
}

export const SIGNED_BY_CONTROLLER = [KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER] as const;
/** Kubernetes' signer backdates certificates to tolerate clock skew. */
export const BACKDATE_MS = 5 * 60_000;

export type SigningDecision =
  | { action: 'skip'; reason: string }
  | { action: 'fail'; message: string }
  | { action: 'sign'; csr: CsrInfo; usages: string[]; notBefore: Date; notAfter: Date; withSans: boolean };

/** The signer: approved, not yet issued or failed, for a signer it handles and within that signer's rules. */
export function planSigning(csr: CertificateSigningRequest, now: Date, maxDurationMs: number, caNotAfter: Date): SigningDecision {
  if (!(SIGNED_BY_CONTROLLER as readonly string[]).includes(csr.spec?.signerName)) return { action: 'skip', reason: `signer ${csr.spec?.signerName} is not ours` };
  if (!csrHasCondition(csr, 'Approved')) return { action: 'skip', reason: 'not approved' };
  if (csrHasCondition(csr, 'Failed')) return { action: 'skip', reason: 'failed' };
  if (csrHasCondition(csr, 'Denied')) return { action: 'skip', reason: 'denied' };
  if (csr.status?.certificate) return { action: 'skip', reason: 'already issued' };
  const info = parsed(csr);
  if (typeof info === 'string') return { action: 'fail', message: info };
  const usages = csr.spec.usages ?? [];
  const serving = csr.spec.signerName === KUBELET_SERVING_SIGNER;
  const problem = serving ? kubeletServingProblem(info, usages) : kubeletClientProblem(info, usages);
  if (problem) return { action: 'fail', message: problem };
  const requested = csr.spec.expirationSeconds ? csr.spec.expirationSeconds * 1000 : Infinity;
  const notAfter = new Date(Math.min(now.getTime() + Math.min(maxDurationMs, requested), caNotAfter.getTime()));
  return { action: 'sign', csr: info, usages, notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter, withSans: serving };
}

export type CleanupDecision = { action: 'keep'; recheckInMs?: number } | { action: 'delete'; reason: string };

/** The token cleaner: a bootstrap token Secret past its expiration is deleted; others are rechecked when they expire. */
export function planTokenCleanup(secret: Secret, now: Date): CleanupDecision {
  if (secret.type !== BOOTSTRAP_TOKEN_TYPE) return { action: 'keep' };
  const expiry = bootstrapTokenExpiry(secret);
  if (!expiry) return { action: 'keep' };
  const left = expiry.getTime() - now.getTime();
  return left <= 0 ? { action: 'delete', reason: `expired at ${expiry.toISOString()}` } : { action: 'keep', recheckInMs: left };
}

/**
 * The bootstrap signer (kubeadm's bootstrapsigner): the `jws-kubeconfig-<id>` entries that
 * cluster-info's data should hold — one per bootstrap token marked `usage-bootstrap-signing`
 * and not expired, signing the published kubeconfig — or undefined when it already does (or
 * there is no kubeconfig to sign).
 */
export function planClusterInfoSignatures(data: Record<string, string> | undefined, tokens: Secret[], now: Date): Record<string, string> | undefined {
  const content = data?.[CLUSTER_INFO_KUBECONFIG_KEY];
  if (!content) return undefined;
  const want: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (!key.startsWith(JWS_KEY_PREFIX)) want[key] = value;
  for (const secret of tokens) {
    if (secret.type !== BOOTSTRAP_TOKEN_TYPE) continue;
    const fields = bootstrapTokenData(secret);
    const token = parseBootstrapToken(`${fields['token-id'] ?? ''}.${fields['token-secret'] ?? ''}`);
    if (!token || fields['usage-bootstrap-signing'] !== 'true' || secret.metadata.name !== `${BOOTSTRAP_TOKEN_PREFIX}${token.id}`) continue;
    const expiry = bootstrapTokenExpiry(secret);
    if ((fields.expiration && !expiry) || (expiry && expiry.getTime() <= now.getTime())) continue;
    const current = data[`${JWS_KEY_PREFIX}${token.id}`];
    want[`${JWS_KEY_PREFIX}${token.id}`] = current && verifyClusterInfo(content, current, token) ? current : signClusterInfo(content, token);
  }
  const same = Object.keys(want).length === Object.keys(data).length && Object.entries(want).every(([k, v]) => data[k] === v);
  return same ? undefined : want;
}
