// EndpointSlice controller: a Service, Pod, VMI or managed-slice event enqueues the Services
// it concerns; reconcile computes the Service's endpoints from the caches, plans the slices
// and applies creates, updates and deletes. Selectorless Services are left to their owners.
import { EndpointSlice, KubeObject, Pod, Service, VirtualMachineInstance, LABEL_SERVICE_NAME } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isNotFound, NAMESPACE_INDEX, splitObjectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { hasSelector, selects, serviceEndpoints } from './endpoints';
import { isManagedSliceOf, planSlices } from './plan';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';

export class EndpointSliceController extends Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  private readonly slices: Informer<EndpointSlice>;
  /** Last warning per Service and target, so a standing problem is reported once, not per pass. */
  private readonly warned = new Map<string, string>();

  constructor(deps: ControllerDeps) {
    super(ENDPOINTSLICE_CONTROLLER, deps, 4);
    this.services = deps.informers.for<Service>(R.Service);
    this.pods = deps.informers.for<Pod>(R.Pod);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
    this.slices = deps.informers.for<EndpointSlice>(R.EndpointSlice);
  }

  register(): void {
    this.services.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_o, s) => this.enqueue(s), onDelete: (s) => this.enqueue(s) });
    for (const informer of [this.pods, this.vmis] as unknown as Informer<KubeObject>[]) {
      informer.addEventHandler({
        onAdd: (o) => this.enqueueSelecting(o),
        onUpdate: (old, o) => {
          if (old.metadata.resourceVersion === o.metadata.resourceVersion) return;
          this.enqueueSelecting(o);
          if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(o.metadata.labels ?? {})) this.enqueueSelecting(old);
        },
        onDelete: (o) => this.enqueueSelecting(o),
      });
    }
    const sliceChanged = (slice: EndpointSlice) => {
      const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
      if (service && isManagedSliceOf(slice, service)) this.enqueue(`${slice.metadata.namespace}/${service}`);
    };
    this.slices.addEventHandler({ onAdd: sliceChanged, onUpdate: (_o, s) => sliceChanged(s), onDelete: sliceChanged });
  }

  private enqueueSelecting(obj: KubeObject): void {
    for (const svc of this.services.store.byIndex(NAMESPACE_INDEX, obj.metadata.namespace ?? '')) if (selects(svc.spec?.selector, obj.metadata.labels)) this.enqueue(svc);
  }

  protected async reconcile(key: string): Promise<void> {
    const { namespace = '', name } = splitObjectKey(key);
    const managed = this.slices.store.byIndex(NAMESPACE_INDEX, namespace).filter((s) => isManagedSliceOf(s, name));
    const svc = this.services.store.get(key);
    if (!svc || !hasSelector(svc) || svc.spec?.type === 'ExternalName') {
      this.forgetWarnings(key);
      for (const slice of managed) await this.deleteSlice(slice);
      return;
    }
    const pods = this.pods.store.byIndex(NAMESPACE_INDEX, namespace);
    const vmis = this.vmis.store.byIndex(NAMESPACE_INDEX, namespace);
    const { endpoints, unresolved } = serviceEndpoints(svc, pods, vmis);
    this.warnUnresolved(key, svc, unresolved);
    const plan = planSlices(svc, endpoints, managed);
    for (const slice of plan.create) await this.deps.client.create(R.EndpointSlice, slice);
    for (const slice of plan.update) await this.deps.client.update(R.EndpointSlice, slice);
    for (const slice of plan.delete) await this.deleteSlice(slice);
  }

  private async deleteSlice(slice: EndpointSlice): Promise<void> {
    try {
      await this.deps.client.delete(R.EndpointSlice, slice.metadata.name!, { namespace: slice.metadata.namespace, preconditions: { uid: slice.metadata.uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private warnUnresolved(key: string, svc: Service, unresolved: Array<{ target: string; portName: string }>): void {
    const current = new Set<string>();
    for (const { target, portName } of unresolved) {
      const id = `${key}|${target}|${portName}`;
      current.add(id);
      if (this.warned.has(id)) continue;
      this.warned.set(id, key);
      this.recorder.event(svc, 'Warning', 'FailedToResolvePort', `${target} declares no port named "${portName}" (targetPort of Service ${svc.metadata.name}); it gets no endpoint for that port`);
    }
    for (const [id, owner] of this.warned) if (owner === key && !current.has(id)) this.warned.delete(id);
  }

  private forgetWarnings(key: string): void {
    for (const [id, owner] of this.warned) if (owner === key) this.warned.delete(id);
  }
}
