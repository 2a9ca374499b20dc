import { buildOciConfig, cgroupsPathFor, cpuQuota, cpuShares, DEFAULT_CAPABILITIES, ociResources } from './oci-spec';
import { ContainerSpec } from './types';

describe('cpuShares', () => {
  it.each([
    ['no request or limit', undefined, undefined, 2],
    ['tiny request clamps to 2', 1, undefined, 2],
    ['100m', 100, undefined, 102],
    ['250m', 250, 1000, 256],
    ['1 cpu', 1000, undefined, 1024],
    ['limit only stands in for request', undefined, 500, 512],
    ['huge clamps to max', 1_000_000, undefined, 262144],
  ])('%s', (_n, request, limit, want) => {
    expect(cpuShares(request, limit)).toBe(want);
  });
});

describe('cpuQuota', () => {
  it.each([
    ['no limit', undefined, undefined],
    ['zero is unlimited', 0, undefined],
    ['200m', 200, 20_000],
    ['1.5 cpu', 1500, 150_000],
    ['1m clamps to 1000us', 1, 1_000],
  ])('%s', (_n, limit, want) => {
    expect(cpuQuota(limit)).toBe(want);
  });
});

describe('cgroupsPathFor', () => {
  it.each([
    ['/coxswain', 'c1', 'pod-a', '/coxswain/pod-a/c1'],
    ['coxswain/', 'c1', 'pod-a', '/coxswain/pod-a/c1'],
    ['/a/b', 'c1', undefined, '/a/b/c1'],
  ])('%s %s %s', (parent, id, pod, want) => {
    expect(cgroupsPathFor(parent, id, pod)).toBe(want);
  });
});

