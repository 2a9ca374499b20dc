// The host's device nodes, for privileged containers (containerd's WithHostDevices): every
// character and block device under /dev except the ones runc or the container mounts itself.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capabilitiesOfMask } from './capabilities';
import { HostDevice } from './oci-security';

const SKIP = new Set(['/dev/pts', '/dev/shm', '/dev/mqueue', '/dev/console', '/dev/ptmx', '/dev/.lxc', '/dev/.udev']);

// Linux dev_t: major in bits 8-19 (and 32-43), minor in bits 0-7 and 20-31.
const major = (dev: number) => Number((BigInt(dev) >> 8n) & 0xfffn) | Number((BigInt(dev) >> 32n) & ~0xfffn);
const minor = (dev: number) => Number(BigInt(dev) & 0xffn) | Number((BigInt(dev) >> 12n) & ~0xffn);

export async function hostDevices(root = '/dev', depth = 2): Promise<HostDevice[]> {
  const out: HostDevice[] = [];
  const walk = async (dir: string, level: number) => {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const name of entries) {
      const path = join(dir, name);
      if (SKIP.has(path)) continue;
      const st = await lstat(path).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory() && level < depth) await walk(path, level + 1);
      else if (st.isCharacterDevice() || st.isBlockDevice()) {
        out.push({ path, type: st.isCharacterDevice() ? 'c' : 'b', major: major(st.rdev), minor: minor(st.rdev), fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
      }
    }
  };
  await walk(root, 1);
  return out;
}

let bounding: Promise<string[] | undefined> | undefined;

/** This process's capability bounding set (what runc can hand out), read once. */
export function ownBoundingSet(): Promise<string[] | undefined> {
  bounding ??= readFile('/proc/self/status', 'utf8').then((text) => {
    const mask = text.match(/^CapBnd:\s*([0-9a-f]+)/m)?.[1];
    return mask ? capabilitiesOfMask(mask) : undefined;
  }, () => undefined);
  return bounding;
}
