// What the driver keeps on disk per container, and how that plus runc's view and the
// shim's exit record fold into one ContainerState. The folding is pure.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { RuncContainer } from './runc';
import { ContainerState, ExitRecord } from './types';

export interface ContainerRecord {
  id: string;
  createdAt: number;
  startedAt?: number;
  podUid?: string;
  labels: Record<string, string>;
  cgroupsPath: string;
  logPath: string;
  rootfs: string;
}

export interface Observed {
  record: ContainerRecord;
  runc?: RuncContainer;
  exit?: ExitRecord;
  /** The shim still runs, so an exit record is still coming if the container stopped. */
  shimAlive: boolean;
}

export function deriveState({ record, runc, exit, shimAlive }: Observed): ContainerState {
  const base = {
    id: record.id,
    createdAt: record.createdAt,
    labels: record.labels,
    ...(record.startedAt !== undefined ? { startedAt: record.startedAt } : {}),
  };
  if (exit) {
    return {
      ...base,
      status: 'exited',
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: exit.signal } : {}),
      oomKilled: exit.oomKilled === true,
      finishedAt: Date.parse(exit.finishedAt),
    };
  }
  switch (runc?.status) {
    case 'created':
    case 'creating':
      return { ...base, status: 'created', pid: runc.pid };
    case 'running':
    case 'pausing':
    case 'paused':
      return { ...base, status: 'running', pid: runc.pid };
    case 'stopped':
      // The shim is writing the exit record right now; until then it still counts as running.
      if (shimAlive) return { ...base, status: 'running' };
      // The shim died (killed, host reboot): the exit status is lost.
      return { ...base, status: 'exited' };
    default:
      return { ...base, status: 'unknown' };
  }
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Write-then-rename so readers never see half a file, even across a crash. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  // Records hold labels and paths; config.json beside them holds env: owner-only, like kubelet state.
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}
