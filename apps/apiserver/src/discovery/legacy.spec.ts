import { RESOURCES } from '@coxswain/api';
import { storageVersionHash } from './catalog';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, APIResource } from './legacy';

const byName = (list: APIResource[] | undefined, name: string): APIResource | undefined => list?.find((r) => r.name === name);

describe('apiVersions (/api)', () => {
  it('lists v1 and echoes the server address when given', () => {
    expect(apiVersions()).toEqual({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    expect(apiVersions('10.0.0.1:6443').serverAddressByClientCIDRs).toEqual([{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }]);
  });
});

describe('apiGroupList (/apis) and apiGroup (/apis/<group>)', () => {
  it('announces every named group with its preferred version', () => {
    const list = apiGroupList();
    expect(list.kind).toBe('APIGroupList');
    expect(list.apiVersion).toBe('v1');
    expect(list.groups.map((g) => g.preferredVersion.groupVersion)).toEqual([
      'apps/v1',
      'autoscaling/v2',
      'coordination.k8s.io/v1',
      'events.k8s.io/v1',
      'discovery.k8s.io/v1',
      'storage.k8s.io/v1',
      'batch/v1',
      'policy/v1',
      'certificates.k8s.io/v1',
      'kubevirt.io/v1',
      'cdi.kubevirt.io/v1beta1',
      'metrics.k8s.io/v1beta1',
    ]);
    expect(list.groups[0]).toEqual({ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
  });

  it('answers a single group and nothing for unknown ones', () => {
    expect(apiGroup('kubevirt.io')).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'kubevirt.io',
      versions: [{ groupVersion: 'kubevirt.io/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'kubevirt.io/v1', version: 'v1' },
    });
    expect(apiGroup('example.com')).toBeUndefined();
    expect(apiGroup('')).toBeUndefined();
  });
});

describe('apiResourceList', () => {
  const core = apiResourceList('', 'v1');

  it('has no apiVersion for core, like kube-apiserver, and one for named groups', () => {
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(core).not.toHaveProperty('apiVersion');
    expect(apiResourceList('apps', 'v1')).toMatchObject({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1' });
  });

  it('shapes pods exactly like Kubernetes, storage hash included', () => {
    expect(byName(core?.resources, 'pods')).toEqual({
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: 'xPOwRZ+Yhw8=',
    });
  });

  it.each([
    ['', 'v1', 'pods/status', { singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] }],
    ['', 'v1', 'pods/binding', { kind: 'Binding', verbs: ['create'] }],
    ['', 'v1', 'pods/log', { kind: 'Pod', verbs: ['get'] }],
    ['', 'v1', 'pods/exec', { kind: 'PodExecOptions', verbs: ['create', 'get'] }],
    ['', 'v1', 'pods/eviction', { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }],
    ['', 'v1', 'namespaces/finalize', { namespaced: false, kind: 'Namespace', verbs: ['update'] }],
    ['', 'v1', 'nodes/status', { namespaced: false, kind: 'Node', verbs: ['get', 'patch', 'update'] }],
    ['apps', 'v1', 'deployments/scale', { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
    ['apps', 'v1', 'replicasets/scale', { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
    ['kubevirt.io', 'v1', 'virtualmachineinstances/console', { kind: 'VirtualMachineInstance', verbs: ['get'] }],
    ['kubevirt.io', 'v1', 'virtualmachines/start', { kind: 'VirtualMachine', verbs: ['update'] }],
    ['kubevirt.io', 'v1', 'virtualmachines/stop', { kind: 'VirtualMachine', verbs: ['update'] }],
    ['kubevirt.io', 'v1', 'virtualmachines/restart', { kind: 'VirtualMachine', verbs: ['update'] }],
    ['kubevirt.io', 'v1', 'virtualmachineinstancereplicasets/scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    ['metrics.k8s.io', 'v1beta1', 'nodes', { singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] }],
    ['metrics.k8s.io', 'v1beta1', 'pods', { singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }],
  ])('%s/%s %s', (group, version, name, want) => {
    const entry = byName(apiResourceList(group, version)?.resources, name);
    expect(entry).toMatchObject({ name, ...want });
    if (name.includes('/')) expect(entry).toMatchObject({ singularName: '' });
    // Subresources in the same group/version carry no group/version of their own.
    if (!('group' in want)) expect(entry).not.toHaveProperty('group');
  });

  it('lists every registry kind, in its group/version, with its hash and short names', () => {
    for (const r of RESOURCES) {
      const entry = byName(apiResourceList(r.group, r.version)?.resources, r.plural);
      expect(entry).toMatchObject({ kind: r.kind, singularName: r.singular, namespaced: r.namespaced, storageVersionHash: storageVersionHash(r.group, r.version, r.kind) });
      if (r.shortNames.length) expect(entry?.shortNames).toEqual(r.shortNames);
      else expect(entry).not.toHaveProperty('shortNames');
      for (const sub of r.subresources) expect(byName(apiResourceList(r.group, r.version)?.resources, `${r.plural}/${sub}`)).toBeDefined();
    }
  });

  it('sorts entries by name, as kube-apiserver does', () => {
    const names = core!.resources.map((r) => r.name);
    expect(names).toEqual([...names].sort());
    expect(names.indexOf('pods')).toBeLessThan(names.indexOf('pods/binding'));
  });

  it.each([
    ['', 'v2'],
    ['apps', 'v1beta1'],
    ['example.com', 'v1'],
  ])('is undefined for %s/%s', (group, version) => expect(apiResourceList(group, version)).toBeUndefined());

  it.each([
    ['', 'v1', 'Pod', 'xPOwRZ+Yhw8='],
    ['apps', 'v1', 'Deployment', '8aSe+NMegvE='],
  ])('storageVersionHash(%s, %s, %s) matches Kubernetes', (group, version, kind, want) => expect(storageVersionHash(group, version, kind)).toBe(want));
});
