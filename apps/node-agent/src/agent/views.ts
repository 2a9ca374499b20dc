// Maps API objects onto the sync plan's views and builds the status patches the agent sends.
import { Condition, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { EVICTED_REASON } from '../sync/eviction';
import { PodView } from '../sync/model';
import { PodStatusView } from '../sync/status';
import { VmiStatusView, VmiView } from '../sync/vmi-plan';

export function podView(pod: Pod): PodView {
  return {
    metadata: {
      uid: pod.metadata.uid!,
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name!,
      deletionTimestamp: pod.metadata.deletionTimestamp,
      deletionGracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds,
    },
    spec: {
      restartPolicy: pod.spec.restartPolicy,
      terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds,
      ...(pod.spec.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: pod.spec.activeDeadlineSeconds } : {}),
      // Init containers carry no probes or hooks (the API refuses them).
      ...(pod.spec.initContainers?.length ? { initContainers: pod.spec.initContainers.map((c) => ({ name: c.name, image: c.image ?? '', imagePullPolicy: c.imagePullPolicy })) } : {}),
      containers: pod.spec.containers.map((c) => ({ name: c.name, image: c.image ?? '', imagePullPolicy: c.imagePullPolicy, readinessProbe: c.readinessProbe, ...(lifecycleOf(c) ? { lifecycle: lifecycleOf(c) } : {}), ...probeGraceOf(c) })),
      ...(readinessGatesOf(pod).length ? { readinessGates: readinessGatesOf(pod) } : {}),
    },
    status: { phase: pod.status?.phase, ...(pod.status?.startTime ? { startTime: pod.status.startTime } : {}), ...foreignConditionsOf(pod), ...startFailuresOf(pod), ...completedInitOf(pod), ...(pod.status?.reason === EVICTED_REASON ? { evicted: pod.status.message ?? '' } : {}) },
  };
}

/** The liveness and startup probes' own terminationGracePeriodSeconds, when either is set. */
function probeGraceOf(c: Pod['spec']['containers'][number]): { probeGrace?: { liveness?: number; startup?: number } } {
  const liveness = c.livenessProbe?.terminationGracePeriodSeconds;
  const startup = c.startupProbe?.terminationGracePeriodSeconds;
  if (liveness === undefined && startup === undefined) return {};
  return { probeGrace: { ...(liveness !== undefined ? { liveness } : {}), ...(startup !== undefined ? { startup } : {}) } };
}

/**
 * Containers (init or app) the pod's last status reports terminated with StartError (never
 * started, never restarted): the agent remembers them only in memory, and reads them back from
 * here after a restart.
 */
function startFailuresOf(pod: Pod): Pick<NonNullable<PodView['status']>, 'startFailures'> {
  const failures = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].flatMap((s) => {
    const t = s.state?.terminated;
    return t?.reason === 'StartError' ? [[s.name, { message: t.message ?? '', at: Date.parse(t.finishedAt ?? '') || 0 }] as const] : [];
  });
  return failures.length > 0 ? { startFailures: Object.fromEntries(failures) } : {};
}

/**
 * Init containers the pod's last status reports completed (terminated, exit 0): a restarted
 * agent, or one whose instances of them are gone, does not run them again.
 */
function completedInitOf(pod: Pod): Pick<NonNullable<PodView['status']>, 'completedInit'> {
  const done = (pod.status?.initContainerStatuses ?? []).flatMap((s) => {
    const t = s.state?.terminated;
    if (t?.exitCode !== 0) return [];
    const containerID = t.containerID ?? s.containerID;
    return [[s.name, { restartCount: s.restartCount ?? 0, startedAt: t.startedAt, finishedAt: t.finishedAt, ...(containerID ? { containerID } : {}) }] as const];
  });
  return done.length > 0 ? { completedInit: Object.fromEntries(done) } : {};
}

const readinessGatesOf = (pod: Pod): Array<{ conditionType: string }> =>
  ((pod.spec.readinessGates ?? []) as Array<{ conditionType?: string }>).filter((g) => g.conditionType).map((g) => ({ conditionType: g.conditionType! }));

/** The pod conditions the agent computes; every other condition in the status is someone else's and is kept as it is. */
export const AGENT_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

