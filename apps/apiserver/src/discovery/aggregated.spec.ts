import { aggregatedDiscovery, APIResourceDiscovery, negotiateDiscovery } from './aggregated';
import { apiResourceList } from './legacy';

const resource = (kind: 'api' | 'apis', group: string, name: string): APIResourceDiscovery | undefined =>
  aggregatedDiscovery(kind, 'v2')
    .items.find((i) => (i.metadata.name ?? '') === group)
    ?.versions[0].resources.find((r) => r.resource === name);

describe('aggregatedDiscovery', () => {
  it.each(['v2', 'v2beta1'] as const)('has the %s envelope', (version) => {
    const doc = aggregatedDiscovery('apis', version);
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    expect(doc.apiVersion).toBe(`apidiscovery.k8s.io/${version}`);
    expect(doc.metadata).toEqual({});
  });

  it('memoises a frozen document', () => {
    const doc = aggregatedDiscovery('apis', 'v2beta1');
    expect(aggregatedDiscovery('apis', 'v2beta1')).toBe(doc);
    expect(() => doc.items.pop()).toThrow(TypeError);
  });

  it('puts only the core group under /api, unnamed', () => {
    const doc = aggregatedDiscovery('api', 'v2');
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0].metadata).toEqual({ creationTimestamp: null });
    expect(doc.items[0].versions.map((v) => [v.version, v.freshness])).toEqual([['v1', 'Current']]);
  });

  it('puts every named group under /apis', () => {
    expect(aggregatedDiscovery('apis', 'v2').items.map((i) => i.metadata.name)).toEqual(['apps', 'autoscaling', 'coordination.k8s.io', 'events.k8s.io', 'discovery.k8s.io', 'storage.k8s.io', 'batch', 'policy', 'certificates.k8s.io', 'kubevirt.io', 'cdi.kubevirt.io', 'metrics.k8s.io']);
  });

  it('shapes pods with subresources like kube-apiserver', () => {
    expect(resource('api', '', 'pods')).toEqual({
      resource: 'pods',
      responseKind: { group: '', version: '', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { subresource: 'binding', responseKind: { group: '', version: '', kind: 'Binding' }, verbs: ['create'] },
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { subresource: 'exec', responseKind: { group: '', version: '', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
        { subresource: 'log', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get'] },
        { subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it.each([
    ['apps', 'deployments', 'scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    ['kubevirt.io', 'virtualmachines', 'start', { group: '', version: '', kind: 'VirtualMachine' }],
    ['kubevirt.io', 'virtualmachineinstances', 'console', { group: '', version: '', kind: 'VirtualMachineInstance' }],
  ])('%s %s/%s answers with %j', (group, name, sub, kind) => {
    expect(resource('apis', group, name)?.subresources?.find((s) => s.subresource === sub)?.responseKind).toEqual(kind);
  });

  it('marks cluster-scoped resources and omits empty short names', () => {
    expect(resource('api', '', 'nodes')).toMatchObject({ scope: 'Cluster', shortNames: ['no'] });
    expect(resource('apis', 'coordination.k8s.io', 'leases')).not.toHaveProperty('shortNames');
    expect(resource('apis', 'metrics.k8s.io', 'nodes')).toMatchObject({ scope: 'Cluster', singularResource: '', responseKind: { kind: 'NodeMetrics' } });
  });

  it('says the same as the legacy documents, resource by resource', () => {
    // What client-go's SplitGroupsAndResources would rebuild from the aggregated form.
    for (const kind of ['api', 'apis'] as const) {
      for (const item of aggregatedDiscovery(kind, 'v2').items) {
        for (const v of item.versions) {
          const legacy = apiResourceList(item.metadata.name ?? '', v.version)!.resources;
          const rebuilt = v.resources.flatMap((r) => [
            { name: r.resource, kind: r.responseKind.kind, namespaced: r.scope === 'Namespaced', verbs: r.verbs },
            ...(r.subresources ?? []).map((s) => ({ name: `${r.resource}/${s.subresource}`, kind: s.responseKind.kind, namespaced: r.scope === 'Namespaced', verbs: s.verbs })),
          ]);
          const simplified = legacy.map((l) => ({ name: l.name, kind: l.kind, namespaced: l.namespaced, verbs: l.verbs }));
          expect(rebuilt.sort((a, b) => a.name.localeCompare(b.name))).toEqual(simplified.sort((a, b) => a.name.localeCompare(b.name)));
        }
      }
    }
  });
});

describe('negotiateDiscovery', () => {
  const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
  it.each([
    ['kubectl 1.30+', `${v2},${v2beta1},application/json`, { format: 'aggregated', aggregated: true, version: 'v2', contentType: v2 }],
    ['kubectl 1.27-1.29', `${v2beta1},application/json`, { format: 'aggregated', aggregated: true, version: 'v2beta1', contentType: v2beta1 }],
    ['protobuf preferred, JSON aggregated next', `application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${v2},application/json`, { format: 'aggregated', aggregated: true, version: 'v2', contentType: v2 }],
    ['plain JSON', 'application/json', { format: 'legacy', aggregated: false, contentType: 'application/json' }],
    ['no Accept', undefined, { format: 'legacy', aggregated: false, contentType: 'application/json' }],
    ['wildcard', '*/*', { format: 'legacy', aggregated: false, contentType: 'application/json' }],
    ['unknown discovery version', 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', { format: 'legacy', aggregated: false, contentType: 'application/json' }],
    ['q prefers legacy', `${v2};q=0.5,application/json`, { format: 'legacy', aggregated: false, contentType: 'application/json' }],
    ['protobuf only', 'application/vnd.kubernetes.protobuf', undefined],
    ['Table only', 'application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
  ])('%s', (_name, accept, want) => expect(negotiateDiscovery(accept)).toEqual(want));

  it('echoes g, v and as in the Content-Type as client-go checks', () => {
    const choice = negotiateDiscovery(v2beta1);
    const params = Object.fromEntries(choice!.contentType.split(';').slice(1).map((p) => p.split('=')));
    expect(choice!.contentType.split(';')[0]).toBe('application/json');
    expect(params).toEqual({ g: 'apidiscovery.k8s.io', v: 'v2beta1', as: 'APIGroupDiscoveryList' });
  });
});
