import { parseRequestInfo } from './request-info';

const q = (s = '') => new URLSearchParams(s);

describe('parseRequestInfo', () => {
  it.each<[string, string, string, Record<string, unknown>]>([
    ['GET', '/api/v1/pods', '', { verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: undefined, isResourceRequest: true }],
    ['GET', '/api/v1/pods', 'watch=1', { verb: 'watch', resource: 'pods' }],
    // The Python client sends watch=True; Kubernetes treats anything but 0/false as true.
    ['GET', '/api/v1/pods', 'watch=True', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/pods', 'watch=FALSE', { verb: 'list', resource: 'pods' }],
    ['GET', '/api/v1/pods', 'watch=0', { verb: 'list', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods', '', { verb: 'list', namespace: 'default', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods/web', '', { verb: 'get', namespace: 'default', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web', 'watch=true', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', '', { verb: 'get', name: 'web', subresource: 'log' }],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', '', { verb: 'create', subresource: 'binding' }],
    ['POST', '/api/v1/namespaces/default/pods', '', { verb: 'create', resource: 'pods', namespace: 'default' }],
    ['PUT', '/apis/apps/v1/namespaces/x/deployments/d/scale', '', { verb: 'update', group: 'apps', version: 'v1', resource: 'deployments', name: 'd', subresource: 'scale' }],
    ['DELETE', '/apis/apps/v1/namespaces/x/deployments', '', { verb: 'deletecollection', resource: 'deployments' }],
    ['DELETE', '/apis/apps/v1/namespaces/x/deployments/d', '', { verb: 'delete', name: 'd' }],
    ['PATCH', '/apis/kubevirt.io/v1/namespaces/x/virtualmachines/vm', '', { verb: 'patch', group: 'kubevirt.io', resource: 'virtualmachines' }],
    ['GET', '/api/v1/namespaces', '', { verb: 'list', resource: 'namespaces', namespace: undefined }],
    ['GET', '/api/v1/namespaces/team', '', { verb: 'get', resource: 'namespaces', name: 'team', namespace: undefined }],
    ['PUT', '/api/v1/namespaces/team/status', '', { verb: 'update', resource: 'namespaces', name: 'team', subresource: 'status', namespace: undefined }],
    ['GET', '/api/v1/nodes/n1', '', { verb: 'get', resource: 'nodes', name: 'n1' }],
    ['GET', '/api', '', { isResourceRequest: false }],
    ['GET', '/api/v1', '', { isResourceRequest: false, version: 'v1' }],
    ['GET', '/apis', '', { isResourceRequest: false }],
    ['GET', '/apis/apps', '', { isResourceRequest: false }],
    ['GET', '/apis/apps/v1', '', { isResourceRequest: false, group: 'apps', version: 'v1' }],
    ['GET', '/healthz', '', { isResourceRequest: false }],
    ['GET', '/api/v1/namespaces/a%2Fb/pods', '', { namespace: 'a/b' }],
  ])('%s %s?%s', (method, path, query, expected) => {
    expect(parseRequestInfo(method, path, q(query))).toMatchObject(expected);
  });
});
