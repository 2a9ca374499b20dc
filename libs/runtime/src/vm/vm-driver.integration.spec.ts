import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, rmdir } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildTinyVmFiles, createHarnessNetwork, HarnessNetwork, INIT_MARKER, TinyVmFiles, waitUntil } from '@coxswain/harness';
import { detectAccel, probeBoot } from './accel';
import { VmDriver } from './driver';
import { memoryLimitBytes, vmPaths } from './qemu-args';
import { Accel, GUEST_INIT_MARKER, VmSpec } from './types';

const exec = promisify(execFile);
const exists = (p: string) => access(p).then(() => true, () => false);
const tag = randomBytes(3).toString('hex');
const cgroupParent = `coxswain-vms-test-${tag}`;

// Real QEMU (TCG here), the Debian cloud kernel and the busybox guest from the harness.
describe('VmDriver on real QEMU', () => {
  let files: TinyVmFiles;
  let root: string;
  let net: HarnessNetwork;
  let accel: Accel;
  const drivers: VmDriver[] = [];
  const uids: string[] = [];

  const newDriver = () => {
    const driver = new VmDriver({ root, accel, cgroupParent });
    drivers.push(driver);
    return driver;
  };
  const consoleLog = (uid: string) => readFile(vmPaths(root, uid).consoleLog, 'utf8').catch(() => '');
  const waitForConsole = (uid: string, text: string, timeoutMs = 60_000) =>
    waitUntil(async () => (await consoleLog(uid)).includes(text), timeoutMs, () => `console of ${uid} never showed ${JSON.stringify(text)}`, 100);

  beforeAll(async () => {
    files = await buildTinyVmFiles();
    root = await mkdtemp(join(tmpdir(), 'coxvm-'));
    net = await createHarnessNetwork(`10.214.${1 + Math.floor(Math.random() * 250)}`);
  }, 120_000);

  afterAll(async () => {
    const driver = new VmDriver({ root: root ?? '/nonexistent', accel: 'tcg', cgroupParent });
    for (const uid of uids) await driver.remove(uid).catch(() => undefined);
    for (const ctrl of ['cpu', 'cpuacct', 'memory', 'pids']) await rmdir(`/sys/fs/cgroup/${ctrl}/${cgroupParent}`).catch(() => undefined);
    await net?.destroy();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('probes for KVM by booting, and the chosen accelerator boots the guest', async () => {
    expect(GUEST_INIT_MARKER).toBe(INIT_MARKER); // the runtime looks for what the guest prints
    const cachePath = join(root, 'accel.json');
    accel = await detectAccel({ kernelPath: files.kernelPath, initrdPath: files.initrdPath, cachePath });
    expect(['kvm', 'tcg']).toContain(accel);
    expect(JSON.parse(await readFile(cachePath, 'utf8'))).toMatchObject({ accel });
    expect(await probeBoot(accel, { kernelPath: files.kernelPath, initrdPath: files.initrdPath, timeoutMs: 30_000 })).toBe(true);
    // Any kernel can be the probe: without an initrd the banner is the proof.
    expect(await probeBoot(accel, { kernelPath: files.kernelPath, timeoutMs: 30_000 })).toBe(true);
    expect(await probeBoot(accel, { kernelPath: files.kernelPath, timeoutMs: 2000, marker: 'never-printed' })).toBe(false);
  }, 60_000);

  describe('a networked VM with a disk and cloud-init', () => {
    const uid = `vm-${tag}-a`;
    const ip = () => `${net.gateway.replace(/\.1$/, '')}.50`;
    let spec: VmSpec;
    let driver: VmDriver;

    it('starts QEMU in its own cgroup with a tap on the bridge and a disk overlay', async () => {
      driver = newDriver();
      const base = join(root, 'base.raw');
      await exec('truncate', ['-s', '16M', base]);
      spec = {
        uid, name: 'web-0', namespace: 'default', cpus: 1, memoryBytes: 128 * 1024 * 1024,
        kernelPath: files.kernelPath, initrdPath: files.initrdPath,
        disks: [{ path: base, format: 'raw' }],
        cloudInitUserData: '#!/bin/sh\necho "user-data-says-$((20+3))"\n',
        network: { tap: `coxt${tag}a`, bridge: net.bridge, mac: '52:54:00:12:34:56', ip: ip(), prefixLength: 24, gateway: net.gateway },
      };
      uids.push(uid);
      // Launched by a process that exits at once, like an agent dying after the start call.
      const launcher = join(__dirname, 'testing/start-vm-and-exit.ts');
      const { stdout } = await exec(process.execPath, ['-r', '@swc-node/register', launcher, JSON.stringify({ root, accel, cgroupParent, spec })]);
      const launched = JSON.parse(stdout);
      expect(launched).toMatchObject({ uid, name: 'web-0', namespace: 'default', status: 'running' });
      const state = (await driver.state(uid))!;
      expect(state).toMatchObject({ uid, status: 'running', pid: launched.pid });
      expect(state.pid).toBeGreaterThan(0);

      const procs = await readFile(`/sys/fs/cgroup/memory/${cgroupParent}/${uid}/cgroup.procs`, 'utf8');
      expect(procs.split('\n')).toContain(String(state.pid));
      const limit = Number(await readFile(`/sys/fs/cgroup/memory/${cgroupParent}/${uid}/memory.limit_in_bytes`, 'utf8'));
      expect(limit).toBe(memoryLimitBytes(spec.memoryBytes, accel));
      expect((await exec('ip', ['-o', 'link', 'show', spec.network!.tap])).stdout).toContain(`master ${net.bridge}`);
      const info = JSON.parse((await exec('qemu-img', ['info', '-U', '--output=json', driver.paths(uid).overlay(0)])).stdout);
      expect(info).toMatchObject({ format: 'qcow2', 'backing-filename': base, 'backing-filename-format': 'raw' });
    }, 60_000);

    it('boots the guest: init marker, its IP, both disks and the user-data output on the console', async () => {
      await waitForConsole(uid, INIT_MARKER);
      await waitForConsole(uid, 'user-data-says-23');
      const log = await consoleLog(uid);
      expect(log).toContain(`coxswain-guest: ip ${ip()}/24`);
      expect(log).toContain('coxswain-guest: disks vda vdb');
      expect(await driver.guestInfo(uid)).toEqual({ ip: ip(), initStarted: true });
    }, 90_000);

    it('is reachable from the host over the bridge', async () => {
      let body = '';
      await waitUntil(async () => {
        body = await fetch(`http://${ip()}/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.text());
        return true;
      }, 30_000, () => `http://${ip()}/ never answered`, 200);
      expect(body).toContain('coxswain-guest web-0');
    }, 60_000);

    it('runs commands typed on the attached console', async () => {
      const socket: Socket = await driver.attachConsole(uid);
      let seen = '';
      socket.on('data', (d) => (seen += d.toString()));
      try {
        socket.write('\necho hi-from-test-$((40+2))\n');
        await waitUntil(async () => seen.includes('hi-from-test-42'), 30_000, () => `console said: ${seen.slice(-500)}`, 100);
      } finally {
        socket.destroy();
      }
    }, 60_000);

    it('reports cgroup stats of the QEMU process', async () => {
      const stats = await driver.stats(uid);
      expect(stats.cpuUsageSeconds).toBeGreaterThan(0);
      expect(stats.memoryUsageBytes).toBeGreaterThan(16 * 1024 * 1024);
      expect(stats.memoryWorkingSetBytes).toBeLessThanOrEqual(stats.memoryUsageBytes);
    });

    it('is adopted by a new driver object, which shuts it down through the power button', async () => {
      const adopter = newDriver();
      const listed = await adopter.list();
      expect(listed).toEqual([expect.objectContaining({ uid, status: 'running' })]);
      expect(await adopter.spec(uid)).toEqual(spec);

      const stopped = await adopter.stop(uid, 60_000);
      expect(stopped).toMatchObject({ uid, status: 'exited', exitCode: 0, graceful: true });
      const log = await consoleLog(uid);
      expect(log).toContain('coxswain-guest: shutting down');
      expect(log).toContain('reboot: Power down');
    }, 90_000);

    it('removes the tap, cgroup and files', async () => {
      await driver.remove(uid);
      expect(await driver.state(uid)).toBeUndefined();
      expect(await exists(driver.paths(uid).dir)).toBe(false);
      expect(await exists(`/sys/fs/cgroup/memory/${cgroupParent}/${uid}`)).toBe(false);
      await expect(exec('ip', ['link', 'show', spec.network!.tap])).rejects.toThrow();
    }, 30_000);
  });

  it('reports a VM whose QEMU cannot start as exited with its complaint, and removes it', async () => {
    const driver = newDriver();
    const uid = `vm-${tag}-c`;
    uids.push(uid);
    const spec: VmSpec = { uid, name: 'broken', namespace: 'default', cpus: 1, memoryBytes: 64 * 1024 * 1024, kernelPath: join(root, 'no-such-kernel') };
    await expect(driver.start(spec)).rejects.toThrow(/qemu exited with 1 while starting/);
    const state = await driver.state(uid);
    expect(state).toMatchObject({ uid, status: 'exited', exitCode: 1, graceful: false });
    expect(state?.message).toContain('no-such-kernel');
    await expect(driver.start(spec)).rejects.toThrow(/remove it before starting it again/);
    await driver.remove(uid);
    expect(await driver.list()).not.toContainEqual(expect.objectContaining({ uid }));
    expect(await exists(`/sys/fs/cgroup/memory/${cgroupParent}/${uid}`)).toBe(false);
  }, 30_000);

  it("tells its listeners when a booting guest's init speaks, without being polled", async () => {
    const driver = newDriver();
    const inits: string[] = [];
    driver.onGuestInit((u) => inits.push(u));
    const uid = `vm-${tag}-i`;
    uids.push(uid);
    await driver.start({ uid, name: 'init-watch', namespace: 'default', cpus: 1, memoryBytes: 128 * 1024 * 1024, kernelPath: files.kernelPath, initrdPath: files.initrdPath });
    // QEMU answers on QMP long before the guest's kernel has booted.
    const before = (await driver.guestInfo(uid)).initStarted;
    await waitUntil(async () => inits.includes(uid), 60_000, () => 'no guest init event', 50);
    expect((await driver.guestInfo(uid)).initStarted).toBe(true);
    expect(await consoleLog(uid)).toContain(INIT_MARKER);
    expect({ before, events: inits.filter((u) => u === uid).length }).toEqual({ before: false, events: 1 });
    await driver.remove(uid);
  }, 90_000);

  it('sees a guest that powers itself off as exited gracefully', async () => {
    const driver = newDriver();
    const uid = `vm-${tag}-d`;
    uids.push(uid);
    await driver.start({
      uid, name: 'self-off', namespace: 'default', cpus: 1, memoryBytes: 128 * 1024 * 1024,
      kernelPath: files.kernelPath, initrdPath: files.initrdPath, cmdline: 'quiet rdinit=/bin/sh',
    });
    await waitForConsole(uid, 'built-in shell (ash)');
    const console = await driver.attachConsole(uid);
    console.on('error', () => undefined); // QEMU closes its end when it exits
    try {
      console.write('poweroff -f\n');
      await waitUntil(async () => (await driver.state(uid))?.status === 'exited', 60_000, () => 'guest never powered off', 100);
    } finally {
      console.destroy();
    }
    await waitUntil(async () => (await driver.state(uid))?.exitCode !== undefined, 5000, () => 'no exit code recorded');
    expect(await driver.state(uid)).toMatchObject({ uid, status: 'exited', exitCode: 0, graceful: true });
  }, 90_000);

  it('quits QEMU when the guest ignores the power button, and says it was not graceful', async () => {
    const driver = newDriver();
    const uid = `vm-${tag}-b`;
    uids.push(uid);
    // A bare shell as init: nothing listens for ACPI events.
    await driver.start({
      uid, name: 'stubborn', namespace: 'default', cpus: 1, memoryBytes: 128 * 1024 * 1024,
      kernelPath: files.kernelPath, initrdPath: files.initrdPath, cmdline: 'quiet rdinit=/bin/sh',
    });
    await waitForConsole(uid, 'built-in shell (ash)'); // booted: the power button reaches a live kernel
    const stopped = await driver.stop(uid, 1000);
    expect(stopped).toMatchObject({ uid, status: 'exited', graceful: false });
    expect(JSON.parse(await readFile(driver.paths(uid).stopFile, 'utf8'))).toMatchObject({ method: 'quit' });
  }, 60_000);
});
