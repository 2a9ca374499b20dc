import { parseCgroupLayout } from '../cgroups';
import { vmCgroupPath, vmCgroupPlan } from './cgroup';

const HYBRID_SPLIT = parseCgroupLayout(`31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`);
const V1_COMOUNTED = parseCgroupLayout(`28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
29 25 0:26 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory`);
const V2 = parseCgroupLayout('24 18 0:21 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate');

describe('vmCgroupPath', () => {
  it.each([
    ['coxswain-vms', '/coxswain-vms/u1'],
    ['/a/b/', '/a/b/u1'],
  ])('%s -> %s', (parent, want) => expect(vmCgroupPath(parent, 'u1')).toBe(want));
});

describe('vmCgroupPlan', () => {
  it.each([
    {
      name: 'hybrid with split cpu and cpuacct: join every v1 hierarchy',
      layout: HYBRID_SPLIT,
      dirs: ['/sys/fs/cgroup/cpu/v/u', '/sys/fs/cgroup/cpuacct/v/u', '/sys/fs/cgroup/memory/v/u', '/sys/fs/cgroup/pids/v/u'],
      writes: [['/sys/fs/cgroup/memory/v/u/memory.limit_in_bytes', '1000'], ['/sys/fs/cgroup/cpu/v/u/cpu.shares', '2048']],
    },
    {
      name: 'co-mounted cpu,cpuacct is one directory',
      layout: V1_COMOUNTED,
      dirs: ['/sys/fs/cgroup/cpu,cpuacct/v/u', '/sys/fs/cgroup/memory/v/u'],
      writes: [['/sys/fs/cgroup/memory/v/u/memory.limit_in_bytes', '1000'], ['/sys/fs/cgroup/cpu,cpuacct/v/u/cpu.shares', '2048']],
    },
    {
      name: 'v2: one directory, memory.max without swap, cpu.weight',
      layout: V2,
      dirs: ['/sys/fs/cgroup/v/u'],
      writes: [['/sys/fs/cgroup/v/u/memory.max', '1000'], ['/sys/fs/cgroup/v/u/memory.swap.max', '0'], ['/sys/fs/cgroup/v/u/cpu.weight', '200']],
    },
  ])('$name', ({ layout, dirs, writes }) => {
    const plan = vmCgroupPlan(layout, '/v/u', 1000, 2);
    expect(plan.dirs).toEqual(dirs);
    expect(plan.procsFiles).toEqual(dirs.map((d) => `${d}/cgroup.procs`));
    expect(plan.writes).toEqual(writes);
  });
});
