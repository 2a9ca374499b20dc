// What containerd checks before a container gets a HostToContainer or Bidirectional bind mount
// (ensureSharedOrSlave / ensureShared in its CRI plugin): a mount made on the host under the
// source reaches the container only if the host mount holding the source is shared (or, for
// HostToContainer, a slave of a shared one). And what the kubelet does to its root dir so that
// volumes under it qualify (MakeRShared in setupDataDirs).
import { realpath } from 'node:fs/promises';
import { readHostMountInfo, unescapeMountPath } from '../images/overlay';
import { runCommand } from '../proc/run-command';
import { BindMount } from './types';

export type HostPropagation = 'shared' | 'slave' | 'private';

export interface MountInfoEntry {
  mountPoint: string;
  propagation: HostPropagation;
}

/** Mount points and their propagation from /proc/self/mountinfo (optional fields `shared:N`, `master:N`). */
export function parseMountInfo(text: string): MountInfoEntry[] {
  return text.split('\n').filter(Boolean).map((line) => {
    const fields = line.split(' ');
    const optional = fields.slice(6, fields.indexOf('-', 6));
    const propagation: HostPropagation = optional.some((f) => f.startsWith('shared:')) ? 'shared' : optional.some((f) => f.startsWith('master:')) ? 'slave' : 'private';
    return { mountPoint: unescapeMountPath(fields[4]), propagation };
  });
}

/** The mount holding `path` (the deepest mount point above it; of mounts stacked there, the last). */
export function mountOf(entries: MountInfoEntry[], path: string): MountInfoEntry | undefined {
  let best: MountInfoEntry | undefined;
  for (const e of entries) {
    const above = e.mountPoint === '/' || path === e.mountPoint || path.startsWith(`${e.mountPoint}/`);
    if (above && (!best || e.mountPoint.length >= best.mountPoint.length)) best = e;
  }
  return best;
}

/**
 * Why a bind mount's propagation cannot work, in containerd's words, or undefined. `source` is
 * the resolved path.
 */
export function propagationProblem(entries: MountInfoEntry[], mount: BindMount, source: string): string | undefined {
  if (!mount.propagation || mount.propagation === 'rprivate') return undefined;
  const holder = mountOf(entries, source);
  if (!holder) return `could not find the mount holding ${source}`;
  if (mount.propagation === 'rshared' && holder.propagation !== 'shared') return `path "${source}" is mounted on "${holder.mountPoint}" but it is not a shared mount`;
  if (mount.propagation === 'rslave' && holder.propagation === 'private') return `path "${source}" is mounted on "${holder.mountPoint}" but it is not a shared or slave mount`;
  return undefined;
}

/** The first problem among `mounts` (reads the mount table only when one asks for propagation). */
export async function checkMountPropagation(mounts: BindMount[], readMountInfo = readHostMountInfo): Promise<string | undefined> {
  const wanting = mounts.filter((m) => m.propagation && m.propagation !== 'rprivate');
  if (!wanting.length) return undefined;
  const entries = parseMountInfo(await readMountInfo());
  for (const m of wanting) {
    const problem = propagationProblem(entries, m, await realpath(m.source).catch(() => m.source));
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Makes `dir` (which must exist) a shared mount, recursively (bound onto itself first if it is not a mount point):
 * the kubelet's MakeRShared for its root, so volumes under it can be HostToContainer or
 * Bidirectional. Idempotent.
 */
export async function makeRShared(dir: string): Promise<void> {
  const entries = parseMountInfo(await readHostMountInfo());
  const here = entries.filter((e) => e.mountPoint === dir).pop();
  if (here?.propagation === 'shared') return;
  // rbind: mounts already under it (pods of an agent upgraded in place) stay visible through it.
  if (!here) await runCommand('mount', ['--rbind', dir, dir], { timeoutMs: 60_000 });
  await runCommand('mount', ['--make-rshared', dir], { timeoutMs: 60_000 });
}
