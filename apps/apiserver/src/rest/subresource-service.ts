// scale, binding, eviction and the VirtualMachine start/stop/restart actions.
import { badRequest, conflict, formatLabelSelector, KubeObject, notImplemented, StatusError, successStatus } from '@coxswain/api';
import { applyPatch, PatchType } from '../patch/apply-patch';
import { RequestContext } from './context';
import { refOf, ResourceService } from './resource-service';
import { rfc3339 } from './object-rules';
import { evictWithBudget } from './evict-with-budget';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class SubresourceService {
  constructor(private readonly resources: ResourceService) {}

  private toScale(obj: KubeObject): Obj {
    const o = obj as Obj;
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector: formatLabelSelector(o.spec?.selector) },
    };
  }

  async getScale(ctx: RequestContext): Promise<Obj> {
    return this.toScale(await this.resources.load(ctx.resource, ctx.info.namespace, ctx.info.name!));
  }

  async updateScale(ctx: RequestContext, body: unknown): Promise<Obj> {
    const scale = body as Obj;
    const replicas = scale?.spec?.replicas;
    if (!Number.isSafeInteger(replicas) || replicas < 0) {
      throw new StatusError({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
        message: `Scale.autoscaling "${ctx.info.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
        details: { name: ctx.info.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }] },
      });
    }
    const pinned = scale?.metadata?.resourceVersion;
    const updated = await this.resources.mutate(ctx.resource, ctx.info.namespace, ctx.info.name!, (obj) => {
      if (pinned && pinned !== obj.metadata.resourceVersion) throw conflict(refOf(ctx.resource, ctx.info.name), 'the object has been modified; please apply your changes to the latest version and try again');
      if (obj.spec.replicas === replicas) return undefined;
      obj.spec.replicas = replicas;
      obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
      return obj;
    });
    return this.toScale(updated);
  }

  async patchScale(ctx: RequestContext, type: PatchType, patch: unknown): Promise<Obj> {
    const current = await this.getScale(ctx);
    const patched = applyPatch(type, current, patch) as Obj;
    return this.updateScale(ctx, { ...patched, metadata: { ...patched.metadata, resourceVersion: undefined } });
  }

  /** POST pods/binding or virtualmachineinstances/binding: the scheduler's placement. */
  async bind(ctx: RequestContext, body: unknown): Promise<Obj> {
    const binding = body as Obj;
    const target = binding?.target?.name;
    if (typeof target !== 'string' || !target) throw badRequest('binding target.name is required');
    if (binding?.metadata?.name && binding.metadata.name !== ctx.info.name) throw badRequest(`the name of the binding (${binding.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
    const expectedUid = binding?.metadata?.uid;
    await this.resources.mutate(ctx.resource, ctx.info.namespace, ctx.info.name!, (obj) => {
      const kindWord = ctx.resource.kind === 'Pod' ? 'pod' : 'virtualmachineinstance';
      if (expectedUid && expectedUid !== obj.metadata.uid) throw conflict(refOf(ctx.resource, ctx.info.name), `Precondition failed: UID in precondition: ${expectedUid}, UID in object meta: ${obj.metadata.uid}`);
      if (obj.spec.nodeName) throw conflict(refOf(ctx.resource, ctx.info.name), `${kindWord} ${obj.metadata.name} is already assigned to node "${obj.spec.nodeName}"`);
      if (obj.metadata.deletionTimestamp) throw conflict(refOf(ctx.resource, ctx.info.name), `${kindWord} ${obj.metadata.name} is being deleted, cannot be assigned to a host`);
      obj.spec.nodeName = target;
      obj.status = obj.status ?? {};
      const now = rfc3339(ctx.now);
      const conditions: Obj[] = (obj.status.conditions ?? []).filter((c: Obj) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
      obj.status.conditions = conditions;
      if (ctx.resource.kind === 'VirtualMachineInstance') {
        obj.status.nodeName = target;
        obj.status.phase = 'Scheduled';
      }
      return obj;
    });
    return { ...successStatus(), code: 201 };
  }

  /** POST pods|virtualmachineinstances/eviction: a graceful delete the disruption budget allows. */
  async evict(ctx: RequestContext, body: unknown): Promise<Obj> {
    await evictWithBudget(this.resources, ctx, body);
    return { ...successStatus(), code: 201 };
  }

  /** PUT virtualmachines/{name}/start|stop|restart, like KubeVirt's virt-api. */
  async vmAction(ctx: RequestContext, action: string): Promise<Obj> {
    await this.resources.mutate(ctx.resource, ctx.info.namespace, ctx.info.name!, (vm) => {
      const strategy: string | undefined = vm.spec.runStrategy;
      vm.status = vm.status ?? {};
      const requests: Obj[] = [];
      if (action === 'start') {
        if (vm.spec.running !== undefined) vm.spec.running = true;
        else if (strategy === 'Halted' || strategy === undefined) vm.spec.runStrategy = 'Always';
        else if (strategy === 'Always') throw conflict(refOf(ctx.resource, ctx.info.name), 'VM is already running');
        else requests.push({ action: 'Start' });
      } else if (action === 'stop') {
        if (vm.spec.running !== undefined) vm.spec.running = false;
        else if (strategy === 'Halted') throw conflict(refOf(ctx.resource, ctx.info.name), 'VM is not running');
        else if (strategy === 'Always' || strategy === 'RerunOnFailure') vm.spec.runStrategy = 'Halted';
        else requests.push({ action: 'Stop' });
      } else if (action === 'restart') {
        if (strategy === 'Halted' || vm.spec.running === false) throw conflict(refOf(ctx.resource, ctx.info.name), 'VM is not running');
        requests.push({ action: 'Stop' }, { action: 'Start' });
      } else {
        throw badRequest(`unknown VirtualMachine action "${action}"`);
      }
      if (requests.length) vm.status.stateChangeRequests = [...(vm.status.stateChangeRequests ?? []), ...requests];
      if (vm.spec.running !== undefined || vm.spec.runStrategy !== strategy) vm.metadata.generation = (vm.metadata.generation ?? 1) + 1;
      return vm;
    });
    return { ...successStatus(), code: 202 };
  }

  /** exec, attach and console are streams: only an upgraded (WebSocket/SPDY) request reaches the node agent proxy. */
  upgradeRequired(): never {
    throw badRequest('Upgrade request required');
  }

  /** This API server was started without a node agent connection for logs. */
  logsUnavailable(ctx: RequestContext): never {
    throw notImplemented(`${ctx.resource.plural}/${ctx.info.subresource} needs a connection to the node agents, which this API server was started without`);
  }
}

