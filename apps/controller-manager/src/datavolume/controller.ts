// DataVolume controller (CDI's datavolume-controller for import and blank sources):
// DataVolume, claim and StorageClass informers → queue of DataVolume keys → planDataVolume →
// create the claim, write the status, record the phase's Event.
import { controllerOf, DataVolume, DEFAULT_CLASS_ANNOTATION, PersistentVolumeClaim, StorageClass } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isAlreadyExists } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { ignoreNotFound } from '../framework/objects';
import { planDataVolume } from './plan';

export const DATA_VOLUME_CONTROLLER = 'datavolume-controller';

export class DataVolumeController extends Controller {
  private readonly dvs: Informer<DataVolume>;
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly classes: Informer<StorageClass>;

  constructor(deps: ControllerDeps) {
    super(DATA_VOLUME_CONTROLLER, deps, 2);
    this.dvs = deps.informers.for<DataVolume>(R.DataVolume);
    this.claims = deps.informers.for<PersistentVolumeClaim>(R.PersistentVolumeClaim);
    this.classes = deps.informers.for<StorageClass>(R.StorageClass);
  }

  register(): void {
    this.dvs.addEventHandler({ onAdd: (dv) => this.enqueue(dv), onUpdate: (_o, dv) => this.enqueue(dv), onDelete: (dv) => this.enqueue(dv) });
    // A claim named like a DataVolume is its own or an ErrResourceExists to report.
    const claimChanged = (claim: PersistentVolumeClaim) => {
      const ref = controllerOf(claim);
      if ((ref && ref.kind === 'DataVolume') || this.dvs.store.getByName(claim.metadata.namespace, claim.metadata.name!)) this.enqueue(`${claim.metadata.namespace}/${claim.metadata.name}`);
    };
    this.claims.addEventHandler({ onAdd: claimChanged, onUpdate: (_o, c) => claimChanged(c), onDelete: claimChanged });
  }

  private storageClass(name: string | undefined): StorageClass | undefined {
    if (name) return this.classes.store.getByName(undefined, name);
    return this.classes.store.list().find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  }

  protected async reconcile(key: string): Promise<void> {
    const dv = this.dvs.store.get(key);
    if (!dv) return;
    const claim = this.claims.store.get(key);
    const plan = planDataVolume({ dv, claim, storageClass: (n) => this.storageClass(n), now: new Date(this.deps.clock.now()).toISOString() });
    if (plan.createClaim) {
      try {
        await this.deps.client.create(R.PersistentVolumeClaim, plan.createClaim);
      } catch (error) {
        // The cache has not seen it yet: the claim's own event brings us back.
        if (!isAlreadyExists(error)) {
          this.recorder.event(dv, 'Warning', 'ErrClaimNotValid', `Error creating PVC ${dv.metadata.name}: ${(error as Error)?.message ?? error}`);
          throw error;
        }
      }
    }
    for (const e of plan.events) this.recorder.event(dv, e.type, e.reason, e.message);
    if (plan.status) await ignoreNotFound(this.deps.client.updateStatus(R.DataVolume, { ...dv, status: plan.status }));
  }
}
