import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskUsageBytes } from './disk-usage';

describe('diskUsageBytes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'disk-usage-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const du = (path: string) => Number(execFileSync('du', ['-s', '-B1', path], { encoding: 'utf8' }).split('\t')[0]);

  it('counts what `du -s` counts: files in nested directories, a hard link once, a symlink not followed', async () => {
    const vol = join(dir, 'vol');
    await mkdir(join(vol, 'a', 'b'), { recursive: true });
    await writeFile(join(vol, 'a', 'b', 'data'), Buffer.alloc(300 * 1024, 1));
    await link(join(vol, 'a', 'b', 'data'), join(vol, 'hard'));
    await writeFile(join(dir, 'outside'), Buffer.alloc(1024 * 1024, 1));
    await symlink(join(dir, 'outside'), join(vol, 'link'));
    const bytes = await diskUsageBytes(vol);
    expect(bytes).toBeGreaterThanOrEqual(300 * 1024);
    expect(bytes).toBeLessThan(1024 * 1024);
    expect(bytes).toBe(du(vol));
  });

  it('counts a sparse file by the blocks it uses, not its size', async () => {
    await writeFile(join(dir, 'sparse'), '');
    await truncate(join(dir, 'sparse'), 100 * 1024 * 1024);
    expect(await diskUsageBytes(dir)).toBeLessThan(1024 * 1024);
  });

  it('is undefined for a directory that does not exist', async () => {
    expect(await diskUsageBytes(join(dir, 'missing'))).toBeUndefined();
  });
});
