// Garbage collector: watches every kind that owns or is owned, and per object decides
// (planDependent / planOwner) what ownerReferences and deletion finalizers require.
import { KubeObject, OwnerReference } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, builtinResourceForKind, Informer, isConflict, isNotFound, ResourceDescriptor } from '@coxswain/client';
import { DAEMONSET_RESOURCE, STATEFULSET_RESOURCE } from '../daemonset/resources';
import { Controller, ControllerDeps } from '../framework/controller';
import { CONTROLLER_REVISION_RESOURCE } from '../history/history';
import { CRONJOB_RESOURCE, JOB_RESOURCE } from '../job/resources';
import { OWNER_UID_INDEX, UID_INDEX } from '../framework/informers';
import { withoutOwners } from '../framework/owners';
import { hasFinalizer, OwnerState, planDependent, planOwner } from './plan';

export const GC_CONTROLLER = 'garbage-collector-controller';

/** The kinds whose objects own or are owned in Coxswain. */
export const GC_RESOURCES: ResourceDescriptor[] = [
  R.Deployment,
  R.ReplicaSet,
  R.Pod,
  R.VirtualMachine,
  R.VirtualMachineInstance,
  R.VirtualMachineInstanceReplicaSet,
  JOB_RESOURCE,
  CRONJOB_RESOURCE,
  DAEMONSET_RESOURCE,
  STATEFULSET_RESOURCE,
  CONTROLLER_REVISION_RESOURCE,
  // A VM's dataVolumeTemplates own DataVolumes, which own their claims.
  R.DataVolume,
  R.PersistentVolumeClaim,
];

/** An owner reference's resource: one the collector watches, else one the client knows. */
function ownerResource(ref: OwnerReference): ResourceDescriptor | undefined {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return GC_RESOURCES.find((r) => r.kind === ref.kind && r.group === group) ?? builtinResourceForKind(ref.kind, ref.apiVersion);
}

const ABSENT_CACHE_LIMIT = 2048;

export class GarbageCollector extends Controller {
  private readonly informers = new Map<string, { resource: ResourceDescriptor; informer: Informer<KubeObject> }>();
  /** Owner uids known to be gone; a uid never comes back. */
  private readonly absent = new Set<string>();

  constructor(deps: ControllerDeps) {
    super(GC_CONTROLLER, deps, 4);
    for (const resource of GC_RESOURCES) this.informers.set(resource.plural, { resource, informer: deps.informers.for(resource) });
  }

