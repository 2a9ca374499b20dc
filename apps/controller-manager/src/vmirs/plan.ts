// VirtualMachineInstanceReplicaSet: keep spec.replicas running VMIs, like a ReplicaSet
// keeps Pods. Unlike Pods, finished VMIs are deleted and replaced (KubeVirt does the same);
// `paused` stops creating and deleting.
import {
  Condition,
  formatLabelSelector,
  setCondition,
  VirtualMachineInstance,
  VirtualMachineInstanceReplicaSet,
  VirtualMachineInstanceReplicaSetStatus,
} from '@coxswain/api';
import { controllerRef, planClaims } from '../framework/owners';
import { rfc3339 } from '../framework/time';
import { isActive, isFinished, vmiView } from '../framework/workloads';
import { ManageFailure, planReplicaDiff } from '../replicas/plan';

export interface VmiReplicaSetInput {
  rs: VirtualMachineInstanceReplicaSet;
  vmis: VirtualMachineInstance[];
  now: number;
  expectationsSatisfied: boolean;
  burst?: number;
}

export interface VmiReplicaSetPlan {
  adopt: VirtualMachineInstance[];
  release: VirtualMachineInstance[];
  create: number;
  /** Finished VMIs first, then the least valuable running ones when scaling down. */
  delete: VirtualMachineInstance[];
  owned: VirtualMachineInstance[];
}

export const identity = (rs: VirtualMachineInstanceReplicaSet) => ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceReplicaSet', metadata: rs.metadata });

export function planVmiReplicaSet(input: VmiReplicaSetInput): VmiReplicaSetPlan {
  const { rs } = input;
  const claims = planClaims(identity(rs), rs.spec.selector, input.vmis);
  const owned = claims.owned.map((vmi) => ({ obj: vmi, view: vmiView(vmi) }));
  const manage = input.expectationsSatisfied && !rs.metadata.deletionTimestamp && !rs.spec.paused;
  if (!manage) return { adopt: claims.adopt, release: claims.release, create: 0, delete: [], owned: claims.owned };
  const finished = owned.filter((o) => !o.view.deleting && isFinished(o.view)).map((o) => o.obj);
  const diff = planReplicaDiff(rs.spec.replicas ?? 1, owned, input.burst);
  return { adopt: claims.adopt, release: claims.release, create: diff.create, delete: [...finished, ...diff.delete], owned: claims.owned };
}

export type { ManageFailure };

export function vmiReplicaSetStatus(rs: VirtualMachineInstanceReplicaSet, owned: VirtualMachineInstance[], now: number, failure?: ManageFailure): VirtualMachineInstanceReplicaSetStatus {
  const active = owned.map(vmiView).filter(isActive);
  let conditions: Condition[] = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure' && c.type !== 'ReplicaPaused');
  const at = rfc3339(now);
  if (failure) conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message }, at);
  if (rs.spec.paused) {
    const previous = rs.status?.conditions?.find((c) => c.type === 'ReplicaPaused');
    conditions = [...conditions, previous ?? { type: 'ReplicaPaused', status: 'True', reason: 'Paused', message: 'Controller got paused', lastTransitionTime: at }];
  }
  const status: VirtualMachineInstanceReplicaSetStatus = {
    replicas: active.length,
    readyReplicas: active.filter((v) => v.ready).length,
    labelSelector: formatLabelSelector(rs.spec.selector),
  };
  if (conditions.length) status.conditions = conditions;
  return status;
}

export function vmiFromReplicaSetTemplate(rs: VirtualMachineInstanceReplicaSet): VirtualMachineInstance {
  const meta = rs.spec.template.metadata ?? {};
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: {
      generateName: rs.metadata.name,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [controllerRef(identity(rs))],
    },
    spec: structuredClone(rs.spec.template.spec),
  };
}
