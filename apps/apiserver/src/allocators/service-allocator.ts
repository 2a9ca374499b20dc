// The Service write hooks: take the ClusterIP and node ports a plan asks for, write, and on
// failure give back what this request took; release what the new state no longer holds.
// Allocation and the Service write are separate etcd transactions (as in Kubernetes): a
// process dying in between leaves a key without its Service, which `repairAllocations`
// (repair.ts) gives back after a grace period.
import { CauseReason, invalid, KubeObject, ResourceInfo, qualifiedResource, StatusCause } from '@coxswain/api';
import { Write, WriteHooks } from '../rest/write-hooks';
import { AllocateResult, EtcdRangeAllocator, Owner } from './etcd-allocator';
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
    const taken = await this.take(resource, undefined, next);
    if (dryRun) {
      await this.giveBack(taken, next.metadata.uid);
      return next as KubeObject;
    }
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

  /** Takes everything the plan asks for (filling `next`), or nothing and throws 422. */
  private async take(resource: ResourceInfo, previous: Obj | undefined, next: Obj): Promise<Taken[]> {
    const plan = planAllocation(previous, next);
    const owner: Owner = { namespace: next.metadata.namespace, name: next.metadata.name, uid: next.metadata.uid, allocatedAt: this.now().toISOString() };
    const taken: Taken[] = [];
    const causes: StatusCause[] = [];
    const { ips, nodePorts } = this.allocators;
    if (plan.clusterIP?.kind === 'specific') {
      const ip = plan.clusterIP.value;
      const result = await ips.allocate(ip, owner);
      if (result === 'allocated') taken.push({ allocator: ips, value: ip });
      else if (result !== 'held') causes.push(ipCause(ip, result === 'taken' ? 'provided IP is already allocated' : `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ips.range.describe}`));
    } else if (plan.clusterIP?.kind === 'any') {
      const ip = await ips.allocateNext(owner);
      if (ip === undefined) causes.push({ reason: CauseReason.Invalid, field: 'spec.clusterIPs', message: 'Invalid value: []: failed to allocate a serviceIP: range is full' });
      else {
        taken.push({ allocator: ips, value: ip });
        next.spec.clusterIP = ip;
        next.spec.clusterIPs = [ip];
      }
    }
    for (const { index, want } of plan.nodePorts) {
      const port = next.spec.ports[index];
      if (want.kind === 'specific') {
        const result: AllocateResult = await nodePorts.allocate(want.value, owner);
        if (result === 'allocated') taken.push({ allocator: nodePorts, value: want.value });
        else if (result === 'taken') causes.push(portCause(index, port.nodePort, 'provided port is already allocated'));
        else if (result === 'outOfRange') causes.push(portCause(index, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${nodePorts.range.describe}`));
      } else if (want.kind === 'any') {
        const value = await nodePorts.allocateNext(owner);
        if (value === undefined) causes.push(portCause(index, 0, 'failed to allocate a nodePort: range is full'));
        else {
          taken.push({ allocator: nodePorts, value });
          port.nodePort = Number(value);
        }
      }
    }
    if (causes.length) {
      await this.giveBack(taken, owner.uid);
      throw invalid({ kind: resource.kind, name: next.metadata.name, resource: qualifiedResource(resource) }, causes);
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
