// Encryption at rest with Kubernetes' EncryptionConfiguration (apiserver.config.k8s.io/v1):
// per resource, an ordered provider list; the first provider encrypts every write, all of
// them are tried on read. Stored values carry Kubernetes' prefix
// `k8s:enc:aesgcm:v1:<key name>:` then a 12-byte nonce, the ciphertext and the GCM tag,
// with the etcd key as additional authenticated data (so a value cannot be moved to another key).
import { CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ValueTransformer {
  toStorage(plain: Buffer, etcdKey: string): Buffer;
  /** `stale`: not written by the current first provider/key, so a rewrite should re-encrypt it. */
  fromStorage(stored: Buffer, etcdKey: string): { plain: Buffer; stale: boolean };
}

// Objects decoded from stale values (old key, or plaintext under an aesgcm-first config). The
// REST layer writes them even when an update changes nothing: that is how `kubectl replace`
// of every Secret re-encrypts them after a key rotation, as in Kubernetes.
const staleObjects = new WeakSet<object>();
export const markStaleAtRest = (obj: object): void => void staleObjects.add(obj);
export const isStaleAtRest = (obj: object): boolean => staleObjects.has(obj);

interface AesKey {
  name: string;
  secret: Buffer;
}

type Provider = { kind: 'identity' } | { kind: 'aesgcm'; keys: AesKey[] };

interface ResourceRule {
  resources: string[];
  providers: Provider[];
}

const AESGCM_PREFIX = 'k8s:enc:aesgcm:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseKeys(keys: unknown, where: string): AesKey[] {
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${where}.keys: at least one key is required`);
  const seen = new Set<string>();
  return keys.map((k, i) => {
    const at = `${where}.keys[${i}]`;
    if (!isObj(k) || typeof k.name !== 'string' || k.name === '') throw new Error(`${at}.name: required`);
    if (k.name.includes(':')) throw new Error(`${at}.name: must not contain ':'`);
    if (seen.has(k.name)) throw new Error(`${at}.name: duplicate key name "${k.name}"`);
    seen.add(k.name);
    const secret = typeof k.secret === 'string' ? Buffer.from(k.secret, 'base64') : Buffer.alloc(0);
    if (![16, 24, 32].includes(secret.length)) throw new Error(`${at}.secret: must be base64 of 16, 24 or 32 bytes (got ${secret.length})`);
    return { name: k.name, secret };
  });
}

function parseProvider(p: unknown, where: string): Provider {
  if (!isObj(p) || Object.keys(p).length !== 1) throw new Error(`${where}: exactly one provider type per entry`);
  const [type, body] = Object.entries(p)[0];
  if (type === 'identity') return { kind: 'identity' };
  if (type === 'aesgcm') return { kind: 'aesgcm', keys: parseKeys(isObj(body) ? body.keys : undefined, `${where}.aesgcm`) };
  throw new Error(`${where}: provider "${type}" is not supported here (use aesgcm or identity)`);
}

/** Parses and checks an EncryptionConfiguration (YAML or JSON); throws with the field at fault. */
export function parseEncryptionConfiguration(text: string): ResourceRule[] {
  const doc = parse(text, { version: '1.1' }) as unknown;
  if (!isObj(doc)) throw new Error('encryption configuration: not an object');
  if (doc.kind !== 'EncryptionConfiguration') throw new Error(`encryption configuration: kind must be EncryptionConfiguration, not ${JSON.stringify(doc.kind)}`);
  if (doc.apiVersion !== 'apiserver.config.k8s.io/v1') throw new Error(`encryption configuration: apiVersion must be apiserver.config.k8s.io/v1`);
  if (!Array.isArray(doc.resources)) throw new Error('encryption configuration: resources is required');
  return doc.resources.map((r: unknown, i: number) => {
    const where = `resources[${i}]`;
    if (!isObj(r) || !Array.isArray(r.resources) || r.resources.length === 0) throw new Error(`${where}.resources: at least one resource is required`);
    if (!Array.isArray(r.providers) || r.providers.length === 0) throw new Error(`${where}.providers: at least one provider is required`);
    return { resources: r.resources.map(String), providers: r.providers.map((p: unknown, j: number) => parseProvider(p, `${where}.providers[${j}]`)) };
  });
}

const gcm = (key: AesKey) => `aes-${key.secret.length * 8}-gcm` as CipherGCMTypes;

function sealGcm(key: AesKey, plain: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(gcm(key), key.secret, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from(`${AESGCM_PREFIX}${key.name}:`), nonce, body, cipher.getAuthTag()]);
}

function openGcm(keys: Map<string, AesKey>, stored: Buffer, aad: string): { plain: Buffer; key: string } {
  const nameEnd = stored.indexOf(':', AESGCM_PREFIX.length);
  const name = nameEnd < 0 ? '' : stored.subarray(AESGCM_PREFIX.length, nameEnd).toString();
  const key = keys.get(name);
  if (!key) throw new Error(`no aesgcm key named "${name}" in the encryption configuration`);
  const rest = stored.subarray(nameEnd + 1);
  if (rest.length < NONCE_BYTES + TAG_BYTES) throw new Error('stored value too short for AES-GCM');
  const decipher = createDecipheriv(gcm(key), key.secret, rest.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(rest.subarray(rest.length - TAG_BYTES));
  return { plain: Buffer.concat([decipher.update(rest.subarray(NONCE_BYTES, rest.length - TAG_BYTES)), decipher.final()]), key: name };
}

/** One resource's provider chain as a transformer. */
export function chainTransformer(providers: Provider[]): ValueTransformer {
  const keys = new Map<string, AesKey>();
  for (const p of providers) if (p.kind === 'aesgcm') for (const k of p.keys) if (!keys.has(k.name)) keys.set(k.name, k);
  const identityReads = providers.some((p) => p.kind === 'identity');
  const first = providers[0];
  return {
    toStorage: (plain, etcdKey) => (first.kind === 'identity' ? plain : sealGcm(first.keys[0], plain, etcdKey)),
    fromStorage: (stored, etcdKey) => {
      if (stored.subarray(0, AESGCM_PREFIX.length).toString() === AESGCM_PREFIX) {
        if (keys.size === 0) throw new Error('value is encrypted with aesgcm but no aesgcm provider is configured');
        const opened = openGcm(keys, stored, etcdKey);
        return { plain: opened.plain, stale: first.kind !== 'aesgcm' || first.keys[0].name !== opened.key };
      }
      if (stored.subarray(0, 8).toString() === 'k8s:enc:') throw new Error(`value is encrypted with a provider that is not configured (${stored.subarray(0, 32).toString().split(':').slice(0, 3).join(':')})`);
      if (!identityReads) throw new Error('value is not encrypted and the identity provider is not configured to read it');
      return { plain: stored, stale: first.kind !== 'identity' };
    },
  };
}

function matches(pattern: string, qualified: string): boolean {
  if (pattern === '*.*') return true;
  if (pattern.startsWith('*.')) {
    const group = pattern.slice(2);
    const dot = qualified.indexOf('.');
    return (dot < 0 ? '' : qualified.slice(dot + 1)) === group;
  }
  return pattern === qualified;
}

/** `secrets`, `deployments.apps` → its transformer (first matching rule), or undefined. */
export type TransformerLookup = (qualifiedResource: string) => ValueTransformer | undefined;

export function transformerLookup(rules: ResourceRule[]): TransformerLookup {
  const chains = rules.map((r) => ({ resources: r.resources, transformer: chainTransformer(r.providers) }));
  const cache = new Map<string, ValueTransformer | undefined>();
  return (qualified) => {
    if (!cache.has(qualified)) cache.set(qualified, chains.find((c) => c.resources.some((p) => matches(p, qualified)))?.transformer);
    return cache.get(qualified);
  };
}

export function loadEncryptionConfiguration(path: string): TransformerLookup {
  return transformerLookup(parseEncryptionConfiguration(readFileSync(path, 'utf8')));
}
