import { bootstrapTokenSecret, CertificateSigningRequest, clusterInfoKubeconfig, signClusterInfo, verifyClusterInfo, encodeBytes, generateKeyAndCsr, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, Node, SubjectSpec } from '@coxswain/api';
import { BACKDATE_MS, planApproval, planClusterInfoSignatures, planSigning, planTokenCleanup } from './plan';

const NODES = { commonName: 'system:node:n1', organizations: ['system:nodes'] };
const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } };
const BOOTSTRAP = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
const SELF = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const OTHER_NODE = { username: 'system:node:n2', groups: ['system:nodes', 'system:authenticated'] };
const ADMIN = { username: 'admin', groups: ['system:masters'] };
const CLIENT_USAGES = ['digital signature', 'client auth'];
const SERVING_USAGES = ['digital signature', 'server auth'];
const approved = { type: 'Approved', status: 'True' as const };

const pems = new Map<string, string>();
async function pemFor(subject: SubjectSpec): Promise<string> {
  const key = JSON.stringify(subject);
  if (!pems.has(key)) pems.set(key, (await generateKeyAndCsr(subject)).csrPem);
  return pems.get(key)!;
}

async function csr(subject: SubjectSpec, signerName: string, usages: string[], requester: { username: string; groups: string[] }, status?: CertificateSigningRequest['status'], expirationSeconds?: number): Promise<CertificateSigningRequest> {
  return { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'c' }, spec: { request: encodeBytes(await pemFor(subject)), signerName, usages, expirationSeconds, ...requester }, status };
}

describe('planApproval', () => {
  const SERVING = { ...NODES, dnsNames: ['n1'], ipAddresses: ['10.0.0.1'] };
  it.each<[string, () => Promise<CertificateSigningRequest>, string]>([
    ['a bootstrap token asking for a node client certificate', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP), 'approve: Auto approving kubelet client certificate for a bootstrap token.'],
    ['a node renewing its own client certificate', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, SELF), 'approve: Auto approving self kubelet client certificate renewal.'],
    ['a node asking for another node\'s client certificate', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, OTHER_NODE), 'skip: requester system:node:n2 is neither a bootstrap token nor the node itself'],
    ['a client request with the wrong organization', () => csr({ commonName: 'system:node:n1', organizations: ['system:masters'] }, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP), 'skip: subject organization is not system:nodes'],
    ['a client request for server auth', () => csr(NODES, KUBELET_CLIENT_SIGNER, SERVING_USAGES, BOOTSTRAP), 'skip: usages did not match [client auth digital signature key encipherment]'],
    ['an admin\'s client request', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, ADMIN), 'skip: requester admin is neither a bootstrap token nor the node itself'],
    ['a serving request naming only the node\'s addresses', () => csr(SERVING, KUBELET_SERVING_SIGNER, SERVING_USAGES, SELF), 'approve: Auto approving kubelet serving certificate: every subject alternative name is an address of node n1.'],
    ['a serving request naming a foreign address', () => csr({ ...NODES, ipAddresses: ['10.0.0.1', '10.9.9.9'] }, KUBELET_SERVING_SIGNER, SERVING_USAGES, SELF), 'skip: subject alternative names 10.9.9.9 are not addresses of node n1'],
    ['a serving request from a bootstrap token', () => csr(SERVING, KUBELET_SERVING_SIGNER, SERVING_USAGES, BOOTSTRAP), 'skip: requester system:bootstrap:abcdef is not system:node:n1'],
    ['a serving request for an unregistered node', () => csr({ ...SERVING, commonName: 'system:node:n3' }, KUBELET_SERVING_SIGNER, SERVING_USAGES, { ...SELF, username: 'system:node:n3' }), 'skip: node n3 is not registered'],
    ['another signer', () => csr(NODES, 'example.com/other', CLIENT_USAGES, BOOTSTRAP), 'skip: signer example.com/other is not auto-approved'],
    ['an approved request', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved] }), 'skip: already approved'],
    ['a denied request', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [{ type: 'Denied', status: 'True' }] }), 'skip: denied'],
  ])('%s', async (_name, make, want) => {
    const decision = planApproval(await make(), (name) => (name === 'n1' ? node : undefined));
    expect(decision.approve ? `approve: ${decision.message}` : `skip: ${decision.reason}`).toBe(want);
  });
});

