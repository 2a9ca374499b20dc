import { allowedApiPath, statusMessage } from './upstream';

describe('allowedApiPath', () => {
  it.each([
    ['/api/v1/pods', true],
    ['/api', true],
    ['/apis/apps/v1/namespaces/d/deployments/web/scale', true],
    ['/apis/metrics.k8s.io/v1beta1/nodes', true],
    ['/healthz', false],
    ['/metrics', false],
    ['/apiserver', false],
    ['/api/v1/../../etc', false],
    ['/api/v1/%2e%2e/x', false],
    ['/api/v1/a%2Fb', false],
    ['/api/./v1', false],
  ])('%p → %p', (path, want) => expect(allowedApiPath(path)).toBe(want));
});

describe('statusMessage', () => {
  it.each([
    [403, '{"kind":"Status","message":"pods is forbidden"}', 'pods is forbidden'],
    [502, 'bad gateway', 'HTTP 502: bad gateway'],
    [500, '', 'HTTP 500'],
  ])('%p %p', (code, body, want) => expect(statusMessage(code, body)).toBe(want));
});
