// Runs image garbage collection every minute with the kubelet's thresholds
// (--image-gc-high-threshold / --image-gc-low-threshold; 100 turns it off).
import type { Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { Logger } from '@coxswain/client';
import { ImageStore, normalizeReference } from '@coxswain/runtime';
import { DEFAULT_IMAGE_GC, ImageGc, workloadImages } from './image-gc';

const PERIOD_MS = 60_000;

export function startImageGc(flags: Record<string, unknown>, images: ImageStore, workloads: () => Array<Pod | VirtualMachineInstance>, logger: Logger): NodeJS.Timeout | undefined {
  const high = Number(flags['image-gc-high-threshold']);
  const low = Number(flags['image-gc-low-threshold']);
  if (!(high >= 0 && high <= 100) || !(low >= 0 && low <= high)) throw new Error(`--image-gc-low-threshold (${low}) must be between 0 and --image-gc-high-threshold (${high}), which is at most 100`);
  if (high === 100) return undefined;
  const gc = new ImageGc({
    store: images,
    inUse: () => workloadImages(workloads()),
    normalize: (ref) => {
      try {
        return normalizeReference(ref);
      } catch {
        return ref;
      }
    },
    settings: { ...DEFAULT_IMAGE_GC, highThresholdPercent: high, lowThresholdPercent: low },
    onRemoved: (refs, plan) => logger.info({ refs, usagePercent: Math.round(plan.usagePercent), freedBytes: plan.freedBytes }, 'image garbage collection removed unused images'),
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    gc.check().catch((error) => logger.warn({ err: error }, 'image garbage collection failed')).finally(() => { running = false; });
  }, PERIOD_MS);
  timer.unref();
  return timer;
}
