// VM disk and process safety on real QEMU: hostile qcow2 images are refused before QEMU
// opens them, QEMU runs confined (seccomp sandbox, unprivileged user), the console log stays
// bounded.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildTinyVmFiles, INIT_MARKER, TinyVmFiles, waitUntil } from '@coxswain/harness';
import { QEMU_USER } from './confinement';
import { VmDriver, VmSpecError } from './driver';
import { vmPaths } from './qemu-args';
import { VmSpec } from './types';

const exec = promisify(execFile);
const exists = (p: string) => access(p).then(() => true, () => false);
const tag = randomBytes(3).toString('hex');
const cgroupParent = `coxswain-vms-safety-${tag}`;
const MiB = 2 ** 20;

describe('VM disk and process safety on real QEMU', () => {
  let files: TinyVmFiles;
  let root: string;
  let driver: VmDriver;
  const uids: string[] = [];
  const spec = (uid: string, extra: Partial<VmSpec> = {}): VmSpec => {
    uids.push(uid);
    return { uid, name: uid, namespace: 'default', cpus: 1, memoryBytes: 128 * MiB, kernelPath: files.kernelPath, initrdPath: files.initrdPath, ...extra };
  };
  const consoleText = async (uid: string) => {
    const p = vmPaths(root, uid);
    return (await readFile(p.previousConsoleLog, 'utf8').catch(() => '')) + (await readFile(p.consoleLog, 'utf8').catch(() => ''));
  };

  beforeAll(async () => {
    files = await buildTinyVmFiles();
    root = await mkdtemp(join(tmpdir(), 'coxvms-'));
    driver = new VmDriver({ root, accel: 'tcg', cgroupParent, consoleLogMaxBytes: 64 * 1024, consoleCheckMs: 500 });
  }, 120_000);

  afterAll(async () => {
    for (const uid of uids) await driver.remove(uid).catch(() => undefined);
    for (const ctrl of ['cpu', 'cpuacct', 'memory', 'pids']) await rmdir(`/sys/fs/cgroup/${ctrl}/${cgroupParent}`).catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it.each([
    { name: 'a host backing file', make: (p: string) => ['create', '-q', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', p], want: 'has a backing file ("/etc/hostname")' },
    { name: 'an external data file', make: (p: string) => ['create', '-q', '-f', 'qcow2', '-o', `data_file=${p}.data`, p, '16M'], want: 'has an external data file' },
  ])('refuses a qcow2 with $name before QEMU opens it', async ({ name, make, want }) => {
    const disk = join(root, `${name.replace(/\W+/g, '-')}.qcow2`);
    await exec('qemu-img', make(disk));
    const uid = `bad-${tag}-${uids.length}`;
    const error = await driver.start(spec(uid, { disks: [{ path: disk, format: 'qcow2' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VmSpecError);
    expect((error as Error).message).toContain(want);
    // Refused before anything was created: no VM directory, no overlay, no QEMU.
    expect(await exists(vmPaths(root, uid).dir)).toBe(false);
    expect(await driver.state(uid)).toBeUndefined();
  }, 60_000);

  it('refuses a qcow2 presented as raw, and a disk over the size limit', async () => {
    const disk = join(root, 'real.qcow2');
    await exec('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    await expect(driver.start(spec(`raw-${tag}`, { disks: [{ path: disk, format: 'raw' }] }))).rejects.toThrow('real.qcow2 is qcow2, not raw');
    const small = new VmDriver({ root, accel: 'tcg', cgroupParent, maxDiskBytes: 8 * MiB });
    await expect(small.start(spec(`big-${tag}`, { disks: [{ path: disk, format: 'qcow2' }] }))).rejects.toThrow(`over the node's limit of ${8 * MiB}`);
  }, 60_000);

  it('boots a VM under the seccomp sandbox as the unprivileged qemu user, and keeps its console log bounded', async () => {
    const uid = `ok-${tag}`;
    const disk = join(root, 'data.qcow2');
    await exec('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    // About 1.5 MiB on the serial line, then a marker; the limit is 64 KiB.
    const flood = '#!/bin/sh\ni=0; while [ $i -lt 20000 ]; do echo "flood-line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done; echo FLOOD-DONE\n';
    const state = await driver.start(spec(uid, { disks: [{ path: disk, format: 'qcow2' }], cloudInitUserData: flood }));
    expect(state.status).toBe('running');
    const status = await readFile(`/proc/${state.pid}/status`, 'utf8');
    expect(status).toMatch(/^Seccomp:\s+2$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    const uidLine = status.match(/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m);
    const { stdout } = await exec('id', ['-u', QEMU_USER]);
    expect(uidLine?.slice(1).map(Number)).toEqual(Array(4).fill(Number(stdout.trim())));
    expect((await readFile(`/proc/${state.pid}/cmdline`, 'utf8')).split('\0')).toEqual(expect.arrayContaining(['-sandbox', '-runas', QEMU_USER]));

    await waitUntil(async () => (await consoleText(uid)).includes('FLOOD-DONE'), 240_000, () => 'the guest never finished printing', 250);
    await driver.rotateConsoleLog(uid);
    const p = vmPaths(root, uid);
    const [current, previous] = await Promise.all([stat(p.consoleLog), stat(p.previousConsoleLog)]);
    // One previous file of at most the limit; the live file only holds what came after it.
    expect(previous.size).toBeLessThanOrEqual(64 * 1024);
    expect(current.size).toBeLessThanOrEqual(64 * 1024);
    expect((await consoleText(uid)).includes('FLOOD-DONE')).toBe(true);
    // The guest's init marker was rotated away, but the driver remembers it was seen.
    expect(await readFile(p.consoleLog, 'utf8')).not.toContain(INIT_MARKER);
    expect((await driver.guestInfo(uid)).initStarted).toBe(true);
  }, 300_000);
});
