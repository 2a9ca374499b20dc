// ReplicaSet: keep spec.replicas active Pods matching the selector. Pure: the controller
// feeds in the ReplicaSet and the Pods of its namespace, and applies what comes out.
import { Condition, Pod, ReplicaSet, ReplicaSetStatus, selectorMatches, setCondition } from '@coxswain/api';
import { controllerRef, planClaims } from '../framework/owners';
import { rfc3339 } from '../framework/time';
import { isActive, isAvailable, msUntilAvailable, podView } from '../framework/workloads';
import { ManageFailure, planReplicaDiff } from '../replicas/plan';

export interface ReplicaSetInput {
  rs: ReplicaSet;
  /** Pods of the ReplicaSet's namespace: owned ones and orphans it may adopt. */
  pods: Pod[];
  now: number;
  /** False while the cache has not caught up with the previous pass's creates/deletes. */
  expectationsSatisfied: boolean;
  burst?: number;
}

export interface ReplicaSetPlan {
  adopt: Pod[];
  release: Pod[];
  /** Pods to create from the template. */
  create: number;
  /** Pods to delete, least valuable first. */
  delete: Pod[];
  /** Pods the ReplicaSet controls after adoption and release. */
  owned: Pod[];
  /** Look again then (a ready Pod becomes available after minReadySeconds). */
  requeueAfterMs?: number;
}

export function planReplicaSet(input: ReplicaSetInput): ReplicaSetPlan {
  const { rs, now } = input;
  const claims = planClaims(identity(rs), rs.spec.selector, input.pods);
  const owned = claims.owned.map((pod) => ({ obj: pod, view: podView(pod) }));
  const manage = input.expectationsSatisfied && !rs.metadata.deletionTimestamp;
  const diff = manage ? planReplicaDiff(rs.spec.replicas ?? 1, owned, input.burst) : { create: 0, delete: [] };
  const minReady = rs.spec.minReadySeconds ?? 0;
  const waits = owned.map((o) => msUntilAvailable(o.view, minReady, now)).filter((ms): ms is number => ms !== undefined);
  return {
    adopt: claims.adopt,
    release: claims.release,
    create: diff.create,
    delete: diff.delete,
    owned: claims.owned,
    requeueAfterMs: waits.length ? Math.min(...waits) + 1 : undefined,
  };
}

export type { ManageFailure };

/** Status from the Pods the ReplicaSet controls (as observed before this pass's changes). */
export function replicaSetStatus(rs: ReplicaSet, owned: Pod[], now: number, failure?: ManageFailure): ReplicaSetStatus {
  const minReady = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  const active = owned.filter((p) => isActive(podView(p)));
  let conditions: Condition[] | undefined = rs.status?.conditions?.filter((c) => c.type !== 'ReplicaFailure');
  if (failure) conditions = setCondition(rs.status?.conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message }, rfc3339(now));
  const status: ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) => selectorMatches({ matchLabels: templateLabels }, p.metadata.labels)).length,
    readyReplicas: active.filter((p) => podView(p).ready).length,
    availableReplicas: active.filter((p) => isAvailable(podView(p), minReady, now)).length,
    observedGeneration: rs.metadata.generation,
  };
  if (conditions?.length) status.conditions = conditions;
  return status;
}

export const identity = (rs: ReplicaSet) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata });

/** A Pod for the ReplicaSet's template, named by the API server from generateName. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec.template;
  const meta = template?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(identity(rs))],
    },
    spec: structuredClone(template!.spec),
  };
}
