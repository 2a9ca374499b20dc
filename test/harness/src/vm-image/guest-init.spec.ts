import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestFiles, INIT_MARKER, NETWORK_CONFIG_AWK } from './guest-init';

describe('guestFiles', () => {
  const files = new Map(guestFiles(['virtio', 'virtio_net']).map((f) => [f.path, f]));

  it('lists modules one per line, newline-terminated so `read` sees the last one', () => {
    expect(files.get('etc/modules')?.content).toBe('virtio\nvirtio_net\n');
  });

  it.each([
    ['etc/rc.sysinit', 0o755],
    ['etc/rc.shutdown', 0o755],
    ['etc/acpi/PWRF/00000080', 0o755],
    ['etc/inittab', 0o644],
  ])('%s has mode %o', (path, mode) => expect(files.get(path)?.mode).toBe(mode));

  it('inittab: sysinit, a respawning shell on the serial line, shutdown script', () => {
    const inittab = files.get('etc/inittab')!.content;
    expect(inittab).toContain('::sysinit:/etc/rc.sysinit');
    expect(inittab).toContain('ttyS0::respawn:-/bin/sh');
    expect(inittab).toContain('::shutdown:/etc/rc.shutdown');
  });

  it('sysinit prints the marker and reads the coxswain.* kernel arguments literally', () => {
    const rc = files.get('etc/rc.sysinit')!.content;
    expect(rc).toContain(`echo "${INIT_MARKER}"`);
    expect(rc).toContain('coxswain.ip=*) addr="${arg#*=}"');
    expect(rc.startsWith('#!/bin/sh\n')).toBe(true);
  });
});

// The guest's parser runs under busybox awk, as in the guest: fed the shapes cloud-init documents.
describe('NETWORK_CONFIG_AWK (the guest reads network-config)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netcfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const parse = (yaml: string) => {
    writeFileSync(join(dir, 'prog.awk'), NETWORK_CONFIG_AWK);
    writeFileSync(join(dir, 'network-config'), yaml);
    return execFileSync('/bin/busybox', ['awk', '-f', join(dir, 'prog.awk'), join(dir, 'network-config')], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  };

  it.each([
    {
      name: 'v2 as the node generates it (flow lists, routes)',
      yaml: 'version: 2\nethernets:\n  eth0:\n    match:\n      macaddress: "52:54:aa:bb:cc:dd"\n    set-name: eth0\n    addresses: ["10.244.1.7/24"]\n    routes:\n      - to: 0.0.0.0/0\n        via: 10.244.1.1\n    nameservers:\n      addresses: ["10.96.0.10"]\n      search: ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local"]\n',
      want: ['addr 10.244.1.7/24', 'gw 10.244.1.1', 'ns 10.96.0.10', 'search shop.svc.cluster.local', 'search svc.cluster.local', 'search cluster.local'],
    },
    {
      name: 'v2 under network:, block lists at the key indent, gateway4, comments',
      yaml: 'network:\n  version: 2\n  ethernets:\n    enp1s0:\n      addresses:\n      - 192.168.1.10/24\n      gateway4: 192.168.1.1   # old style\n      nameservers:\n        addresses:\n          - 8.8.8.8\n          - \'9.9.9.9\'\n        search: [example.com]\n',
      want: ['addr 192.168.1.10/24', 'gw 192.168.1.1', 'ns 8.8.8.8', 'ns 9.9.9.9', 'search example.com'],
    },
    {
      name: 'v1 static subnet',
      yaml: 'version: 1\nconfig:\n  - type: physical\n    name: eth0\n    subnets:\n      - type: static\n        address: 192.168.1.10/24\n        gateway: 192.168.1.254\n        dns_nameservers:\n          - 192.168.1.1\n        dns_search: [corp.example]\n',
      want: ['addr 192.168.1.10/24', 'gw 192.168.1.254', 'ns 192.168.1.1', 'search corp.example'],
    },
    { name: 'a nameservers-only v2', yaml: 'version: 2\nethernets:\n  eth0:\n    dhcp4: true\n    nameservers:\n      addresses: [1.1.1.1, 8.8.4.4]\n', want: ['ns 1.1.1.1', 'ns 8.8.4.4'] },
    { name: 'addresses outside nameservers and ethernets are not taken', yaml: 'version: 2\nbridges:\n  br0:\n    addresses: [10.1.1.1/24]\n', want: [] },
  ])('$name', ({ yaml, want }) => expect(parse(yaml)).toEqual(want));
});
