// The scheduler's few API writes, in one place: the binding subresource, the status patch,
// and reading a workload back when a bind's outcome is unclear.
import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES, KubeClient, ResourceDescriptor } from '@coxswain/client';
import { VmOverhead, Workload, WorkloadKind, workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';

export type SchedulerClient = Pick<KubeClient, 'createSubresource' | 'get' | 'patch' | 'create'>;

export const resourceFor = (kind: WorkloadKind): ResourceDescriptor => (kind === 'Pod' ? BUILTIN_RESOURCES.Pod : BUILTIN_RESOURCES.VirtualMachineInstance);

/** The Binding body; the uid guards against binding a recreated object of the same name. */
export function bindingFor(workload: Pick<Workload, 'namespace' | 'name' | 'uid'>, nodeName: string) {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: workload.name, namespace: workload.namespace, ...(workload.uid ? { uid: workload.uid } : {}) },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

export async function bindWorkload(client: SchedulerClient, workload: Workload, nodeName: string): Promise<void> {
  await client.createSubresource(resourceFor(workload.kind), workload.name, 'binding', bindingFor(workload, nodeName), { namespace: workload.namespace });
}

/** Reads the workload as the API has it now. */
export async function readWorkload(client: SchedulerClient, workload: Workload, overhead: VmOverhead): Promise<Workload> {
  const obj = await client.get(resourceFor(workload.kind), workload.name, { namespace: workload.namespace });
  return workload.kind === 'Pod' ? workloadFromPod(obj as Pod) : workloadFromVmi(obj as VirtualMachineInstance, overhead);
}

export async function patchStatus(client: SchedulerClient, workload: Workload, patch: unknown): Promise<void> {
  await client.patch(resourceFor(workload.kind), workload.name, patch, { namespace: workload.namespace, subresource: 'status', type: 'merge' });
}

export const eventTarget = (w: Workload) => ({
  kind: w.kind,
  apiVersion: w.kind === 'Pod' ? 'v1' : 'kubevirt.io/v1',
  namespace: w.namespace,
  name: w.name,
  uid: w.uid,
});
