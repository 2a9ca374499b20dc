import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticateBootstrapToken, bootstrapTokenSecret, generateBootstrapToken, parseBootstrapToken } from './bootstrap-token';
import { encodeBytes, kubeletClientProblem, kubeletServingProblem, nodeNameOf, parseCsrPem } from './csr';
import { generateKeyAndCsr, signCertificate } from './x509';
import { checkCertificateSigningRequest, checkCsrStatusUpdate, signerNameProblems } from '../validation/certificates';

const NODE = { commonName: 'system:node:n1', organizations: ['system:nodes'] };

describe('bootstrap tokens', () => {
  it.each([
    ['abcdef.0123456789abcdef', { id: 'abcdef', secret: '0123456789abcdef' }],
    ['ABCDEF.0123456789abcdef', undefined],
    ['abcde.0123456789abcdef', undefined],
    ['abcdef.0123456789abcde', undefined],
    ['abcdef0123456789abcdef', undefined],
    ['abcdef.0123456789abcdef ', undefined],
  ])('parses %j', (text, want) => expect(parseBootstrapToken(text)).toEqual(want));

  it('generates tokens in the bootstrap format', () => {
    for (let i = 0; i < 20; i++) {
      const t = generateBootstrapToken();
      expect(parseBootstrapToken(`${t.id}.${t.secret}`)).toEqual(t);
    }
  });

  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const now = new Date('2026-12-05T10:00:00Z');
  const secret = (options = {}, patch: (s: ReturnType<typeof bootstrapTokenSecret>) => void = () => undefined) => {
    const s = bootstrapTokenSecret(token, options);
    patch(s);
    return s;
  };
  it.each([
    ['a valid token', secret(), { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] }],
    ['unexpired', secret({ expiration: new Date('2026-12-05T11:00:00Z') }), { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] }],
    ['extra groups', secret({ extraGroups: ['system:bootstrappers:coxswain:default-node-token'] }), { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:coxswain:default-node-token'] }],
    ['missing', undefined, 'secret bootstrap-token-abcdef not found'],
    ['expired', secret({ expiration: new Date('2026-12-05T09:59:59Z') }), 'token expired at 2026-12-05T09:59:59Z'],
    ['wrong secret', bootstrapTokenSecret({ id: 'abcdef', secret: 'ffffffffffffffff' }), 'token id or secret does not match'],
    ['wrong type', secret({}, (s) => void (s.type = 'Opaque')), 'secret has type "Opaque", not bootstrap.kubernetes.io/token'],
    ['not for authentication', secret({}, (s) => void (s.data!['usage-bootstrap-authentication'] = encodeBytes('false'))), 'token is not usable for authentication'],
    ['being deleted', secret({}, (s) => void (s.metadata.deletionTimestamp = now.toISOString())), 'token is being deleted'],
    ['bad extra group', secret({ extraGroups: ['system:masters'] }), 'auth-extra-groups contains an invalid group "system:masters"'],
  ])('authenticates %s', (_name, s, want) => expect(authenticateBootstrapToken(token, s as never, now)).toEqual(want));
});

