import { rotationDeadline, servingRequest, splitPair } from './rotation';

describe('rotationDeadline (client-go: 70–90 % of the lifetime)', () => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2026-01-11T00:00:00Z'); // ten days
  it.each([
    [0, '2026-01-08T00:00:00.000Z'],
    [0.5, '2026-01-09T00:00:00.000Z'],
    [0.999999, '2026-01-09T23:59:59.827Z'],
    [-1, '2026-01-08T00:00:00.000Z'],
  ])('jitter %d → %s', (jitter, want) => expect(rotationDeadline(notBefore, notAfter, jitter).toISOString()).toBe(want));
});

describe('splitPair', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
  const key = '-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----';
  it('separates the certificate from the key, in either order', () => {
    expect(splitPair(`${cert}\n${key}\n`)).toEqual({ cert: `${cert}\n`, key: `${key}\n` });
    expect(splitPair(`${key}\n${cert}\n`)).toEqual({ cert: `${cert}\n`, key: `${key}\n` });
  });
  it('refuses a file without a key', () => expect(() => splitPair(cert)).toThrow('certificate pair file must hold a CERTIFICATE and a PRIVATE KEY'));
});

describe('servingRequest (kubelet-serving CSR for the node\'s addresses)', () => {
  it('asks for server auth with the node\'s identity and its DNS name and IP as SANs', () => {
    expect(servingRequest('n1', { dnsNames: ['n1.example'], ipAddresses: ['10.0.0.5'] })).toEqual({
      signerName: 'kubernetes.io/kubelet-serving',
      usages: ['digital signature', 'server auth'],
      subject: { commonName: 'system:node:n1', organizations: ['system:nodes'], dnsNames: ['n1.example'], ipAddresses: ['10.0.0.5'] },
    });
  });
});
