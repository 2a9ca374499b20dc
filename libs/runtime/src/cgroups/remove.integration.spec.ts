// removeCgroup on the host's real cgroup hierarchies (root): nested groups go, deepest first; a
// group with a live process stays and the call fails with EBUSY; a missing group is no error.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allCgroupDirs, controllerDir, detectCgroupLayout } from './layout';
import { removeCgroup } from './remove';

const root = `/coxtest-remove-${process.pid}`;

afterAll(async () => {
  await removeCgroup(root).catch(() => undefined);
});

async function makeGroup(path: string): Promise<string[]> {
  const dirs = allCgroupDirs(await detectCgroupLayout(), path);
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  return dirs;
}

describe('removeCgroup', () => {
  it('removes a group and its child groups in every hierarchy', async () => {
    const leaves = await makeGroup(`${root}/pod-a/container-1`);
    await makeGroup(`${root}/pod-a/container-2`);
    const pods = allCgroupDirs(await detectCgroupLayout(), `${root}/pod-a`);
    expect(leaves.every((d) => existsSync(d))).toBe(true);
    await removeCgroup(`${root}/pod-a`);
    expect(pods.filter((d) => existsSync(d))).toEqual([]);
  });

  it('is a no-op for a group that does not exist', async () => {
    await expect(removeCgroup(`${root}/never-made`)).resolves.toBeUndefined();
  });

  it('fails with EBUSY while a process lives in a child group, and keeps the group', async () => {
    const layout = await detectCgroupLayout();
    await makeGroup(`${root}/busy/inner`);
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pidsDir = controllerDir(layout, 'pids', `${root}/busy/inner`) ?? controllerDir(layout, 'memory', `${root}/busy/inner`)!;
      await writeFile(join(pidsDir, 'cgroup.procs'), String(sleeper.pid));
      await expect(removeCgroup(`${root}/busy`)).rejects.toMatchObject({ code: 'EBUSY' });
      expect(existsSync(pidsDir)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
    }
    // Once the process is gone the same call succeeds (the kernel may take a moment to notice).
    for (let i = 0; i < 500; i++) {
      if (await removeCgroup(`${root}/busy`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(allCgroupDirs(layout, `${root}/busy`).filter((d) => existsSync(d))).toEqual([]);
  });

  it('refuses the root group', async () => {
    await expect(removeCgroup('/')).rejects.toThrow(/refusing/);
  });
});
