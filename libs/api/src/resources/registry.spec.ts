import { findResource, KINDS, preferredKinds, qualifiedResource, resolveResourceName, resourceForKind, RESOURCES, storagePrefix } from './registry';

describe('resource registry', () => {
  it.each([
    ['po', 'Pod'],
    ['pods', 'Pod'],
    ['pod', 'Pod'],
    ['Pod', 'Pod'],
    ['deploy', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['rs', 'ReplicaSet'],
    ['no', 'Node'],
    ['ns', 'Namespace'],
    ['hpa', 'HorizontalPodAutoscaler'],
    ['vm', 'VirtualMachine'],
    ['vmi', 'VirtualMachineInstance'],
    ['vmirs', 'VirtualMachineInstanceReplicaSet'],
    ['virtualmachines.kubevirt.io', 'VirtualMachine'],
    ['leases', 'Lease'],
    ['ev', 'Event'],
  ])('resolves %s to %s', (name, kind) => expect(resolveResourceName(name)?.kind).toBe(kind));

  it('does not resolve unknown names or wrong groups', () => {
    expect(resolveResourceName('frobs')).toBeUndefined();
    expect(resolveResourceName('deployments.kubevirt.io')).toBeUndefined();
  });

  it('finds by path parts and by kind', () => {
    expect(findResource('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(findResource('', 'v1', 'deployments')).toBeUndefined();
    expect(resourceForKind('Pod', 'v1')?.plural).toBe('pods');
    expect(resourceForKind('Pod', 'apps/v1')).toBeUndefined();
  });

  it('names storage prefixes and qualified resources', () => {
    expect(storagePrefix(resourceForKind('Pod')!)).toBe('/registry/core/pods/');
    expect(storagePrefix(resourceForKind('Deployment')!)).toBe('/registry/apps/deployments/');
    expect(qualifiedResource(resourceForKind('VirtualMachine')!)).toBe('virtualmachines.kubevirt.io');
  });

  it('has unique plurals and short names', () => {
    const names = RESOURCES.flatMap((r) => [`${r.group}/${r.version}/${r.plural}`, ...r.shortNames]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('registry and kinds', () => {
  it('pairs every kind with a class, in the same order', () => {
    expect(RESOURCES.map((r) => `${r.group}/${r.version}/${r.kind}`)).toEqual(KINDS.map((k) => `${k.group}/${k.version}/${k.kind}`));
    for (const r of RESOURCES) expect(typeof r.cls).toBe('function');
  });

  it('keeps the preferred version first per resource', () => {
    const hpas = preferredKinds(RESOURCES).filter((r) => r.plural === 'horizontalpodautoscalers');
    expect(hpas.map((r) => r.version)).toEqual(['v2']);
  });
});
