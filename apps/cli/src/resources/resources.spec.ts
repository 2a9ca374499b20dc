import { parseResourceArgs } from './args';
import { fromDiscovery, kindName, matchResource, qualifiedName, ResourceMapper } from './mapper';

describe('parseResourceArgs', () => {
  it.each([
    ['a type', ['pods'], { refs: [{ type: 'pods' }], named: false }],
    ['a type and names', ['pod', 'a', 'b'], { refs: [{ type: 'pod', name: 'a' }, { type: 'pod', name: 'b' }], named: true }],
    ['several types', ['pods,deploy'], { refs: [{ type: 'pods' }, { type: 'deploy' }], named: false }],
    ['type/name pairs', ['pod/a', 'deploy/web'], { refs: [{ type: 'pod', name: 'a' }, { type: 'deploy', name: 'web' }], named: true }],
  ])('%s', (_name, args, want) => {
    expect(parseResourceArgs(args)).toEqual(want);
  });

  it.each([
    ['nothing', [], /you must specify the type of resource to get/],
    ['mixed forms', ['pods', 'pod/a'], /there is no need to specify a resource type as a separate argument/],
    ['an empty name', ['pod/'], /must have a single resource and name/],
  ])('rejects %s', (_name, args, message) => {
    expect(() => parseResourceArgs(args)).toThrow(message);
  });
});

describe('resource names', () => {
  const builtin = ResourceMapper.builtin();
  it.each([
    ['po', 'pods'],
    ['pod', 'pods'],
    ['Pod', 'pods'],
    ['deploy', 'deployments'],
    ['deployments.apps', 'deployments'],
    ['deployments.v1.apps', 'deployments'],
    ['vmi', 'virtualmachineinstances'],
    ['vms', 'virtualmachines'],
    ['hpa', 'horizontalpodautoscalers'],
  ])('%s → %s', (typed, plural) => {
    expect(matchResource(builtin, typed)?.plural).toBe(plural);
  });

  it('an unknown name or group does not match', () => {
    expect(matchResource(builtin, 'gadgets')).toBeUndefined();
    expect(matchResource(builtin, 'deployments.extensions')).toBeUndefined();
  });

  it('names in messages', () => {
    const deploy = matchResource(builtin, 'deploy')!;
    const pod = matchResource(builtin, 'po')!;
    expect([qualifiedName(deploy), kindName(deploy), qualifiedName(pod), kindName(pod)]).toEqual(['deployments.apps', 'deployment.apps', 'pods', 'pod']);
  });

  it('discovery lists fold subresources into their resource', () => {
    const list = fromDiscovery('example.com', 'v1', [
      { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list'], shortNames: ['wd'], categories: ['all'] },
      { name: 'widgets/status', namespaced: true, kind: 'Widget', verbs: ['get'] },
    ]);
    expect(list).toEqual([{ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', namespaced: true, shortNames: ['wd'], categories: ['all'], verbs: ['get', 'list'], subresources: ['status'] }]);
    expect(matchResource(list, 'wd.example.com')?.kind).toBe('Widget');
  });
});
