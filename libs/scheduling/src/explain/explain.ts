// explain(): why a workload is or is not placeable, per node, by running the profile's own
// filter plugins (the scheduler's code, not a re-telling of it) against the cluster as listed.
// Every consumer that explains placement (`coxctl why`, the dashboard) is an adapter over this.
import type { Namespace, Node, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { Framework } from '../framework/framework';
import { buildFramework, ProfileSpec } from '../framework/registry';
import { Resources } from '../framework/resources';
import { namespaceLabelsOf, snapshotOf } from '../framework/snapshot';
import { StatusCode } from '../framework/status';
import { DEFAULT_VM_OVERHEAD, VmOverhead, Workload, workloadFromPod, workloadFromVmi } from '../framework/workload';
import { StorageObjects, volumeFacts } from '../plugins/volume-binding/volume-facts';
import { Diagnosis, emptyDiagnosis, recordRejection } from './diagnosis';
import { failureMessage } from './failure-message';
import { BoundWorkloads, boundWorkloads, nodeInfos } from './node-usage';

export interface FilterRejection {
  plugin: string;
  code: StatusCode;
  reasons: string[];
}

export interface NodeExplanation {
  node: string;
  fits: boolean;
  /**
   * Every filter that rejects the node, in the profile's order. The scheduler stops at the
   * first (that is the one its message counts); the rest tell users what else is in the way.
   */
  rejections: FilterRejection[];
  allocatable: Resources;
  /** Requests of the other workloads bound to the node. */
  requested: Resources;
  ready: boolean;
  unschedulable: boolean;
}

export interface Explanation {
  workload: Workload;
  nodes: NodeExplanation[];
  /** First rejection per node, exactly as the scheduler counts it. */
  diagnosis: Diagnosis;
  /** The scheduler's message for this state (`0/2 nodes are available: …`) when no node fits. */
  message?: string;
}

export type Profile = Framework | ProfileSpec;

export interface ExplainOptions {
  vmOverhead?: VmOverhead;
  /** Claims, volumes and classes for VolumeBinding; without them VolumeBinding passes every node (the caller did not look). */
  storage?: StorageObjects;
  /** Namespaces, for pod affinity terms with a namespaceSelector; without them such a selector matches no namespace. */
  namespaces?: readonly Namespace[];
}

/** A Pod or VMI object reduced as the scheduler reduces it; `kind` tells them apart. */
export function toWorkload(object: Pod | VirtualMachineInstance, overhead: VmOverhead = DEFAULT_VM_OVERHEAD): Workload {
  return object.kind === 'VirtualMachineInstance' ? workloadFromVmi(object as VirtualMachineInstance, overhead) : workloadFromPod(object as Pod);
}

export function explain(object: Pod | VirtualMachineInstance, nodes: readonly Node[], bound: BoundWorkloads, profile?: Profile, options: ExplainOptions = {}): Explanation {
  const overhead = options.vmOverhead ?? DEFAULT_VM_OVERHEAD;
  const workload = toWorkload(object, overhead);
  if (options.storage) workload.volumes = volumeFacts(object, options.storage);
  const framework = profile instanceof Framework ? profile : buildFramework(profile ?? { schedulerName: workload.schedulerName });
  const infos = nodeInfos(nodes, boundWorkloads(bound, overhead), workload);
  // The other workloads count as the scheduler counts them: topology plugins see them all.
  const cycle = framework.prepare(workload, snapshotOf(infos, options.namespaces && namespaceLabelsOf(options.namespaces)));
  const diagnosis = emptyDiagnosis(infos.length);
  const explained = infos.map((info): NodeExplanation => {
    const rejections: FilterRejection[] = [];
    for (const filter of cycle.filters) {
      const status = filter.filter(workload, info, cycle.state);
      if (status.code === 'Success') continue;
      if (rejections.length === 0) recordRejection(diagnosis, info.name, filter.name, status);
      rejections.push({ plugin: filter.name, code: status.code, reasons: [...status.reasons] });
    }
    return {
      node: info.name,
      fits: rejections.length === 0,
      rejections,
      allocatable: { ...info.allocatable },
      requested: { ...info.requested },
      ready: info.ready,
      unschedulable: info.unschedulable,
    };
  });
  const anyFits = explained.some((n) => n.fits);
  return { workload, nodes: explained, diagnosis, message: anyFits ? undefined : failureMessage(diagnosis) };
}
