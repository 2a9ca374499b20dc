import { cloudInitMetaData, guestMemoryMiB, kernelCmdline, memoryLimitBytes, qemuArgs, qemuEscape, QEMU_OVERHEAD_BYTES, TCG_TB_SIZE_MIB, validateVmSpec, vmPaths } from './qemu-args';
import { VmSpec } from './types';

const MiB = 1024 * 1024;
const base: VmSpec = { uid: 'u1', name: 'web', namespace: 'ns', cpus: 2, memoryBytes: 256 * MiB, kernelPath: '/k', initrdPath: '/i' };
const net = { tap: 'tap0', bridge: 'br0', mac: '52:54:00:00:00:01', ip: '10.0.0.5', prefixLength: 24, gateway: '10.0.0.1' };
const paths = vmPaths('/r', 'u1');

/** The value following each occurrence of `flag`. */
const values = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe('kernelCmdline', () => {
  it.each([
    { name: 'no network', spec: base, want: 'console=ttyS0 quiet coxswain.hostname=web' },
    { name: 'network with gateway', spec: { ...base, network: net }, want: 'console=ttyS0 quiet coxswain.hostname=web coxswain.ip=10.0.0.5/24 coxswain.gw=10.0.0.1' },
    { name: 'network without gateway', spec: { ...base, network: { ...net, gateway: undefined } }, want: 'console=ttyS0 quiet coxswain.hostname=web coxswain.ip=10.0.0.5/24' },
    { name: 'caller args replace quiet', spec: { ...base, cmdline: 'loglevel=7' }, want: 'console=ttyS0 loglevel=7 coxswain.hostname=web' },
  ])('$name', ({ spec, want }) => expect(kernelCmdline(spec)).toBe(want));
});

