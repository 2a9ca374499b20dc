// Creates and removes the QoS hierarchy (see qos.ts) under a node's cgroup parent. The parent
// and its kubepods tree persist across agent restarts; ensureNode() is idempotent.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { CgroupLayout, detectCgroupLayout } from './layout';
import { CgroupLimits, cgroupLimitPlan, KUBEPODS, kubepodsLimits, podCgroupName, QosClass, qosParentLimits } from './qos';
import { removeCgroup } from './remove';

export interface PodCgroupsOptions {
  /** The node's cgroup parent (the container driver's `cgroupParent`). */
  parent: string;
  /** Capacity minus system reserve; enforced on `kubepods`. Omit to leave kubepods unlimited. */
  allocatable?: { cpuMillis: number; memoryBytes: number };
  /** pids.max for every pod cgroup (kubelet --pod-max-pids). */
  podPidsLimit?: number;
  layout?: CgroupLayout;
}

const QOS_CLASSES: QosClass[] = ['Guaranteed', 'Burstable', 'BestEffort'];

export class PodCgroups {
  private readonly parent: string;

  constructor(private readonly opts: PodCgroupsOptions) {
    this.parent = `/${opts.parent.replace(/^\/+|\/+$/g, '')}`;
  }

  get podPidsLimit(): number | undefined {
    return this.opts.podPidsLimit;
  }

  private layout(): Promise<CgroupLayout> {
    return this.opts.layout ? Promise.resolve(this.opts.layout) : detectCgroupLayout();
  }

  /** Absolute cgroup path (as runc takes it) of a pod's cgroup. */
  podPath(qos: QosClass, podUid: string): string {
    return `${this.parent}/${podCgroupName(qos, podUid)}`;
  }

  /** Sets `limits` on the cgroup at `path`, creating it (and delegating v2 controllers) first. */
  async apply(path: string, limits: CgroupLimits): Promise<void> {
    const layout = await this.layout();
    const plan = cgroupLimitPlan(layout, path, limits);
    for (const dir of plan.delegate) {
      await mkdir(dir, { recursive: true });
      await writeFile(`${dir}/cgroup.subtree_control`, '+cpu +memory +pids').catch(() => undefined);
    }
    // One directory per v1 hierarchy, independent of each other: made together (one after
    // another, the four took ~1 ms each of a pod's start here).
    await Promise.all(plan.dirs.map((dir) => mkdir(dir, { recursive: true })));
    for (const [file, value] of plan.writes) {
      await writeFile(file, value).catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cgroup ${path}: writing ${value} to ${file.split('/').pop()}: ${error.code ?? error.message}`);
      });
    }
  }

  /** kubepods with node allocatable, and its burstable/besteffort children. */
  async ensureNode(burstableCpuRequestMillis = 0): Promise<void> {
    const alloc = this.opts.allocatable;
    await this.apply(`${this.parent}/${KUBEPODS}`, alloc ? kubepodsLimits(alloc) : {});
    const parents = qosParentLimits(burstableCpuRequestMillis);
    await Promise.all([this.apply(`${this.parent}/${KUBEPODS}/burstable`, parents.burstable), this.apply(`${this.parent}/${KUBEPODS}/besteffort`, parents.besteffort)]);
  }

  /** Creates the pod's cgroup with pod-level limits; returns its name relative to the parent. */
  async ensurePod(qos: QosClass, podUid: string, limits: CgroupLimits): Promise<string> {
    await this.apply(this.podPath(qos, podUid), limits);
    return podCgroupName(qos, podUid);
  }

  /** Removes the pod's cgroup under whichever QoS class holds it (EBUSY while tasks remain). */
  async removePod(podUid: string): Promise<void> {
    const layout = await this.layout();
    for (const qos of QOS_CLASSES) await removeCgroup(this.podPath(qos, podUid), layout);
  }
}

const CAP_SYS_RESOURCE_BIT = 24n;

/**
 * The lowest oom_score_adj this process may give its children: its own value when it lacks
 * CAP_SYS_RESOURCE (lowering needs it), else undefined (-1000 allowed). Sandboxed hosts may
 * withhold the capability from root; Guaranteed pods then get the agent's own value.
 */
export async function oomScoreAdjFloor(): Promise<number | undefined> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const eff = status.match(/^CapEff:\s*([0-9a-f]+)/m)?.[1];
  if (eff && (BigInt(`0x${eff}`) >> CAP_SYS_RESOURCE_BIT) & 1n) return undefined;
  return Number((await readFile('/proc/self/oom_score_adj', 'utf8').catch(() => '0')).trim()) || 0;
}
