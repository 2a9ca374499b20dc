import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caCertHash, clusterInfoKubeconfig, parseCaCertHash, signClusterInfo, verifyClusterInfo } from './cluster-info';

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
