import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapTokenSecret } from '@coxswain/api';
import { joinCommand, tokenIdOf, tokenRows } from './token';

describe('coxctl token list rows', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  it.each([
    ['a 5-hour token', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T15:00:00Z'), description: 'rack 3' }), ['abcdef.0123456789abcdef', '5h', '2026-12-05T15:00:00Z', 'authentication,signing', 'rack 3', '<none>']],
    ['a token that never expires', bootstrapTokenSecret(token, { extraGroups: ['system:bootstrappers:workers'] }), ['abcdef.0123456789abcdef', '<forever>', '<never>', 'authentication,signing', '<none>', 'system:bootstrappers:workers']],
    ['an expired token', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T09:00:00Z') }), ['abcdef.0123456789abcdef', '<invalid>', '2026-12-05T09:00:00Z', 'authentication,signing', '<none>', '<none>']],
  ])('%s', (_n, secret, want) => {
    expect(tokenRows([secret], now)).toEqual([['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'], want]);
  });

  it('skips Secrets that are not bootstrap tokens', () => {
    expect(tokenRows([{ ...bootstrapTokenSecret(token), type: 'Opaque' }], now)).toHaveLength(1);
  });
});

describe('token ids', () => {
  it.each([
    ['abcdef', 'abcdef'],
    ['abcdef.0123456789abcdef', 'abcdef'],
  ])('%s → %s', (text, id) => expect(tokenIdOf(text)).toBe(id));
  it('refuses anything else with kubeadm\'s message', () => expect(() => tokenIdOf('ABC')).toThrow('error: given token or token id "ABC" didn\'t match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}\\.[a-z0-9]{16}"'));
});

describe('joinCommand (token create --print-join-command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'joincmd-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=ca', '-days', '1'], { stdio: 'ignore' });
  const ca = readFileSync(join(dir, 'c'), 'utf8');
  // kubeadm's documented recipe for the hash, computed independently with openssl.
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', join(dir, 'c')]) });
  const hex = execFileSync('openssl', ['dgst', '-sha256', '-hex'], { input: der }).toString().trim().split(' ').pop();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['one server', 'https://10.0.0.1:6443'],
    ['a trailing slash', 'https://10.0.0.1:6443/'],
    ['a failover list (the first server)', 'https://10.0.0.1:6443,https://10.0.0.2:6443'],
  ])('%s', (_n, server) => {
    expect(joinCommand(server, ca)('abcdef.0123456789abcdef')).toBe(`npm run up -- --join https://10.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:${hex}`);
  });

  it.each<[string, string | undefined, string | undefined, string]>([
    ['no CA in the kubeconfig', 'https://10.0.0.1:6443', undefined, 'has no certificate-authority(-data)'],
    ['a CA that is not a certificate', 'https://10.0.0.1:6443', 'junk', 'is not a PEM certificate'],
    ['a plain-http server', 'http://127.0.0.1:8080', 'x', 'is not an https:// address a machine can join'],
  ])('refuses %s', (_n, server, caPem, message) => expect(() => joinCommand(server, caPem)).toThrow(message));
});
