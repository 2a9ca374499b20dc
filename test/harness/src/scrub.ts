// Removes everything a node agent left on the host: processes in its cgroups (container
// shims, containers, QEMU), mounts under its root, pod network namespaces, cgroup dirs.
// Used at teardown so a test or `npm run up` leaves nothing behind, even after a crash.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CGROUP_ROOT = '/sys/fs/cgroup';

async function cgroupDirs(parent: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    out.push(dir);
    for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name));
  };
  let controllers: string[] = [];
  try {
    controllers = await readdir(CGROUP_ROOT);
  } catch {
    return out;
  }
  for (const controller of controllers) await walk(join(CGROUP_ROOT, controller, parent));
  await walk(join(CGROUP_ROOT, parent));
  return [...new Set(out)];
}

export async function scrubNode(options: { root: string; cgroupParents: string[]; netnsPrefix?: string }): Promise<void> {
  for (const parent of options.cgroupParents) {
    for (let round = 0; round < 3; round++) {
      let killed = 0;
      for (const dir of await cgroupDirs(parent)) {
        const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
        for (const pid of procs.split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
            killed++;
          } catch {
            /* already gone */
          }
        }
      }
      if (!killed) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  // Shims run outside the containers' cgroups: find them by their root in the command line.
  await run('pkill', ['-9', '-f', options.root]).catch(() => undefined);
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1]).filter((m) => m && m.startsWith(options.root));
  for (const mount of mounts.reverse()) await run('umount', ['-l', mount]).catch(() => undefined);
  if (options.netnsPrefix) {
    const names = await readdir('/var/run/netns').catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(options.netnsPrefix!))) await run('ip', ['netns', 'del', name]).catch(() => undefined);
  }
  for (const parent of options.cgroupParents) {
    const dirs = (await cgroupDirs(parent)).sort((a, b) => b.length - a.length);
    for (const dir of dirs) await rmdir(dir).catch(() => undefined);
  }
  await rm(options.root, { recursive: true, force: true }).catch(() => undefined);
}
