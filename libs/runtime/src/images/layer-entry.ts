import { posix } from 'node:path';
import { classifyLayerEntry } from './whiteouts';

/** The parts of a tar header that decide what an entry does to the unpacked layer. */
export interface LayerEntryHeader {
  path: string;
  /** node-tar's type name: File, OldFile, ContiguousFile, Directory, SymbolicLink, Link, FIFO, CharacterDevice, ... */
  type: string;
  linkpath?: string;
}

/** What to do with one tar entry; paths are clean and relative to the layer root ('' is the root). */
export type LayerEntryPlan =
  | { op: 'dir'; path: string }
  | { op: 'file'; path: string }
  /** `target` exactly as written in the layer: absolute and climbing links stay as they are. */
  | { op: 'symlink'; path: string; target: string }
  /** `target` is a clean path inside the layer. */
  | { op: 'hardlink'; path: string; target: string }
  | { op: 'fifo'; path: string }
  | { op: 'whiteout'; path: string }
  | { op: 'opaque'; dir: string }
  | { op: 'skip' }
  | { op: 'reject'; reason: string };

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Checks a path as written in a layer. Layers hold relative paths; a leading `/` or any `..`
 * component only appears in archives built to write outside the directory they are
 * unpacked into, so the whole layer is refused rather than the path silently rewritten.
 */
export function layerPathProblem(raw: string, what = 'path'): string | undefined {
  if (raw.includes('\0')) return `${what} "${raw}" contains a NUL byte`;
  if (raw.startsWith('/')) return `absolute ${what} "${raw}"`;
  if (raw.split('/').includes('..')) return `${what} "${raw}" climbs out with ".."`;
  return undefined;
}

/** `./a//b/` → `a/b`; `./` → ''. Only for paths that passed layerPathProblem. */
export function cleanRelative(raw: string): string {
  const n = posix.normalize(raw).replace(/\/+$/, '');
  return n === '.' ? '' : n.replace(/^\.\//, '');
}

/** Decides what one tar entry of an OCI layer does (pure: the unpacker applies it). */
export function planLayerEntry(header: LayerEntryHeader): LayerEntryPlan {
  const bad = layerPathProblem(header.path);
  if (bad) return { op: 'reject', reason: bad };
  const path = cleanRelative(header.path);
  const kind = classifyLayerEntry(path);
  if (kind.kind === 'whiteout') return path === '' ? { op: 'skip' } : { op: 'whiteout', path: kind.path };
  if (kind.kind === 'opaque') return { op: 'opaque', dir: kind.dir };
  if (kind.kind === 'skip') return { op: 'skip' };
  if (header.type === 'Directory') return { op: 'dir', path };
  if (path === '') return { op: 'reject', reason: `a ${header.type} entry cannot replace the layer root` };
  if (FILE_TYPES.has(header.type)) return { op: 'file', path };
  switch (header.type) {
    case 'SymbolicLink': {
      const target = header.linkpath ?? '';
      if (!target || target.includes('\0')) return { op: 'reject', reason: `symlink "${path}" has an empty or NUL target` };
      return { op: 'symlink', path, target };
    }
    case 'Link': {
      const raw = header.linkpath ?? '';
      const problem = raw ? layerPathProblem(raw, 'hard link target') : 'empty hard link target';
      if (problem) return { op: 'reject', reason: `hard link "${path}": ${problem}` };
      const target = cleanRelative(raw);
      if (target === '' || target === path) return { op: 'reject', reason: `hard link "${path}" points at "${raw}"` };
      return { op: 'hardlink', path, target };
    }
    case 'FIFO':
      return { op: 'fifo', path };
    case 'CharacterDevice':
    case 'BlockDevice':
      return { op: 'reject', reason: `device node "${path}" (${header.type}) is not allowed in an image layer` };
    default:
      return { op: 'reject', reason: `entry "${path}" has unsupported type ${header.type}` };
  }
}
