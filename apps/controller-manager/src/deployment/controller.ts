// Deployment controller: informers → queue → reconcile(key) → planDeployment → apply.
import { controllerOf, Deployment, KubeObject, Pod, ReplicaSet, selectorMatches } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isAlreadyExists, isNotFound, splitObjectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { CONTROLLER_UID_INDEX } from '../framework/informers';
import { ignoreNotFound } from '../framework/objects';
import { planClaims, withControllerRef, withoutOwners } from '../framework/owners';
import { DeploymentAction, planDeployment } from './plan';
import { equalIgnoreHash } from './util';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

const identity = (d: Deployment) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata });

export class DeploymentController extends Controller {
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;

  constructor(deps: ControllerDeps) {
    super(DEPLOYMENT_CONTROLLER, deps, 4);
    this.deployments = deps.informers.for<Deployment>(R.Deployment);
    this.replicaSets = deps.informers.for<ReplicaSet>(R.ReplicaSet);
    this.pods = deps.informers.for<Pod>(R.Pod);
  }

  register(): void {
    this.deployments.addEventHandler({ onAdd: (d) => this.enqueue(d), onUpdate: (_o, d) => this.enqueue(d), onDelete: (d) => this.enqueue(d) });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (controllerOf(old)?.uid !== controllerOf(rs)?.uid) this.replicaSetChanged(old);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => this.replicaSetChanged(rs),
    });
    // Recreate waits for old pods to be gone.
    this.pods.addEventHandler({
      onDelete: (pod) => {
        const rs = this.ownerRs(pod);
        const d = rs && this.ownerDeployment(rs);
        if (d && d.spec.strategy?.type === 'Recreate') this.enqueue(d);
      },
    });
  }

  private ownerRs(pod: Pod): ReplicaSet | undefined {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.store.getByName(pod.metadata.namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  private ownerDeployment(obj: KubeObject): Deployment | undefined {
    const ref = controllerOf(obj);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.getByName(obj.metadata.namespace, ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const owner = this.ownerDeployment(rs);
    if (owner) return this.enqueue(owner);
    if (controllerOf(rs)) return;
    for (const d of this.deployments.store.byIndex('namespace', rs.metadata.namespace ?? '')) {
      if (selectorMatches(d.spec.selector, rs.metadata.labels)) this.enqueue(d);
    }
  }

  protected async reconcile(key: string): Promise<void> {
    const d = this.deployments.store.get(key);
    if (!d) return;
    const { client } = this.deps;
    const selector = d.spec.selector;
    if (!Object.keys(selector?.matchLabels ?? {}).length && !(selector?.matchExpressions ?? []).length) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      return;
    }
    const candidates = this.replicaSets.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const claims = planClaims(identity(d), selector, candidates);
    for (const rs of claims.adopt) {
      await client.patch(R.ReplicaSet, rs.metadata.name!, { metadata: { ownerReferences: withControllerRef(rs, identity(d)), resourceVersion: rs.metadata.resourceVersion } }, { namespace: rs.metadata.namespace });
    }
    for (const rs of claims.release) {
      const refs = withoutOwners(rs, [d.metadata.uid!]);
      await client.patch(R.ReplicaSet, rs.metadata.name!, { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: rs.metadata.resourceVersion } }, { namespace: rs.metadata.namespace });
    }
    const podsByRs = new Map(claims.owned.map((rs) => [rs.metadata.uid!, this.pods.store.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid!)]));
    const plan = planDeployment({ d, rss: claims.owned, podsByRs, now: this.deps.clock.now() });
    for (const action of plan.actions) await this.apply(d, action);
    for (const e of plan.events) this.recorder.event(d, e.type, e.reason, e.message);
    let current = d;
    if (plan.annotations) {
      current = await client.patch<Deployment>(R.Deployment, d.metadata.name!, { metadata: { annotations: plan.annotations, resourceVersion: d.metadata.resourceVersion } }, { namespace: d.metadata.namespace });
    }
    if (plan.status) {
      await ignoreNotFound(client.updateStatus(R.Deployment, { ...current, status: plan.status }));
    }
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
  }

  private async apply(d: Deployment, action: DeploymentAction): Promise<void> {
    const { client } = this.deps;
    const ns = d.metadata.namespace;
    switch (action.type) {
      case 'createReplicaSet':
        try {
          await client.create(R.ReplicaSet, action.rs);
        } catch (error) {
          if (!isAlreadyExists(error)) {
            this.recorder.event(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${action.rs.metadata.name}": ${String(error)}`);
            throw error;
          }
          await this.onNameTaken(d, action.rs);
        }
        return;
      case 'updateReplicaSet':
        await client.update(R.ReplicaSet, action.rs);
        return;
      case 'deleteReplicaSet':
        try {
          await client.delete(R.ReplicaSet, action.rs.metadata.name!, { namespace: ns, preconditions: { uid: action.rs.metadata.uid } });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        return;
    }
  }

  /**
   * The new ReplicaSet's name exists: either our cache lags (it is ours: retry later) or
   * another template hashed to the same name, and a higher collisionCount gives a new hash.
   */
  private async onNameTaken(d: Deployment, wanted: ReplicaSet): Promise<never> {
    const existing = await this.deps.client.get<ReplicaSet>(R.ReplicaSet, wanted.metadata.name!, { namespace: d.metadata.namespace });
    const ours = controllerOf(existing)?.uid === d.metadata.uid && equalIgnoreHash(existing.spec.template, d.spec.template);
    if (!ours) {
      const collisionCount = (d.status?.collisionCount ?? 0) + 1;
      await this.deps.client.updateStatus(R.Deployment, { ...d, status: { ...(d.status ?? {}), collisionCount } });
      throw new Error(`hash collision on replica set ${wanted.metadata.name}; collisionCount now ${collisionCount}`);
    }
    throw new Error(`replica set ${wanted.metadata.name} exists but is not in the cache yet`);
  }
}
