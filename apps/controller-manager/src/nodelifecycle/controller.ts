// Node lifecycle controller: heartbeats (Leases and the Ready condition) → node conditions
// and taints; NoExecute taints → eviction of the node's Pods and VMIs, which are marked
// Failed (reason NodeLost) and deleted so their owners create replacements elsewhere.
import { KubeObject, Lease, Node, Pod, Toleration, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isNotFound, ResourceDescriptor, TimerHandle } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { NODE_INDEX } from '../framework/informers';
import { ignoreNotFound } from '../framework/objects';
import { isFinished, podView, vmiView } from '../framework/workloads';
import { EvictionCandidate, NodeHealth, NodeLifecycleConfig, planEvictions, planNodeHealth } from './plan';

export const NODE_LIFECYCLE_CONTROLLER = 'node-lifecycle-controller';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

interface Workload {
  resource: ResourceDescriptor;
  obj: KubeObject;
}

export class NodeLifecycleController extends Controller {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly readyState = new Map<string, string>();
  private ticker?: TimerHandle;
  private stopped = false;

  constructor(
    deps: ControllerDeps,
    private readonly config: NodeLifecycleConfig,
  ) {
    super(NODE_LIFECYCLE_CONTROLLER, deps, 2);
    this.nodes = deps.informers.for<Node>(R.Node);
    this.leases = deps.informers.for<Lease>(R.Lease, NODE_LEASE_NAMESPACE);
    this.pods = deps.informers.for<Pod>(R.Pod);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
  }

  register(): void {
    this.nodes.addEventHandler({ onAdd: (n) => this.enqueue(n), onUpdate: (_o, n) => this.enqueue(n), onDelete: (n) => this.enqueue(n) });
    this.leases.addEventHandler({ onAdd: (l) => this.enqueue(l.metadata.name!), onUpdate: (_o, l) => this.enqueue(l.metadata.name!) });
    // A workload landing on a node with NoExecute taints may have to leave at once.
    const workloadOn = (nodeName: string | undefined) => {
      const node = nodeName ? this.nodes.store.get(nodeName) : undefined;
      if (node?.spec?.taints?.some((t) => t.effect === 'NoExecute')) this.enqueue(nodeName!);
    };
    this.pods.addEventHandler({ onAdd: (p) => workloadOn(p.spec?.nodeName), onUpdate: (_o, p) => workloadOn(p.spec?.nodeName) });
    const vmiNode = (v: VirtualMachineInstance) => v.status?.nodeName || v.spec?.nodeName;
    this.vmis.addEventHandler({ onAdd: (v) => workloadOn(vmiNode(v)), onUpdate: (_o, v) => workloadOn(vmiNode(v)) });
  }

  /** Also looks at every node periodically, as Kubernetes' node monitor does. */
  override run(): Promise<void> {
    const period = Math.max(250, Math.min(5000, this.config.gracePeriodMs / 4));
    const tick = () => {
      if (this.stopped) return;
      for (const name of this.nodes.store.keys()) this.enqueue(name);
      this.ticker = this.deps.clock.setTimeout(tick, period);
    };
    this.ticker = this.deps.clock.setTimeout(tick, period);
    return super.run();
  }

  override async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.ticker) this.deps.clock.clearTimeout(this.ticker);
    await super.shutdown();
  }

  protected async reconcile(name: string): Promise<void> {
    const node = this.nodes.store.get(name);
    if (!node) {
      this.health.delete(name);
      this.readyState.delete(name);
      return;
    }
    const now = this.deps.clock.now();
    const lease = this.leases.store.getByName(NODE_LEASE_NAMESPACE, name);
    const plan = planNodeHealth({ node, leaseRenewTime: lease?.spec?.renewTime, previous: this.health.get(name), now, config: this.config });
    this.health.set(name, plan.health);
    this.readyState.set(name, plan.ready);
    let resourceVersion = node.metadata.resourceVersion;
    if (plan.conditions) {
      const updated = await ignoreNotFound(this.deps.client.patch<Node>(R.Node, name, { metadata: { resourceVersion }, status: { conditions: plan.conditions } }, { subresource: 'status' }));
      resourceVersion = updated?.metadata.resourceVersion;
    }
    if (plan.taints) {
      await ignoreNotFound(this.deps.client.patch(R.Node, name, { metadata: { resourceVersion }, spec: { taints: plan.taints } }));
    }
    if (plan.event) this.recorder.event(node, plan.event.type, plan.event.reason, plan.event.message);
    let requeue = plan.requeueAfterMs;
    const taints = plan.taints ?? node.spec?.taints ?? [];
    if (taints.some((t) => t.effect === 'NoExecute') && !this.fullDisruption()) {
      const candidates: EvictionCandidate<Workload>[] = [
        ...this.pods.store.byIndex(NODE_INDEX, name).map((p) => candidate(R.Pod, p, p.spec?.tolerations, podView(p))),
        ...this.vmis.store.byIndex(NODE_INDEX, name).map((v) => candidate(R.VirtualMachineInstance, v, v.spec?.tolerations, vmiView(v))),
      ];
      const evictions = planEvictions(taints, candidates, now, this.config.podEvictionTimeoutMs);
      for (const w of evictions.evict) await this.evict(name, w);
      if (evictions.requeueAfterMs !== undefined) requeue = Math.min(requeue ?? Number.POSITIVE_INFINITY, evictions.requeueAfterMs + 1);
    }
    if (requeue !== undefined) this.enqueueAfter(name, requeue);
  }

  /**
   * Every node unhealthy looks like the control plane lost the network, not like every
   * node died: Kubernetes stops evicting then, and so do we.
   */
  private fullDisruption(): boolean {
    const nodes = this.nodes.store.list();
    return nodes.length > 0 && nodes.every((n) => (this.readyState.get(n.metadata.name!) ?? n.status?.conditions?.find((c) => c.type === 'Ready')?.status) !== 'True');
  }

  private async evict(nodeName: string, w: Workload): Promise<void> {
    const { client } = this.deps;
    const { name, namespace, uid } = w.obj.metadata;
    const kind = w.resource === R.Pod ? 'Pod' : 'VirtualMachineInstance';
    this.recorder.event(w.obj, 'Normal', 'TaintManagerEviction', `Marking for deletion ${kind} ${namespace}/${name}`);
    this.logger.info({ node: nodeName, [kind]: `${namespace}/${name}` }, 'evicting workload from unhealthy node');
    try {
      // Failed first: a workload bound to a node the API cannot reach would otherwise wait for that node's agent to confirm the delete.
      const message = `Node ${nodeName} which was running ${kind.toLowerCase()} ${name} is unresponsive`;
      await client.patch(w.resource, name!, { status: { phase: 'Failed', reason: 'NodeLost', message } }, { namespace, subresource: 'status' });
      await client.delete(w.resource, name!, { namespace, preconditions: { uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

function candidate(resource: ResourceDescriptor, obj: KubeObject, tolerations: Toleration[] | undefined, view: ReturnType<typeof podView>): EvictionCandidate<Workload> {
  return { obj: { resource, obj }, tolerations: tolerations ?? [], done: view.deleting || isFinished(view) };
}
