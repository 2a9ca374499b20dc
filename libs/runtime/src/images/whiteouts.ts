import { posix } from 'node:path';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';
const META_PREFIX = '.wh..wh.';

/** What an entry of an OCI layer tarball means for the unpacked overlay layer. */
export type LayerEntryKind =
  | { kind: 'entry'; path: string }
  /** `dir/.wh.name`: hide `dir/name` of lower layers (overlay: char device 0/0 at `dir/name`). */
  | { kind: 'whiteout'; path: string }
  /** `dir/.wh..wh..opq`: hide everything lower layers have in `dir` (overlay: opaque xattr). */
  | { kind: 'opaque'; dir: string }
  /** Other `.wh..wh.*` names are AUFS bookkeeping (hard-link dirs) and carry no content. */
  | { kind: 'skip'; path: string };

/** Normalises a tar path to a clean relative path ('' for the root). */
export function cleanLayerPath(p: string): string {
  const n = posix.normalize('/' + p).slice(1).replace(/\/$/, '');
  return n === '.' ? '' : n;
}

/** Classifies one tar entry path (OCI image-spec layer.md "Whiteouts"). */
export function classifyLayerEntry(rawPath: string): LayerEntryKind {
  const path = cleanLayerPath(rawPath);
  const base = posix.basename(path);
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  if (base === OPAQUE) return { kind: 'opaque', dir };
  if (base.startsWith(META_PREFIX)) return { kind: 'skip', path };
  if (base.startsWith(WHITEOUT_PREFIX) && base.length > WHITEOUT_PREFIX.length) {
    return { kind: 'whiteout', path: posix.join(dir, base.slice(WHITEOUT_PREFIX.length)) };
  }
  return { kind: 'entry', path };
}

/** What one unpacked overlay layer holds at a path, as seen by `lstat` plus the layer's metadata. */
export type LayerProbe =
  | { type: 'missing' }
  | { type: 'whiteout' }
  | { type: 'dir'; opaque: boolean }
  | { type: 'file' }
  | { type: 'symlink'; target: string };

export type ProbeFn = (layer: number, path: string) => Promise<LayerProbe>;

/** Proper ancestors of a clean relative path, shallowest first: a/b/c → [a, a/b]. */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_p, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Finds which layer provides `path` in the merged (overlay) view, top layer first (index 0).
 * A whiteout, a non-directory or an opaque directory at the path or at one of its ancestors
 * in a layer hides what the layers below have there. Ancestors are probed shallowest first
 * and the path itself only below real directories, so a probe never passes through a
 * symlink inside a layer (which could point anywhere on the host).
 */
export async function findInLayers(layers: number, path: string, probe: ProbeFn): Promise<{ layer: number; entry: LayerProbe } | undefined> {
  for (let layer = 0; layer < layers; layer++) {
    let absentHere = false;
    let opaqueAbove = false;
    for (const a of ancestors(path)) {
      const up = await probe(layer, a);
      if (up.type === 'whiteout' || up.type === 'file' || up.type === 'symlink') return undefined;
      if (up.type === 'missing') {
        absentHere = true;
        break;
      }
      if (up.opaque) opaqueAbove = true;
    }
    if (!absentHere) {
      const entry = await probe(layer, path);
      if (entry.type === 'whiteout') return undefined;
      if (entry.type !== 'missing') return { layer, entry };
    }
    if (opaqueAbove) return undefined;
  }
  return undefined;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `path` inside the merged image, following symlinks (absolute ones relative to the
 * image root, never escaping it). Returns the layer index and the clean path in that layer.
 */
export async function resolveInLayers(layers: number, path: string, probe: ProbeFn): Promise<{ layer: number; path: string } | undefined> {
  let pending = cleanLayerPath(path).split('/').filter(Boolean);
  let current = '';
  let found: { layer: number; path: string } | undefined;
  let hops = 0;
  if (pending.length === 0) return undefined;
  while (pending.length) {
    const component = pending.shift() as string;
    const next = cleanLayerPath(posix.join(current, component));
    if (component === '..' || component === '.') {
      current = next;
      continue;
    }
    const hit = await findInLayers(layers, next, probe);
    if (!hit) return undefined;
    if (hit.entry.type === 'symlink') {
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      const target = hit.entry.target;
      const base = target.startsWith('/') ? '' : current;
      pending = [...cleanLayerPath(posix.join('/', base, target)).split('/').filter(Boolean), ...pending];
      current = '';
      found = undefined;
      continue;
    }
    if (pending.length && hit.entry.type !== 'dir') return undefined;
    current = next;
    found = { layer: hit.layer, path: next };
  }
  return found;
}
