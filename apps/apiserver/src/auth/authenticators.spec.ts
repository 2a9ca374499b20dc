import { IncomingMessage } from 'node:http';
import { bootstrapTokenSecret, Secret } from '@coxswain/api';
import { anonymousAllowed, Authenticator, BootstrapTokenAuthenticator, UnionAuthenticator, userFromSubject } from './authenticators';
import { UserInfo } from './tokens';

const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {}, socket: {} }) as unknown as IncomingMessage;

describe('userFromSubject (client certificates)', () => {
  it.each([
    ['a node', { CN: 'system:node:n1', O: 'system:nodes' }, { name: 'system:node:n1', groups: ['system:nodes'], role: 'node', nodeName: 'n1' }],
    ['an admin with two groups', { CN: 'alice', O: ['system:masters', 'ops'] }, { name: 'alice', groups: ['system:masters', 'ops'], role: 'admin', nodeName: undefined }],
    ['the scheduler', { CN: 'system:kube-scheduler' }, { name: 'system:kube-scheduler', groups: [], role: 'scheduler', nodeName: undefined }],
    ['no common name', { O: 'system:masters' }, undefined],
  ])('%s', (_n, subject, want) => {
    const user = userFromSubject(subject);
    expect(user && { name: user.name, groups: user.groups, role: user.role, nodeName: user.nodeName }).toEqual(want);
  });
});

describe('BootstrapTokenAuthenticator', () => {
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const now = new Date('2026-12-05T10:00:00Z');
  const secrets = new Map<string, Secret>([['bootstrap-token-abcdef', bootstrapTokenSecret(token, { expiration: new Date('2026-12-05T11:00:00Z') })]]);
  const rejected: string[] = [];
  const auth = new BootstrapTokenAuthenticator(async (name) => secrets.get(name), () => now, (r) => rejected.push(r));
  it.each([
    ['the token', 'Bearer abcdef.0123456789abcdef', 'system:bootstrap:abcdef bootstrapper'],
    ['a wrong secret', 'Bearer abcdef.ffffffffffffffff', undefined],
    ['an unknown id', 'Bearer zzzzzz.0123456789abcdef', undefined],
    ['a token-file token (not bootstrap-shaped)', 'Bearer 5f2c0d7e9a', undefined],
    ['no header', undefined, undefined],
  ])('%s', async (_n, header, want) => {
    const user = await auth.authenticate(req(header));
    expect(user && `${user.name} ${user.role}`).toBe(want);
  });
  it('says why it refused (logged, never sent)', () => expect(rejected).toEqual(['bootstrap token abcdef: token id or secret does not match', 'bootstrap token zzzzzz: secret bootstrap-token-zzzzzz not found']));
});

describe('UnionAuthenticator', () => {
  const fixed = (name: string | undefined): Authenticator => ({ authenticate: async () => (name ? ({ name, uid: name, groups: [], role: 'viewer' } as UserInfo) : undefined) });
  it.each([
    [['a', 'b'], 'a'],
    [[undefined, 'b'], 'b'],
    [[undefined, undefined], undefined],
  ])('%j → %s', async (names, want) => expect((await new UnionAuthenticator(names.map(fixed)).authenticate(req()))?.name).toBe(want));
});

describe('anonymousAllowed (token discovery reads cluster-info without credentials)', () => {
  it.each([
    ['GET cluster-info', 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', undefined, true],
    ['with a query', 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info?resourceVersion=0', undefined, true],
    ['with a (bad) token: 401 as usual', 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', 'Bearer nope', false],
    ['another configmap', 'GET', '/api/v1/namespaces/kube-public/configmaps/other', undefined, false],
    ['the kube-public list', 'GET', '/api/v1/namespaces/kube-public/configmaps', undefined, false],
    ['a watch of it', 'GET', '/api/v1/watch/namespaces/kube-public/configmaps/cluster-info', undefined, false],
    ['a subpath', 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info/status', undefined, false],
    ['a write', 'PUT', '/api/v1/namespaces/kube-public/configmaps/cluster-info', undefined, false],
    ['another namespace', 'GET', '/api/v1/namespaces/default/configmaps/cluster-info', undefined, false],
  ])('%s', (_n, method, url, authorization, want) => {
    expect(anonymousAllowed({ method, url, headers: authorization ? { authorization } : {} })).toBe(want);
  });
});
