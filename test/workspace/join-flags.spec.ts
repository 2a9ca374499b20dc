// `npm run up -- --join …` flags (deploy/join.ts), checked before anything starts: kubeadm's
// rules for how a joining machine may come to trust the cluster's CA.
import { JoinFlags, parseJoinFlags } from '../../deploy/join';

const token = 'abcdef.0123456789abcdef';
const pin = `sha256:${'ab'.repeat(32)}`;

describe('parseJoinFlags', () => {
  it.each<[string, JoinFlags, ReturnType<typeof parseJoinFlags>]>([
    ['token discovery with a pin (the printed join command)', { join: '10.0.0.1:6443', token, 'discovery-token-ca-cert-hash': [pin] },
      { apiUrl: 'https://10.0.0.1:6443', token, discovery: { kind: 'token', caCertHashes: [pin], unsafeSkipCaVerification: false } }],
    ['an https URL and two pins (upper-case hex normalised)', { join: 'https://cp.example:6443', token, 'discovery-token-ca-cert-hash': [pin, pin.toUpperCase().replace('SHA256', 'sha256')] },
      { apiUrl: 'https://cp.example:6443', token, discovery: { kind: 'token', caCertHashes: [pin, pin], unsafeSkipCaVerification: false } }],
    ['unsafe skip', { join: '10.0.0.1:6443', token, 'discovery-token-unsafe-skip-ca-verification': true },
      { apiUrl: 'https://10.0.0.1:6443', token, discovery: { kind: 'token', caCertHashes: [], unsafeSkipCaVerification: true } }],
    ['a CA file', { join: 'https://10.0.0.1:6443', token, 'ca-file': 'ca.crt' }, { apiUrl: 'https://10.0.0.1:6443', token, discovery: { kind: 'file', caFile: 'ca.crt' } }],
  ])('accepts %s', (_n, flags, want) => expect(parseJoinFlags(flags)).toEqual(want));

  it.each<[string, JoinFlags, string]>([
    ['no pin, no skip, no file', { join: '10.0.0.1:6443', token }, '--join needs --discovery-token-ca-cert-hash sha256:<hex>'],
    ['a malformed pin', { join: '10.0.0.1:6443', token, 'discovery-token-ca-cert-hash': ['sha256:abc'] }, '--discovery-token-ca-cert-hash "sha256:abc": expected sha256:<64 hex digits>'],
    ['a file and a pin', { join: '10.0.0.1:6443', token, 'ca-file': 'ca.crt', 'discovery-token-ca-cert-hash': [pin] }, '--ca-file and --discovery-token-* are alternatives'],
    ['no token', { join: '10.0.0.1:6443', 'discovery-token-ca-cert-hash': [pin] }, '--join needs the API server\'s address and --token'],
    ['a token that is not a bootstrap token', { join: '10.0.0.1:6443', token: 'admin-token', 'discovery-token-ca-cert-hash': [pin] }, '--token must be a bootstrap token'],
    ['plain http', { join: 'http://10.0.0.1:6443', token, 'discovery-token-ca-cert-hash': [pin] }, '--join needs the API server\'s https:// address'],
    ['a path', { join: 'https://10.0.0.1:6443/api', token, 'discovery-token-ca-cert-hash': [pin] }, '--join needs the API server\'s https:// address'],
  ])('refuses %s', (_n, flags, message) => expect(() => parseJoinFlags(flags)).toThrow(message));
});
