import { authorize, RequestAttributes } from './authorizer';
import { parseTokenFile, roleFor, UserInfo } from './tokens';

const user = (name: string, groups: string[] = []): UserInfo => ({
  name,
  uid: name,
  groups,
  role: roleFor(name, groups),
  nodeName: name.startsWith('system:node:') ? name.slice(12) : undefined,
});
const admin = user('alice', ['system:masters']);
const viewer = user('bob', ['coxswain:viewers']);
const node1 = user('system:node:n1', ['system:nodes']);
const scheduler = user('system:kube-scheduler');
const controller = user('system:kube-controller-manager');

const pods = (verb: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, group: '', resource: 'pods', namespace: 'default', ...extra });

describe('authorize', () => {
  it.each<[string, UserInfo, RequestAttributes, boolean, string?]>([
    ['admin creates pods', admin, pods('create'), true],
    ['admin cannot bind', admin, pods('create', { name: 'p', subresource: 'binding' }), false],
    ['scheduler binds pods', scheduler, pods('create', { name: 'p', subresource: 'binding' }), true],
    ['scheduler binds vmis', scheduler, { verb: 'create', group: 'kubevirt.io', resource: 'virtualmachineinstances', name: 'v', subresource: 'binding' }, true],
    ['scheduler cannot create pods', scheduler, pods('create'), false],
    ['scheduler writes pod status', scheduler, pods('patch', { name: 'p', subresource: 'status' }), true],
    ['controller creates pods', controller, pods('create'), true],
    ['controller cannot bind', controller, pods('create', { name: 'p', subresource: 'binding' }), false],
    ['viewer lists', viewer, pods('list'), true],
    ['viewer reads logs', viewer, pods('get', { name: 'p', subresource: 'log' }), true],
    ['viewer cannot exec', viewer, pods('create', { name: 'p', subresource: 'exec' }), false],
    ['viewer cannot attach', viewer, pods('create', { name: 'p', subresource: 'attach' }), false],
    ['viewer cannot port-forward', viewer, pods('create', { name: 'p', subresource: 'portforward' }), false],
    ['controller cannot attach', controller, pods('create', { name: 'p', subresource: 'attach' }), false],
    ['controller cannot port-forward', controller, pods('create', { name: 'p', subresource: 'portforward' }), false],
    ['admin attaches', admin, pods('create', { name: 'p', subresource: 'attach' }), true],
    ['admin port-forwards', admin, pods('create', { name: 'p', subresource: 'portforward' }), true],
    ['node cannot attach', node1, pods('create', { name: 'p', subresource: 'attach' }), false],
    ['viewer cannot delete', viewer, pods('delete', { name: 'p' }), false],
    ['node reads pods', node1, pods('watch'), true],
    ['node updates own Node', node1, { verb: 'update', group: '', resource: 'nodes', name: 'n1' }, true],
    ['node cannot update other Node', node1, { verb: 'patch', group: '', resource: 'nodes', name: 'n2', subresource: 'status' }, false],
    ['node writes own lease', node1, { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }, true],
    ['node cannot write other lease', node1, { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n2' }, false],
    ['node watches services (service proxy, DNS)', node1, { verb: 'watch', group: '', resource: 'services' }, true],
    ['node lists endpointslices', node1, { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices' }, true],
    ['node cannot write services', node1, { verb: 'create', group: '', resource: 'services', namespace: 'default' }, false],
    ['node cannot create pods', node1, pods('create'), false],
    ['node cannot bind', node1, pods('create', { name: 'p', subresource: 'binding' }), false],
    ['node creates events', node1, { verb: 'create', group: '', resource: 'events', namespace: 'default' }, true],
    ['viewer cannot get secrets', viewer, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' }, false],
    ['viewer cannot list secrets', viewer, { verb: 'list', group: '', resource: 'secrets', namespace: 'default' }, false],
    ['viewer cannot watch secrets', viewer, { verb: 'watch', group: '', resource: 'secrets' }, false],
    ['viewer reads configmaps', viewer, { verb: 'list', group: '', resource: 'configmaps', namespace: 'default' }, true],
    ['scheduler cannot read secrets', scheduler, { verb: 'list', group: '', resource: 'secrets' }, false],
    ['admin reads secrets', admin, { verb: 'list', group: '', resource: 'secrets' }, true],
    ['node cannot list all secrets', node1, { verb: 'list', group: '', resource: 'secrets', namespace: 'default' }, false],
    ['node cannot watch all configmaps', node1, { verb: 'watch', group: '', resource: 'configmaps' }, false],
    ['node cannot write secrets', node1, { verb: 'update', group: '', resource: 'secrets', namespace: 'default', name: 's' }, false],
  ])('%s', (_name, who, attrs, allowed) => {
    expect(authorize(who, attrs).allowed).toBe(allowed);
  });

  const claims = (verb: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, group: '', resource: 'persistentvolumeclaims', namespace: 'default', ...extra });
  const volumes = (verb: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({ verb, group: '', resource: 'persistentvolumes', ...extra });
  it.each<[string, RequestAttributes, object]>([
    ['get a claim: graph', claims('get', { name: 'data' }), { allowed: true, referencedFrom: 'n1' }],
    ['watch one claim by name: graph', claims('watch', { name: 'data' }), { allowed: true, referencedFrom: 'n1' }],
    ['list claims', claims('list'), { allowed: false }],
    ['watch all claims', claims('watch', { namespace: undefined }), { allowed: false }],
    ['update a claim', claims('update', { name: 'data' }), { allowed: false }],
    ['patch a claim\'s status: graph (conditions only, checked on write)', claims('patch', { name: 'data', subresource: 'status' }), { allowed: true, referencedFrom: 'n1' }],
    ['update a claim\'s status: graph', claims('update', { name: 'data', subresource: 'status' }), { allowed: true, referencedFrom: 'n1' }],
    ['claim status without a name', claims('update', { subresource: 'status' }), { allowed: false }],
    ['create on claim status', claims('create', { name: 'data', subresource: 'status' }), { allowed: false }],
    ['get a volume: graph (or its own)', volumes('get', { name: 'pv' }), { allowed: true, referencedFrom: 'n1' }],
    ['list its own volumes', volumes('list', { labelSelector: 'coxswain.io/node=n1' }), { allowed: true }],
    ['watch its own volumes (spaces ignored)', volumes('watch', { labelSelector: ' coxswain.io/node = n1 ' }), { allowed: true }],
    ['list every volume', volumes('list'), { allowed: false }],
    ['list another node\'s volumes', volumes('list', { labelSelector: 'coxswain.io/node=n2' }), { allowed: false }],
    ['list with a wider selector', volumes('list', { labelSelector: 'coxswain.io/node' }), { allowed: false }],
    ['create a volume: checked against body and claim', volumes('create'), { allowed: true, provisionOn: 'n1' }],
    ['delete a volume: only its own', volumes('delete', { name: 'pv' }), { allowed: true, provisionedOn: 'n1' }],
    ['update a volume', volumes('update', { name: 'pv' }), { allowed: false }],
    ['deletecollection volumes', volumes('deletecollection'), { allowed: false }],
    ['volume status', volumes('update', { name: 'pv', subresource: 'status' }), { allowed: false }],
    ['read storage classes', { verb: 'list', group: 'storage.k8s.io', resource: 'storageclasses' }, { allowed: true }],
    ['write storage classes', { verb: 'create', group: 'storage.k8s.io', resource: 'storageclasses' }, { allowed: false }],
  ])('node storage: %s', (_name, attrs, want) => {
    expect(authorize(node1, attrs)).toMatchObject(want);
  });

  it('lets a node write status only of workloads bound to it', () => {
    expect(authorize(node1, pods('update', { name: 'p', subresource: 'status' }))).toEqual({ allowed: true, boundTo: 'n1' });
    expect(authorize(node1, pods('delete', { name: 'p' }))).toEqual({ allowed: true, boundTo: 'n1' });
  });
});

describe('parseTokenFile', () => {
  it('reads the Kubernetes static token format', () => {
    const users = parseTokenFile('# comment\nt1,alice,1,"system:masters,dev"\nt2,system:node:n1,n1,system:nodes\nt3,bob,3\n');
    expect(users.get('t1')).toMatchObject({ name: 'alice', role: 'admin', groups: ['system:masters', 'dev'] });
    expect(users.get('t2')).toMatchObject({ role: 'node', nodeName: 'n1' });
    expect(users.get('t3')).toMatchObject({ role: 'viewer', groups: [] });
  });

  it('rejects malformed lines', () => {
    expect(() => parseTokenFile('justatoken\n')).toThrow(/line 1/);
  });

  it('gives viewers Kubernetes\' RBAC denial (no reason appended)', () => {
    expect(authorize(viewer, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' })).toEqual({ allowed: false });
  });

  it('lets a node read a Secret or ConfigMap by name only through the reference graph', () => {
    expect(authorize(node1, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' })).toEqual({ allowed: true, referencedFrom: 'n1' });
    expect(authorize(node1, { verb: 'watch', group: '', resource: 'configmaps', namespace: 'default', name: 'c' })).toEqual({ allowed: true, referencedFrom: 'n1' });
  });
});
