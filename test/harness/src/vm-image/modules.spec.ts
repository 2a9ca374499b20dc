import { cloudKernelPackage, moduleLoadOrder, moduleName, parseModulesDep } from './modules';

const DEP = `kernel/drivers/virtio/virtio.ko:
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci_modern_dev.ko:
kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/net/core/failover.ko:
kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/fs/isofs/isofs.ko: kernel/drivers/cdrom/cdrom.ko
kernel/drivers/cdrom/cdrom.ko:
kernel/a.ko: kernel/b.ko
kernel/b.ko: kernel/a.ko
`;

const names = (paths: string[]) => paths.map(moduleName);

describe('moduleLoadOrder', () => {
  const deps = parseModulesDep(DEP);
  it.each([
    { name: 'no deps', wanted: ['virtio'], want: ['virtio'] },
    {
      name: 'virtio_pci after its deps, in modprobe order',
      wanted: ['virtio_pci'],
      want: ['virtio', 'virtio_ring', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio_pci'],
    },
    {
      name: 'shared deps once',
      wanted: ['virtio_pci', 'virtio_net', 'virtio_blk'],
      want: ['virtio', 'virtio_ring', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio_pci', 'failover', 'net_failover', 'virtio_net', 'virtio_blk'],
    },
    { name: 'filesystem with its dep', wanted: ['isofs'], want: ['cdrom', 'isofs'] },
  ])('$name', ({ wanted, want }) => {
    expect(names(moduleLoadOrder(deps, wanted))).toEqual(want);
  });

  it.each([
    { name: 'unknown module', wanted: ['nope'], error: /nope not found/ },
    { name: 'cycle', wanted: ['a'], error: /cycle: a -> b -> a/ },
  ])('rejects $name', ({ wanted, error }) => {
    expect(() => moduleLoadOrder(deps, wanted)).toThrow(error);
  });
});

describe('moduleName', () => {
  it.each([
    ['kernel/drivers/net/virtio_net.ko', 'virtio_net'],
    ['kernel/drivers/net/virtio_net.ko.xz', 'virtio_net'],
    ['button.ko', 'button'],
  ])('%s -> %s', (path, want) => expect(moduleName(path)).toBe(want));
});

describe('cloudKernelPackage', () => {
  it('finds the versioned package', () => {
    expect(cloudKernelPackage('linux-image-cloud-amd64\n  Depends: linux-image-6.1.0-50-cloud-amd64\n')).toEqual({
      pkg: 'linux-image-6.1.0-50-cloud-amd64',
      version: '6.1.0-50-cloud-amd64',
    });
  });
  it('fails loudly when apt knows no such package', () => {
    expect(() => cloudKernelPackage('W: No packages found')).toThrow(/no linux-image/);
  });
});
