import { resourceForKind, StatusError } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';
import { admitHostPath, hostPathCauses } from './volume-admission';

const user = (role: UserInfo['role']): UserInfo => ({ name: `u-${role}`, uid: role, groups: [], role });
const podSpec = { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'cache', emptyDir: {} }, { name: 'host', hostPath: { path: '/etc' } }] };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: podSpec };
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { template: { spec: podSpec } } };
const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' }, spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } };

describe('hostPath admission', () => {
  it.each<[string, object, string]>([
    ['pod', pod, 'spec.volumes[1].hostPath'],
    ['deployment template', deployment, 'spec.template.spec.volumes[1].hostPath'],
    ['cronjob job template', cronJob, 'spec.jobTemplate.spec.template.spec.volumes[1].hostPath'],
  ])('names the field in a %s', (_name, obj, field) => {
    expect(hostPathCauses(obj).map((c) => c.field)).toEqual([field]);
  });

  it.each<[UserInfo['role'], boolean]>([
    ['admin', true],
    ['controller', true],
    ['viewer', false],
    ['node', false],
    ['scheduler', false],
  ])('%s may use hostPath: %s', (role, allowed) => {
    const attempt = () => admitHostPath(user(role), resourceForKind('Pod')!, pod as never, 'create');
    if (allowed) expect(attempt).not.toThrow();
    else {
      expect(attempt).toThrow(StatusError);
      try {
        attempt();
      } catch (error) {
        const status = (error as StatusError).status;
        expect(status.code).toBe(403);
        expect(status.reason).toBe('Forbidden');
        expect(status.details?.causes?.[0]).toMatchObject({ field: 'spec.volumes[1].hostPath' });
      }
    }
  });

  it('lets anyone use other volume types', () => {
    const plain = { ...pod, spec: { ...podSpec, volumes: [{ name: 'cache', emptyDir: {} }] } };
    expect(() => admitHostPath(user('node'), resourceForKind('Pod')!, plain as never, 'create')).not.toThrow();
  });
});
