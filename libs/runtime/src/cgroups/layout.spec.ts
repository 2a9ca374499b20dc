import { allCgroupDirs, controllerDir, oomCounterFile, parseCgroupLayout } from './layout';

const HYBRID_SPLIT = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;

const V1_COMOUNTED = `25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
29 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory`;

const V2 = `24 18 0:21 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
30 24 0:26 / /sys/fs/bpf rw,relatime - bpf bpf rw`;

describe('parseCgroupLayout', () => {
  it.each([
    ['hybrid with split cpu/cpuacct', HYBRID_SPLIT, 'hybrid', { cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct', memory: '/sys/fs/cgroup/memory' }, '/sys/fs/cgroup/unified'],
    ['v1 with co-mounted cpu,cpuacct', V1_COMOUNTED, 'v1', { cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct' }, undefined],
    ['pure v2', V2, 'v2', {}, '/sys/fs/cgroup'],
  ])('%s', (_n, text, mode, someV1, unified) => {
    const l = parseCgroupLayout(text);
    expect(l.mode).toBe(mode);
    expect(l.v1).toMatchObject(someV1);
    expect(l.unified).toBe(unified);
  });
});

describe('paths', () => {
  const hybrid = parseCgroupLayout(HYBRID_SPLIT);
  const v2 = parseCgroupLayout(V2);
  it.each([
    ['v1 memory', hybrid, 'memory', '/cox/p/c', '/sys/fs/cgroup/memory/cox/p/c'],
    ['v1 cpuacct', hybrid, 'cpuacct', 'cox/p/c', '/sys/fs/cgroup/cpuacct/cox/p/c'],
    ['v1 missing controller', hybrid, 'hugetlb', '/cox', undefined],
    ['v2 any controller', v2, 'cpu', '/cox/p/c', '/sys/fs/cgroup/cox/p/c'],
  ])('controllerDir %s', (_n, layout, ctrl, path, want) => {
    expect(controllerDir(layout, ctrl, path)).toBe(want);
  });

  it('oomCounterFile per mode', () => {
    expect(oomCounterFile(hybrid, '/cox/c')).toBe('/sys/fs/cgroup/memory/cox/c/memory.oom_control');
    expect(oomCounterFile(v2, '/cox/c')).toBe('/sys/fs/cgroup/cox/c/memory.events');
  });

  it('allCgroupDirs covers each distinct mount once', () => {
    expect(allCgroupDirs(parseCgroupLayout(V1_COMOUNTED), '/x')).toEqual(['/sys/fs/cgroup/cpu,cpuacct/x', '/sys/fs/cgroup/memory/x']);
    expect(allCgroupDirs(hybrid, '/x')).toContain('/sys/fs/cgroup/unified/x');
    expect(allCgroupDirs(v2, '/x')).toEqual(['/sys/fs/cgroup/x']);
  });
});
