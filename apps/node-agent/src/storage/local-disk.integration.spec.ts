// Real loop-mounted ext4 images: the size is enforced (ENOSPC inside, not on the host),
// mounting is idempotent (a second agent pass or a restart does not attach the image twice),
// data survives an unmount/remount, and removal leaves nothing mounted.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isMounted, LocalDisks } from './local-disk';

const run = promisify(execFile);
const MI = 1024 * 1024;

describe('LocalDisks (loop-mounted ext4)', () => {
  let root: string;
  let disks: LocalDisks;
  const name = `pvc-test-${process.pid}`;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cox-local-'));
    disks = new LocalDisks(root);
  });

  afterAll(async () => {
    await disks.remove(name).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('creates, enforces the size, mounts once, survives a remount and removes cleanly', async () => {
    const mnt = await disks.create(name, 16 * MI);
    expect(await isMounted(mnt)).toBe(true);
    // Racing mounts (a pod start and a provisioner pass) attach the image once.
    await Promise.all([disks.ensureMounted(name), disks.ensureMounted(name), disks.create(name, 16 * MI)]);
    const { stdout } = await run('losetup', ['-j', join(disks.dirOf(name), 'disk.ext4')]);
    expect(stdout.trim().split('\n')).toHaveLength(1);

    await writeFile(join(mnt, 'keep.txt'), 'persisted');
    // 32 MiB into a 16 MiB volume: the application gets ENOSPC.
    const write = writeFile(join(mnt, 'big.bin'), Buffer.alloc(32 * MI, 1));
    await expect(write).rejects.toMatchObject({ code: 'ENOSPC' });

    await run('umount', [mnt]);
    expect(await isMounted(mnt)).toBe(false);
    await disks.ensureMounted(name);
    expect(await readFile(join(mnt, 'keep.txt'), 'utf8')).toBe('persisted');

    await disks.remove(name);
    expect(await isMounted(mnt)).toBe(false);
    await expect(readFile(join(disks.dirOf(name), 'disk.ext4'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
