// DaemonSet controller: DaemonSet, Pod and Node informers → queue → planDaemonSet → apply.
// A node joining, leaving or changing labels/taints re-evaluates every DaemonSet. Each
// template is kept as a ControllerRevision; pods carry its controller-revision-hash.
import { CONTROLLER_REVISION_HASH_LABEL, controllerOf, ControllerRevision, DaemonSet, Node, Pod, selectorMatches } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isNotFound, splitObjectKey } from '@coxswain/client';
import { slowStartBatch } from '../framework/batch';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { planClaims } from '../framework/owners';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { errorText } from '../replicas/owned-controller';
import { CONTROLLER_REVISION_RESOURCE, RevisionHistory } from '../history/history';
import { revisionHash } from '../history/plan';
import { daemonSetIdentity, planDaemonSet, podForNode } from './plan';
import { DAEMONSET_RESOURCE } from './resources';

export const DAEMONSET_CONTROLLER = 'daemonset-controller';

export class DaemonSetController extends OwnedWorkloadController<DaemonSet, Pod> {
  private readonly nodes: Informer<Node>;
  private readonly history: RevisionHistory;

  constructor(deps: ControllerDeps) {
    super(deps, { name: DAEMONSET_CONTROLLER, ownerResource: DAEMONSET_RESOURCE, childResource: R.Pod, ownerKind: 'DaemonSet', ownerApiVersion: 'apps/v1', selectorOf: (ds) => ds.spec?.selector, childNoun: 'pod' });
    this.nodes = deps.informers.for<Node>(R.Node);
    this.history = new RevisionHistory(deps.client, deps.informers.for<ControllerRevision>(CONTROLLER_REVISION_RESOURCE));
  }

  override register(): void {
    super.register();
    const all = () => this.owners.store.list().forEach((ds) => this.enqueue(ds));
    this.nodes.addEventHandler({
      onAdd: all,
      onUpdate: (old, node) => {
        const relevant = JSON.stringify([old.metadata.labels, old.spec?.taints, old.spec?.unschedulable]) !== JSON.stringify([node.metadata.labels, node.spec?.taints, node.spec?.unschedulable]);
        if (relevant) all();
      },
      onDelete: all,
    });
    const owner = (r: ControllerRevision) => {
      const ds = this.ownerOf(r);
      if (ds) this.enqueue(ds);
      // An orphan: every set whose selector matches may adopt it (Kubernetes' addRevision).
      else if (!controllerOf(r)) this.owners.store.byIndex('namespace', r.metadata.namespace ?? '').filter((o) => selectorMatches(o.spec.selector, r.metadata.labels)).forEach((o) => this.enqueue(o));
    };
    this.history.informer.addEventHandler({ onAdd: owner, onUpdate: (_old, r) => owner(r), onDelete: owner });
  }

  protected async reconcile(key: string): Promise<void> {
    const ds = this.owners.store.get(key);
    if (!ds) {
      this.expectations.forget(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const candidates = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const claims = planClaims(daemonSetIdentity(ds), ds.spec.selector, candidates);
    for (const pod of claims.adopt) await this.adopt(ds, pod);
    for (const pod of claims.release) await this.release(ds, pod);
    const running = new Set(claims.owned.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]));
    const synced = await this.history.sync({ ...daemonSetIdentity(ds), spec: ds.spec, status: ds.status }, (r) => running.has(revisionHash(r)));
    if ('collision' in synced) {
      // Another object holds the revision's name: salt the hash and come back on the update.
      await ignoreNotFound(this.deps.client.updateStatus(DAEMONSET_RESOURCE, { ...ds, status: { ...ds.status!, collisionCount: (ds.status?.collisionCount ?? 0) + 1 } }));
      return;
    }
    const hash = revisionHash(synced.update)!;
    const plan = planDaemonSet({ ds, nodes: this.nodes.store.list(), pods: claims.owned, hash, now: this.deps.clock.now(), expectationsSatisfied: this.expectations.satisfied(key) });
    let failure: string | undefined;
    if (plan.create.length) {
      this.expectations.expect(key, plan.create.length, plan.delete.map((p) => p.metadata.name!));
      const result = await slowStartBatch(plan.create.length, 1, async (i) => {
        const created = await this.deps.client.create<Pod>(R.Pod, podForNode(ds, plan.create[i], hash));
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      });
      if (result.errors.length) {
        this.expectations.creationFailed(key, result.errors.length + result.skipped);
        failure = `Error creating: ${errorText(result.errors[0])}`;
        this.recorder.event(ds, 'Warning', 'FailedCreate', failure);
      }
    } else if (plan.delete.length) {
      this.expectations.expect(key, 0, plan.delete.map((p) => p.metadata.name!));
    }
    for (const pod of plan.delete) {
      try {
        await this.deps.client.delete(R.Pod, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
        this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (error) {
        this.expectations.deletionObserved(key, pod.metadata.name!);
        if (!isNotFound(error)) failure ??= `Error deleting: ${errorText(error)}`;
      }
    }
    if (!deepEqual(plan.status, ds.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(DAEMONSET_RESOURCE, { ...ds, status: plan.status }));
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure);
  }
}
