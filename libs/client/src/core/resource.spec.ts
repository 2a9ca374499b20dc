import { apiVersionOf, parseApiVersion, ResourceDescriptor, resourcePath } from './resource';
import { BUILTIN_RESOURCES, builtinResourceForKind } from './builtin-resources';
import { KINDS } from '@coxswain/api/browser';

const pods: ResourceDescriptor = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodes: ResourceDescriptor = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const vms: ResourceDescriptor = { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines', namespaced: true };

describe('resourcePath', () => {
  it.each([
    ['core namespaced collection', pods, { namespace: 'ns' }, '/api/v1/namespaces/ns/pods'],
    ['core all-namespaces collection', pods, {}, '/api/v1/pods'],
    ['core namespaced object', pods, { namespace: 'ns', name: 'p' }, '/api/v1/namespaces/ns/pods/p'],
    ['subresource', pods, { namespace: 'ns', name: 'p', subresource: 'binding' }, '/api/v1/namespaces/ns/pods/p/binding'],
    ['cluster-scoped ignores namespace', nodes, { namespace: 'ns', name: 'n1' }, '/api/v1/nodes/n1'],
    ['named group', vms, { namespace: 'default', name: 'vm', subresource: 'status' }, '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm/status'],
    ['escapes names', pods, { namespace: 'a b', name: 'x/y' }, '/api/v1/namespaces/a%20b/pods/x%2Fy'],
  ])('%s', (_name, resource, where, want) => {
    expect(resourcePath(resource, where)).toBe(want);
  });

  it.each([
    ['empty name', { name: '' }, /empty name/],
    ['subresource without a name', { subresource: 'status' }, /needs an object name/],
  ])('rejects %s', (_name, where, want) => {
    expect(() => resourcePath(pods, where)).toThrow(want);
  });
});

describe('apiVersion helpers', () => {
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['coordination.k8s.io/v1', { group: 'coordination.k8s.io', version: 'v1' }],
  ])('%s round-trips', (apiVersion, want) => {
    expect(parseApiVersion(apiVersion)).toEqual(want);
    expect(apiVersionOf(want)).toBe(apiVersion);
  });
});

describe('builtinResourceForKind', () => {
  it.each([
    ['Pod', undefined, BUILTIN_RESOURCES.Pod],
    ['Lease', 'coordination.k8s.io/v1', BUILTIN_RESOURCES.Lease],
    ['Deployment', 'extensions/v1beta1', undefined],
    ['Unknown', undefined, undefined],
  ])('%s %s', (kind, apiVersion, want) => {
    expect(builtinResourceForKind(kind, apiVersion)).toBe(want);
  });
});

describe('BUILTIN_RESOURCES', () => {
  it('has every kind libs/api serves, at its preferred version', () => {
    expect(Object.keys(BUILTIN_RESOURCES).sort()).toEqual([...new Set(KINDS.map((k) => k.kind))].sort());
    expect(BUILTIN_RESOURCES.HorizontalPodAutoscaler.version).toBe('v2');
    expect(builtinResourceForKind('HorizontalPodAutoscaler', 'autoscaling/v1')).toEqual({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true });
  });
});