  register(): void {
    for (const { resource, informer } of this.informers.values()) {
      informer.addEventHandler({
        onAdd: (obj) => this.changed(resource, obj),
        onUpdate: (old, obj) => {
          this.changed(resource, obj);
          // References dropped from a dependent may unblock an owner waiting in the foreground.
          const kept = new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid));
          for (const ref of old.metadata.ownerReferences ?? []) if (!kept.has(ref.uid)) this.enqueueOwner(ref.uid);
        },
        onDelete: (obj) => {
          this.absent.add(obj.metadata.uid!);
          this.trimAbsent();
          for (const dep of this.dependentsOf(obj.metadata.uid!)) this.enqueueObject(dep.resource, dep.obj);
          for (const ref of obj.metadata.ownerReferences ?? []) this.enqueueOwner(ref.uid);
        },
      });
    }
  }

  private changed(resource: ResourceDescriptor, obj: KubeObject): void {
    const deletingWithFinalizer = obj.metadata.deletionTimestamp && (hasFinalizer(obj, 'orphan') || hasFinalizer(obj, 'foregroundDeletion'));
    if ((obj.metadata.ownerReferences ?? []).length > 0 || deletingWithFinalizer) this.enqueueObject(resource, obj);
    // A dependent that started going away may be what a foreground owner waits for.
    if (obj.metadata.deletionTimestamp) for (const ref of obj.metadata.ownerReferences ?? []) this.enqueueOwner(ref.uid);
  }

  private enqueueObject(resource: ResourceDescriptor, obj: KubeObject): void {
    this.enqueue(`${resource.plural}|${obj.metadata.namespace ?? ''}/${obj.metadata.name}`);
  }

  private enqueueOwner(uid: string): void {
    for (const { resource, informer } of this.informers.values()) for (const owner of informer.store.byIndex(UID_INDEX, uid)) this.enqueueObject(resource, owner);
  }

  private dependentsOf(uid: string): Array<{ resource: ResourceDescriptor; obj: KubeObject }> {
    const out: Array<{ resource: ResourceDescriptor; obj: KubeObject }> = [];
    for (const { resource, informer } of this.informers.values()) for (const obj of informer.store.byIndex(OWNER_UID_INDEX, uid)) out.push({ resource, obj });
    return out;
  }

  private trimAbsent(): void {
    if (this.absent.size > ABSENT_CACHE_LIMIT) this.absent.delete(this.absent.values().next().value!);
  }

  protected async reconcile(key: string): Promise<void> {
    const [plural, rest] = key.split('|');
    const slash = rest.indexOf('/');
    const namespace = rest.slice(0, slash) || undefined;
    const name = rest.slice(slash + 1);
    const entry = this.informers.get(plural);
    const obj = entry?.informer.store.getByName(namespace, name);
    if (!entry || !obj) return;
    if (obj.metadata.deletionTimestamp) return this.reconcileOwner(entry.resource, obj);
    const states = new Map<string, OwnerState>();
    for (const ref of obj.metadata.ownerReferences ?? []) states.set(ref.uid, await this.ownerState(ref, namespace));
    const action = planDependent(obj, states, this.dependentsOf(obj.metadata.uid!).length > 0);
    if (action.type === 'delete') {
      this.logger.info({ object: key, policy: action.policy }, 'deleting object whose owners are gone');
      await this.deleteObject(entry.resource, obj, action.policy);
    } else if (action.type === 'removeOwners') {
      await this.patchOwners(entry.resource, obj, withoutOwners(obj, action.uids));
    }
  }

  private async reconcileOwner(resource: ResourceDescriptor, owner: KubeObject): Promise<void> {
    const dependents = this.dependentsOf(owner.metadata.uid!);
    const action = planOwner(
      owner,
      dependents.map((d) => d.obj),
    );
    switch (action.type) {
      case 'orphan':
        for (const dep of dependents) {
          if (!action.dependents.includes(dep.obj)) continue;
          await this.patchOwners(dep.resource, dep.obj, withoutOwners(dep.obj, [owner.metadata.uid!]));
        }
        // The finalizer goes once the cache shows the references gone (the update events requeue us).
        return;
      case 'waitForDependents':
        for (const dep of dependents) this.enqueueObject(dep.resource, dep.obj);
        return;
      case 'removeFinalizer': {
        const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== action.finalizer);
        try {
          await this.deps.client.patch(resource, owner.metadata.name!, { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: owner.metadata.resourceVersion } }, { namespace: owner.metadata.namespace });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        return;
      }
    }
  }

  /** Cache first; a cache miss is checked against the API (the owner may just be new). */
  private async ownerState(ref: OwnerReference, namespace: string | undefined): Promise<OwnerState> {
    if (this.absent.has(ref.uid)) return 'absent';
    const resource = ownerResource(ref);
    if (!resource) return 'unknown';
    const cached = this.informers.get(resource.plural)?.informer.store.getByName(resource.namespaced ? namespace : undefined, ref.name);
    let owner = cached?.metadata.uid === ref.uid ? cached : undefined;
    if (!owner) {
      try {
        const live = await this.deps.client.get<KubeObject>(resource, ref.name, { namespace: resource.namespaced ? namespace : undefined });
        owner = live.metadata.uid === ref.uid ? live : undefined;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    if (!owner) {
      this.absent.add(ref.uid);
      this.trimAbsent();
      return 'absent';
    }
    return owner.metadata.deletionTimestamp && hasFinalizer(owner, 'foregroundDeletion') ? 'waiting' : 'present';
  }

  private async deleteObject(resource: ResourceDescriptor, obj: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    try {
      await this.deps.client.delete(resource, obj.metadata.name!, { namespace: obj.metadata.namespace, propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } });
    } catch (error) {
      // Gone already, or replaced by a new object of the same name: nothing of ours to delete.
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  private async patchOwners(resource: ResourceDescriptor, obj: KubeObject, refs: OwnerReference[]): Promise<void> {
    try {
      await this.deps.client.patch(resource, obj.metadata.name!, { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: obj.metadata.resourceVersion } }, { namespace: obj.metadata.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