describe('qemuArgs', () => {
  it('kernel boot under TCG: q35, bounded code cache, QMP and a logged serial socket, detached-friendly', () => {
    const args = qemuArgs(base, 'tcg', paths);
    expect(values(args, '-machine')).toEqual(['q35']);
    expect(values(args, '-accel')).toEqual([`tcg,tb-size=${TCG_TB_SIZE_MIB}`]);
    expect(values(args, '-smp')).toEqual(['2']);
    expect(values(args, '-m')).toEqual(['256']);
    expect(values(args, '-qmp')).toEqual(['unix:/r/vms/u1/qmp.sock,server=on,wait=off']);
    expect(values(args, '-chardev')).toEqual(['socket,id=serial0,path=/r/vms/u1/console.sock,server=on,wait=off,logfile=/r/vms/u1/console.log,logappend=on']);
    expect(values(args, '-serial')).toEqual(['chardev:serial0']);
    expect(values(args, '-pidfile')).toEqual(['/r/vms/u1/qemu.pid']);
    expect(values(args, '-kernel')).toEqual(['/k']);
    expect(values(args, '-initrd')).toEqual(['/i']);
    expect(args).toEqual(expect.arrayContaining(['-nodefaults', '-no-user-config']));
    expect(args).not.toContain('-netdev');
    expect(args).not.toContain('-nographic'); // conflicts with running without a terminal
  });

  it.each([
    { name: 'kvm', accel: 'kvm' as const, want: 'kvm' },
    { name: 'tcg', accel: 'tcg' as const, want: `tcg,tb-size=${TCG_TB_SIZE_MIB}` },
  ])('accelerator $name', ({ accel, want }) => expect(values(qemuArgs(base, accel, paths), '-accel')).toEqual([want]));

  it('disks become qcow2 overlays on virtio-blk; the first boots when there is no kernel', () => {
    const spec: VmSpec = { ...base, kernelPath: undefined, initrdPath: undefined, disks: [{ path: '/img/a.raw', format: 'raw' }, { path: '/img/b.qcow2', format: 'qcow2' }] };
    const args = qemuArgs(spec, 'kvm', paths);
    expect(values(args, '-drive')).toEqual([
      'file=/r/vms/u1/disk0.qcow2,if=none,id=disk0,format=qcow2,discard=unmap',
      'file=/r/vms/u1/disk1.qcow2,if=none,id=disk1,format=qcow2,discard=unmap',
    ]);
    expect(values(args, '-device')).toEqual(['virtio-blk-pci,drive=disk0,serial=disk0,bootindex=1', 'virtio-blk-pci,drive=disk1,serial=disk1']);
    expect(args).not.toContain('-kernel');
  });

  it('a persistent disk (a claim\'s disk.img) is opened in place, raw, with no overlay', () => {
    const args = qemuArgs({ ...base, disks: [{ path: '/img/a.raw', format: 'raw' }, { path: '/pv/mnt/disk.img', format: 'raw', persistent: true }] }, 'tcg', paths);
    expect(values(args, '-drive')).toEqual([
      'file=/r/vms/u1/disk0.qcow2,if=none,id=disk0,format=qcow2,discard=unmap',
      'file=/pv/mnt/disk.img,if=none,id=disk1,format=raw,discard=unmap',
    ]);
  });

  it('with a kernel, disks are data disks only', () => {
    const args = qemuArgs({ ...base, disks: [{ path: '/img/a.raw', format: 'raw' }] }, 'tcg', paths);
    expect(values(args, '-device')).toEqual(['virtio-blk-pci,drive=disk0,serial=disk0']);
  });

  it('cloud-init seed is a read-only raw disk after the data disks', () => {
    const args = qemuArgs({ ...base, disks: [{ path: '/a', format: 'raw' }], cloudInitUserData: '#!/bin/sh\n' }, 'tcg', paths);
    expect(values(args, '-drive')[1]).toBe('file=/r/vms/u1/cidata.iso,if=none,id=cidata,format=raw,readonly=on');
  });

  it('network: tap netdev without scripts and virtio-net with the given MAC', () => {
    const args = qemuArgs({ ...base, network: net }, 'tcg', paths);
    expect(values(args, '-netdev')).toEqual(['tap,id=net0,ifname=tap0,script=no,downscript=no']);
    expect(values(args, '-device')).toEqual(['virtio-net-pci,netdev=net0,mac=52:54:00:00:00:01']);
  });

  it('adds the confinement after the fixed options', () => {
    const args = qemuArgs(base, 'tcg', paths, { sandbox: true, runAs: 'coxswain-qemu' });
    expect(values(args, '-sandbox')).toEqual(['on,obsolete=deny,elevateprivileges=allow,spawn=deny,resourcecontrol=deny']);
    expect(values(args, '-runas')).toEqual(['coxswain-qemu']);
    expect(values(qemuArgs(base, 'tcg', paths), '-sandbox')).toEqual([]);
  });

  it('escapes commas in paths', () => {
    expect(qemuEscape('/a,b/c')).toBe('/a,,b/c');
    expect(values(qemuArgs(base, 'tcg', vmPaths('/x,y', 'u1')), '-qmp')).toEqual(['unix:/x,,y/vms/u1/qmp.sock,server=on,wait=off']);
  });
});

describe('memory', () => {
  it.each([
    { bytes: 128 * MiB, want: 128 },
    { bytes: 128 * MiB + 1, want: 129 },
    { bytes: 1000, want: 1 },
  ])('guestMemoryMiB($bytes) = $want', ({ bytes, want }) => expect(guestMemoryMiB(bytes)).toBe(want));

  it.each([
    { accel: 'kvm' as const, want: 128 * MiB + QEMU_OVERHEAD_BYTES },
    { accel: 'tcg' as const, want: 128 * MiB + QEMU_OVERHEAD_BYTES + TCG_TB_SIZE_MIB * MiB },
  ])('limit under $accel is guest RAM plus overhead', ({ accel, want }) => expect(memoryLimitBytes(128 * MiB, accel)).toBe(want));
});

