// A pod's QoS class and its cgroup settings, from the API object. Pure.
import { Container, cpuMillis, memoryBytes, Pod, podQosClass } from '@coxswain/api/browser';
import { CgroupLimits, ContainerAmounts, oomScoreAdjust, podCgroupLimits, QosClass } from '@coxswain/runtime';

const amount = (f: (q: string) => number, q: string | undefined) => (q === undefined ? undefined : f(q));

export function containerAmounts(c: Pick<Container, 'resources'>): ContainerAmounts {
  const requests = { ...c.resources?.limits, ...c.resources?.requests };
  const limits = c.resources?.limits ?? {};
  return {
    cpuRequestMillis: amount(cpuMillis, requests.cpu),
    cpuLimitMillis: amount(cpuMillis, limits.cpu),
    memoryRequestBytes: amount(memoryBytes, requests.memory),
    memoryLimitBytes: amount(memoryBytes, limits.memory),
  };
}

export interface PodQos {
  qos: QosClass;
  limits: CgroupLimits;
  /** Sum of the containers' CPU requests (the Burstable parent's shares add these up). */
  cpuRequestMillis: number;
}

export function podQos(spec: Pod['spec'], pidsLimit?: number): PodQos {
  const qos = podQosClass(spec);
  const containers = spec.containers.map(containerAmounts);
  const init = (spec.initContainers ?? []).map(containerAmounts);
  return {
    qos,
    limits: podCgroupLimits(qos, containers, init, pidsLimit),
    cpuRequestMillis: Math.max(containers.reduce((s, c) => s + (c.cpuRequestMillis ?? 0), 0), ...init.map((c) => c.cpuRequestMillis ?? 0)),
  };
}

/** oom_score_adj for one container of the pod, by the kubelet's rule. */
export function containerOomScoreAdj(spec: Pod['spec'], container: Pick<Container, 'resources'>, memoryCapacityBytes: number): number {
  return oomScoreAdjust(podQosClass(spec), containerAmounts(container).memoryRequestBytes ?? 0, memoryCapacityBytes);
}