/** Conditions others wrote (PodScheduled by the scheduler, readiness gates' by their controllers…). */
export const foreignConditions = (pod: Pod): Condition[] => (pod.status?.conditions ?? []).filter((c) => !AGENT_CONDITIONS.has(c.type));

function foreignConditionsOf(pod: Pod): Pick<NonNullable<PodView['status']>, 'conditions'> {
  const others = foreignConditions(pod).filter((c) => c.type !== 'PodScheduled');
  return others.length ? { conditions: others.map((c) => ({ type: c.type, status: String(c.status) })) } : {};
}

/**
 * Whether a status write must be pinned to the pod's resourceVersion: it carries conditions
 * others own besides PodScheduled, and a merge patch replaces the whole list — a condition
 * written since the informer's copy would be lost. A conflict waits for the next pass.
 */
export const statusWriteNeedsPin = (pod: Pod): boolean => foreignConditions(pod).some((c) => c.type !== 'PodScheduled');

const lifecycleOf = (c: { lifecycle?: unknown }) => c.lifecycle as PodView['spec']['containers'][number]['lifecycle'] | undefined;

export function vmiView(vmi: VirtualMachineInstance): VmiView {
  return {
    metadata: { uid: vmi.metadata.uid!, namespace: vmi.metadata.namespace!, name: vmi.metadata.name!, deletionTimestamp: vmi.metadata.deletionTimestamp },
    spec: { terminationGracePeriodSeconds: vmi.spec.terminationGracePeriodSeconds },
    status: { phase: vmi.status?.phase },
  };
}

/** Keeps lastTransitionTime of conditions whose status did not change. */
export function carryConditions(previous: Condition[] | undefined, next: Array<Omit<Condition, 'status'> & { status: string }>, now: string): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const same = before && before.status === c.status;
    return { lastProbeTime: null, ...c, lastTransitionTime: same ? (before.lastTransitionTime ?? now) : now } as Condition;
  });
}

const strip = (value: unknown) => JSON.stringify(value ?? null);

/** The status patch for a pod, or undefined when nothing changed. */
export function podStatusPatch(pod: Pod, computed: PodStatusView, now: string): Record<string, unknown> | undefined {
  const previous = pod.status ?? {};
  // The agent's conditions, then everyone else's as they are (a merge patch replaces the list).
  const next = {
    ...computed,
    conditions: [...carryConditions(previous.conditions, computed.conditions.filter((c) => AGENT_CONDITIONS.has(c.type)), now), ...foreignConditions(pod)],
    startTime: previous.startTime ?? now,
    qosClass: previous.qosClass,
  };
  const fields = Object.keys(next) as Array<keyof typeof next>;
  const changed = fields.some((f) => strip(ignoreTimes(next[f])) !== strip(ignoreTimes((previous as Record<string, unknown>)[f])));
  return changed ? next : undefined;
}

export function vmiStatusPatch(vmi: VirtualMachineInstance, computed: VmiStatusView, nodeName: string, now: string): Record<string, unknown> | undefined {
  const previous = vmi.status ?? {};
  const next = {
    phase: computed.phase,
    reason: computed.reason,
    nodeName,
    interfaces: computed.interfaces,
    conditions: [...carryConditions(previous.conditions, computed.conditions, now), ...(previous.conditions ?? []).filter((c) => c.type === 'PodScheduled')],
    phaseTransitionTimestamps:
      previous.phase === computed.phase ? previous.phaseTransitionTimestamps : [...(previous.phaseTransitionTimestamps ?? []), { phase: computed.phase, phaseTransitionTimestamp: now }],
  };
  const changed = (['phase', 'reason', 'nodeName', 'interfaces', 'conditions'] as const).some(
    (f) => strip(ignoreTimes(next[f])) !== strip(ignoreTimes((previous as Record<string, unknown>)[f])),
  );
  return changed ? next : undefined;
}

/** Timestamps of conditions alone are not a reason to write. */
function ignoreTimes(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const { lastTransitionTime: _t, lastProbeTime: _p, lastHeartbeatTime: _h, ...rest } = item as Record<string, unknown>;
    return rest;
  });
}
