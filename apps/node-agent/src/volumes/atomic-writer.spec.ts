import { mkdtemp, readFile, readlink, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSafeRelativePath, writeAtomically } from './atomic-writer';
import { Payload } from './payload';

const payload = (entries: Record<string, [string, number?]>): Payload => new Map(Object.entries(entries).map(([k, [v, mode]]) => [k, { data: Buffer.from(v), mode: mode ?? 0o644 }]));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeAtomically', () => {
  it('lays files out as the kubelet does: ..data → timestamped dir, names link through ..data', async () => {
    expect(await writeAtomically(dir, payload({ 'app.conf': ['a=1'], 'sub/x.txt': ['x', 0o400] }))).toBe(true);
    const target = await readlink(join(dir, '..data'));
    expect(target).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.[0-9a-f]{8}$/);
    expect(await readlink(join(dir, 'app.conf'))).toBe('..data/app.conf');
    expect(await readlink(join(dir, 'sub'))).toBe('..data/sub');
    expect(await readFile(join(dir, 'sub', 'x.txt'), 'utf8')).toBe('x');
    expect((await stat(join(dir, 'sub', 'x.txt'))).mode & 0o777).toBe(0o400);
    expect((await stat(join(dir, 'app.conf'))).mode & 0o777).toBe(0o644);
  });

  it('does nothing when the payload is unchanged', async () => {
    await writeAtomically(dir, payload({ a: ['1'] }));
    const before = await readlink(join(dir, '..data'));
    expect(await writeAtomically(dir, payload({ a: ['1'] }))).toBe(false);
    expect(await readlink(join(dir, '..data'))).toBe(before);
  });

  it('swaps to a new directory on change, drops removed names and the old directory', async () => {
    await writeAtomically(dir, payload({ a: ['1'], gone: ['x'] }));
    const before = await readlink(join(dir, '..data'));
    expect(await writeAtomically(dir, payload({ a: ['2'], b: ['3'] }))).toBe(true);
    expect(await readlink(join(dir, '..data'))).not.toBe(before);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('2');
    const entries = (await readdir(dir)).sort();
    expect(entries.filter((e) => !e.startsWith('..'))).toEqual(['a', 'b']);
    expect(entries.filter((e) => e.startsWith('..') && e !== '..data')).toHaveLength(1);
  });

  it('a mode change alone is a change', async () => {
    await writeAtomically(dir, payload({ a: ['1', 0o644] }));
    expect(await writeAtomically(dir, payload({ a: ['1', 0o600] }))).toBe(true);
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o600);
  });

  it('refuses paths that escape the volume', async () => {
    await expect(writeAtomically(dir, payload({ '../evil': ['x'] }))).rejects.toThrow(/invalid path/);
  });

  it.each([
    ['a/b', true],
    ['..a', false],
    ['a/../b', false],
    ['/abs', false],
    ['', false],
  ])('isSafeRelativePath(%s) = %s', (path, want) => {
    expect(isSafeRelativePath(path)).toBe(want);
  });
});
