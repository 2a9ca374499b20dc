// Runtime overhead measured on the real runtimes: a real QEMU (the harness' tiny guest) has a
// guest-RAM mapping of its `-m` size and resident memory beyond it; a real runc container keeps
// one coxshim process, whose memory is the container's runtime overhead.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTinyVmFiles, INIT_MARKER, waitUntil } from '@coxswain/harness';
import { removeCgroup } from '../cgroups/remove';
import { ContainerDriver } from '../containers/driver';
import { buildBusyboxRootfs } from '../containers/testing';
import { VmDriver } from '../vm/driver';
import { vmPaths } from '../vm/qemu-args';

const tag = randomBytes(3).toString('hex');
const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-overhead-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('QEMU beyond guest RAM', () => {
  const cgroupParent = `coxswain-overhead-test-${tag}`;
  const uid = `vm-${tag}`;
  let driver: VmDriver;

  afterAll(async () => {
    await driver?.remove(uid).catch(() => undefined);
    for (const ctrl of ['cpu', 'cpuacct', 'memory', 'pids']) await rmdir(`/sys/fs/cgroup/${ctrl}/${cgroupParent}`).catch(() => undefined);
  }, 60_000);

  it('splits a booted VM\'s QEMU resident memory into guest RAM and overhead', async () => {
    const files = await buildTinyVmFiles();
    const root = join(dir, 'vms');
    driver = new VmDriver({ root, accel: 'tcg', cgroupParent });
    await driver.start({ uid, name: 'tiny', namespace: 'default', cpus: 1, memoryBytes: 96 * MiB, kernelPath: files.kernelPath, initrdPath: files.initrdPath });
    await waitUntil(async () => (await readFile(vmPaths(root, uid).consoleLog, 'utf8').catch(() => '')).includes(INIT_MARKER), 90_000, () => 'the guest never booted', 200);

    const memory = await driver.memory(uid);
    expect(memory).toBeDefined();
    expect(memory!.guestBytes).toBe(96 * MiB);
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${(await driver.state(uid))!.pid}/status`, 'utf8'))![1]) * 1024;
    // Measured a moment apart from /proc/<pid>/status: the same order, not the same byte.
    expect(memory!.residentBytes).toBeGreaterThan(rss / 2);
    expect(memory!.residentBytes).toBeLessThan(rss * 2);
    // The booted guest touched part of its RAM, and QEMU has memory of its own.
    expect(memory!.overheadBytes).toBeGreaterThan(1 * MiB);
    expect(memory!.overheadBytes).toBeLessThan(memory!.residentBytes);
    console.log(`QEMU (TCG) with 96 MiB guest: resident ${(memory!.residentBytes / MiB).toFixed(1)} MiB, overhead ${(memory!.overheadBytes / MiB).toFixed(1)} MiB`);

    await driver.stop(uid, 2000);
    expect(await driver.memory(uid)).toBeUndefined();
  }, 150_000);
});

describe('the container shim', () => {
  const cgroupParent = `/coxtest-overhead-${tag}`;
  let driver: ContainerDriver;

  afterAll(async () => {
    for (const c of (await driver?.list().catch(() => [])) ?? []) await driver.remove(c.id).catch(() => undefined);
    await removeCgroup(cgroupParent).catch(() => undefined);
  }, 60_000);

  it('is the one runtime process a running container keeps; gone with the container', async () => {
    const rootfs = await buildBusyboxRootfs(join(dir, 'rootfs'));
    driver = new ContainerDriver({ root: join(dir, 'containers'), cgroupParent });
    await driver.init();
    const id = `shim-${tag}`;
    await driver.create({ id, rootfs, args: ['sleep', '60'], podUid: `pod-${tag}` });
    await driver.start(id);
    const shim = await driver.shimMemory(id);
    expect(shim).toBeDefined();
    expect(shim!.residentBytes).toBeGreaterThan(0);
    expect(shim!.proportionalBytes).toBeGreaterThan(0);
    expect(shim!.proportionalBytes).toBeLessThanOrEqual(shim!.residentBytes);
    expect(shim!.residentBytes).toBeLessThan(16 * MiB); // a small C process, not a runtime daemon
    console.log(`coxshim: RSS ${(shim!.residentBytes / 1024).toFixed(0)} KiB, PSS ${(shim!.proportionalBytes / 1024).toFixed(0)} KiB`);
    await driver.stop(id, 1);
    await waitUntil(async () => (await driver.shimMemory(id)) === undefined, 15_000, () => 'the shim outlived its container', 100);
  }, 90_000);
});
