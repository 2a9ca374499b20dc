// Mutating admission of a pod being created, in Kubernetes' plugin order (Priority, then
// RuntimeClass): after defaulting and before validation. Only pods: templates of Deployments,
// Jobs… are not resolved, their pods are when their controller creates them (a refusal then
// shows as the controller's FailedCreate, as in Kubernetes).
import { StatusError } from '@coxswain/api';
import { resolvePriority } from './priority';
import { runtimeClassRefusal } from './runtime-class';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kubernetes' admission.NewForbidden: `pods "x" is forbidden: <why>`, 403 Forbidden. */
export function admissionForbidden(name: string | undefined, why: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods${name ? ` "${name}"` : ''} is forbidden: ${why}`,
    reason: 'Forbidden',
    code: 403,
    details: { ...(name ? { name } : {}), kind: 'pods' },
  });
}

/** Sets spec.priority on a pod being created; returns why the pod is refused, or undefined. */
export function admitPodCreate(pod: Obj): string | undefined {
  const spec = pod.spec;
  if (!isObj(spec)) return undefined;
  // Fields of the wrong type are validation's to refuse (422), as a decoder would before admission.
  const typed = (v: unknown, type: string) => v === undefined || v === null || typeof v === type;
  if (!typed(spec.priorityClassName, 'string') || !typed(spec.priority, 'number') || !typed(spec.runtimeClassName, 'string')) return undefined;
  const decision = resolvePriority(spec);
  if (decision.forbidden !== undefined) return decision.forbidden;
  spec.priority = decision.priority;
  return runtimeClassRefusal(spec);
}
