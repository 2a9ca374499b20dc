import { podConfigReferences, vmiConfigReferences, workloadConfigReferences } from './config-refs';

const sorted = (refs: { secrets: Set<string>; configMaps: Set<string> }) => ({ secrets: [...refs.secrets].sort(), configMaps: [...refs.configMaps].sort() });

describe('vmiConfigReferences (what a node may read for a VMI bound to it)', () => {
  it.each([
    { name: 'nothing', spec: { domain: {} }, want: { secrets: [], configMaps: [] } },
    {
      name: 'configMap and secret disks (KubeVirt shape: configMap.name, secret.secretName)',
      spec: { domain: {}, volumes: [{ name: 'a', configMap: { name: 'app-config' } }, { name: 'b', secret: { secretName: 'app-secret' } }] },
      want: { secrets: ['app-secret'], configMaps: ['app-config'] },
    },
    {
      name: 'cloud-init user data and network data from Secrets',
      spec: { domain: {}, volumes: [{ name: 'ci', cloudInitNoCloud: { secretRef: { name: 'ud' }, networkDataSecretRef: { name: 'nd' } } }] },
      want: { secrets: ['nd', 'ud'], configMaps: [] },
    },
    { name: 'a containerDisk references nothing', spec: { domain: {}, volumes: [{ name: 'root', containerDisk: { image: 'x' } }] }, want: { secrets: [], configMaps: [] } },
    { name: 'an empty name is no reference', spec: { domain: {}, volumes: [{ name: 'a', configMap: { name: '' } }, { name: 'b', secret: {} }] }, want: { secrets: [], configMaps: [] } },
  ])('$name', ({ spec, want }) => {
    expect(sorted(vmiConfigReferences(spec))).toEqual(want);
  });

  it('workloadConfigReferences reads a VMI as a VMI and a Pod as a Pod', () => {
    const volumes = [{ name: 'a', secret: { secretName: 's' } }];
    expect(sorted(workloadConfigReferences({ kind: 'VirtualMachineInstance', spec: { domain: {}, volumes } }))).toEqual({ secrets: ['s'], configMaps: [] });
    expect(sorted(workloadConfigReferences({ kind: 'Pod', spec: { containers: [], volumes } }))).toEqual(sorted(podConfigReferences({ containers: [], volumes })));
  });
});
