import { StatusError, serverTimeout } from '@coxswain/api';
import { isTransientEtcdError } from './etcd-object-store';

describe('isTransientEtcdError', () => {
  it.each([
    ['14 UNAVAILABLE: etcdserver: request timed out, possibly due to connection lost', true],
    ['etcdserver: request timed out', true],
    ['etcdserver: leader changed', true],
    ['etcdserver: no leader', true],
    ['etcdserver: too many requests', true],
    ['4 DEADLINE_EXCEEDED: Deadline exceeded', true],
    ['No connections available in the pool', true],
    ['connect ECONNREFUSED 127.0.0.1:2379', true],
    ['etcdserver: mvcc: required revision has been compacted', false],
    ['etcdserver: request is too large', false],
    ['etcdserver: mvcc: database space exceeded', false],
    ['Unexpected token } in JSON', false],
  ])('%s → %s', (message, transient) => {
    expect(isTransientEtcdError(new Error(message))).toBe(transient);
  });
});

describe('serverTimeout', () => {
  it.each([
    ['configmaps', 'create', { kind: 'configmaps', name: 'create', retryAfterSeconds: 2 }],
    ['deployments.apps', 'update', { group: 'apps', kind: 'deployments', name: 'update', retryAfterSeconds: 2 }],
    ['datavolumes.cdi.kubevirt.io', 'delete', { group: 'cdi.kubevirt.io', kind: 'datavolumes', name: 'delete', retryAfterSeconds: 2 }],
  ])('%s %s: 500 ServerTimeout with Kubernetes\' message and Retry-After', (resource, operation, details) => {
    const error = serverTimeout(resource, operation);
    expect(error).toBeInstanceOf(StatusError);
    expect(error.status).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'ServerTimeout',
      message: `The ${operation} operation against ${resource} could not be completed at this time, please try again.`,
      details,
    });
  });
});
