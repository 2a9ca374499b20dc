// The Service write hooks: take the ClusterIP and node ports a plan asks for, write, and on
// failure give back what this request took; release what the new state no longer holds.
// Allocation and the Service write are separate etcd transactions (as in Kubernetes): a
// process dying in between leaves a key without its Service, which `repairAllocations`
// (repair.ts) gives back after a grace period.
import { CauseReason, invalid, KubeObject, ResourceInfo, qualifiedResource, StatusCause } from '@coxswain/api';
import { Write, WriteHooks } from '../rest/write-hooks';
import { EtcdRangeAllocator, Owner } from './etcd-allocator';
import { carryOverAllocations, heldIPs, heldNodePorts, planAllocation } from './service-plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ServiceAllocators {
  ips: EtcdRangeAllocator;
  nodePorts: EtcdRangeAllocator;
}

interface Taken {
  allocator: EtcdRangeAllocator;
  value: string;
}

const ipCause = (ip: string, why: string): StatusCause => ({
  reason: CauseReason.Invalid,
  field: 'spec.clusterIPs',
  message: `Invalid value: ${JSON.stringify([ip])}: failed to allocate IP ${ip}: ${why}`,
});
const portCause = (index: number, port: unknown, why: string): StatusCause => ({
  reason: CauseReason.Invalid,
  field: `spec.ports[${index}].nodePort`,
  message: `Invalid value: ${JSON.stringify(port)}: ${why}`,
});

export class ServiceAllocationHooks implements WriteHooks {
  constructor(
    private readonly allocators: ServiceAllocators,
    private readonly now: () => Date = () => new Date(),
  ) {}

  carryOver(_resource: ResourceInfo, previous: KubeObject, desired: KubeObject): KubeObject {
    return carryOverAllocations(previous as Obj, desired as Obj) as KubeObject;
  }

  async create(resource: ResourceInfo, obj: KubeObject, dryRun: boolean, write: Write): Promise<KubeObject> {
    const next = structuredClone(obj) as Obj;
    next.status = { loadBalancer: {}, ...(next.status ?? {}) };
    const taken = await this.take(resource, undefined, next, dryRun);
    if (dryRun) return next as KubeObject;
    try {
      return await write(next as KubeObject);
    } catch (error) {
      await this.giveBack(taken, next.metadata.uid);
      throw error;
    }
  }

  async update(resource: ResourceInfo, previous: KubeObject, obj: KubeObject, write: Write): Promise<KubeObject> {
    const next = structuredClone(obj) as Obj;
    const taken = await this.take(resource, previous as Obj, next);
    let written: KubeObject;
    try {
      written = await write(next as KubeObject);
    } catch (error) {
      await this.giveBack(taken, next.metadata.uid);
      throw error;
    }
    const plan = planAllocation(previous as Obj, next);
    await this.release(plan.releaseIPs, plan.releaseNodePorts, previous.metadata.uid!);
    return written;
  }

  async remove(_resource: ResourceInfo, removeKey: () => Promise<KubeObject>): Promise<KubeObject> {
    const removed = await removeKey();
    await this.release(heldIPs(removed as Obj), heldNodePorts(removed as Obj), removed.metadata.uid!);
    return removed;
  }

  /**
   * Takes everything the plan asks for (filling `next`), or nothing and throws 422. Values
   * that are out of range or visibly held by another Service are refused before anything is
   * written, so a refused request leaves etcd as it was; a dry run writes nothing at all.
   */
  private async take(resource: ResourceInfo, previous: Obj | undefined, next: Obj, dryRun = false): Promise<Taken[]> {
    const plan = planAllocation(previous, next);
    const owner: Owner = { namespace: next.metadata.namespace, name: next.metadata.name, uid: next.metadata.uid, allocatedAt: this.now().toISOString() };
    const { ips, nodePorts } = this.allocators;
    const refuse = (causes: StatusCause[]) => invalid({ kind: resource.kind, name: next.metadata.name, resource: qualifiedResource(resource) }, causes);
    const wanted: Array<{ allocator: EtcdRangeAllocator; value: string; cause: (why: 'taken' | 'outOfRange') => StatusCause; assign?: (value: string) => void }> = [];
    if (plan.clusterIP?.kind === 'specific' || plan.clusterIP?.kind === 'any') {
      const ip = plan.clusterIP.kind === 'specific' ? plan.clusterIP.value : '';
      wanted.push({
        allocator: ips,
        value: ip,
        cause: (why) => ipCause(ip, why === 'taken' ? 'provided IP is already allocated' : `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ips.range.describe}`),
        assign: (value) => {
          next.spec.clusterIP = value;
          next.spec.clusterIPs = [value];
        },
      });
    }
    for (const { index, want } of plan.nodePorts) {
      if (want.kind === 'keep') continue;
      const port = next.spec.ports[index];
      wanted.push({
        allocator: nodePorts,
        value: want.kind === 'specific' ? want.value : '',
        cause: (why) => portCause(index, port.nodePort, why === 'taken' ? 'provided port is already allocated' : `provided port is not in the valid range. The range of valid ports is ${nodePorts.range.describe}`),
        assign: (value) => (port.nodePort = Number(value)),
      });
    }
    // Checks that write nothing: ranges, then values someone else already holds.
    const causes: StatusCause[] = [];
    for (const w of wanted.filter((w) => w.value !== '')) {
      if (w.allocator.range.offsetOf(w.value) === undefined) causes.push(w.cause('outOfRange'));
      else {
        const holder = await w.allocator.owner(w.value);
        if (holder && holder.uid !== owner.uid) causes.push(w.cause('taken'));
      }
    }
    if (causes.length) throw refuse(causes);
    if (dryRun) {
      for (const w of wanted.filter((w) => w.value === '')) {
        const value = await w.allocator.peekNext();
        if (value !== undefined) w.assign?.(value);
      }
      return [];
    }
    const taken: Taken[] = [];
    for (const w of wanted) {
      if (w.value !== '') {
        const result = await w.allocator.allocate(w.value, owner);
        if (result === 'allocated') taken.push({ allocator: w.allocator, value: w.value });
        else if (result !== 'held') causes.push(w.cause(result));
        continue;
      }
      const value = await w.allocator.allocateNext(owner);
      if (value === undefined) {
        causes.push(
          w.allocator === ips
            ? { reason: CauseReason.Invalid, field: 'spec.clusterIPs', message: 'Invalid value: []: failed to allocate a serviceIP: range is full' }
            : { reason: CauseReason.Invalid, field: w.cause('taken').field, message: 'Invalid value: 0: failed to allocate a nodePort: range is full' },
        );
        continue;
      }
      taken.push({ allocator: w.allocator, value });
      w.assign?.(value);
    }
    if (causes.length) {
      await this.giveBack(taken, owner.uid);
      throw refuse(causes);
    }
    return taken;
  }

  private async giveBack(taken: Taken[], uid: string): Promise<void> {
    await Promise.all(taken.map((t) => t.allocator.release(t.value, uid)));
  }

  private async release(ips: string[], ports: string[], uid: string): Promise<void> {
    await Promise.all([...ips.map((ip) => this.allocators.ips.release(ip, uid)), ...ports.map((p) => this.allocators.nodePorts.release(p, uid))]);
  }
}
