// Bootstrap tokens as kubeadm stores them: a Secret `kube-system/bootstrap-token-<id>` of type
// `bootstrap.kubernetes.io/token`. The API server authenticates `<id>.<secret>` as
// `system:bootstrap:<id>` in `system:bootstrappers`; the token cleaner deletes expired ones.
import type { Secret } from '../types/config';
import { base64ToUtf8, isBase64, utf8ToBase64 } from '../meta/base64';

export const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const BOOTSTRAP_TOKEN_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

export interface BootstrapToken {
  id: string;
  secret: string;
}

/** `abcdef.0123456789abcdef` → its id and secret; undefined when it is not a bootstrap token. */
export function parseBootstrapToken(text: string): BootstrapToken | undefined {
  const match = TOKEN.exec(text);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** A fresh random token (kubeadm's GenerateBootstrapToken: [a-z0-9] from a CSPRNG). */
export function generateBootstrapToken(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): BootstrapToken {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (length: number) => {
    let out = '';
    while (out.length < length) {
      // Reject bytes ≥ 252 so every character is equally likely (252 = 7 × 36).
      for (const byte of random(length * 2)) if (byte < 252 && out.length < length) out += alphabet[byte % 36];
    }
    return out;
  };
  return { id: pick(6), secret: pick(16) };
}

export interface BootstrapTokenOptions {
  expiration?: Date;
  description?: string;
  extraGroups?: string[];
}

/** The Secret that stores a token. */
export function bootstrapTokenSecret(token: BootstrapToken, options: BootstrapTokenOptions = {}): Secret {
  const data: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    'usage-bootstrap-authentication': 'true',
    'usage-bootstrap-signing': 'true',
  };
  if (options.expiration) data.expiration = options.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (options.description) data.description = options.description;
  if (options.extraGroups?.length) data['auth-extra-groups'] = options.extraGroups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${BOOTSTRAP_TOKEN_PREFIX}${token.id}`, namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_TYPE,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, utf8ToBase64(v)])),
  } as Secret;
}

/** The decoded fields of a bootstrap token Secret (values that are not base64 read as absent). */
export function bootstrapTokenData(secret: Pick<Secret, 'data'>): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data ?? {}).filter(([, v]) => typeof v === 'string' && isBase64(v)).map(([k, v]) => [k, base64ToUtf8(v)]));
}

/** When a token Secret expires (its `expiration` field); undefined when it never does or the field is malformed. */
export function bootstrapTokenExpiry(secret: Pick<Secret, 'data'>): Date | undefined {
  const text = bootstrapTokenData(secret).expiration;
  if (!text) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export interface BootstrapIdentity {
  name: string;
  groups: string[];
}

/**
 * Kubernetes' bootstrap token authenticator: the Secret must be of the right type, name, not
 * being deleted, for authentication, unexpired at `now`, and hold the same id and secret.
 * Returns why not as a string (logged, never sent: every failure is a plain 401).
 */
export function authenticateBootstrapToken(token: BootstrapToken, secret: Secret | undefined, now: Date): BootstrapIdentity | string {
  if (!secret) return `secret ${BOOTSTRAP_TOKEN_PREFIX}${token.id} not found`;
  if (secret.type !== BOOTSTRAP_TOKEN_TYPE) return `secret has type ${JSON.stringify(secret.type)}, not ${BOOTSTRAP_TOKEN_TYPE}`;
  if (secret.metadata?.deletionTimestamp) return 'token is being deleted';
  const data = bootstrapTokenData(secret);
  if (data['token-id'] !== token.id || !constantTimeEqual(data['token-secret'] ?? '', token.secret)) return 'token id or secret does not match';
  if (data['usage-bootstrap-authentication'] !== 'true') return 'token is not usable for authentication';
  const expiry = bootstrapTokenExpiry(secret);
  if (data.expiration && !expiry) return 'token has a malformed expiration';
  if (expiry && expiry.getTime() <= now.getTime()) return `token expired at ${data.expiration}`;
  const extra = (data['auth-extra-groups'] ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  const bad = extra.find((g) => !EXTRA_GROUP.test(g));
  if (bad) return `auth-extra-groups contains an invalid group ${JSON.stringify(bad)}`;
  return { name: `${BOOTSTRAP_USER_PREFIX}${token.id}`, groups: [...new Set([BOOTSTRAPPERS_GROUP, ...extra])] };
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
