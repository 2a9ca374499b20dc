// Test support: a root filesystem made of Debian's static busybox, so integration tests can
// run real containers without an image registry.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Fills `dir` with /bin/busybox plus a symlink per applet and the usual empty mount points. */
export async function buildBusyboxRootfs(dir: string, busybox = '/bin/busybox'): Promise<string> {
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'root', 'var/www']) await mkdir(join(dir, d), { recursive: true });
  await copyFile(busybox, join(dir, 'bin', 'busybox'));
  const { stdout } = await exec(busybox, ['--list']);
  await Promise.all(stdout.split('\n').filter((a) => a && a !== 'busybox')
    .map((applet) => symlink('busybox', join(dir, 'bin', applet)).catch(() => undefined)));
  await writeFile(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  return dir;
}
