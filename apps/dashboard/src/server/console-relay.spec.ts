import { parseConsolePath, upstreamConsoleUrl } from './console-relay';

describe('console paths', () => {
  it.each([
    ['/api/console/default/tiny', { namespace: 'default', name: 'tiny' }],
    ['/api/console/team-a/vm.1', { namespace: 'team-a', name: 'vm.1' }],
    ['/api/console/default', undefined],
    ['/api/console/default/tiny/extra', undefined],
    ['/api/console/Default/tiny', undefined],
    ['/api/console/default/..', undefined],
    ['/api/k8s/x/y', undefined],
  ])('%p', (path, want) => expect(parseConsolePath(path)).toEqual(want));
  it('upstream URL is the kubevirt console subresource over ws(s)', () => {
    expect(upstreamConsoleUrl('https://10.0.0.1:6443', 'd', 'tiny')).toBe('wss://10.0.0.1:6443/apis/kubevirt.io/v1/namespaces/d/virtualmachineinstances/tiny/console');
    expect(upstreamConsoleUrl('http://127.0.0.1:8080', 'd', 'tiny')).toBe('ws://127.0.0.1:8080/apis/kubevirt.io/v1/namespaces/d/virtualmachineinstances/tiny/console');
  });
});
