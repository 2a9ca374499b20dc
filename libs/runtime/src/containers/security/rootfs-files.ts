// Reading a file of an image's root filesystem from the host without following the image's
// symlinks (an image's /etc/passwd may point at the host's /etc/shadow) or blocking on a FIFO.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';

/** The file's text, or undefined if it is missing, not a regular file, behind a symlink, or too big. */
export async function readRootfsFile(rootfs: string, relative: string, maxBytes = 1 << 20): Promise<string | undefined> {
  const parts = relative.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) return undefined;
  for (let i = 1; i < parts.length; i++) {
    const st = await lstat(join(rootfs, ...parts.slice(0, i))).catch(() => undefined);
    if (!st?.isDirectory()) return undefined;
  }
  const handle = await open(join(rootfs, ...parts), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > maxBytes) return undefined;
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
