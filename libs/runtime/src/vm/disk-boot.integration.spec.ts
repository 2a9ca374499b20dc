import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, rmdir } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDiskVmFiles, createHarnessNetwork, DiskVmFiles, HarnessNetwork, waitUntil } from '@coxswain/harness';
import { VmDriver } from './driver';
import { vmPaths } from './qemu-args';
import { VmSpec } from './types';

const tag = randomBytes(3).toString('hex');
const cgroupParent = `coxswain-vms-disk-${tag}`;

// The bootable containerDisk's qcow2 (GRUB in the MBR, the Debian cloud kernel and the guest's
// root on an ext4 partition) on real QEMU, booted by the firmware: no kernel is given to QEMU.
// TCG here: the boot takes tens of seconds, more on a loaded machine; nothing is timed.
describe('a disk that boots by itself (no kernel given to QEMU)', () => {
  let files: DiskVmFiles;
  let root: string;
  let net: HarnessNetwork;
  let driver: VmDriver;
  const uid = `disk-${tag}`;
  const ip = () => `${net.gateway.replace(/\.1$/, '')}.60`;
  const consoleLog = () => readFile(vmPaths(root, uid).consoleLog, 'utf8').catch(() => '');
  const waitForConsole = (text: string, timeoutMs = 300_000) =>
    waitUntil(async () => (await consoleLog()).includes(text), timeoutMs, () => `console never showed ${JSON.stringify(text)}`, 500);

  beforeAll(async () => {
    files = await buildDiskVmFiles();
    root = await mkdtemp(join(tmpdir(), 'coxvd-'));
    net = await createHarnessNetwork(`10.215.${1 + Math.floor(Math.random() * 250)}`);
    driver = new VmDriver({ root, accel: 'tcg', cgroupParent });
  }, 900_000);

  afterAll(async () => {
    await driver?.remove(uid).catch(() => undefined);
    for (const ctrl of ['cpu', 'cpuacct', 'memory', 'pids']) await rmdir(`/sys/fs/cgroup/${ctrl}/${cgroupParent}`).catch(() => undefined);
    await net?.destroy();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('GRUB boots the Debian kernel, the initramfs mounts the root by label, the guest takes its address from network-config and runs user data', async () => {
    const spec: VmSpec = {
      uid, name: 'disky', namespace: 'default', cpus: 1, memoryBytes: 192 * 1024 * 1024,
      disks: [{ path: files.diskPath, format: 'qcow2' }],
      cloudInitUserData: '#!/bin/sh\necho "user-data on $(hostname): root $(awk \'$2 == "/" { print $1 }\' /proc/mounts | tail -n 1) $((6*7))"\n',
      cloudInitNetworkConfig: `version: 2\nethernets:\n  eth0:\n    addresses: ["${ip()}/24"]\n    routes:\n      - to: 0.0.0.0/0\n        via: ${net.gateway}\n    nameservers:\n      addresses: ["10.96.0.10"]\n      search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]\n`,
      network: { tap: `coxd${tag}`, bridge: net.bridge, mac: '52:54:00:12:34:61', ip: ip(), prefixLength: 24, gateway: net.gateway },
    };
    await driver.start(spec);
    expect((await driver.spec(uid))?.kernelPath).toBeUndefined();
    await waitForConsole('user-data on disky:');
    const log = await consoleLog();
    expect(log).toContain("Booting `Debian GNU/Linux, cloud kernel (Coxswain disk)'"); // GRUB's menu entry
    expect(log).toContain(`coxswain-guest: kernel Linux ${files.kernelVersion} x86_64`);
    expect(log).toMatch(/coxswain-initramfs: root \/dev\/vda1/);
    expect(log).toContain(`coxswain-guest: ip ${ip()}/24`);
    expect(log).toContain('coxswain-guest: resolver 10.96.0.10 search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(log).toMatch(/user-data on disky: root \/dev\/vda1 42/);
  }, 600_000);

  it('reaches a shell on the serial console, and the guest answers on its address', async () => {
    const socket: Socket = await driver.attachConsole(uid);
    let seen = '';
    socket.on('data', (d) => (seen += d.toString()));
    try {
      await waitUntil(async () => {
        socket.write('\necho shell-says-$((40+2)) on $(cat /etc/hostname) $(uname -r)\n');
        await new Promise((r) => setTimeout(r, 1000));
        return seen.includes('shell-says-42');
      }, 120_000, () => `console said: ${seen.slice(-500)}`, 100);
    } finally {
      socket.destroy();
    }
    expect(seen).toMatch(new RegExp(`shell-says-42 on \\S+ ${files.kernelVersion.replace(/\./g, '\\.')}`));
    let body = '';
    await waitUntil(async () => {
      body = await fetch(`http://${ip()}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text());
      return true;
    }, 60_000, () => `http://${ip()}/ never answered`, 500);
    expect(body).toContain('coxswain-guest disky');
  }, 180_000);
});