describe('validateVmSpec', () => {
  it('accepts a good spec', () => expect(validateVmSpec({ ...base, network: net }, paths)).toEqual([]));
  it.each([
    { name: 'path-like uid', spec: { ...base, uid: '../x' }, error: /uid/ },
    { name: 'zero cpus', spec: { ...base, cpus: 0 }, error: /cpus/ },
    { name: 'fractional cpus', spec: { ...base, cpus: 1.5 }, error: /cpus/ },
    { name: 'tiny memory', spec: { ...base, memoryBytes: MiB }, error: /memoryBytes/ },
    { name: 'nothing to boot', spec: { ...base, kernelPath: undefined, initrdPath: undefined }, error: /kernelPath or at least one disk/ },
    { name: 'initrd without kernel', spec: { ...base, kernelPath: undefined, disks: [{ path: '/a', format: 'raw' as const }] }, error: /initrdPath needs kernelPath/ },
    { name: 'long tap name', spec: { ...base, network: { ...net, tap: 'a-very-long-tap-name' } }, error: /tap name/ },
    { name: 'bad mac', spec: { ...base, network: { ...net, mac: '52:54:00' } }, error: /mac/ },
    { name: 'bad ip', spec: { ...base, network: { ...net, ip: '10.0.0.256' } }, error: /ip/ },
    { name: 'bad gateway', spec: { ...base, network: { ...net, gateway: 'gw' } }, error: /gateway/ },
    { name: 'bad prefix', spec: { ...base, network: { ...net, prefixLength: 33 } }, error: /prefixLength/ },
  ])('rejects $name', ({ spec, error }) => {
    expect(validateVmSpec(spec, paths).join('; ')).toMatch(error);
  });
  it('rejects roots whose socket paths do not fit sun_path', () => {
    expect(validateVmSpec(base, vmPaths(`/${'x'.repeat(100)}`, 'u1')).join('; ')).toMatch(/socket path .* longer than 107/);
  });
});

describe('cloudInitMetaData', () => {
  it('uses the uid as instance-id and the name as hostname', () => {
    expect(cloudInitMetaData(base)).toBe('instance-id: u1\nlocal-hostname: web\n');
  });
});

describe('config disks (configMap/secret volumes)', () => {
  const disk = (over: object = {}) => ({ name: 'app-config', label: 'cfgdata', serial: 'CFG1', files: [{ path: 'a.conf', base64: 'eA==' }], ...over });

  it('are read-only raw virtio disks with their serial, after the data disks and before the seed', () => {
    const spec: VmSpec = { ...base, disks: [{ path: '/a', format: 'raw' }], configDisks: [disk(), disk({ name: 'b', serial: undefined })], cloudInitUserData: '#!/bin/sh\n' };
    const args = qemuArgs(spec, 'tcg', paths);
    expect(values(args, '-drive')).toEqual([
      'file=/r/vms/u1/disk0.qcow2,if=none,id=disk0,format=qcow2,discard=unmap',
      'file=/r/vms/u1/config0.iso,if=none,id=cfg0,format=raw,readonly=on',
      'file=/r/vms/u1/config1.iso,if=none,id=cfg1,format=raw,readonly=on',
      'file=/r/vms/u1/cidata.iso,if=none,id=cidata,format=raw,readonly=on',
    ]);
    expect(values(args, '-device')).toEqual(['virtio-blk-pci,drive=disk0,serial=disk0', 'virtio-blk-pci,drive=cfg0,serial=CFG1', 'virtio-blk-pci,drive=cfg1', 'virtio-blk-pci,drive=cidata,serial=cidata']);
  });

  it.each([
    { name: 'a label longer than ISO 9660 allows', over: { label: 'x'.repeat(33) }, error: /volume label/ },
    { name: 'a label with a comma (QEMU option syntax)', over: { label: 'a,b' }, error: /volume label/ },
    { name: 'a serial over 20 characters', over: { serial: 'S'.repeat(21) }, error: /serial/ },
    { name: 'a file escaping the image', over: { files: [{ path: '../etc/passwd', base64: '' }] }, error: /file path/ },
    { name: 'an absolute file path', over: { files: [{ path: '/etc/passwd', base64: '' }] }, error: /file path/ },
  ])('refuses $name', ({ over, error }) => {
    expect(validateVmSpec({ ...base, configDisks: [disk(over)] }, paths).join('; ')).toMatch(error);
  });

  it('accepts nested relative paths (projected items) and refuses duplicate names', () => {
    expect(validateVmSpec({ ...base, configDisks: [disk({ files: [{ path: 'dir/key', base64: '' }] })] }, paths)).toEqual([]);
    expect(validateVmSpec({ ...base, configDisks: [disk(), disk()] }, paths).join()).toMatch(/duplicate name/);
  });

  it('network-config rides in the user-data seed, so it needs one', () => {
    expect(validateVmSpec({ ...base, cloudInitNetworkConfig: 'version: 2\n' }, paths).join()).toMatch(/needs cloudInitUserData/);
    expect(validateVmSpec({ ...base, cloudInitNetworkConfig: 'version: 2\n', cloudInitUserData: '' }, paths)).toEqual([]);
  });
});
