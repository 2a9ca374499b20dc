// A container's securityContext (with the pod's) → the driver's user/readonly/security fields.
// Reads the image's /etc/passwd and /etc/group inside the rootfs and Localhost seccomp profiles
// from the node's seccomp directory; refusals become CreateContainerConfigError.
import { chmod, lchown, lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Container, Pod } from '@coxswain/api/browser';
import {
  ContainerSpec, containerSpecSecurity, KubePodSecurityContext, KubeSecurityContext, loadLocalhostProfile, readRootfsFile, resolveSecurity, SecurityContextError,
} from '@coxswain/runtime';
import { ContainerConfigError } from '../runtime-port';

export async function containerSecurity(
  pod: Pod, container: Container, rootfs: string, imageUser: string | undefined, seccompDir: string,
): Promise<Pick<ContainerSpec, 'user' | 'readonlyRootfs' | 'security'>> {
  try {
    const resolved = resolveSecurity({
      pod: { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', securityContext: pod.spec.securityContext as KubePodSecurityContext | undefined },
      container: { name: container.name, securityContext: container.securityContext as KubeSecurityContext | undefined },
      imageUser,
      passwd: await readRootfsFile(rootfs, 'etc/passwd'),
      group: await readRootfsFile(rootfs, 'etc/group'),
    });
    const profile = resolved.seccomp.type === 'Localhost' ? await loadLocalhostProfile(seccompDir, resolved.seccomp.profile) : undefined;
    return containerSpecSecurity(resolved, profile);
  } catch (error) {
    if (error instanceof SecurityContextError) throw new ContainerConfigError(error.message);
    throw error;
  }
}

// The kubelet's SetVolumeOwnership masks (read-write volumes, read-only ones such as configMap/secret).
const RW = 0o660;
const RO = 0o440;
const EXEC = 0o110;
const SETGID = 0o2000;

/**
 * fsGroup on a volume the node made (emptyDir read-write; configMap/secret/downwardAPI/projected
 * read-only): group-owned by fsGroup, group read(-write), directories setgid so new files
 * inherit the group. Symlinks are not followed; hostPath volumes are never passed here.
 */
export async function applyFsGroup(dir: string, fsGroup: number, readonly = false): Promise<void> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st || st.isSymbolicLink()) return;
  await lchown(dir, st.uid, fsGroup);
  const mode = st.mode & 0o7777;
  const mask = readonly ? RO : RW;
  if (st.isDirectory()) {
    await chmod(dir, mode | mask | EXEC | SETGID);
    for (const name of await readdir(dir)) await applyFsGroup(join(dir, name), fsGroup, readonly);
  } else if (st.isFile()) {
    await chmod(dir, mode | mask | (mode & 0o111 ? EXEC : 0));
  }
}

/**
 * fsGroupChangePolicy OnRootMismatch (the kubelet's requiresPermissionChange): the recursive
 * change is needed only when the volume's root directory is not already the fsGroup's, group
 * read-write (read for a read-only volume) and searchable, and setgid. Always changes.
 */
export async function fsGroupChangeNeeded(dir: string, fsGroup: number, policy: string | undefined, readonly = false): Promise<boolean> {
  if (policy !== 'OnRootMismatch') return true;
  const st = await stat(dir).catch(() => undefined);
  if (!st || !st.isDirectory() || st.gid !== fsGroup) return true;
  const wanted = (readonly ? RO : RW) | EXEC;
  return (st.mode & wanted) !== wanted || (st.mode & SETGID) === 0;
}

/** The file modes a read-only volume's payload ends up with under fsGroup (so rewrites compare equal). */
export function fsGroupFileMode(mode: number, fsGroup: number | undefined): number {
  return fsGroup === undefined ? mode : mode | RO | (mode & 0o111 ? EXEC : 0);
}
