import { podQosClass } from './qos';

const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ resources: { requests, limits } });

describe('podQosClass', () => {
  it.each([
    ['no resources', [c()], [], 'BestEffort'],
    ['only zero quantities', [c({ cpu: '0' }, { memory: '0' })], [], 'BestEffort'],
    ['only non-compute resources', [c({ 'ephemeral-storage': '1Gi' })], [], 'BestEffort'],
    ['requests equal limits (defaulted)', [c({ cpu: '500m', memory: '64Mi' }, { cpu: '0.5', memory: '67108864' })], [], 'Guaranteed'],
    ['every container guaranteed', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), c({ cpu: '100m', memory: '10Mi' }, { cpu: '100m', memory: '10Mi' })], [], 'Guaranteed'],
    ['a request below its limit', [c({ cpu: '100m', memory: '64Mi' }, { cpu: '200m', memory: '64Mi' })], [], 'Burstable'],
    ['only a memory limit', [c({ memory: '64Mi' }, { memory: '64Mi' })], [], 'Burstable'],
    ['one container without resources', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), c()], [], 'Burstable'],
    ['an init container without limits', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], [c({ cpu: '10m' })], 'Burstable'],
  ])('%s → %s', (_n, containers, initContainers, want) => {
    expect(podQosClass({ containers, initContainers })).toBe(want);
  });
});
