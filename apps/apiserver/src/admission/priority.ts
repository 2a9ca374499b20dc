// Kubernetes' Priority admission plugin on pod create: spec.priorityClassName is resolved into
// spec.priority (what the scheduler's queue orders by), an unknown class is refused, and so is
// a spec.priority other than the one the class gives. Coxswain has no PriorityClass kind: the
// classes are Kubernetes' two built-in ones, and a pod without a class gets 0 (there is no
// global default class). Nothing preempts: priority orders the scheduling queue only. Pure.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kubernetes' built-in PriorityClasses (scheduling.k8s.io SystemPriorityClasses). */
export const BUILTIN_PRIORITY_CLASSES: ReadonlyMap<string, number> = new Map([
  ['system-node-critical', 2_000_001_000],
  ['system-cluster-critical', 2_000_000_000],
]);

/** Kubernetes' DefaultPriorityWhenNoDefaultClassExists. */
export const DEFAULT_PRIORITY = 0;

export type PriorityDecision = { priority: number; forbidden?: undefined } | { forbidden: string; priority?: undefined };

/** The priority a pod spec gets, or why it is refused (the text after `pods "x" is forbidden: `). */
export function resolvePriority(spec: Obj): PriorityDecision {
  const name = spec.priorityClassName;
  let priority = DEFAULT_PRIORITY;
  if (name !== undefined && name !== null && name !== '') {
    const value = BUILTIN_PRIORITY_CLASSES.get(name);
    if (value === undefined) return { forbidden: `no PriorityClass with name ${name} was found` };
    priority = value;
  }
  const given = spec.priority;
  if (given !== undefined && given !== null && given !== priority) {
    return { forbidden: `the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name` };
  }
  return { priority };
}
