import { podSpecsOf } from '@coxswain/api';
import { admitPodSecurity } from './pod-security';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (container: Obj, podSc?: Obj): Obj => ({ kind: 'Pod', metadata: { name: 'p' }, spec: { ...(podSc ? { securityContext: podSc } : {}), containers: [{ name: 'c', image: 'busybox', ...container }] } });
const deployment = (spec: Obj): Obj => ({ kind: 'Deployment', spec: { template: { spec } } });

describe('admitPodSecurity', () => {
  it.each([
    ['admin may run privileged', 'admin', pod({ securityContext: { privileged: true } }), undefined],
    ['a controller may (it acts on an admin\'s template)', 'controller', pod({ securityContext: { privileged: true } }), undefined],
    ['a viewer may not', 'viewer', pod({ securityContext: { privileged: true } }), 'privileged containers are reserved to cluster administrators (container "c" sets securityContext.privileged=true)'],
    ['privileged: false is anyone\'s', 'node', pod({ securityContext: { privileged: false } }), undefined],
    ['hostNetwork: a viewer may not', 'viewer', { ...pod({}), spec: { ...pod({}).spec, hostNetwork: true } }, 'the host\'s network is reserved to cluster administrators (spec.hostNetwork=true)'],
    ['hostNetwork: admin may', 'admin', { ...pod({}), spec: { ...pod({}).spec, hostNetwork: true } }, undefined],
    ['hostNetwork: false is anyone\'s', 'viewer', { ...pod({}), spec: { ...pod({}).spec, hostNetwork: false } }, undefined],
    ['both, refused together', 'viewer', { ...pod({ securityContext: { privileged: true } }), spec: { ...pod({ securityContext: { privileged: true } }).spec, hostNetwork: true } },
      'privileged containers are reserved to cluster administrators (container "c" sets securityContext.privileged=true); the host\'s network is reserved to cluster administrators (spec.hostNetwork=true)'],
  ] as const)('%s', (_n, role, obj, forbidden) => {
    expect(admitPodSecurity(role, 'Pod', obj).forbidden).toBe(forbidden);
  });

  it('checks pod templates of workloads', () => {
    const d = deployment(pod({ securityContext: { privileged: true } }).spec);
    expect(admitPodSecurity('viewer', 'Deployment', d).forbidden).toMatch(/reserved to cluster administrators/);
    const cj = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: pod({}, { sysctls: [{ name: 'kernel.msgmax', value: '1' }] }).spec } } } } };
    expect(admitPodSecurity('viewer', 'CronJob', cj).causes.map((c) => c.field)).toEqual(['spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name']);
  });

  it('unsafe sysctls are for administrators only; safe ones for everybody', () => {
    const p = pod({}, { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }] });
    expect(admitPodSecurity('viewer', 'Pod', p).causes).toEqual([{
      reason: 'FieldValueForbidden', field: 'spec.securityContext.sysctls[1].name',
      message: 'Forbidden: unsafe sysctl "net.core.somaxconn" is reserved to cluster administrators (safe sysctls are allowed)',
    }]);
    expect(admitPodSecurity('admin', 'Pod', p).causes).toEqual([]);
  });

  it.each([6443, 2379, 2380, 10250, 10255])('hostPort %d is refused to everyone', (port) => {
    const causes = admitPodSecurity('admin', 'Pod', pod({ ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: port }] })).causes;
    expect(causes).toEqual([expect.objectContaining({ reason: 'FieldValueForbidden', field: 'spec.containers[0].ports[1].hostPort' })]);
    expect(causes[0].message).toMatch(new RegExp(`^Forbidden: port ${port} is reserved for `));
  });

  it('ordinary hostPorts pass', () => {
    expect(admitPodSecurity('admin', 'Pod', pod({ ports: [{ containerPort: 80, hostPort: 8080 }] }))).toEqual({ causes: [] });
  });

  it('other kinds carry no pod specs', () => {
    expect(podSpecsOf('ConfigMap', { data: {} })).toEqual([]);
  });
});
