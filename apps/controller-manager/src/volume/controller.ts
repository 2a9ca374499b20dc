// PersistentVolume controller: PVC, PV, StorageClass, Node, Pod and VMI informers → one queue
// of `claim:<ns>/<name>` and `volume:<name>` keys → planClaim / planVolume → apply. Binding
// writes the volume first (claimRef), then the claim (volumeName), then the claim's status,
// so a crash in between leaves a pre-bound volume the next pass completes.
import { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, splitObjectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { ignoreNotFound } from '../framework/objects';
import { ClaimPlan, planClaim, planVolume, VolumeEvent } from './plan';
import { claimsUsedBy, isTerminated } from './users';

export const PERSISTENT_VOLUME_CONTROLLER = 'persistentvolume-controller';
const CLAIM = 'claim:';
const VOLUME = 'volume:';

export class PersistentVolumeController extends Controller {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  /** The last event reason per key, so a claim that keeps waiting records its reason once. */
  private readonly lastEvent = new Map<string, string>();

  constructor(deps: ControllerDeps) {
    super(PERSISTENT_VOLUME_CONTROLLER, deps, 2);
    this.claims = deps.informers.for<PersistentVolumeClaim>(R.PersistentVolumeClaim);
    this.volumes = deps.informers.for<PersistentVolume>(R.PersistentVolume);
    this.classes = deps.informers.for<StorageClass>(R.StorageClass);
    this.nodes = deps.informers.for<Node>(R.Node);
    this.pods = deps.informers.for<Pod>(R.Pod);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
  }

  private enqueueClaim(namespace: string | undefined, name: string | undefined): void {
    if (name) this.enqueue(`${CLAIM}${namespace ?? ''}/${name}`);
  }

  register(): void {
    const claimChanged = (c: PersistentVolumeClaim) => {
      this.enqueueClaim(c.metadata.namespace, c.metadata.name);
      if (c.spec?.volumeName) this.enqueue(`${VOLUME}${c.spec.volumeName}`);
      // A volume pre-bound to this claim (a provisioner's) learns about the claim through its key.
      for (const pv of this.volumes.store.list()) if (pv.spec?.claimRef?.name === c.metadata.name && pv.spec?.claimRef?.namespace === c.metadata.namespace) this.enqueue(`${VOLUME}${pv.metadata.name}`);
    };
    this.claims.addEventHandler({ onAdd: claimChanged, onUpdate: (_o, c) => claimChanged(c), onDelete: claimChanged });
    const volumeChanged = (pv: PersistentVolume) => {
      this.enqueue(`${VOLUME}${pv.metadata.name}`);
      const ref = pv.spec?.claimRef;
      if (ref) this.enqueueClaim(ref.namespace, ref.name);
      // A new or freed volume may match any claim still waiting.
      else for (const c of this.claims.store.list()) if (!c.spec?.volumeName) this.enqueueClaim(c.metadata.namespace, c.metadata.name);
    };
    this.volumes.addEventHandler({ onAdd: volumeChanged, onUpdate: (_o, pv) => volumeChanged(pv), onDelete: volumeChanged });
    const pendingClaims = () => this.claims.store.list().filter((c) => !c.spec?.volumeName).forEach((c) => this.enqueueClaim(c.metadata.namespace, c.metadata.name));
    this.classes.addEventHandler({ onAdd: pendingClaims, onUpdate: pendingClaims, onDelete: pendingClaims });
    // pvc-protection: a claim being deleted waits for its users to go.
    const userChanged = (obj: Pod | VirtualMachineInstance) => {
      for (const name of claimsUsedBy(obj)) if (this.claims.store.getByName(obj.metadata.namespace, name)?.metadata.deletionTimestamp) this.enqueueClaim(obj.metadata.namespace, name);
    };
    for (const informer of [this.pods, this.vmis] as Informer<Pod | VirtualMachineInstance>[]) informer.addEventHandler({ onAdd: userChanged, onUpdate: (_o, obj) => userChanged(obj), onDelete: userChanged });
  }

  private inUse(namespace: string, name: string): boolean {
    const users = [...this.pods.store.byIndex('namespace', namespace), ...this.vmis.store.byIndex('namespace', namespace)] as Array<Pod | VirtualMachineInstance>;
    return users.some((u) => !isTerminated(u) && claimsUsedBy(u).includes(name));
  }

  protected async reconcile(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) return this.syncClaim(key, key.slice(CLAIM.length));
    if (key.startsWith(VOLUME)) return this.syncVolume(key, key.slice(VOLUME.length));
  }

  private async syncClaim(key: string, claimKey: string): Promise<void> {
    const claim = this.claims.store.get(claimKey);
    if (!claim) return void this.lastEvent.delete(key);
    const { namespace, name } = splitObjectKey(claimKey);
    const plan = planClaim({
      claim,
      volumes: this.volumes.store.list(),
      classByName: (n) => this.classes.store.getByName(undefined, n),
      nodeByName: (n) => this.nodes.store.getByName(undefined, n),
      inUse: this.inUse(namespace ?? '', name),
    });
    await this.applyClaim(key, claim, plan);
  }

  private async applyClaim(key: string, claim: PersistentVolumeClaim, plan: ClaimPlan): Promise<void> {
    const { client } = this.deps;
    const namespace = claim.metadata.namespace;
    if (plan.bindVolume) await client.update(R.PersistentVolume, plan.bindVolume);
    let current = claim;
    if (plan.updateClaim) {
      const updated = await ignoreNotFound(client.update(R.PersistentVolumeClaim, plan.updateClaim));
      if (!updated) return;
      current = updated;
      if (plan.bindVolume || plan.updateClaim.spec?.volumeName !== claim.spec?.volumeName) {
        this.recordOnce(key, claim, { type: 'Normal', reason: 'Bound', message: `Successfully bound to volume "${plan.updateClaim.spec?.volumeName}"` });
      }
    }
    if (plan.status) await ignoreNotFound(client.updateStatus(R.PersistentVolumeClaim, { ...current, metadata: { ...current.metadata, namespace }, status: plan.status }));
    for (const event of plan.events) this.recordOnce(key, claim, event);
  }

  private recordOnce(key: string, obj: PersistentVolumeClaim | PersistentVolume, event: VolumeEvent): void {
    if (this.lastEvent.get(key) === event.reason) return;
    this.lastEvent.set(key, event.reason);
    this.recorder.event(obj, event.type, event.reason, event.message);
  }

  private async syncVolume(key: string, name: string): Promise<void> {
    const pv = this.volumes.store.getByName(undefined, name);
    if (!pv) return void this.lastEvent.delete(key);
    const plan = planVolume(pv, (namespace, claimName) => this.claims.store.getByName(namespace, claimName));
    const { client } = this.deps;
    let current = pv;
    if (plan.updateVolume) {
      const updated = await ignoreNotFound(client.update(R.PersistentVolume, plan.updateVolume));
      if (!updated) return;
      current = updated;
    }
    if (plan.status) await ignoreNotFound(client.updateStatus(R.PersistentVolume, { ...current, status: plan.status }));
    for (const event of plan.events) this.recordOnce(key, pv, event);
  }
}