describe('certificate requests', () => {
  let client: string;
  let serving: string;
  let withSans: string;
  beforeAll(async () => {
    client = (await generateKeyAndCsr(NODE)).csrPem;
    serving = (await generateKeyAndCsr({ ...NODE, dnsNames: ['n1'], ipAddresses: ['10.0.0.1'] })).csrPem;
    withSans = (await generateKeyAndCsr({ commonName: 'system:node:n1', organizations: ['system:masters'], dnsNames: ['x'] })).csrPem;
  });

  it('reads subject and SANs', () => {
    const info = parseCsrPem(serving);
    expect([info.commonName, info.organizations, info.dnsNames, info.ipAddresses]).toEqual(['system:node:n1', ['system:nodes'], ['n1'], ['10.0.0.1']]);
  });

  it.each([
    ['not PEM', 'hello', 'PEM block type must be CERTIFICATE REQUEST'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'PEM block type must be CERTIFICATE REQUEST'],
  ])('refuses %s', (_n, pem, want) => expect(() => parseCsrPem(pem)).toThrow(want));

  it.each([
    ['client, RSA-free usages', 'client', ['digital signature', 'client auth'], undefined, 'fits'],
    ['client, all usages', 'client', ['key encipherment', 'digital signature', 'client auth'], undefined, 'fits'],
    ['client, server usage', 'client', ['digital signature', 'server auth'], 'usages did not match [client auth digital signature key encipherment]', 'fits'],
    ['client with SANs', 'serving', ['digital signature', 'client auth'], 'DNS subjectAltNames are not allowed', 'fits'],
    ['wrong organization', 'withSans', ['digital signature', 'client auth'], 'subject organization is not system:nodes', 'subject organization is not system:nodes'],
    ['serving without SANs', 'client', ['digital signature', 'server auth'], 'usages did not match [client auth digital signature key encipherment]', 'DNS or IP subjectAltName is required'],
  ])('kubelet signer rules: %s', (_n, which, usages, wantClient, wantServing) => {
    const info = parseCsrPem({ client, serving, withSans }[which as 'client']);
    expect(kubeletClientProblem(info, usages)).toBe(wantClient);
    if (wantServing !== 'fits') expect(kubeletServingProblem(info, usages)).toBe(wantServing);
  });

  it('serving request with SANs fits the serving signer', () => {
    expect(kubeletServingProblem(parseCsrPem(serving), ['digital signature', 'server auth'])).toBeUndefined();
  });

  it.each([
    ['system:node:n1', 'n1'],
    ['system:node:', undefined],
    ['system:bootstrap:abcdef', undefined],
  ])('node name of %s', (user, want) => expect(nodeNameOf(user)).toBe(want));

  const csr = (spec: Record<string, unknown>, status?: unknown) => ({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'c' }, spec: { request: encodeBytes(client), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec }, status });
  it.each([
    ['valid', {}, []],
    ['not a CSR', { request: encodeBytes('hello') }, ['spec.request: Invalid value: "<bytes>": PEM block type must be CERTIFICATE REQUEST']],
    ['not base64', { request: '%%%' }, ['spec.request: Invalid value: "<bytes>": must be base64-encoded']],
    ['bad signer', { signerName: 'kubelet' }, ["spec.signerName: Invalid value: \"kubelet\": must be a fully qualified domain and path of the form 'example.com/signer-name'"]],
    ['no usages', { usages: [] }, ['spec.usages: Required value: usages must be provided']],
    ['unknown usage', { usages: ['client auth', 'flying'] }, [expect.stringMatching(/^spec.usages\[1\]: Unsupported value: "flying": supported values: "signing"/)]],
    ['duplicate usage', { usages: ['client auth', 'client auth'] }, ['spec.usages[1]: Duplicate value: "client auth"']],
    ['short expiry', { expirationSeconds: 599 }, ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)']],
  ])('validates %s', (_n, spec, want) => {
    expect(checkCertificateSigningRequest(csr(spec)).map((c) => `${c.field}: ${c.message}`)).toEqual(want);
  });

  it.each([
    ['signer names', 'example.com/my-signer', []],
    ['nested path', 'example.com/a/b', []],
    ['no path', 'example.com/', ["must be a fully qualified domain and path of the form 'example.com/signer-name'"]],
  ])('%s', (_n, name, want) => expect(signerNameProblems(name)).toEqual(want));

  const approved = { type: 'Approved', status: 'True', reason: 'AutoApproved' };
  const denied = { type: 'Denied', status: 'True' };
  const failed = { type: 'Failed', status: 'True' };
  const cert = encodeBytes('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  it.each([
    ['approve', {}, { conditions: [approved] }, []],
    ['approve and deny', {}, { conditions: [approved, denied] }, ['status.conditions: Invalid value: "Approved, Denied": Approved and Denied conditions are mutually exclusive']],
    ['approval with False', {}, { conditions: [{ type: 'Approved', status: 'False' }] }, ['status.conditions[0].status: Unsupported value: "False": supported values: "True"']],
    ['remove approval', { conditions: [approved] }, { conditions: [] }, ['status.conditions: Forbidden: updates may not remove a condition of type "Approved"']],
    ['issue when approved', { conditions: [approved] }, { conditions: [approved], certificate: cert }, []],
    ['issue when not approved', {}, { certificate: cert }, ['status.certificate: Forbidden: certificate may only be set on an approved request']],
    ['issue when failed', { conditions: [approved] }, { conditions: [approved, failed], certificate: cert }, ['status.certificate: Forbidden: certificate may not be set on a failed request']],
    ['replace a certificate', { conditions: [approved], certificate: cert }, { conditions: [approved], certificate: encodeBytes('-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n') }, ['status.certificate: Forbidden: updates may not modify existing certificate content']],
    ['not a certificate', { conditions: [approved] }, { conditions: [approved], certificate: encodeBytes('hello') }, ['status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block and nothing else']],
  ])('status update: %s', (_n, before, after, want) => {
    expect(checkCsrStatusUpdate(before, after).map((c) => `${c.field}: ${c.message}`)).toEqual(want);
  });
});

describe('signing', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cox-ca-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.crt'], { cwd: dir, stdio: 'pipe' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('issues a certificate the CA verifies, with the request subject, usages and SANs', async () => {
    const ca = { certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'ca.key'), 'utf8') };
    const { csrPem } = await generateKeyAndCsr({ ...NODE, dnsNames: ['n1'], ipAddresses: ['10.0.0.1'] });
    const notBefore = new Date(Date.now() - 60_000);
    const notAfter = new Date(Date.now() + 3600_000);
    const pem = await signCertificate(parseCsrPem(csrPem), ca, { usages: ['digital signature', 'server auth'], notBefore, notAfter, withSans: true });
    const issued = new X509Certificate(pem);
    expect(issued.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(issued.subject).toBe('CN=system:node:n1\nO=system:nodes');
    expect(issued.subjectAltName).toBe('DNS:n1, IP Address:10.0.0.1');
    expect(issued.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(issued.ca).toBe(false);
    expect(new Date(issued.validTo).getTime()).toBe(Math.floor(notAfter.getTime() / 1000) * 1000);
  });
});
