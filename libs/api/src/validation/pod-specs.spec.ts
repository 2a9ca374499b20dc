import { podSpecsOf } from './pod-specs';

describe('podSpecsOf', () => {
  const spec = { containers: [{ name: 'c', image: 'busybox' }] };
  it.each([
    ['Pod', { spec }, 'spec'],
    ['PodTemplate', { template: { spec } }, 'template.spec'],
    ['Deployment', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['ReplicationController', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['CronJob', { spec: { jobTemplate: { spec: { template: { spec } } } } }, 'spec.jobTemplate.spec.template.spec'],
  ])('%s keeps its pod spec at %s', (kind, obj, path) => {
    expect(podSpecsOf(kind, obj)).toEqual([{ spec, path }]);
  });

  it('a kind without pod specs, or a missing spec, gives none', () => {
    expect(podSpecsOf('ConfigMap', { data: {} })).toEqual([]);
    expect(podSpecsOf('Deployment', { spec: {} })).toEqual([]);
  });
});
