import { parseCgroupLayout } from './layout';
import { cgroupLimitPlan, kubepodsLimits, oomScoreAdjust, podCgroupLimits, podCgroupName, qosParentLimits, weightForShares } from './qos';

const HYBRID = parseCgroupLayout(`31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw`);
const V2 = parseCgroupLayout('24 18 0:21 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw');
const GiB = 1024 ** 3;

describe('podCgroupName', () => {
  it.each([
    ['Guaranteed', 'kubepods/podu1'],
    ['Burstable', 'kubepods/burstable/podu1'],
    ['BestEffort', 'kubepods/besteffort/podu1'],
  ] as const)('%s → %s', (qos, want) => expect(podCgroupName(qos, 'u1')).toBe(want));
});

describe('oomScoreAdjust (kubelet)', () => {
  it.each([
    ['Guaranteed', 0, -997],
    ['BestEffort', 0, 1000],
    ['Burstable with no memory request', 0, 999],
    ['Burstable asking a quarter of the node', GiB, 750],
    ['Burstable asking everything stays above Guaranteed', 4 * GiB, 3],
    ['Burstable asking a sliver', 1024, 999],
  ] as const)('%s → %d', (name, request, want) => {
    const qos = name.split(' ')[0] as 'Guaranteed' | 'Burstable' | 'BestEffort';
    expect(oomScoreAdjust(qos, request, 4 * GiB)).toBe(want);
  });
});

describe('podCgroupLimits (kubelet ResourceConfigForPod)', () => {
  it.each([
    ['BestEffort: minimum shares only', 'BestEffort', [{}], [], { cpuShares: 2, pidsMax: 4096 }],
    ['Guaranteed: shares, quota and memory from the sums', 'Guaranteed',
      [{ cpuRequestMillis: 500, cpuLimitMillis: 500, memoryLimitBytes: 64 << 20 }, { cpuRequestMillis: 250, cpuLimitMillis: 250, memoryLimitBytes: 32 << 20 }], [],
      { cpuShares: 768, cpuQuotaUs: 75_000, cpuPeriodUs: 100_000, memoryLimitBytes: 96 << 20, pidsMax: 4096 }],
    ['Burstable without limits: shares only', 'Burstable', [{ cpuRequestMillis: 100 }, { memoryRequestBytes: 1 << 20 }], [], { cpuShares: 102, pidsMax: 4096 }],
    ['Burstable with a memory limit on every container', 'Burstable', [{ cpuRequestMillis: 100, memoryLimitBytes: 10 << 20 }, { memoryLimitBytes: 5 << 20 }], [],
      { cpuShares: 102, memoryLimitBytes: 15 << 20, pidsMax: 4096 }],
    ['an init container bigger than the rest sets the peak', 'Guaranteed',
      [{ cpuRequestMillis: 100, cpuLimitMillis: 100, memoryLimitBytes: 10 << 20 }], [{ cpuRequestMillis: 1000, cpuLimitMillis: 1000, memoryLimitBytes: 100 << 20 }],
      { cpuShares: 1024, cpuQuotaUs: 100_000, cpuPeriodUs: 100_000, memoryLimitBytes: 100 << 20, pidsMax: 4096 }],
  ] as const)('%s', (_n, qos, containers, init, want) => {
    expect(podCgroupLimits(qos, [...containers], [...init], 4096)).toEqual(want);
  });
});

describe('node and QoS parents', () => {
  it('kubepods holds allocatable', () => {
    expect(kubepodsLimits({ cpuMillis: 1900, memoryBytes: 23 * GiB }, 100_000)).toEqual({ cpuShares: 1945, memoryLimitBytes: 23 * GiB, pidsMax: 100_000 });
  });
  it('burstable shares follow its pods\' requests, besteffort keeps the minimum', () => {
    expect(qosParentLimits(0)).toEqual({ burstable: { cpuShares: 2 }, besteffort: { cpuShares: 2 } });
    expect(qosParentLimits(1500).burstable).toEqual({ cpuShares: 1536 });
  });
  it('v2 weights', () => {
    expect([weightForShares(2), weightForShares(1024), weightForShares(262_144)]).toEqual([1, 39, 10_000]);
  });
});

describe('cgroupLimitPlan', () => {
  const limits = { cpuShares: 512, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000, memoryLimitBytes: 1 << 20, pidsMax: 64 };
  it('v1 (hybrid): per-controller files, no delegation', () => {
    expect(cgroupLimitPlan(HYBRID, '/cx/kubepods/podu', limits)).toEqual({
      dirs: ['/sys/fs/cgroup/cpu,cpuacct/cx/kubepods/podu', '/sys/fs/cgroup/memory/cx/kubepods/podu', '/sys/fs/cgroup/pids/cx/kubepods/podu'],
      writes: [
        ['/sys/fs/cgroup/cpu,cpuacct/cx/kubepods/podu/cpu.shares', '512'],
        ['/sys/fs/cgroup/cpu,cpuacct/cx/kubepods/podu/cpu.cfs_period_us', '100000'],
        ['/sys/fs/cgroup/cpu,cpuacct/cx/kubepods/podu/cpu.cfs_quota_us', '50000'],
        ['/sys/fs/cgroup/memory/cx/kubepods/podu/memory.limit_in_bytes', '1048576'],
        ['/sys/fs/cgroup/pids/cx/kubepods/podu/pids.max', '64'],
      ],
      delegate: [],
    });
  });
  it('v2: unified files, controllers delegated down from the root', () => {
    expect(cgroupLimitPlan(V2, '/cx/kubepods/podu', limits)).toEqual({
      dirs: ['/sys/fs/cgroup/cx/kubepods/podu'],
      writes: [
        ['/sys/fs/cgroup/cx/kubepods/podu/cpu.weight', String(weightForShares(512))],
        ['/sys/fs/cgroup/cx/kubepods/podu/cpu.max', '50000 100000'],
        ['/sys/fs/cgroup/cx/kubepods/podu/memory.max', '1048576'],
        ['/sys/fs/cgroup/cx/kubepods/podu/pids.max', '64'],
      ],
      delegate: ['/sys/fs/cgroup', '/sys/fs/cgroup/cx', '/sys/fs/cgroup/cx/kubepods'],
    });
  });
});
