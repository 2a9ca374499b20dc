import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminationFile, readTerminationFile, terminationFileMount } from './termination-file';

describe('terminationFileMount', () => {
  it.each([
    { name: 'no path: the default /dev/termination-log', spec: {}, want: { source: '/s/termination/u-c-1', destination: '/dev/termination-log' } },
    { name: 'a custom path', spec: { terminationMessagePath: '/tmp/msg' }, want: { source: '/s/termination/u-c-1', destination: '/tmp/msg' } },
    { name: 'an empty path: no file', spec: { terminationMessagePath: '' }, want: undefined },
  ])('$name', ({ spec, want }) => {
    expect(terminationFileMount('/s', 'u-c-1', spec)).toEqual(want);
  });

  it('refuses a relative path', () => {
    expect(() => terminationFileMount('/s', 'u-c-1', { terminationMessagePath: 'tmp/msg' })).toThrow('terminationMessagePath "tmp/msg" must be an absolute path');
  });
});

describe('termination file on disk', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'cox-termination-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is made empty and 0666 whatever the umask, its directory with it', async () => {
    const file = join(dir, 'termination', 'u-c-0');
    const umask = process.umask(0o077);
    try {
      await createTerminationFile(file);
    } finally {
      process.umask(umask);
    }
    const st = await stat(file);
    expect({ size: st.size, mode: st.mode & 0o777 }).toEqual({ size: 0, mode: 0o666 });
  });

  it('is not emptied when made again (its container exists)', async () => {
    const file = join(dir, 'u-c-0');
    await createTerminationFile(file);
    await writeFile(file, 'bye');
    await createTerminationFile(file);
    expect((await readTerminationFile(file))?.toString()).toBe('bye');
  });

  it.each([
    { name: 'a short message whole', content: 'bye: disk full\n', want: 'bye: disk full\n' },
    { name: 'an empty file: empty', content: '', want: '' },
    { name: 'a long one: its last 4096 bytes', content: `${'a'.repeat(10_000)}${'z'.repeat(4096)}`, want: 'z'.repeat(4096) },
  ])('reads $name', async ({ content, want }) => {
    await writeFile(join(dir, 'f'), content);
    expect((await readTerminationFile(join(dir, 'f')))?.toString()).toBe(want);
  });

  it('reads nothing when there is no file (removed, the pod gone)', async () => {
    expect(await readTerminationFile(join(dir, 'gone'))).toBeUndefined();
    expect(await readTerminationFile(join(dir, 'gone', 'deeper'))).toBeUndefined();
  });
});
