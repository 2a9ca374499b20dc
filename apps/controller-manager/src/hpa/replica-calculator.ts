// Kubernetes' HPA replica calculator: from per-pod usage and requests to a replica count,
// `ceil(current × usage / target)` over the pods that count, with a tolerance band and
// the conservative treatment of unready pods and pods without metrics.

/** A pod or VMI as the autoscaler sees it. */
export interface MetricPod {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  deleting: boolean;
  /** Ready condition, when there is one. */
  ready?: { status: 'True' | 'False' | 'Unknown'; lastTransitionTime?: number };
  startTime?: number;
  /** Requests per container, in milli-units (millicores; bytes × 1000 for memory). */
  requests: Array<{ container: string; cpu?: number; memory?: number }>;
}

/** A usage sample in milli-units. */
export interface PodMetric {
  value: number;
  timestamp: number;
  windowMs: number;
}

export type ResourceName = 'cpu' | 'memory';

export interface Tolerances {
  up: number;
  down: number;
}

export const isWithin = (ratio: number, t: Tolerances): boolean => 1 - ratio <= t.down && ratio - 1 <= t.up;

/** CPU of a pod that just started is unreliable for this long (Kubernetes' default). */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** A pod not yet ready this soon after starting is treated as never ready. */
export const DELAY_OF_INITIAL_READINESS_MS = 30_000;

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

export function groupPods(pods: MetricPod[], metrics: Map<string, PodMetric>, resource: ResourceName, now: number): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      groups.ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unready.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      groups.missing.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      const cond = pod.ready;
      if (!cond || pod.startTime === undefined) unready = true;
      else if (pod.startTime + CPU_INITIALIZATION_PERIOD_MS > now) {
        // Still starting: trust only samples taken a full window after it became ready.
        unready = cond.status === 'False' || metric.timestamp < (cond.lastTransitionTime ?? 0) + metric.windowMs;
      } else {
        // Unready and never ready since shortly after start.
        unready = cond.status === 'False' && pod.startTime + DELAY_OF_INITIAL_READINESS_MS > (cond.lastTransitionTime ?? 0);
      }
      if (unready) {
        groups.unready.add(pod.name);
        continue;
      }
    }
    groups.readyCount++;
  }
  return groups;
}

/** Sum of a resource's requests per pod; throws when a container lacks one. */
export function podRequests(pods: MetricPod[], resource: ResourceName, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.requests) {
      if (container && c.container !== container) continue;
      const value = c[resource];
      if (value === undefined) throw new Error(`missing request for ${resource} in container ${c.container} of Pod ${pod.name}`);
      sum += value;
    }
    out.set(pod.name, sum);
  }
  return out;
}

function utilizationRatio(metrics: Map<string, PodMetric>, requests: Map<string, number>, target: number): { ratio: number; utilization: number; rawAverage: number } {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    used += metric.value;
    requested += request;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(used / n) };
}

function usageRatio(metrics: Map<string, PodMetric>, target: number): { ratio: number; usage: number } {
  let used = 0;
  for (const m of metrics.values()) used += m.value;
  const usage = metrics.size ? Math.trunc(used / metrics.size) : 0;
  return { ratio: usage / target, usage };
}

export interface ReplicaProposal {
  replicas: number;
  /** Average utilization in percent of requests (utilization targets only). */
  utilization?: number;
  /** Average usage per pod in milli-units. */
  rawAverage: number;
}

interface CalcInput {
  currentReplicas: number;
  pods: MetricPod[];
  metrics: Map<string, PodMetric>;
  resource: ResourceName;
  container?: string;
  tolerances: Tolerances;
  now: number;
}

/** Shared tail of both calculations: what missing and unready pods would do to the ratio. */
function settle(input: CalcInput, groups: PodGroups, metrics: Map<string, PodMetric>, first: number, recompute: (m: Map<string, PodMetric>) => number, fillMissing: (name: string) => number): number {
  const { currentReplicas, tolerances } = input;
  const scaleUpWithUnready = groups.unready.size > 0 && first > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithin(first, tolerances)) return currentReplicas;
    return Math.ceil(first * groups.readyCount);
  }
  const filled = new Map(metrics);
  const zero = { value: 0, timestamp: input.now, windowMs: 0 };
  // Scaling down, missing pods count as at target; scaling up, as idle. Unready ones idle.
  for (const name of groups.missing) filled.set(name, first < 1 ? { ...zero, value: fillMissing(name) } : zero);
  if (scaleUpWithUnready) for (const name of groups.unready) filled.set(name, zero);
  const next = recompute(filled);
  if (isWithin(next, tolerances) || (first < 1 && next > 1) || (first > 1 && next < 1)) return currentReplicas;
  const replicas = Math.ceil(next * filled.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

/** Utilization target: percent of the pods' requests. */
export function resourceUtilizationReplicas(input: CalcInput & { targetUtilization: number }): ReplicaProposal {
  if (input.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const groups = groupPods(input.pods, input.metrics, input.resource, input.now);
  const metrics = new Map([...input.metrics].filter(([name]) => !groups.ignored.has(name) && !groups.unready.has(name) && input.pods.some((p) => p.name === name)));
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(input.pods, input.resource, input.container);
  const { ratio, utilization, rawAverage } = utilizationRatio(metrics, requests, input.targetUtilization);
  const fallback = Math.max(100, input.targetUtilization);
  const replicas = settle(input, groups, metrics, ratio, (m) => utilizationRatio(m, requests, input.targetUtilization).ratio, (name) => Math.trunc(((requests.get(name) ?? 0) * fallback) / 100));
  return { replicas, utilization, rawAverage };
}

/** AverageValue target: usage per pod in milli-units. */
export function resourceAverageValueReplicas(input: CalcInput & { targetAverage: number }): ReplicaProposal {
  if (input.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const groups = groupPods(input.pods, input.metrics, input.resource, input.now);
  const metrics = new Map([...input.metrics].filter(([name]) => !groups.ignored.has(name) && !groups.unready.has(name) && input.pods.some((p) => p.name === name)));
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(metrics, input.targetAverage);
  const replicas = settle(input, groups, metrics, ratio, (m) => usageRatio(m, input.targetAverage).ratio, () => input.targetAverage);
  return { replicas, rawAverage: usage };
}
