import { containerNameForImage, generateDeployment } from './apply';
import { cascadePolicy, gracePeriod } from './delete';
import { generateHpa } from './scale';

describe('generators', () => {
  it.each([
    ['nginx', 'nginx'],
    ['nginx:1.27', 'nginx'],
    ['registry.local:5000/team/my_app@sha256:abc', 'my-app'],
  ])('container name for %s', (image, want) => {
    expect(containerNameForImage(image)).toBe(want);
  });

  it('create deployment like kubectl', () => {
    expect(generateDeployment('web', ['busybox:1.36'], 3, 8080, ['sleep', '3600'])).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: null },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: {},
        template: { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [{ name: 'busybox', image: 'busybox:1.36', ports: [{ containerPort: 8080 }], command: ['sleep', '3600'], resources: {} }] } },
      },
      status: {},
    });
  });

  it('autoscale makes an autoscaling/v2 HPA, leaving unset limits to server defaults', () => {
    expect(generateHpa('web', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, -1, 5, -1)).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    });
    expect(generateHpa('h', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, 2, 5, 50).spec).toMatchObject({ minReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] });
  });
});

describe('delete options', () => {
  it.each([
    ['background', 'Background'],
    ['true', 'Background'],
    ['foreground', 'Foreground'],
    ['orphan', 'Orphan'],
    ['false', 'Orphan'],
  ])('--cascade=%s', (flag, want) => {
    expect(cascadePolicy(flag)).toBe(want);
  });

  it.each([
    ['default', -1, false, false, undefined],
    ['explicit', 10, false, false, 10],
    ['--now', -1, true, false, 1],
    ['zero without --force becomes 1', 0, false, false, 1],
    ['--force alone is immediate', -1, false, true, 0],
    ['--force with zero', 0, false, true, 0],
  ])('grace period: %s', (_name, grace, now, force, want) => {
    expect(gracePeriod(grace as number, now as boolean, force as boolean)).toBe(want);
  });

  it('rejects --now with --grace-period', () => {
    expect(() => gracePeriod(5, true, false)).toThrow('--now and --grace-period cannot be specified together');
  });
});
