import { randomBytes } from 'node:crypto';
import { chainTransformer, isStaleAtRest, markStaleAtRest, parseEncryptionConfiguration, transformerLookup } from './encryption';

const key = (name: string, bytes = 32) => ({ name, secret: randomBytes(bytes).toString('base64') });
const config = (providers: unknown[], resources = ['secrets']) => JSON.stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources, providers }] });
const chain = (providers: unknown[]) => chainTransformer(parseEncryptionConfiguration(config(providers))[0].providers);
const ETCD_KEY = '/registry/core/secrets/default/db';
const plain = Buffer.from('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');

describe('EncryptionConfiguration parsing', () => {
  it('reads YAML in Kubernetes shape', () => {
    const k = key('key1');
    const rules = parseEncryptionConfiguration(`apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm:
          keys:
            - name: ${k.name}
              secret: ${k.secret}
      - identity: {}
`);
    expect(rules).toHaveLength(1);
    expect(rules[0].resources).toEqual(['secrets']);
    expect(rules[0].providers.map((p) => p.kind)).toEqual(['aesgcm', 'identity']);
  });

  it.each<[string, string, RegExp]>([
    ['wrong kind', JSON.stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'Nope', resources: [] }), /kind must be EncryptionConfiguration/],
    ['short key', config([{ aesgcm: { keys: [key('k', 8)] } }]), /16, 24 or 32 bytes/],
    ['no keys', config([{ aesgcm: { keys: [] } }]), /at least one key/],
    ['duplicate key names', config([{ aesgcm: { keys: [key('k'), key('k')] } }]), /duplicate key name/],
    ['unsupported provider', config([{ kms: {} }]), /provider "kms" is not supported/],
    ['no providers', config([]), /at least one provider/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseEncryptionConfiguration(text)).toThrow(message);
  });
});

describe('AES-GCM transformer', () => {
  it('writes with Kubernetes prefix and no plaintext, reads back', () => {
    const t = chain([{ aesgcm: { keys: [key('key1')] } }, { identity: {} }]);
    const stored = t.toStorage(plain, ETCD_KEY);
    expect(stored.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    expect(stored.includes(Buffer.from('Secret'))).toBe(false);
    expect(stored.includes(Buffer.from('aHVudGVyMg'))).toBe(false);
    expect(t.fromStorage(stored, ETCD_KEY)).toEqual({ plain, stale: false });
  });

  it('uses a fresh nonce per write', () => {
    const t = chain([{ aesgcm: { keys: [key('key1')] } }]);
    expect(t.toStorage(plain, ETCD_KEY).equals(t.toStorage(plain, ETCD_KEY))).toBe(false);
  });

  it('binds the value to its etcd key (copied to another key it does not decrypt)', () => {
    const t = chain([{ aesgcm: { keys: [key('key1')] } }]);
    const stored = t.toStorage(plain, ETCD_KEY);
    expect(() => t.fromStorage(stored, '/registry/core/secrets/default/other')).toThrow();
  });

  it('rotation: the first key encrypts, every key decrypts, old-key reads are stale', () => {
    const oldKey = key('old');
    const newKey = key('new');
    const before = chain([{ aesgcm: { keys: [oldKey] } }, { identity: {} }]);
    const storedOld = before.toStorage(plain, ETCD_KEY);
    const during = chain([{ aesgcm: { keys: [newKey, oldKey] } }, { identity: {} }]);
    expect(during.fromStorage(storedOld, ETCD_KEY)).toEqual({ plain, stale: true });
    const rewritten = during.toStorage(plain, ETCD_KEY);
    expect(rewritten.subarray(0, 22).toString()).toBe('k8s:enc:aesgcm:v1:new:');
    const after = chain([{ aesgcm: { keys: [newKey] } }, { identity: {} }]);
    expect(after.fromStorage(rewritten, ETCD_KEY)).toEqual({ plain, stale: false });
    expect(() => after.fromStorage(storedOld, ETCD_KEY)).toThrow(/no aesgcm key named "old"/);
  });

  it('plaintext reads through identity (stale under an aesgcm-first config); refused without identity', () => {
    expect(chain([{ aesgcm: { keys: [key('k')] } }, { identity: {} }]).fromStorage(plain, ETCD_KEY)).toEqual({ plain, stale: true });
    expect(chain([{ identity: {} }]).fromStorage(plain, ETCD_KEY)).toEqual({ plain, stale: false });
    expect(() => chain([{ aesgcm: { keys: [key('k')] } }]).fromStorage(plain, ETCD_KEY)).toThrow(/identity provider is not configured/);
  });

  it('identity first writes plaintext but still decrypts (the decrypt-everything step)', () => {
    const k = key('k');
    const stored = chain([{ aesgcm: { keys: [k] } }]).toStorage(plain, ETCD_KEY);
    const t = chain([{ identity: {} }, { aesgcm: { keys: [k] } }]);
    expect(t.toStorage(plain, ETCD_KEY)).toEqual(plain);
    expect(t.fromStorage(stored, ETCD_KEY)).toEqual({ plain, stale: true });
  });

  it('tampered ciphertext fails authentication', () => {
    const t = chain([{ aesgcm: { keys: [key('k')] } }]);
    const stored = t.toStorage(plain, ETCD_KEY);
    stored[stored.length - 20] ^= 1;
    expect(() => t.fromStorage(stored, ETCD_KEY)).toThrow();
  });
});

describe('resource matching', () => {
  it.each<[string[], string, boolean]>([
    [['secrets'], 'secrets', true],
    [['secrets'], 'configmaps', false],
    [['*.apps'], 'deployments.apps', true],
    [['*.apps'], 'secrets', false],
    [['*.'], 'configmaps', true],
    [['*.'], 'deployments.apps', false],
    [['*.*'], 'leases.coordination.k8s.io', true],
  ])('%j matches %s: %s', (resources, qualified, want) => {
    const lookup = transformerLookup(parseEncryptionConfiguration(config([{ identity: {} }], resources)));
    expect(lookup(qualified) !== undefined).toBe(want);
  });

  it('marks stale objects by identity', () => {
    const a = {};
    markStaleAtRest(a);
    expect(isStaleAtRest(a)).toBe(true);
    expect(isStaleAtRest({})).toBe(false);
  });
});
