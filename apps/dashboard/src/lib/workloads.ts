// What a details page says about the batch and per-node/stateful workload kinds (Job, CronJob,
// DaemonSet, StatefulSet, PodDisruptionBudget): the status word in the header and the facts of
// the Summary, in kubectl's words (the API server's printers where it has a column). Pure.
import { Obj } from './objects';
import { printedCell, replicaStatus } from './status';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** When `kubectl rollout restart` (or the Restart button) last rolled the template, if ever. */
export const restartedAt = (o: Obj): string | undefined => o?.spec?.template?.metadata?.annotations?.[RESTARTED_AT];

/** Header status of a workload kind, or undefined for kinds this module does not cover. */
export function workloadStatus(plural: string, o: Obj): string | undefined {
  switch (plural) {
    case 'jobs':
      return printedCell('Job', o, 'Status');
    case 'cronjobs':
      return o?.spec?.suspend ? 'Suspended' : 'Active';
    case 'daemonsets': {
      const d = daemonCounts(o);
      return d.ready >= d.desired && d.updated >= d.desired && d.available >= d.desired ? 'Available' : 'Progressing';
    }
    case 'statefulsets': {
      const s = statefulCounts(o);
      return s.ready >= s.desired && s.updated >= s.desired ? 'Available' : 'Progressing';
    }
    default:
      return undefined;
  }
}

export function daemonCounts(o: Obj): { desired: number; current: number; ready: number; updated: number; available: number; misscheduled: number } {
  const s = o?.status ?? {};
  return { desired: s.desiredNumberScheduled ?? 0, current: s.currentNumberScheduled ?? 0, ready: s.numberReady ?? 0, updated: s.updatedNumberScheduled ?? 0, available: s.numberAvailable ?? 0, misscheduled: s.numberMisscheduled ?? 0 };
}

export function statefulCounts(o: Obj): { desired: number; current: number; ready: number; updated: number; available: number } {
  const r = replicaStatus(o);
  return { desired: r.desired, current: o?.status?.currentReplicas ?? 0, ready: r.ready, updated: o?.status?.updatedReplicas ?? 0, available: r.available };
}

/** `RollingUpdate (max unavailable 1, partition 2)`, `OnDelete`. */
export function updateStrategy(o: Obj): string {
  const s = o?.spec?.updateStrategy ?? {};
  const type = s.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') return type;
  const ru = s.rollingUpdate ?? {};
  const parts = [ru.maxUnavailable !== undefined && `max unavailable ${ru.maxUnavailable}`, ru.maxSurge !== undefined && `max surge ${ru.maxSurge}`, ru.partition ? `partition ${ru.partition}` : false].filter(Boolean);
  return parts.length ? `${type} (${parts.join(', ')})` : type;
}

/** The Job counters kubectl describe shows: `1 active · 2 succeeded · 0 failed`. */
export function jobCounts(o: Obj): string {
  const s = o?.status ?? {};
  return `${s.active ?? 0} active · ${s.succeeded ?? 0} succeeded · ${s.failed ?? 0} failed${s.terminating ? ` · ${s.terminating} terminating` : ''}`;
}

/** `minAvailable 2` / `maxUnavailable 25%` — whichever the budget sets. */
export function pdbBudget(o: Obj): string {
  if (o?.spec?.minAvailable !== undefined) return `min available ${o.spec.minAvailable}`;
  if (o?.spec?.maxUnavailable !== undefined) return `max unavailable ${o.spec.maxUnavailable}`;
  return 'none';
}

/** `2 healthy of 3 expected (2 needed)`. */
export function pdbHealth(o: Obj): string {
  const s = o?.status ?? {};
  return `${s.currentHealthy ?? 0} healthy of ${s.expectedPods ?? 0} expected (${s.desiredHealthy ?? 0} needed)`;
}
