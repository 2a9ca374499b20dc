// The core both ReplicaSet and VirtualMachineInstanceReplicaSet share: given the workloads
// an owner controls, how many to create and which to delete to get to N.
import { compareForDeletion, isActive, WorkloadView } from '../framework/workloads';

/** Kubernetes' burstReplicas: at most this many creations or deletions per pass. */
export const BURST_REPLICAS = 500;

export interface ReplicaDiff<T> {
  create: number;
  /** Least valuable first (see compareForDeletion). */
  delete: T[];
}

export function planReplicaDiff<T>(desired: number, owned: Array<{ obj: T; view: WorkloadView }>, burst = BURST_REPLICAS): ReplicaDiff<T> {
  const active = owned.filter((o) => isActive(o.view));
  const diff = active.length - desired;
  if (diff < 0) return { create: Math.min(-diff, burst), delete: [] };
  if (diff === 0) return { create: 0, delete: [] };
  const ranked = [...active].sort((a, b) => compareForDeletion(a.view, b.view));
  return { create: 0, delete: ranked.slice(0, Math.min(diff, burst)).map((o) => o.obj) };
}

/** Why a pass could not carry out its plan, for the owner's ReplicaFailure condition. */
export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}
