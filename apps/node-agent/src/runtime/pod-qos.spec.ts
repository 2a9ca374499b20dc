import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { containerOomScoreAdj, podQos } from './pod-qos';
import { vmiQosClass } from './vm-runtime';

const GiB = 1024 ** 3;
const spec = (...resources: Array<Record<string, Record<string, string>>>): Pod['spec'] => ({ containers: resources.map((r, i) => ({ name: `c${i}`, image: 'busybox', resources: r })) });

describe('podQos', () => {
  it.each([
    ['BestEffort', spec({}), { qos: 'BestEffort', limits: { cpuShares: 2, pidsMax: 4096 }, cpuRequestMillis: 0 }],
    ['Burstable (limits fill requests)', spec({ requests: { cpu: '100m' } }, { limits: { memory: '64Mi' } }),
      { qos: 'Burstable', limits: { cpuShares: 102, pidsMax: 4096 }, cpuRequestMillis: 100 }],
    ['Guaranteed', spec({ limits: { cpu: '250m', memory: '32Mi' } }),
      { qos: 'Guaranteed', limits: { cpuShares: 256, cpuQuotaUs: 25_000, cpuPeriodUs: 100_000, memoryLimitBytes: 32 << 20, pidsMax: 4096 }, cpuRequestMillis: 250 }],
  ])('%s', (_n, s, want) => {
    expect(podQos(s, 4096)).toEqual(want);
  });

  it('oom_score_adj per container', () => {
    const burstable = spec({ requests: { memory: '1Gi' } }, {});
    expect(containerOomScoreAdj(burstable, burstable.containers[0], 4 * GiB)).toBe(750);
    expect(containerOomScoreAdj(burstable, burstable.containers[1], 4 * GiB)).toBe(999);
    expect(containerOomScoreAdj(spec({}), {}, 4 * GiB)).toBe(1000);
    const guaranteed = spec({ limits: { cpu: '1', memory: '1Gi' } });
    expect(containerOomScoreAdj(guaranteed, guaranteed.containers[0], 4 * GiB)).toBe(-997);
  });
});

describe('vmiQosClass', () => {
  const vmi = (resources: Record<string, Record<string, string>> | undefined, guest?: string) =>
    ({ metadata: { uid: 'u' }, spec: { domain: { cpu: { cores: 1 }, ...(guest ? { memory: { guest } } : {}), ...(resources ? { resources } : {}), devices: {} } } }) as unknown as VirtualMachineInstance;
  it.each([
    ['guest memory alone is requested: Burstable', vmi(undefined, '128Mi'), 'Burstable'],
    ['limits equal to requests: Guaranteed', vmi({ requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } }), 'Guaranteed'],
  ])('%s', (_n, v, want) => expect(vmiQosClass(v)).toBe(want));
});
