import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_CONFIG_AWK, guestFiles, INIT_MARKER, NETWORK_CONFIG_AWK } from './guest-init';

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

// The guest's #cloud-config interpreter under busybox awk and sh, as in the guest; files are
// written under a temporary directory (paths in the user data point there).
describe('CLOUD_CONFIG_AWK (the guest runs #cloud-config)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudcfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const translate = (yaml: string) => {
    writeFileSync(join(dir, 'prog.awk'), CLOUD_CONFIG_AWK);
    writeFileSync(join(dir, 'user-data'), yaml);
    writeFileSync(join(dir, 'runcmd.sh'), '');
    const script = execFileSync('/bin/busybox', ['awk', '-v', `runcmd=${join(dir, 'runcmd.sh')}`, '-f', join(dir, 'prog.awk'), join(dir, 'user-data')], { encoding: 'utf8' });
    return { script, runcmd: readFileSync(join(dir, 'runcmd.sh'), 'utf8') };
  };
  const run = (script: string) => execFileSync('/bin/busybox', ['sh', '-c', script], { encoding: 'utf8' });

  it('write_files: literal blocks, scalars, quoting, base64, permissions, append', () => {
    const d = join(dir, 'wf');
    const { script } = translate(`#cloud-config
write_files:
  - path: ${d}/etc/app.conf
    permissions: '0600'
    content: |
      port: 8080
      name: "it's"

      last line
  - path: ${d}/motd
    content: "hello\\tworld"
  - path: ${d}/bin.dat
    encoding: b64
    content: aGVsbG8gYjY0
- path: ${d}/motd
  append: true
  content: |-
    !
`);
    expect(run(script).trim().split('\n')).toEqual([`coxswain-guest: cloud-config wrote ${d}/etc/app.conf`, `coxswain-guest: cloud-config wrote ${d}/motd`, `coxswain-guest: cloud-config wrote ${d}/bin.dat`, `coxswain-guest: cloud-config wrote ${d}/motd`]);
    expect(readFileSync(`${d}/etc/app.conf`, 'utf8')).toBe('port: 8080\nname: "it\'s"\n\nlast line\n');
    expect(statSync(`${d}/etc/app.conf`).mode & 0o777).toBe(0o600);
    expect(statSync(`${d}/motd`).mode & 0o777).toBe(0o644);
    expect(readFileSync(`${d}/motd`, 'utf8')).toBe('hello\tworld!');
    expect(readFileSync(`${d}/bin.dat`, 'utf8')).toBe('hello b64');
  });

  it('runcmd goes to its own file: strings as shell lines, flow lists as quoted arguments; bootcmd runs now', () => {
    const { script, runcmd } = translate(`#cloud-config
bootcmd:
  - echo early
runcmd:
  - echo "hi there" > /tmp/x
  - [ printf, '%s|', "a b", it's, $HOME ]
  - 'echo quoted'
`);
    expect(script.trim()).toBe('echo early');
    expect(runcmd).toBe(`echo "hi there" > /tmp/x\n'printf' '%s|' 'a b' 'it'\\''s' '$HOME'\necho quoted\n`);
    expect(run(runcmd.split('\n')[1])).toBe("a b|it's|$HOME|");
  });

  it('users and ssh_authorized_keys: passwd entry, home, authorized_keys; default is root', () => {
    const { script } = translate(`#cloud-config
users:
  - default
  - name: alice
    shell: /bin/ash
    sudo: ALL=(ALL) NOPASSWD:ALL
    ssh_authorized_keys:
      - ssh-ed25519 AAAA alice@laptop
      - ssh-rsa BBBB alice@desk
ssh_authorized_keys:
  - ssh-ed25519 CCCC root@ops
`);
    expect(script).toContain(`echo 'alice:x:'$uid:$uid::/home/alice:/bin/ash >> /etc/passwd`);
    expect(script).toContain(`printf '%s\\n' 'ssh-ed25519 AAAA alice@laptop\nssh-rsa BBBB alice@desk' >> /home/alice/.ssh/authorized_keys`);
    expect(script).toContain(`printf '%s\\n' 'ssh-ed25519 CCCC root@ops' >> /root/.ssh/authorized_keys`);
    expect(script).toContain("echo 'coxswain-guest: cloud-config: users.sudo not supported'");
    expect(script).toContain("echo 'coxswain-guest: cloud-config user root'");
  });

  it('reports what it cannot do instead of ignoring it', () => {
    const { script } = translate('#cloud-config\npackages:\n  - nginx\nhostname: web-1\nwrite_files:\n  - path: /x\n    defer: true\n    content: y\n');
    expect(script).toContain("echo 'coxswain-guest: cloud-config: packages not supported'");
    expect(script).toContain("hostname 'web-1'");
    expect(script).toContain("echo 'coxswain-guest: cloud-config: write_files.defer not supported'");
  });
});
