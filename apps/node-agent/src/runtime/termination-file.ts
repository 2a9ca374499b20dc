// The termination message file, the kubelet's way (kuberuntime_container.go makeMounts): an empty
// host file per container instance, world-writable, bind-mounted at terminationMessagePath so
// what the container writes there outlives it (its /dev is a tmpfs that goes with it).
import { chmod, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { BindMount } from '@coxswain/runtime';
import { MAX_TERMINATION_MESSAGE_BYTES, TerminationMessageSpec, terminationMessagePath } from '../sync/termination-message';

/** `<sandbox dir>/termination/<container id>`: one file per instance (the id has the attempt). */
export function terminationFilePath(sandboxDir: string, containerId: string): string {
  return join(sandboxDir, 'termination', containerId);
}

/**
 * The bind mount of the instance's file at the container's terminationMessagePath; undefined
 * when the path is empty (no file). A relative path is an error: it names no place in the
 * container (Kubernetes' validation refuses it). Pushed after every other mount, it lands inside
 * the /dev tmpfs and inside any volume mounted above the path; runc makes the mount point.
 */
export function terminationFileMount(sandboxDir: string, containerId: string, spec: TerminationMessageSpec): BindMount | undefined {
  const destination = terminationMessagePath(spec);
  if (!destination) return undefined;
  if (!isAbsolute(destination)) throw new Error(`terminationMessagePath "${destination}" must be an absolute path`);
  return { source: terminationFilePath(sandboxDir, containerId), destination };
}

/**
 * Creates the empty file, 0666 whatever the umask (a non-root container user writes it too).
 * An existing file is kept, not emptied: its id's container exists (the driver refuses the
 * start with EEXIST) and may have written it already.
 */
export async function createTerminationFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '', { mode: 0o666, flag: 'a' });
  await chmod(file, 0o666);
}

/** The last `maxBytes` bytes of the file (not the whole of a huge one); undefined when it is missing. */
export async function readTerminationFile(file: string, maxBytes = MAX_TERMINATION_MESSAGE_BYTES): Promise<Buffer | undefined> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function removeTerminationFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
