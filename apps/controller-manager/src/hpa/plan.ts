// HorizontalPodAutoscaler (autoscaling/v2), one pass: read the target's scale, compute a
// proposal per metric (the highest wins), normalize it (stabilization, behavior, min/max),
// and say whether to rescale, with conditions AbleToScale / ScalingActive / ScalingLimited
// and the events Kubernetes records.
import { Condition, ConditionStatus, HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricSpec, MetricTarget, Quantity, setCondition } from '@coxswain/api';
import { deepEqual } from '../framework/objects';
import { rfc3339 } from '../framework/time';
import { PodUsage } from './metrics-source';
import { behaviorOf, HpaHistory, normalizeWithBehavior, normalizeWithoutBehavior } from './normalize';
import { MetricPod, PodMetric, ReplicaProposal, resourceAverageValueReplicas, resourceUtilizationReplicas, ResourceName, Tolerances } from './replica-calculator';

export interface ScaleInfo {
  /** scale.spec.replicas: what the target is asked to run. */
  specReplicas: number;
  /** scale.status.replicas: what it runs. */
  statusReplicas: number;
  selector: string;
}

export interface HpaInput {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleInfo | { error: string };
  /** The target's pods (or VMIs), selected by the scale's selector. */
  pods: MetricPod[];
  usage: PodUsage[] | { error: string };
  /** Recommendations and scale events of earlier passes (updated in place). */
  history: HpaHistory;
  now: number;
  tolerance: number;
  downscaleStabilizationMs: number;
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface HpaPlan {
  /** Write this to the scale subresource. */
  rescale?: { from: number; to: number; reason: string };
  /** Status assuming the rescale (if any) succeeds. */
  status: HorizontalPodAutoscalerStatus;
  statusChanged: boolean;
  events: PlannedEvent[];
}

interface MetricResult {
  proposal: ReplicaProposal;
  name: string;
  status: Record<string, unknown>;
}

type Failure = { reason: string; message: string };

const milli = (quantity: string): number => Number(Quantity.parse(quantity).nanos / 1_000_000n);
const toleranceOf = (value: unknown, fallback: number): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return value;
  const n = typeof value === 'string' && Quantity.tryParse(value) ? Number(Quantity.parse(value).nanos) / 1e9 : NaN;
  return Number.isFinite(n) ? n : fallback;
};

