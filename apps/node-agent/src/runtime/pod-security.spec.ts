import { chmod, lstat, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyFsGroup, fsGroupChangeNeeded, fsGroupFileMode } from './pod-security';

describe('fsGroupFileMode (read-only volume payload under fsGroup)', () => {
  it.each([
    { mode: 0o644, fsGroup: undefined, want: 0o644 },
    { mode: 0o400, fsGroup: 2000, want: 0o440 },
    { mode: 0o600, fsGroup: 2000, want: 0o640 },
    { mode: 0o700, fsGroup: 2000, want: 0o750 },
    { mode: 0o644, fsGroup: 2000, want: 0o644 },
  ])('$mode with fsGroup $fsGroup → $want', ({ mode, fsGroup, want }) => {
    expect(fsGroupFileMode(mode, fsGroup)).toBe(want);
  });
});

describe('applyFsGroup (the kubelet SetVolumeOwnership masks)', () => {
  let dir: string;
  const gid = process.getgid?.() ?? 0; // our own group: chown to it needs no privilege
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fsgroup-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'f'), 'x');
    await chmod(join(dir, 'sub', 'f'), 0o400);
    await chmod(join(dir, 'sub'), 0o700);
    await symlink('sub/f', join(dir, 'link'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const mode = async (p: string) => (await lstat(join(dir, p))).mode & 0o7777;

  it('read-write (emptyDir): group rw, directories setgid and group-searchable', async () => {
    await applyFsGroup(dir, gid);
    expect(await mode('sub')).toBe(0o2770);
    expect(await mode('sub/f')).toBe(0o660);
    expect((await lstat(join(dir, 'sub', 'f'))).gid).toBe(gid);
  });

  it('read-only (configMap/secret): group read only; symlinks are left alone', async () => {
    const linkMode = await mode('link');
    await applyFsGroup(dir, gid, true);
    expect(await mode('sub')).toBe(0o2750);
    expect(await mode('sub/f')).toBe(0o440);
    expect(await mode('link')).toBe(linkMode);
  });
});

describe('fsGroupChangeNeeded (fsGroupChangePolicy)', () => {
  let dir: string;
  const gid = process.getgid?.() ?? 0;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fsgroup-policy-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('Always (or unset) changes every time', async () => {
    await applyFsGroup(dir, gid);
    expect(await fsGroupChangeNeeded(dir, gid, 'Always')).toBe(true);
    expect(await fsGroupChangeNeeded(dir, gid, undefined)).toBe(true);
  });

  it('OnRootMismatch: not once the root is the group\'s, group read-write, searchable and setgid', async () => {
    await chmod(dir, 0o755);
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch')).toBe(true);
    await applyFsGroup(dir, gid);
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch')).toBe(false);
    // A file deeper down is not looked at (that is the point: a large volume is not walked).
    await writeFile(join(dir, 'late'), 'x');
    await chmod(join(dir, 'late'), 0o600);
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch')).toBe(false);
    await chmod(dir, 0o770); // setgid gone
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch')).toBe(true);
  });

  it('OnRootMismatch: another group, or a root that is not a directory, needs the change', async () => {
    await applyFsGroup(dir, gid);
    expect(await fsGroupChangeNeeded(dir, gid + 1, 'OnRootMismatch')).toBe(true);
    await writeFile(join(dir, 'f'), 'x');
    expect(await fsGroupChangeNeeded(join(dir, 'f'), gid, 'OnRootMismatch')).toBe(true);
    expect(await fsGroupChangeNeeded(join(dir, 'missing'), gid, 'OnRootMismatch')).toBe(true);
  });

  it('OnRootMismatch, read-only: group read and search suffice', async () => {
    await applyFsGroup(dir, gid, true);
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch', true)).toBe(false);
    expect(await fsGroupChangeNeeded(dir, gid, 'OnRootMismatch')).toBe(true);
  });
});
