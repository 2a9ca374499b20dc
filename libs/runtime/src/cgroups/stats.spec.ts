import { parseFlatKeyed, statsFromV1, statsFromV2 } from './stats';

describe('parseFlatKeyed', () => {
  it('reads integer values and skips junk', () => {
    expect([...parseFlatKeyed('nr_periods 10\nnr_throttled 3\n\nbad line x\nthrottled_time 5\n')]).toEqual([
      ['nr_periods', 10], ['nr_throttled', 3], ['throttled_time', 5],
    ]);
  });
});

describe('statsFromV1', () => {
  it.each([
    ['busy, throttled container', {
      cpuacctUsage: '2500000000\n',
      cpuStat: 'nr_periods 40\nnr_throttled 17\nthrottled_time 1500000000\n',
      memoryUsage: '10485760\n',
      memoryStat: 'cache 4096\ninactive_file 100\ntotal_inactive_file 2097152\n',
    }, { cpuUsageSeconds: 2.5, cpuThrottledPeriods: 17, cpuThrottledSeconds: 1.5, memoryUsageBytes: 10485760, memoryWorkingSetBytes: 8388608 }],
    ['inactive above usage clamps working set to 0', {
      cpuacctUsage: '0', cpuStat: '', memoryUsage: '100', memoryStat: 'total_inactive_file 200',
    }, { cpuUsageSeconds: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0, memoryUsageBytes: 100, memoryWorkingSetBytes: 0 }],
    ['missing files read as zero', { cpuacctUsage: '', cpuStat: '', memoryUsage: '', memoryStat: '' },
      { cpuUsageSeconds: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0, memoryUsageBytes: 0, memoryWorkingSetBytes: 0 }],
  ])('%s', (_n, files, want) => {
    expect(statsFromV1(files)).toEqual(want);
  });
});

describe('statsFromV2', () => {
  it.each([
    ['busy, throttled container', {
      cpuStat: 'usage_usec 1200000\nuser_usec 1000000\nsystem_usec 200000\nnr_periods 30\nnr_throttled 12\nthrottled_usec 800000\n',
      memoryCurrent: '8388608\n',
      memoryStat: 'anon 4194304\nfile 4194304\nactive_file 3145728\ninactive_file 1048576\n',
    }, { cpuUsageSeconds: 1.2, cpuThrottledPeriods: 12, cpuThrottledSeconds: 0.8, memoryUsageBytes: 8388608, memoryWorkingSetBytes: 7340032 }],
    ['idle', { cpuStat: 'usage_usec 0\n', memoryCurrent: '0', memoryStat: '' },
      { cpuUsageSeconds: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0, memoryUsageBytes: 0, memoryWorkingSetBytes: 0 }],
  ])('%s', (_n, files, want) => {
    expect(statsFromV2(files)).toEqual(want);
  });
});