describe('planSigning', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const caNotAfter = new Date('2036-01-01T00:00:00Z');
  const year = 365 * 24 * 3600_000;
  it.each<[string, () => Promise<CertificateSigningRequest>, string]>([
    ['pending', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP), 'skip: not approved'],
    ['approved client', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved] }), `sign: ${new Date(now.getTime() + year).toISOString()} sans=false`],
    ['approved with a requested lifetime', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved] }, 3600), 'sign: 2026-12-05T11:00:00.000Z sans=false'],
    ['approved serving', () => csr({ ...NODES, ipAddresses: ['10.0.0.1'] }, KUBELET_SERVING_SIGNER, SERVING_USAGES, SELF, { conditions: [approved] }), `sign: ${new Date(now.getTime() + year).toISOString()} sans=true`],
    ['approved but outside the signer\'s rules', () => csr({ commonName: 'admin', organizations: ['system:masters'] }, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, ADMIN, { conditions: [approved] }), 'fail: subject organization is not system:nodes'],
    ['already issued', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved], certificate: 'eA==' }), 'skip: already issued'],
    ['failed', () => csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved, { type: 'Failed', status: 'True' }] }), 'skip: failed'],
    ['another signer', () => csr(NODES, 'example.com/x', CLIENT_USAGES, BOOTSTRAP, { conditions: [approved] }), 'skip: signer example.com/x is not ours'],
  ])('%s', async (_name, make, want) => {
    const d = planSigning(await make(), now, year, caNotAfter);
    const text = d.action === 'sign' ? `sign: ${d.notAfter.toISOString()} sans=${d.withSans}` : d.action === 'fail' ? `fail: ${d.message}` : `skip: ${d.reason}`;
    expect(text).toBe(want);
    if (d.action === 'sign') expect(d.notBefore.getTime()).toBe(now.getTime() - BACKDATE_MS);
  });

  it('never outlives the CA', async () => {
    const d = planSigning(await csr(NODES, KUBELET_CLIENT_SIGNER, CLIENT_USAGES, BOOTSTRAP, { conditions: [approved] }), now, year, new Date('2027-01-01T00:00:00Z'));
    expect(d.action === 'sign' && d.notAfter.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('planTokenCleanup', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  it.each([
    ['expired', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T09:00:00Z') }), { action: 'delete', reason: 'expired at 2026-12-05T09:00:00.000Z' }],
    ['unexpired', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T10:00:30Z') }), { action: 'keep', recheckInMs: 30_000 }],
    ['without expiration', bootstrapTokenSecret(token), { action: 'keep' }],
    ['another Secret type', { ...bootstrapTokenSecret(token, { expiration: new Date(0) }), type: 'Opaque' }, { action: 'keep' }],
  ])('%s', (_n, secret, want) => expect(planTokenCleanup(secret, now)).toEqual(want));
});

describe('planClusterInfoSignatures (bootstrapsigner)', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  const kubeconfig = clusterInfoKubeconfig('https://10.0.0.1:6443', 'CA');
  const a = { id: 'aaaaaa', secret: '0123456789abcdef' };
  const b = { id: 'bbbbbb', secret: 'fedcba9876543210' };
  const later = new Date(now.getTime() + 3600_000);
  const earlier = new Date(now.getTime() - 1000);
  const noSigning = bootstrapTokenSecret(b, { expiration: later });
  noSigning.data = { ...noSigning.data, 'usage-bootstrap-signing': Buffer.from('false').toString('base64') };

  it.each([
    ['no kubeconfig published yet: nothing to sign', {}, [bootstrapTokenSecret(a)], undefined],
    ['a signing token gets its signature', { kubeconfig }, [bootstrapTokenSecret(a, { expiration: later })], { kubeconfig, 'jws-kubeconfig-aaaaaa': signClusterInfo(kubeconfig, a) }],
    ['already signed: no update', { kubeconfig, 'jws-kubeconfig-aaaaaa': signClusterInfo(kubeconfig, a) }, [bootstrapTokenSecret(a)], undefined],
    ['an expired token, a deleted one and one not for signing lose theirs', { kubeconfig, 'jws-kubeconfig-aaaaaa': 'x', 'jws-kubeconfig-bbbbbb': 'y', 'jws-kubeconfig-cccccc': 'z' }, [bootstrapTokenSecret(a, { expiration: earlier }), noSigning], { kubeconfig }],
    ['a stale signature (kubeconfig changed) is redone', { kubeconfig, 'jws-kubeconfig-aaaaaa': signClusterInfo('old', a) }, [bootstrapTokenSecret(a)], { kubeconfig, 'jws-kubeconfig-aaaaaa': signClusterInfo(kubeconfig, a) }],
  ])('%s', (_name, data, tokens, want) => {
    const got = planClusterInfoSignatures(data as Record<string, string>, tokens, now);
    expect(got).toEqual(want);
    if (got?.['jws-kubeconfig-aaaaaa']) expect(verifyClusterInfo(kubeconfig, got['jws-kubeconfig-aaaaaa'], a)).toBe(true);
  });
});