export function planHpa(input: HpaInput): HpaPlan {
  const { hpa, now } = input;
  const at = rfc3339(now);
  const events: PlannedEvent[] = [];
  let conditions: Condition[] = hpa.status?.conditions ?? [];
  const set = (type: string, status: ConditionStatus, reason: string, message: string) => {
    conditions = setCondition(conditions, { type, status, reason, message }, at);
  };
  const finish = (desired: number, current: number | undefined, metrics: Array<Record<string, unknown>> | undefined, rescale?: HpaPlan['rescale']): HpaPlan => {
    const status: HorizontalPodAutoscalerStatus = {
      observedGeneration: hpa.metadata.generation,
      currentReplicas: current,
      desiredReplicas: desired,
      ...(metrics?.length ? { currentMetrics: metrics as unknown as HorizontalPodAutoscalerStatus['currentMetrics'] } : hpa.status?.currentMetrics ? { currentMetrics: hpa.status.currentMetrics } : {}),
      ...(rescale ? { lastScaleTime: at } : hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
      conditions,
    };
    if (status.currentReplicas === undefined) delete status.currentReplicas;
    return { rescale, status, statusChanged: !deepEqual(status, hpa.status ?? {}), events };
  };

  if ('error' in input.scale) {
    set('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${input.scale.error}`);
    events.push({ type: 'Warning', reason: 'FailedGetScale', message: input.scale.error });
    return finish(hpa.status?.desiredReplicas ?? 0, hpa.status?.currentReplicas, undefined);
  }
  const scale = input.scale;
  set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const current = scale.specReplicas;
  if (input.history.recommendations.length === 0) input.history.recommendations.push({ replicas: current, at: now });
  const min = hpa.spec.minReplicas ?? 1;
  const max = hpa.spec.maxReplicas;

  let desired: number;
  let reason = '';
  let metricStatuses: Array<Record<string, unknown>> | undefined;
  if (current === 0 && min !== 0) {
    set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    return finish(0, scale.specReplicas, undefined);
  } else if (current > max) {
    desired = max;
    reason = 'Current number of replicas above Spec.MaxReplicas';
  } else if (current < min) {
    desired = min;
    reason = 'Current number of replicas below Spec.MinReplicas';
  } else {
    const computed = computeMetrics(input, current);
    metricStatuses = computed.statuses;
    for (const f of computed.failures) events.push({ type: 'Warning', reason: f.reason, message: f.message });
    const specs = hpa.spec.metrics ?? [];
    if (computed.best === undefined || (computed.failures.length > 0 && computed.best.proposal.replicas < current)) {
      const first = computed.failures[0] ?? { reason: 'FailedGetResourceMetric', message: 'no metrics' };
      set('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.message}`);
      events.push({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: `invalid metrics (${computed.failures.length} invalid out of ${specs.length}), first error is: ${first.message}` });
      return finish(hpa.status?.desiredReplicas ?? current, scale.specReplicas, metricStatuses);
    }
    set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${computed.best.name}`);
    const proposal = computed.best.proposal.replicas;
    if (proposal > current) reason = `${computed.best.name} above target`;
    if (proposal < current) reason = 'All metrics below target';
    const behavior = behaviorOf(hpa, input.downscaleStabilizationMs);
    const normalized = behavior
      ? normalizeWithBehavior(input.history, behavior, current, proposal, min, max, now)
      : normalizeWithoutBehavior(input.history, current, proposal, min, max, now, input.downscaleStabilizationMs);
    set('AbleToScale', 'True', normalized.able.reason, normalized.able.message);
    set('ScalingLimited', normalized.limited.status, normalized.limited.reason, normalized.limited.message);
    desired = normalized.replicas;
  }
  if (desired === current) return finish(desired, scale.specReplicas, metricStatuses);
  set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
  events.push({ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` });
  return finish(desired, scale.specReplicas, metricStatuses, { from: current, to: desired, reason });
}

/** After a failed write of the scale: AbleToScale False, a FailedRescale event, nothing recorded. */
export function rescaleFailed(hpa: HorizontalPodAutoscaler, plan: HpaPlan, error: string, now: number): HpaPlan {
  const conditions = setCondition(plan.status.conditions, { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${error}` }, rfc3339(now));
  const status = { ...plan.status, conditions, desiredReplicas: plan.rescale!.from, lastScaleTime: hpa.status?.lastScaleTime };
  if (!status.lastScaleTime) delete status.lastScaleTime;
  const events = plan.events.filter((e) => e.reason !== 'SuccessfulRescale');
  events.push({ type: 'Warning', reason: 'FailedRescale', message: `New size: ${plan.rescale!.to}; reason: ${plan.rescale!.reason}; error: ${error}` });
  return { status, statusChanged: true, events };
}

function computeMetrics(input: HpaInput, current: number): { best?: MetricResult; failures: Failure[]; statuses: Array<Record<string, unknown>> } {
  const failures: Failure[] = [];
  const statuses: Array<Record<string, unknown>> = [];
  let best: MetricResult | undefined;
  for (const spec of input.hpa.spec.metrics ?? []) {
    const result = computeMetric(input, spec, current);
    if ('failure' in result) {
      failures.push(result.failure);
      continue;
    }
    statuses.push(result.status);
    if (!best || result.proposal.replicas > best.proposal.replicas) best = result;
  }
  return { best, failures, statuses };
}

function computeMetric(input: HpaInput, spec: MetricSpec, current: number): MetricResult | { failure: Failure } {
  const source = spec.type === 'Resource' ? spec.resource : spec.type === 'ContainerResource' ? spec.containerResource : undefined;
  const container = spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined;
  const reasonBase = spec.type === 'ContainerResource' ? 'FailedGetContainerResourceMetric' : `FailedGet${spec.type}Metric`;
  if (!source) return { failure: { reason: reasonBase, message: `metric type ${spec.type} is not supported by Coxswain's autoscaler (only Resource and ContainerResource)` } };
  const resource = source.name as ResourceName;
  const target: MetricTarget = source.target;
  const what = `${resource}${container ? ` of container ${container}` : ''}`;
  if ('error' in input.usage) return { failure: { reason: reasonBase, message: `failed to get ${what} utilization: unable to get metrics for resource ${resource}: ${input.usage.error}` } };
  const metrics = usageMap(input.usage, input.pods, resource, container);
  const rules = input.hpa.spec.behavior;
  const tolerances: Tolerances = { up: toleranceOf(rules?.scaleUp?.tolerance, input.tolerance), down: toleranceOf(rules?.scaleDown?.tolerance, input.tolerance) };
  const base = { currentReplicas: current, pods: input.pods, metrics, resource, container, tolerances, now: input.now };
  try {
    if (target.type === 'AverageValue' && target.averageValue !== undefined) {
      const proposal = resourceAverageValueReplicas({ ...base, targetAverage: milli(target.averageValue) });
      return { proposal, name: `${what} resource`, status: metricStatus(spec, resource, container, { averageValue: Quantity.fromMillis(proposal.rawAverage).toString() }) };
    }
    if (target.type !== 'Utilization' || target.averageUtilization === undefined) {
      throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    const proposal = resourceUtilizationReplicas({ ...base, targetUtilization: target.averageUtilization });
    return {
      proposal,
      name: `${what} resource utilization (percentage of request)`,
      status: metricStatus(spec, resource, container, { averageUtilization: proposal.utilization, averageValue: Quantity.fromMillis(proposal.rawAverage).toString() }),
    };
  } catch (error) {
    return { failure: { reason: reasonBase, message: `failed to get ${what} utilization: ${(error as Error).message}` } };
  }
}

function metricStatus(spec: MetricSpec, name: string, container: string | undefined, current: Record<string, unknown>): Record<string, unknown> {
  return spec.type === 'ContainerResource' ? { type: 'ContainerResource', containerResource: { name, container, current } } : { type: 'Resource', resource: { name, current } };
}

/** Usage of the target's pods in milli-units (memory bytes × 1000). */
function usageMap(usage: PodUsage[], pods: MetricPod[], resource: ResourceName, container?: string): Map<string, PodMetric> {
  const names = new Set(pods.map((p) => p.name));
  const out = new Map<string, PodMetric>();
  for (const u of usage) {
    if (!names.has(u.name)) continue;
    const containers = container ? u.containers.filter((c) => c.name === container) : u.containers;
    if (containers.length === 0) continue;
    const value = containers.reduce((sum, c) => sum + (resource === 'cpu' ? c.cpuMillis : c.memoryBytes * 1000), 0);
    out.set(u.name, { value, timestamp: u.timestamp, windowMs: u.windowMs });
  }
  return out;
}
