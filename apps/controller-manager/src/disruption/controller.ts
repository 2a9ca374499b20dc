// Disruption controller: PodDisruptionBudget, Pod and VMI informers (and the scalable owners)
// → queue → planDisruption → status. The eviction subresource spends what it allows.
import { Deployment, KubeObject, OwnerReference, Pod, PodDisruptionBudget, ReplicaSet, selectorMatches, StatefulSet, VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, ResourceDescriptor, splitObjectKey } from '@coxswain/client';
import { STATEFULSET_RESOURCE } from '../daemonset/resources';
import { Controller, ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { planDisruption } from './plan';

export const DISRUPTION_CONTROLLER = 'disruption-controller';
export const PDB_RESOURCE: ResourceDescriptor = R.PodDisruptionBudget;

export class DisruptionController extends Controller {
  private readonly pdbs: Informer<PodDisruptionBudget>;
  private readonly pods: Informer<Pod>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly deployments: Informer<Deployment>;
  private readonly statefulSets: Informer<StatefulSet>;
  private readonly vmiReplicaSets: Informer<VirtualMachineInstanceReplicaSet>;

  constructor(deps: ControllerDeps) {
    super(DISRUPTION_CONTROLLER, deps, 2);
    this.pdbs = deps.informers.for<PodDisruptionBudget>(PDB_RESOURCE);
    this.pods = deps.informers.for<Pod>(R.Pod);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
    this.replicaSets = deps.informers.for<ReplicaSet>(R.ReplicaSet);
    this.deployments = deps.informers.for<Deployment>(R.Deployment);
    this.statefulSets = deps.informers.for<StatefulSet>(STATEFULSET_RESOURCE);
    this.vmiReplicaSets = deps.informers.for<VirtualMachineInstanceReplicaSet>(R.VirtualMachineInstanceReplicaSet);
  }

  register(): void {
    this.pdbs.addEventHandler({ onAdd: (p) => this.enqueue(p), onUpdate: (_o, p) => this.enqueue(p), onDelete: (p) => this.enqueue(p) });
    const workloadChanged = (obj: KubeObject) => {
      for (const pdb of this.pdbs.store.byIndex('namespace', obj.metadata.namespace ?? '')) if (pdb.spec?.selector && selectorMatches(pdb.spec.selector, obj.metadata.labels)) this.enqueue(pdb);
    };
    for (const informer of [this.pods, this.vmis] as unknown as Informer<KubeObject>[]) {
      informer.addEventHandler({
        onAdd: workloadChanged,
        onUpdate: (old, obj) => {
          workloadChanged(old);
          workloadChanged(obj);
        },
        onDelete: workloadChanged,
      });
    }
    const ownerChanged = (obj: KubeObject) => this.pdbs.store.byIndex('namespace', obj.metadata.namespace ?? '').forEach((p) => this.enqueue(p));
    for (const informer of [this.replicaSets, this.deployments, this.statefulSets, this.vmiReplicaSets] as unknown as Informer<KubeObject>[]) {
      informer.addEventHandler({ onAdd: ownerChanged, onUpdate: (_o, obj) => ownerChanged(obj), onDelete: ownerChanged });
    }
  }

  /** Kubernetes' scale finders: a ReplicaSet under a Deployment answers with the Deployment's replicas. */
  private scaleOf(namespace: string, ref: OwnerReference): number | undefined {
    const byUid = <T extends KubeObject>(informer: Informer<T>): T | undefined => {
      const found = informer.store.getByName(namespace, ref.name);
      return found?.metadata.uid === ref.uid ? found : undefined;
    };
    switch (ref.kind) {
      case 'ReplicaSet': {
        const rs = byUid(this.replicaSets);
        if (!rs) return undefined;
        const owner = rs.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
        const deployment = owner ? this.deployments.store.getByName(namespace, owner.name) : undefined;
        return deployment && deployment.metadata.uid === owner?.uid ? (deployment.spec.replicas ?? 1) : (rs.spec.replicas ?? 1);
      }
      case 'StatefulSet':
        return byUid(this.statefulSets)?.spec.replicas ?? undefined;
      case 'VirtualMachineInstanceReplicaSet':
        return byUid(this.vmiReplicaSets)?.spec.replicas ?? undefined;
      case 'VirtualMachine':
        return 1;
      default:
        return undefined;
    }
  }

  protected async reconcile(key: string): Promise<void> {
    const pdb = this.pdbs.store.get(key);
    if (!pdb) return;
    const namespace = splitObjectKey(key).namespace ?? '';
    const workloads: KubeObject[] = [
      ...this.pods.store.byIndex('namespace', namespace).map((p) => ({ ...p, kind: 'Pod' })),
      ...this.vmis.store.byIndex('namespace', namespace).map((v) => ({ ...v, kind: 'VirtualMachineInstance' })),
    ];
    const plan = planDisruption({ pdb, workloads, scaleOf: (ns, ref) => this.scaleOf(ns, ref), now: this.deps.clock.now() });
    const comparable = (s: unknown) => JSON.stringify({ ...(s as object), conditions: undefined });
    if (comparable(plan.status) !== comparable(pdb.status ?? {}) || !deepEqual(plan.status.conditions?.map((c) => [c.type, c.status]), pdb.status?.conditions?.map((c) => [c.type, c.status]))) {
      await ignoreNotFound(this.deps.client.updateStatus(PDB_RESOURCE, { ...pdb, status: plan.status }));
    }
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
  }
}
