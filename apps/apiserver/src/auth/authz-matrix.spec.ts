// The whole authorization policy as one reviewed table: every role × resource × subresource ×
// verb, rendered to testdata/authz-matrix.golden. Any change to who may do what shows up as a
// diff of that file (rewrite it with UPDATE_GOLDEN=1 after an intended change and review it).
// A few rows that matter most are also pinned explicitly below.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_VERBS, RESOURCES } from '@coxswain/api';
import { authorize, Decision } from './authorizer';
import { UserInfo } from './tokens';

const USERS: UserInfo[] = [
  { name: 'admin', uid: 'a', groups: ['system:masters'], role: 'admin' },
  { name: 'viewer', uid: 'v', groups: [], role: 'viewer' },
  { name: 'system:kube-scheduler', uid: 's', groups: [], role: 'scheduler' },
  { name: 'system:kube-controller-manager', uid: 'c', groups: [], role: 'controller' },
  { name: 'system:node:n1', uid: 'n', groups: ['system:nodes'], role: 'node', nodeName: 'n1' },
  { name: 'system:bootstrap:abcdef', uid: 'b', groups: ['system:bootstrappers'], role: 'bootstrapper' },
];

const STREAMS = ['exec', 'attach', 'portforward', 'log', 'console'];

/** One cell: `+` allowed, `-` denied, `b` only for objects bound to the node, `n` only its own name, `r` only objects its workloads reference, `p` only the local provisioner's volumes on the node. */
function cell(d: Decision): string {
  if (!d.allowed) return '-';
  if (d.boundTo) return 'b';
  if (d.createName) return 'n';
  if (d.referencedFrom) return 'r';
  if (d.provisionOn || d.provisionedOn) return 'p';
  return '+';
}

function matrix(): string {
  const verbs = [...ALL_VERBS];
  const lines = [`# role resource[/subresource]: ${verbs.join(' ')}`];
  const seen = new Set<string>();
  for (const user of USERS) {
    for (const r of RESOURCES) {
      for (const sub of [undefined, ...r.subresources]) {
        const key = `${user.role} ${r.group ? `${r.plural}.${r.group}` : r.plural}${sub ? `/${sub}` : ''}`;
        if (seen.has(key)) continue; // served versions of one resource share a row
        seen.add(key);
        const namespace = r.namespaced ? (r.plural === 'leases' ? 'kube-node-lease' : 'default') : undefined;
        // Named requests (the node's own name where it matters) so per-object rules show.
        const name = r.plural === 'nodes' || r.plural === 'leases' ? 'n1' : 'x';
        const cells = verbs.map((verb) => {
          const collection = verb === 'list' || verb === 'watch' || verb === 'deletecollection' || (verb === 'create' && !sub);
          return cell(authorize(user, { verb, group: r.group, resource: r.plural, subresource: sub, namespace, name: collection ? undefined : name }));
        });
        lines.push(`${key}: ${cells.join(' ')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('authorization matrix', () => {
  it('matches the reviewed table', () => {
    const file = join(__dirname, 'testdata', 'authz-matrix.golden');
    const actual = matrix();
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it.each(STREAMS)('interactive streams are for admins only; logs are readable by viewers and controllers (%s)', (sub) => {
    const resource = sub === 'console' ? 'virtualmachineinstances' : 'pods';
    const verb = sub === 'log' || sub === 'console' ? 'get' : 'create';
    const allowed = USERS.filter((user) => authorize(user, { verb, group: resource === 'pods' ? '' : 'kubevirt.io', resource, subresource: sub, namespace: 'default', name: 'x' }).allowed);
    expect(allowed.map((u) => u.role)).toEqual(sub === 'log' ? ['admin', 'viewer', 'controller'] : ['admin']);
  });

  it('keeps secrets from viewers and the scheduler, and nodes to referenced ones', () => {
    const get = (user: UserInfo) => authorize(user, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' });
    expect(USERS.map((u) => [u.role, cell(get(u))])).toEqual([['admin', '+'], ['viewer', '-'], ['scheduler', '-'], ['controller', '+'], ['node', 'r'], ['bootstrapper', '-']]);
  });

  it('lets a bootstrap token only create and read CertificateSigningRequests', () => {
    const bootstrapper = USERS.find((u) => u.role === 'bootstrapper')!;
    const allowed = RESOURCES.flatMap((r) => [undefined, ...r.subresources].flatMap((sub) => ALL_VERBS.filter((verb) => authorize(bootstrapper, { verb, group: r.group, resource: r.plural, subresource: sub, name: 'x' }).allowed).map((verb) => `${verb} ${r.plural}${sub ? `/${sub}` : ''}`)));
    expect(allowed).toEqual(['create certificatesigningrequests', 'get certificatesigningrequests', 'list certificatesigningrequests', 'watch certificatesigningrequests']);
  });

  it('lets only the scheduler bind', () => {
    const bind = (user: UserInfo) => authorize(user, { verb: 'create', group: '', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'x' }).allowed;
    expect(USERS.filter(bind).map((u) => u.role)).toEqual(['scheduler']);
  });
});

describe('system:anonymous (kubeadm\'s bootstrap-signer-clusterinfo Role)', () => {
  const anonymous: UserInfo = { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'], role: 'anonymous' };
  it('may only get kube-public/cluster-info', () => {
    const allowed = RESOURCES.flatMap((r) => [undefined, ...r.subresources].flatMap((sub) => ALL_VERBS.flatMap((verb) => ['kube-public', 'default', undefined].flatMap((namespace) => ['cluster-info', 'x', undefined]
      .filter((name) => authorize(anonymous, { verb, group: r.group, resource: r.plural, subresource: sub, namespace, name }).allowed)
      .map((name) => `${verb} ${r.plural}${sub ? `/${sub}` : ''} ${namespace}/${name}`)))));
    expect(allowed).toEqual(['get configmaps kube-public/cluster-info']);
  });
});
