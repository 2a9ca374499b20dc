/** What garbage collection sees: stored refs, what each kept thing needs, what is on disk. */
export interface GcInput {
  /** Every ref in the index. */
  refs: string[];
  /** Refs to keep (in use by workloads or by mounted rootfs). */
  keep: Set<string>;
  /** For each stored ref: the blobs it needs (index, manifest, config, layers) and its layer digests. */
  needs: Record<string, { blobs: string[]; layers: string[] }>;
  /** Content mounted rootfs still read, whether or not their ref survives. */
  pinned: { blobs: string[]; layers: string[] };
  blobs: string[];
  snapshots: string[];
}

export interface GcPlan {
  removeRefs: string[];
  removeBlobs: string[];
  removeSnapshots: string[];
}

/** Mark and sweep: anything not reachable from a kept ref or a mounted rootfs goes. */
export function planGc(input: GcInput): GcPlan {
  const removeRefs = input.refs.filter((r) => !input.keep.has(r));
  const liveBlobs = new Set(input.pinned.blobs);
  const liveLayers = new Set(input.pinned.layers);
  for (const ref of input.refs) {
    if (!input.keep.has(ref)) continue;
    const need = input.needs[ref];
    if (!need) continue;
    need.blobs.forEach((b) => liveBlobs.add(b));
    need.layers.forEach((l) => liveLayers.add(l));
  }
  return {
    removeRefs,
    removeBlobs: input.blobs.filter((b) => !liveBlobs.has(b)),
    removeSnapshots: input.snapshots.filter((s) => !liveLayers.has(s)),
  };
}
