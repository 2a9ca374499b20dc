// What the controllers that keep N children of an owner (ReplicaSet → Pods, VMI replica set
// → VMIs) share: event wiring (a child event enqueues its controller owner, recording the
// expectation it fulfils, or every owner whose selector matches an orphan), adoption, and
// manage() — carrying out a plan's deletions and slow-start creations with expectations and
// events.
import { controllerOf, KubeObject, LabelSelector, selectorMatches } from '@coxswain/api';
import { Informer, isNotFound, objectKey, ResourceDescriptor } from '@coxswain/client';
import { slowStartBatch } from '../framework/batch';
import { ManageFailure } from './plan';
import { Controller, ControllerDeps } from '../framework/controller';
import { Expectations } from '../framework/expectations';
import { OwnerIdentity, withControllerRef, withoutOwners } from '../framework/owners';

export interface OwnedWorkloadOptions<O> {
  name: string;
  ownerResource: ResourceDescriptor;
  childResource: ResourceDescriptor;
  ownerKind: string;
  ownerApiVersion: string;
  selectorOf(owner: O): LabelSelector | undefined;
  /** How events name a child: 'pod', 'virtual machine instance'. */
  childNoun: string;
  concurrency?: number;
}

/** What manage() does in one pass: create this many from the template, delete these. */
export interface ManagePlan<C> {
  create: number;
  delete: C[];
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export abstract class OwnedWorkloadController<O extends KubeObject, C extends KubeObject> extends Controller {
  protected readonly owners: Informer<O>;
  protected readonly children: Informer<C>;
  readonly expectations: Expectations;

  constructor(
    deps: ControllerDeps,
    protected readonly spec: OwnedWorkloadOptions<O>,
  ) {
    super(spec.name, deps, spec.concurrency ?? 4);
    this.owners = deps.informers.for<O>(spec.ownerResource);
    this.children = deps.informers.for<C>(spec.childResource);
    this.expectations = new Expectations(deps.clock);
  }

  register(): void {
    this.owners.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, o) => this.enqueue(o),
      onDelete: (o) => {
        this.expectations.forget(objectKey(o));
        this.enqueue(o);
      },
    });
    this.children.addEventHandler({
      onAdd: (c) => this.childAdded(c),
      onUpdate: (old, c) => this.childUpdated(old, c),
      onDelete: (c) => this.childDeleted(c),
    });
  }

  /** The owner controlling `child`, if it is one of ours and still the same object. */
  protected ownerOf(child: KubeObject): O | undefined {
    const ref = controllerOf(child);
    if (!ref || ref.kind !== this.spec.ownerKind || ref.apiVersion.split('/')[0] !== this.spec.ownerApiVersion.split('/')[0]) return undefined;
    const owner = this.owners.store.getByName(child.metadata.namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  private matchingOwners(child: KubeObject): O[] {
    return this.owners.store.byIndex('namespace', child.metadata.namespace ?? '').filter((o) => selectorMatches(this.spec.selectorOf(o), child.metadata.labels));
  }

  private childAdded(child: C): void {
    if (child.metadata.deletionTimestamp) return this.childDeleted(child);
    const owner = this.ownerOf(child);
    if (owner) {
      this.expectations.creationObserved(objectKey(owner));
      this.enqueue(owner);
      return;
    }
    if (!controllerOf(child)) this.matchingOwners(child).forEach((o) => this.enqueue(o));
  }

  private childUpdated(old: C, child: C): void {
    if (old.metadata.resourceVersion === child.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(child.metadata.labels ?? {});
    if (child.metadata.deletionTimestamp) {
      this.childDeleted(child);
      if (labelsChanged) this.childDeleted(old);
      return;
    }
    const oldRef = controllerOf(old);
    const ref = controllerOf(child);
    const refChanged = oldRef?.uid !== ref?.uid;
    if (refChanged && oldRef) {
      const previous = this.ownerOf(old);
      if (previous) this.enqueue(previous);
    }
    const owner = this.ownerOf(child);
    if (owner) {
      this.enqueue(owner);
      return;
    }
    if (!ref && (labelsChanged || refChanged)) this.matchingOwners(child).forEach((o) => this.enqueue(o));
  }

  private childDeleted(child: C): void {
    const owner = this.ownerOf(child);
    if (!owner) return;
    this.expectations.deletionObserved(objectKey(owner), child.metadata.name!);
    this.enqueue(owner);
  }

  protected ownerIdentity(owner: O): OwnerIdentity {
    return { apiVersion: this.spec.ownerApiVersion, kind: this.spec.ownerKind, metadata: owner.metadata };
  }

  /** Sets the owner as controller; the pinned resourceVersion makes a stale view fail with 409. */
  protected async adopt(owner: O, child: C): Promise<void> {
    const patch = { metadata: { ownerReferences: withControllerRef(child, this.ownerIdentity(owner)), resourceVersion: child.metadata.resourceVersion } };
    await this.deps.client.patch(this.spec.childResource, child.metadata.name!, patch, { namespace: child.metadata.namespace });
  }

  protected async release(owner: O, child: C): Promise<void> {
    const refs = withoutOwners(child, [owner.metadata.uid!]);
    const patch = { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: child.metadata.resourceVersion } };
    await this.deps.client.patch(this.spec.childResource, child.metadata.name!, patch, { namespace: child.metadata.namespace });
  }

  /**
   * Deletions first (a finished child makes room for its replacement), then creations in
   * slow-start batches; expectations are raised before each write so the informer's echo is
   * not mistaken for drift. The first failure is returned for the owner's status.
   */
  protected async manage(key: string, owner: O, plan: ManagePlan<C>, template: () => C): Promise<ManageFailure | undefined> {
    const noun = this.spec.childNoun;
    if (plan.delete.length > 0) {
      this.expectations.expect(key, 0, plan.delete.map((c) => c.metadata.name!));
      const results = await Promise.allSettled(
        plan.delete.map(async (child) => {
          try {
            await this.deps.client.delete(this.spec.childResource, child.metadata.name!, { namespace: child.metadata.namespace, preconditions: { uid: child.metadata.uid } });
            this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted ${noun}: ${child.metadata.name}`);
          } catch (error) {
            this.expectations.deletionObserved(key, child.metadata.name!);
            if (!isNotFound(error)) throw error;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = `Error deleting: ${errorText(failed.reason)}`;
        this.recorder.event(owner, 'Warning', 'FailedDelete', message);
        return { reason: 'FailedDelete', message };
      }
    }
    if (plan.create > 0) {
      this.expectations.expect(key, plan.create);
      const body = template();
      const result = await slowStartBatch(plan.create, 1, async () => {
        const created = await this.deps.client.create<C>(this.spec.childResource, body);
        this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created ${noun}: ${created.metadata.name}`);
      });
      if (result.errors.length) {
        this.expectations.creationFailed(key, result.errors.length + result.skipped);
        const message = `Error creating: ${errorText(result.errors[0])}`;
        this.recorder.event(owner, 'Warning', 'FailedCreate', message);
        return { reason: 'FailedCreate', message };
      }
    }
    return undefined;
  }
}
