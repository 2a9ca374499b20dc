// Resource amounts the scheduler counts, as plain numbers so comparisons stay cheap.
import { cpuMillis, memoryBytes } from '@coxswain/api/browser';

export interface Resources {
  milliCpu: number;
  memory: number;
  pods: number;
}

export const zeroResources = (): Resources => ({ milliCpu: 0, memory: 0, pods: 0 });

/** Kubernetes' defaults for a container without requests, used for scoring only (so BestEffort workloads still spread). */
export const DEFAULT_NONZERO_MILLI_CPU = 100;
export const DEFAULT_NONZERO_MEMORY = 200 * 1024 * 1024;

/** Reads {cpu, memory, pods} from a Node's allocatable; an unparsable value counts as 0 (nothing fits). */
export function parseResourceList(list: Record<string, string | number> | undefined): Resources {
  return {
    milliCpu: safe(() => cpuMillis(list?.cpu)),
    memory: safe(() => memoryBytes(list?.memory)),
    pods: safe(() => memoryBytes(list?.pods)),
  };
}

function safe(read: () => number): number {
  try {
    const value = read();
    return Number.isFinite(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/**
 * Amounts beyond cpu, memory and pods, in whole units (bytes for storage and hugepages):
 * `ephemeral-storage`, `hugepages-<size>` and prefixed resources (`nvidia.com/gpu`,
 * `example.com/foo`: extended resources, counted the same way).
 */
export type ScalarResources = Readonly<Record<string, number>>;

export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const NO_SCALARS: ScalarResources = Object.freeze({});

/** Whether NodeResourcesFit counts a resource name beyond cpu and memory (Kubernetes' scalar resources). */
export function isScalarResource(name: string): boolean {
  return name === EPHEMERAL_STORAGE || name.startsWith('hugepages-') || name.includes('/');
}

/** A resource list's scalar amounts (a Node's allocatable); unparsable values count as 0. */
export function parseScalarResources(list: Record<string, string | number> | undefined): ScalarResources {
  let out: Record<string, number> | undefined;
  for (const name in list) if (isScalarResource(name)) (out ??= {})[name] = safe(() => memoryBytes(list[name]));
  return out ?? NO_SCALARS;
}

export function addInto(target: Resources, add: Resources, sign: 1 | -1 = 1): void {
  target.milliCpu += sign * add.milliCpu;
  target.memory += sign * add.memory;
  target.pods += sign * add.pods;
}
