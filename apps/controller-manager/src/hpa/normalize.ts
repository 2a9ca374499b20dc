// From the metrics' proposal to the replica count the autoscaler writes: stabilization
// windows (look back over recent proposals), rate limits (`behavior` policies, or the
// legacy max(2×, 4) scale-up limit) and min/max. Kubernetes keeps this history in memory
// per HPA; here it is an explicit value the caller stores between passes.
import { HPAScalingRules, HorizontalPodAutoscaler } from '@coxswain/api';

export interface Recommendation {
  replicas: number;
  at: number;
}

export interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

export interface HpaHistory {
  recommendations: Recommendation[];
  scaleUp: ScaleEvent[];
  scaleDown: ScaleEvent[];
}

export const emptyHistory = (): HpaHistory => ({ recommendations: [], scaleUp: [], scaleDown: [] });

export interface Normalized {
  replicas: number;
  /** AbleToScale reason/message (ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized). */
  able: { reason: string; message: string };
  /** ScalingLimited: limited (True) or DesiredWithinRange (False). */
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

const DEFAULT_SCALE_UP: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_SCALE_DOWN_POLICIES = [{ type: 'Percent' as const, value: 100, periodSeconds: 15 }];

/** Without `behavior`: highest proposal within the downscale window, then max(2×, 4) and min/max. */
export function normalizeWithoutBehavior(history: HpaHistory, current: number, proposal: number, min: number, max: number, now: number, windowMs: number): Normalized {
  let highest = proposal;
  let oldIndex = -1;
  history.recommendations.forEach((rec, i) => {
    if (rec.at < now - windowMs) oldIndex = i;
    else if (rec.replicas > highest) highest = rec.replicas;
  });
  record(history, oldIndex, { replicas: proposal, at: now });
  const able = highest !== proposal ? { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' } : READY;
  const scaleUpLimit = Math.max(2 * current, 4);
  let maxAllowed: number;
  let limit: { reason: string; message: string };
  if (max > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    limit = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
  } else {
    maxAllowed = max;
    limit = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  }
  if (highest < min) return { replicas: min, able, limited: { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } };
  if (highest > maxAllowed) return { replicas: maxAllowed, able, limited: { status: 'True', ...limit } };
  return { replicas: highest, able, limited: { status: 'False', ...WITHIN } };
}

function record(history: HpaHistory, oldIndex: number, rec: Recommendation): void {
  if (oldIndex >= 0) history.recommendations[oldIndex] = rec;
  else history.recommendations.push(rec);
}

export interface Behavior {
  scaleUp: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>>;
  scaleDown: Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>>;
}

/** The HPA's behavior with Kubernetes' defaults filled in; undefined when it has none. */
export function behaviorOf(hpa: HorizontalPodAutoscaler, downscaleStabilizationMs: number): Behavior | undefined {
  const b = hpa.spec.behavior;
  if (!b) return undefined;
  return {
    scaleUp: {
      stabilizationWindowSeconds: b.scaleUp?.stabilizationWindowSeconds ?? DEFAULT_SCALE_UP.stabilizationWindowSeconds,
      selectPolicy: b.scaleUp?.selectPolicy ?? 'Max',
      policies: b.scaleUp?.policies?.length ? b.scaleUp.policies : DEFAULT_SCALE_UP.policies,
    },
    scaleDown: {
      stabilizationWindowSeconds: b.scaleDown?.stabilizationWindowSeconds ?? Math.round(downscaleStabilizationMs / 1000),
      selectPolicy: b.scaleDown?.selectPolicy ?? 'Max',
      policies: b.scaleDown?.policies?.length ? b.scaleDown.policies : DEFAULT_SCALE_DOWN_POLICIES,
    },
  };
}

const changeWithin = (events: ScaleEvent[], periodSeconds: number, now: number): number => events.filter((e) => e.at > now - periodSeconds * 1000).reduce((n, e) => n + e.change, 0);

/**
 * The furthest the policies let replicas move from `current` (Kubernetes'
 * calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithScalingRules): each policy
 * counts from where replicas stood at the start of its period; selectPolicy Max takes the
 * policy allowing the largest change, Min the smallest.
 */
function policyLimit(direction: 'up' | 'down', current: number, history: HpaHistory, rules: Behavior['scaleUp'], now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const largestChange = rules.selectPolicy !== 'Min';
  const pick = (direction === 'up') === largestChange ? Math.max : Math.min;
  let result = pick === Math.max ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = current - changeWithin(history.scaleUp, p.periodSeconds, now) + changeWithin(history.scaleDown, p.periodSeconds, now);
    const proposed =
      direction === 'up'
        ? p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100))
        : p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export const scaleUpLimit = (current: number, history: HpaHistory, rules: Behavior['scaleUp'], now: number): number => policyLimit('up', current, history, rules, now);
export const scaleDownLimit = (current: number, history: HpaHistory, rules: Behavior['scaleDown'], now: number): number => policyLimit('down', current, history, rules, now);

/** With `behavior`: both stabilization windows, then the policies' rate limits, then min/max. */
export function normalizeWithBehavior(history: HpaHistory, behavior: Behavior, current: number, proposal: number, min: number, max: number, now: number): Normalized {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let up = proposal;
  let down = proposal;
  let oldIndex = -1;
  history.recommendations.forEach((rec, i) => {
    if (rec.at > upCutoff) up = Math.min(up, rec.replicas);
    if (rec.at > downCutoff) down = Math.max(down, rec.replicas);
    if (rec.at < upCutoff && rec.at < downCutoff) oldIndex = i;
  });
  let stabilized = current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  record(history, oldIndex, { replicas: proposal, at: now });
  const able =
    stabilized === proposal
      ? READY
      : proposal >= current
        ? { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
        : { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };

  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(current, history, behavior.scaleUp, now), current);
    const byRate = max > limit;
    const allowed = byRate ? limit : max;
    if (stabilized > allowed) {
      const why = byRate
        ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
      return { replicas: allowed, able, limited: { status: 'True', ...why } };
    }
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(current, history, behavior.scaleDown, now), current);
    const byRate = min < limit;
    const allowed = byRate ? limit : min;
    if (stabilized < allowed) {
      const why = byRate
        ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
      return { replicas: allowed, able, limited: { status: 'True', ...why } };
    }
  }
  return { replicas: stabilized, able, limited: { status: 'False', ...WITHIN } };
}

/** Remembers a rescale for the rate limits (only HPAs with behavior use them). */
export function recordScaleEvent(history: HpaHistory, behavior: Behavior | undefined, from: number, to: number, now: number): void {
  if (!behavior || from === to) return;
  const up = to > from;
  const events = up ? history.scaleUp : history.scaleDown;
  const longest = Math.max(0, ...(up ? behavior.scaleUp : behavior.scaleDown).policies.map((p) => p.periodSeconds));
  for (const e of events) if (e.at <= now - longest * 1000) e.outdated = true;
  const event = { change: Math.abs(to - from), at: now, outdated: false };
  const old = events.findIndex((e) => e.outdated);
  if (old >= 0) events[old] = event;
  else events.push(event);
}
