// Key pairs, certificate requests and signing with @peculiar/x509 on Node's WebCrypto: pure
// JavaScript (no openssl process), so the node agent makes its request and the controller
// manager signs it in-process. Keys are ECDSA P-256 (the kubelet's default); a CA key may be
// ECDSA or RSA.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CsrInfo } from './csr';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface SubjectSpec {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
}

const escapeRdn = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');

function subjectName(subject: SubjectSpec): string {
  return [`CN=${escapeRdn(subject.commonName)}`, ...(subject.organizations ?? []).map((o) => `O=${escapeRdn(o)}`)].join(', ');
}

function sanExtension(dnsNames: string[] = [], ipAddresses: string[] = []): x509.Extension[] {
  const names = [...dnsNames.map((value) => ({ type: 'dns' as const, value })), ...ipAddresses.map((value) => ({ type: 'ip' as const, value }))];
  return names.length ? [new x509.SubjectAlternativeNameExtension(names)] : [];
}

/** A new ECDSA P-256 key (PKCS#8 PEM) and a PEM CSR for `subject`, signed with it. */
export async function generateKeyAndCsr(subject: SubjectSpec): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const keyPem = await privateKeyPem(keys.privateKey as CryptoKey);
  const csrPem = await csrForKey(subject, keys as CryptoKeyPair);
  return { keyPem, csrPem };
}

/** A CSR for an existing key pair (PEM), as a renewal that keeps the key would send. */
export async function csrForKeyPem(subject: SubjectSpec, keyPem: string): Promise<string> {
  return csrForKey(subject, await importKeyPair(keyPem));
}

async function csrForKey(subject: SubjectSpec, keys: CryptoKeyPair): Promise<string> {
  const algorithm = keys.privateKey.algorithm.name === 'ECDSA' ? EC_P256 : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(subject),
    keys,
    signingAlgorithm: algorithm,
    extensions: sanExtension(subject.dnsNames, subject.ipAddresses),
  });
  return csr.toString('pem');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

/** A PEM private key (PKCS#8, SEC1 or PKCS#1) as a WebCrypto key pair for signing. */
async function importKeyPair(keyPem: string): Promise<CryptoKeyPair> {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKeyDer(keyPem);
  const type = key.asymmetricKeyType;
  let algorithm: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const named = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!named) throw new Error(`unsupported EC curve ${curve}`);
    algorithm = { name: 'ECDSA', namedCurve: named };
  } else if (type === 'rsa') {
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    throw new Error(`unsupported key type ${type}`);
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  return { privateKey, publicKey } as CryptoKeyPair;
}

function createPublicKeyDer(keyPem: string): Buffer {
  return createPublicKey(keyPem).export({ format: 'der', type: 'spki' });
}

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface SignOptions {
  usages: string[];
  notBefore: Date;
  notAfter: Date;
  /** Copy the request's DNS and IP SANs (serving certificates). */
  withSans: boolean;
}

const KEY_USAGE_FLAGS: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
};
const EXT_KEY_USAGES: Record<string, string> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
};

/** Issues a leaf certificate for a parsed request, signed by `ca` (after checking the request's own signature). */
export async function signCertificate(csr: CsrInfo, ca: CertificateAuthority, options: SignOptions): Promise<string> {
  if (!(await csr.request.verify())) throw new Error('x509: certificate request signature is invalid');
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKeys = await importKeyPair(ca.keyPem);
  const keyUsage = options.usages.reduce((flags, u) => flags | (KEY_USAGE_FLAGS[u] ?? 0), 0);
  const extUsages = options.usages.map((u) => EXT_KEY_USAGES[u]).filter(Boolean);
  const publicKey = await csr.request.publicKey.export();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsage, true),
    ...(extUsages.length ? [new x509.ExtendedKeyUsageExtension(extUsages)] : []),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ...(options.withSans ? sanExtension(csr.dnsNames, csr.ipAddresses) : []),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: csr.request.subject,
    issuer: caCert.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: caKeys.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions,
  });
  return cert.toString('pem');
}

/** The validity window of the first certificate in a PEM bundle. */
export function certificateValidity(pem: string): { notBefore: Date; notAfter: Date; subject: string } {
  const cert = new X509Certificate(pem);
  return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), subject: cert.subject };
}
