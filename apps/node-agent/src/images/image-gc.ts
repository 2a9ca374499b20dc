// The kubelet's image garbage collection (imageGCHighThresholdPercent / LowThresholdPercent /
// imageMinimumGCAge): when the filesystem holding the images is fuller than the high
// threshold, images no Pod or VMI on this node uses are removed, least recently used first,
// until the freed size brings usage down to the low threshold. Images younger than the minimum
// age (since first seen) are left alone. planImageGc is pure; ImageGc applies it to the store.
import { statfs } from 'node:fs/promises';
import { compareStrings, type Pod, type VirtualMachineInstance } from '@coxswain/api/browser';

export interface ImageGcSettings {
  highThresholdPercent: number;
  lowThresholdPercent: number;
  minAgeMs: number;
}

export const DEFAULT_IMAGE_GC: ImageGcSettings = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 2 * 60_000 };

export interface ImageRecord {
  ref: string;
  sizeBytes: number;
  /** When a workload here last used it (ms), else when the agent first saw it. */
  lastUsedMs: number;
  firstSeenMs: number;
}

export interface ImageGcInput {
  images: ImageRecord[];
  inUse: Set<string>;
  capacityBytes: number;
  availableBytes: number;
  nowMs: number;
  settings: ImageGcSettings;
}

export interface ImageGcPlan {
  /** Nothing to do when usage is at or under the high threshold. */
  usagePercent: number;
  bytesToFree: number;
  remove: string[];
  /** Bytes the plan frees (image sizes), less than bytesToFree when too few images may go. */
  freedBytes: number;
}

export function planImageGc(input: ImageGcInput): ImageGcPlan {
  const { capacityBytes, availableBytes, settings } = input;
  const used = capacityBytes - availableBytes;
  const usagePercent = capacityBytes > 0 ? (used * 100) / capacityBytes : 0;
  if (usagePercent < settings.highThresholdPercent) return { usagePercent, bytesToFree: 0, remove: [], freedBytes: 0 };
  const bytesToFree = Math.max(0, used - (capacityBytes * settings.lowThresholdPercent) / 100);
  const candidates = input.images
    .filter((i) => !input.inUse.has(i.ref) && input.nowMs - i.firstSeenMs >= settings.minAgeMs)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || compareStrings(a.ref, b.ref));
  const remove: string[] = [];
  let freedBytes = 0;
  for (const image of candidates) {
    if (freedBytes >= bytesToFree) break;
    remove.push(image.ref);
    freedBytes += image.sizeBytes;
  }
  return { usagePercent, bytesToFree, remove, freedBytes };
}

/** The images workloads use: containers, init containers, a VMI's containerDisks and kernel-boot container. */
export function workloadImages(workloads: Array<Pod | VirtualMachineInstance>): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    const spec = w.spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) if (c?.image) out.push(c.image);
    for (const v of spec?.volumes ?? []) if (v?.containerDisk?.image) out.push(v.containerDisk.image);
    const kernel = spec?.domain?.firmware?.kernelBoot?.container?.image;
    if (kernel) out.push(kernel);
  }
  return out;
}

export interface ImageGcStore {
  root: string;
  list(): Promise<Array<{ ref: string; size: number }>>;
  /** Removes every image not in `keep`, and content nothing kept needs. */
  gc(keep: Iterable<string>): Promise<{ removedRefs: string[] }>;
}

export interface ImageGcOptions {
  store: ImageGcStore;
  /** The images in use now (normalized to the store's refs by `normalize`). */
  inUse(): string[];
  normalize(ref: string): string;
  settings?: ImageGcSettings;
  now?: () => number;
  usage?: (path: string) => Promise<{ capacityBytes: number; availableBytes: number }>;
  onRemoved?(refs: string[], plan: ImageGcPlan): void;
}

async function fsUsage(path: string): Promise<{ capacityBytes: number; availableBytes: number }> {
  const fs = await statfs(path);
  return { capacityBytes: fs.blocks * fs.bsize, availableBytes: fs.bavail * fs.bsize };
}

export class ImageGc {
  private readonly lastUsed = new Map<string, number>();
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly options: ImageGcOptions) {}

  /** Records use, and removes least recently used unused images when the disk is over the high threshold. */
  async check(): Promise<ImageGcPlan> {
    const { store, normalize } = this.options;
    const now = (this.options.now ?? Date.now)();
    const inUse = new Set(this.options.inUse().map(normalize));
    const images = await store.list();
    const present = new Set(images.map((i) => i.ref));
    for (const key of [...this.firstSeen.keys()]) {
      if (present.has(key)) continue;
      this.firstSeen.delete(key);
      this.lastUsed.delete(key);
    }
    for (const { ref } of images) {
      if (!this.firstSeen.has(ref)) this.firstSeen.set(ref, now);
      if (inUse.has(ref)) this.lastUsed.set(ref, now);
    }
    const records = images.map((i) => ({ ref: i.ref, sizeBytes: i.size, firstSeenMs: this.firstSeen.get(i.ref)!, lastUsedMs: this.lastUsed.get(i.ref) ?? this.firstSeen.get(i.ref)! }));
    const usage = await (this.options.usage ?? fsUsage)(store.root);
    const plan = planImageGc({ images: records, inUse, ...usage, nowMs: now, settings: this.options.settings ?? DEFAULT_IMAGE_GC });
    if (plan.remove.length) {
      const doomed = new Set(plan.remove);
      const result = await store.gc(images.map((i) => i.ref).filter((r) => !doomed.has(r)));
      this.options.onRemoved?.(result.removedRefs, plan);
    }
    return plan;
  }
}
