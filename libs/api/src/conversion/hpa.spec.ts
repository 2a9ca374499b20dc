import { hpaV1ToV2, hpaV2ToV1 } from './hpa';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('HPA autoscaling/v1 ⇄ v2', () => {
  it('maps the CPU target both ways', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 60 } };
    const v2 = hpaV1ToV2(v1);
    expect(v2).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } });
    expect(hpaV2ToV1(v2)).toEqual(v1);
  });

  it('keeps what v1 cannot say from the stored v2 object', () => {
    const stored = {
      spec: {
        behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        ],
      },
    };
    const v2 = hpaV1ToV2({ metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 70 } }, stored);
    expect(v2.spec.behavior).toEqual(stored.spec.behavior);
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, stored.spec.metrics[1]]);
  });

  it('converts status', () => {
    const v1 = hpaV2ToV1({ spec: { scaleTargetRef: ref, maxReplicas: 3 }, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 91 } } }], conditions: [] } });
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 91 });
  });
});
