/** The on-disk record of a VM: what was started, so a new driver object can adopt it. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Accel, VmSpec } from './types';

export interface VmRecord {
  version: 1;
  spec: VmSpec;
  accel: Accel;
  cgroupPath: string;
  startedAt: string;
  wrapperPid?: number;
  qemuArgs: string[];
}

/** How `stop` ended the VM; absent when the VM stopped on its own. */
export interface StopRecord {
  method: 'powerdown' | 'quit' | 'kill';
  graceful: boolean;
  at: string;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  // VM records carry the spec, cloud-init user data included: owner-only.
  await writeFile(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  await rename(tmp, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
