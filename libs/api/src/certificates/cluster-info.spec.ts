import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caCertHash, clusterInfoKubeconfig, clusterInfoUnsigned, parseCaCertHash, signClusterInfo, validateClusterInfo, verifyClusterInfo } from './cluster-info';

const token = { id: 'abcdef', secret: '0123456789abcdef' };
const content = clusterInfoKubeconfig('https://10.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');

describe('cluster-info signature (detached JWS, HS256 keyed by the token secret)', () => {
  it('has kubeadm\'s shape: <header>..<signature>, header {alg: HS256, kid: token id}', () => {
    const [header, payload, signature] = signClusterInfo(content, token).split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', kid: 'abcdef' });
    expect(payload).toBe('');
    expect(Buffer.from(signature, 'base64url')).toHaveLength(32);
  });

  it.each([
    ['the same content and token', content, token, true],
    ['content changed after signing', content.replace('10.0.0.1', '10.6.6.6'), token, false],
    ['another token secret', content, { id: 'abcdef', secret: 'ffffffffffffffff' }, false],
    ['another token id (kid mismatch)', content, { id: 'zzzzzz', secret: token.secret }, false],
  ])('verifies: %s', (_name, checked, by, want) => {
    expect(verifyClusterInfo(checked, signClusterInfo(content, token), by)).toBe(want);
  });

  it.each([['not.a.jws.at.all'], ['e30..AAAA'], ['!!..!!'], ['']])('refuses malformed %j', (jws) => {
    expect(verifyClusterInfo(content, jws, token)).toBe(false);
  });
});

describe('CA certificate hash', () => {
  it('is sha256 of the DER public key, as openssl computes it (kubeadm\'s documented recipe)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahash-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=ca', '-days', '1'], { stdio: 'ignore' });
      const pubDer = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', join(dir, 'c')]);
      const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pubDer });
      const hex = execFileSync('openssl', ['dgst', '-sha256', '-hex'], { input: der }).toString().trim().split(' ').pop();
      expect(caCertHash(readFileSync(join(dir, 'c'), 'utf8'))).toBe(`sha256:${hex}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [`sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(64)}`],
    [`sha256:${'a'.repeat(63)}`, undefined],
    [`md5:${'a'.repeat(64)}`, undefined],
  ])('parses pin %s', (text, want) => {
    expect(parseCaCertHash(text)).toBe(want);
  });
});

describe('validateClusterInfo (kubeadm token discovery)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'discovery-'));
  const ca = (name: string) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), '-subj', `/CN=${name}`, '-days', '1'], { stdio: 'ignore' });
    return readFileSync(join(dir, `${name}.crt`), 'utf8');
  };
  const real = ca('real');
  const rogue = ca('rogue');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const signed = (caPem: string, by = token, server = 'https://10.0.0.1:6443') => {
    const kubeconfig = clusterInfoKubeconfig(server, caPem);
    return { kubeconfig, [`jws-kubeconfig-${by.id}`]: signClusterInfo(kubeconfig, by) };
  };
  const pin = { caCertHashes: [caCertHash(real)] };

  it('trusts the CA when the token signed it and its key is pinned', () => {
    expect(validateClusterInfo(signed(real), token, pin)).toMatchObject({ server: 'https://10.0.0.1:6443', caPem: real });
  });

  it('accepts any one of several pins, and a CA bundle with the pinned one in it', () => {
    expect(validateClusterInfo(signed(real), token, { caCertHashes: [caCertHash(rogue), caCertHash(real)] }).caPem).toBe(real);
    expect(validateClusterInfo(signed(`${rogue}${real}`), token, pin).server).toBe('https://10.0.0.1:6443');
  });

  it('with --discovery-token-unsafe-skip-ca-verification, needs only the signature', () => {
    expect(validateClusterInfo(signed(rogue), token, { caCertHashes: [], unsafeSkipCaVerification: true }).caPem).toBe(rogue);
  });

  it.each<[string, Record<string, string> | undefined, RegExp]>([
    ['a CA that is not pinned (a server that knows the token, not the admin\'s CA)', signed(rogue), /cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/],
    ['no signature for this token', signed(real, { id: 'zzzzzz', secret: token.secret }), /token id "abcdef" is invalid for this cluster or it has expired/],
    ['a signature by another secret', signed(real, { id: 'abcdef', secret: 'ffffffffffffffff' }), /failed to verify JWS signature of received cluster-info object, can't trust this API Server/],
    ['a kubeconfig changed after signing', { ...signed(real), kubeconfig: clusterInfoKubeconfig('https://10.6.6.6:6443', real) }, /failed to verify JWS signature/],
    ['no kubeconfig', { 'jws-kubeconfig-abcdef': 'x..y' }, /there is no kubeconfig key in the cluster-info ConfigMap/],
    ['no data', undefined, /there is no kubeconfig key/],
    ['a signed kubeconfig without a CA', signed(''), /carries no certificate-authority-data/],
    ['a signed plain-http server', signed(real, token, 'http://10.0.0.1:6443'), /names no https server/],
  ])('refuses %s', (_name, data, message) => {
    expect(() => validateClusterInfo(data, token, pin)).toThrow(message);
  });

  it('refuses to go on without a pin unless told to skip CA verification', () => {
    expect(() => validateClusterInfo(signed(real), token, { caCertHashes: [] })).toThrow('--discovery-token-ca-cert-hash is required (or --discovery-token-unsafe-skip-ca-verification)');
  });

  it.each([
    ['no data', undefined, true],
    ['a kubeconfig not yet signed for the token', { kubeconfig: 'x' }, true],
    ['signed for it', { kubeconfig: 'x', 'jws-kubeconfig-abcdef': 'a..b' }, false],
  ])('clusterInfoUnsigned: %s', (_n, data, want) => expect(clusterInfoUnsigned(data, token)).toBe(want));
});
