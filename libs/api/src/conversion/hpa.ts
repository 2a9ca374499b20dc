// autoscaling/v1 ⇄ v2 for HorizontalPodAutoscaler, as Kubernetes converts them: v1 knows only
// a CPU utilization target. Converting v1 → v2 keeps what v1 cannot express (other metrics,
// behavior) from the stored v2 object.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isCpuUtilization = (m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';

export function hpaV2ToV1(v2: Obj): Obj {
  const spec = v2.spec ?? {};
  const cpu = (spec.metrics ?? []).find(isCpuUtilization);
  const current = (v2.status?.currentMetrics ?? []).find((m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu');
  const out: Obj = {
    ...v2,
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec.maxReplicas,
      ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}),
    },
  };
  if (v2.status) {
    const s = v2.status;
    out.status = {
      ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
      ...(s.lastScaleTime ? { lastScaleTime: s.lastScaleTime } : {}),
      currentReplicas: s.currentReplicas ?? 0,
      desiredReplicas: s.desiredReplicas ?? 0,
      ...(current?.resource?.current?.averageUtilization !== undefined ? { currentCPUUtilizationPercentage: current.resource.current.averageUtilization } : {}),
    };
  }
  return out;
}

export function hpaV1ToV2(v1: Obj, stored?: Obj): Obj {
  const spec = v1.spec ?? {};
  const kept = (stored?.spec?.metrics ?? []).filter((m: Obj) => !isCpuUtilization(m));
  const metrics =
    spec.targetCPUUtilizationPercentage !== undefined
      ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }, ...kept]
      : kept.length
        ? kept
        : undefined;
  const out: Obj = {
    ...v1,
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec.maxReplicas,
      ...(metrics ? { metrics } : {}),
      ...(stored?.spec?.behavior ? { behavior: stored.spec.behavior } : {}),
    },
  };
  if (v1.status) {
    const s = v1.status;
    out.status = {
      ...(stored?.status ?? {}),
      ...(s.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
      ...(s.lastScaleTime ? { lastScaleTime: s.lastScaleTime } : {}),
      currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas,
      ...(s.currentCPUUtilizationPercentage !== undefined ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }] } : {}),
    };
  }
  return out;
}