describe('ociResources', () => {
  it.each([
    ['empty', {}, { cpu: { shares: 2 } }],
    ['cpu request+limit, memory, pids', { cpuRequestMillis: 100, cpuLimitMillis: 200, memoryLimitBytes: 16 << 20, pidsLimit: 64 },
      { cpu: { shares: 102, quota: 20_000, period: 100_000 }, memory: { limit: 16 << 20 }, pids: { limit: 64 } }],
    ['zero memory means none', { memoryLimitBytes: 0 }, { cpu: { shares: 2 } }],
  ])('%s', (_n, input, want) => {
    const { devices, ...rest } = ociResources(input);
    expect(rest).toEqual(want);
    expect(devices[0]).toEqual({ allow: false, access: 'rwm' });
    expect(devices).toContainEqual({ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' });
    expect(devices).toContainEqual({ allow: true, type: 'c', major: 136, access: 'rwm' });
  });
});

const base: ContainerSpec = { id: 'c1', rootfs: '/r/rootfs', args: ['sh', '-c', 'echo hi'] };
type Cfg = {
  process: { env: string[]; cwd: string; user: unknown; noNewPrivileges: boolean; capabilities: Record<string, string[]>; rlimits?: unknown[]; oomScoreAdj?: number };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: Array<{ destination: string; type: string; options: string[]; source: string }>;
  annotations?: Record<string, string>;
  linux: { cgroupsPath: string; rootfsPropagation?: string; namespaces: Array<{ type: string; path?: string }>; maskedPaths: string[]; readonlyPaths: string[]; uidMappings?: unknown };
};
const build = (spec: Partial<ContainerSpec>, opts = {}) =>
  buildOciConfig({ ...base, ...spec }, { cgroupsPath: '/coxswain/p/c1', ...opts }) as unknown as Cfg;

describe('buildOciConfig', () => {
  it.each<[string, Partial<ContainerSpec>, (c: Cfg) => void]>([
    ['defaults: own namespaces, PATH, hostname = id, caps, no new privs', {}, (c) => {
      expect(c.linux.namespaces).toEqual([{ type: 'pid' }, { type: 'mount' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }]);
      expect(c.process.env[0]).toMatch(/^PATH=/);
      expect(c.process.cwd).toBe('/');
      expect(c.process.user).toEqual({ uid: 0, gid: 0 });
      expect(c.hostname).toBe('c1');
      expect(c.process.noNewPrivileges).toBe(true);
      expect(c.process.capabilities.bounding).toEqual(DEFAULT_CAPABILITIES);
      expect(c.process.capabilities.effective).toHaveLength(14);
      expect(c.root).toEqual({ path: '/r/rootfs', readonly: false });
      expect(c.linux.cgroupsPath).toBe('/coxswain/p/c1');
      expect(c.linux.maskedPaths).toContain('/proc/kcore');
      expect(c.linux.readonlyPaths).toContain('/proc/sys');
      expect(c.process.rlimits).toBeUndefined();
    }],
    ['standard mounts with /sys read-only', {}, (c) => {
      expect(c.mounts.map((m) => m.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup']);
      expect(c.mounts.find((m) => m.destination === '/sys')!.options).toContain('ro');
      expect(c.mounts.find((m) => m.destination === '/dev')!.type).toBe('tmpfs');
    }],
    ['joins a named netns and a sandbox ipc/uts by path; no hostname then', {
      namespaces: { network: { path: '/var/run/netns/cox-1' }, ipc: { path: '/proc/42/ns/ipc' }, uts: { path: '/proc/42/ns/uts' } },
      hostname: 'ignored',
    }, (c) => {
      expect(c.linux.namespaces).toContainEqual({ type: 'network', path: '/var/run/netns/cox-1' });
      expect(c.linux.namespaces).toContainEqual({ type: 'ipc', path: '/proc/42/ns/ipc' });
      expect(c.linux.namespaces).toContainEqual({ type: 'uts', path: '/proc/42/ns/uts' });
      expect(c.hostname).toBeUndefined();
    }],
    ['net joined, uts own: hostname kept', { namespaces: { network: { path: '/proc/7/ns/net' } }, hostname: 'web-0' }, (c) => {
      expect(c.hostname).toBe('web-0');
      expect(c.linux.namespaces).toContainEqual({ type: 'uts' });
    }],
    ['user namespace with mappings', {
      userNamespace: { uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }], gidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }] },
    }, (c) => {
      expect(c.linux.namespaces).toContainEqual({ type: 'user' });
      expect(c.linux.uidMappings).toEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    }],
    ['env keeps an explicit PATH; cwd, user, readonly root, rlimits, oomScoreAdj', {
      env: ['PATH=/bin', 'A=1'], cwd: '/tmp', user: { uid: 1000, gid: 1000 }, readonlyRootfs: true,
      rlimits: [{ type: 'RLIMIT_NPROC', soft: 10, hard: 20 }], oomScoreAdj: 500,
    }, (c) => {
      expect(c.process.env).toEqual(['PATH=/bin', 'A=1']);
      expect(c.process.cwd).toBe('/tmp');
      expect(c.process.user).toEqual({ uid: 1000, gid: 1000 });
      expect(c.root.readonly).toBe(true);
      expect(c.process.rlimits).toEqual([{ type: 'RLIMIT_NPROC', soft: 10, hard: 20 }]);
      expect(c.process.oomScoreAdj).toBe(500);
    }],
    ['bind mounts, read-only honoured', { mounts: [{ source: '/data', destination: '/data', readonly: true }] }, (c) => {
      expect(c.mounts[c.mounts.length - 1]).toEqual({ destination: '/data', type: 'bind', source: '/data', options: ['rbind', 'rprivate', 'ro'] });
    }],
    ['a file bind into /dev (the termination message file) comes after the /dev tmpfs, so it lands inside it', {
      mounts: [{ source: '/var/lib/cox/pods/sandboxes/u1/termination/u1-c-0', destination: '/dev/termination-log' }],
    }, (c) => {
      const at = (d: string) => c.mounts.findIndex((m) => m.destination === d);
      expect(at('/dev/termination-log')).toBeGreaterThan(at('/dev'));
      expect(c.mounts[at('/dev/termination-log')]).toEqual({ destination: '/dev/termination-log', type: 'bind', source: '/var/lib/cox/pods/sandboxes/u1/termination/u1-c-0', options: ['rbind', 'rprivate', 'rw'] });
    }],
    ['mount propagation: HostToContainer is rslave, Bidirectional rshared; the root follows the strongest', {
      mounts: [{ source: '/a', destination: '/a' }, { source: '/h', destination: '/h', propagation: 'rslave' }, { source: '/b', destination: '/b', propagation: 'rshared' }],
    }, (c) => {
      expect(c.mounts.slice(-3).map((m) => m.options)).toEqual([['rbind', 'rprivate', 'rw'], ['rbind', 'rslave', 'rw'], ['rbind', 'rshared', 'rw']]);
      expect(c.linux.rootfsPropagation).toBe('rshared');
    }],
    ['HostToContainer alone: root rslave', { mounts: [{ source: '/h', destination: '/h', propagation: 'rslave', readonly: true }] }, (c) => {
      expect(c.mounts[c.mounts.length - 1].options).toEqual(['rbind', 'rslave', 'ro']);
      expect(c.linux.rootfsPropagation).toBe('rslave');
    }],
    ['no propagation asked: runc\'s default root propagation', { mounts: [{ source: '/a', destination: '/a' }] }, (c) => {
      expect(c.linux.rootfsPropagation).toBeUndefined();
    }],
    ['host network and UTS (hostNetwork pod): no namespace of those types, no hostname set', {
      namespaces: { network: 'host', ipc: { path: '/s/ns/ipc' }, uts: 'host' }, hostname: 'node-1',
    }, (c) => {
      expect(c.linux.namespaces).toEqual([{ type: 'pid' }, { type: 'mount' }, { type: 'ipc', path: '/s/ns/ipc' }]);
      expect(c.hostname).toBeUndefined();
    }],
  ])('%s', (_n, spec, check) => {
    check(build(spec));
  });

  it('adds driver mounts after the spec mounts and sets annotations', () => {
    const c = build({ mounts: [{ source: '/a', destination: '/a' }] },
      { extraMounts: [{ source: '/st/hostname', destination: '/etc/hostname' }], annotations: { 'io.coxswain.pod': 'u1' } });
    expect(c.mounts.slice(-2).map((m) => m.destination)).toEqual(['/a', '/etc/hostname']);
    expect(c.annotations).toEqual({ 'io.coxswain.pod': 'u1' });
  });

  it('rejects empty args', () => {
    expect(() => build({ args: [] })).toThrow(/args/);
  });
});
