import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pod } from '@coxswain/api';
import { expandSubPathExpr, hostPathTypeError, mountPropagation, PodConfig } from './pod-config';

let dir: string;
let socketServer: Server;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-pod-config-'));
  await writeFile(join(dir, 'file'), 'x');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dir, 'sock'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('hostPathTypeError', () => {
  const cases: Array<{ name: string; path: () => string; type?: string; want?: string }> = [
    { name: 'no type checks nothing (even a missing path)', path: () => join(dir, 'missing') },
    { name: 'Directory on a directory', path: () => dir, type: 'Directory' },
    { name: 'Directory on a file', path: () => join(dir, 'file'), type: 'Directory', want: 'is not a directory' },
    { name: 'Directory on a missing path', path: () => join(dir, 'missing'), type: 'Directory', want: 'is not a directory' },
    { name: 'File on a file', path: () => join(dir, 'file'), type: 'File' },
    { name: 'File on a directory', path: () => dir, type: 'File', want: 'is not a file' },
    { name: 'FileOrCreate on a directory', path: () => dir, type: 'FileOrCreate', want: 'is not a file' },
    { name: 'Socket on a socket', path: () => join(dir, 'sock'), type: 'Socket' },
    { name: 'Socket on a file', path: () => join(dir, 'file'), type: 'Socket', want: 'is not a socket file' },
    { name: 'CharDevice on /dev/null', path: () => '/dev/null', type: 'CharDevice' },
    { name: 'CharDevice on a file', path: () => join(dir, 'file'), type: 'CharDevice', want: 'is not a character device' },
    { name: 'BlockDevice on /dev/null', path: () => '/dev/null', type: 'BlockDevice', want: 'is not a block device' },
  ];
  it.each(cases)('$name', async ({ path, type, want }) => {
    const info = await stat(path()).catch(() => undefined);
    expect(hostPathTypeError(path(), type, info)).toBe(want ? `hostPath type check failed: ${path()} ${want}` : undefined);
  });
});

describe('expandSubPathExpr', () => {
  const env: Array<[string, string]> = [['POD_NAME', 'web-0'], ['NS', 'shop'], ['EMPTY', '']];
  it.each([
    { name: 'a downward API variable', expr: '$(POD_NAME)', want: 'web-0' },
    { name: 'several, with text around', expr: 'logs/$(NS)/$(POD_NAME).d', want: 'logs/shop/web-0.d' },
    { name: '$$ escapes', expr: '$$(POD_NAME)', want: '$(POD_NAME)' },
    { name: 'an unset variable fails', expr: '$(NODE)/$(POD_NAME)', error: 'MountVolume.SetUp failed for volume "logs" : subPathExpr "$(NODE)/$(POD_NAME)": missing value for NODE' },
    { name: 'an empty variable fails', expr: '$(EMPTY)', error: 'missing value for EMPTY' },
  ])('$name', ({ expr, want, error }) => {
    if (error) expect(() => expandSubPathExpr('logs', expr, env)).toThrow(error);
    else expect(expandSubPathExpr('logs', expr, env)).toBe(want);
  });
});

describe('mountPropagation', () => {
  it.each([
    { mode: undefined, want: undefined },
    { mode: 'None', want: undefined },
    { mode: 'HostToContainer', want: 'rslave' },
    { mode: 'Bidirectional', want: 'rshared' },
  ])('$mode → $want', ({ mode, want }) => {
    expect(mountPropagation(mode)).toBe(want);
  });
});

describe('PodConfig.prepare: hostPath types, subPathExpr, mountPropagation', () => {
  const config = new PodConfig({
    fetcher: { objects: async () => ({ configMaps: new Map(), secrets: new Map() }), prune: () => undefined } as never,
    hostIP: () => '10.0.0.2',
    nodeAllocatable: () => ({}),
    podFor: () => undefined,
  });
  const podWith = (volumes: object[], volumeMounts: object[], env: object[] = []) => ({
    metadata: { uid: 'u1', name: 'web-0', namespace: 'shop' },
    spec: { containers: [{ name: 'c', image: 'busybox', env, volumeMounts }], volumes },
  }) as unknown as Pod;
  const prepare = (pod: Pod) => config.prepare(pod, pod.spec.containers[0], [], { dir: join(dir, 'sandbox'), ip: '10.88.0.5' });

  it('FileOrCreate makes an empty file, mode 0644, and keeps an existing one', async () => {
    const path = join(dir, 'xtables.lock');
    const pod = podWith([{ name: 'lock', hostPath: { path, type: 'FileOrCreate' } }], [{ name: 'lock', mountPath: '/run/xtables.lock' }]);
    const prepared = await prepare(pod);
    expect(prepared.mounts).toEqual([{ source: path, destination: '/run/xtables.lock' }]);
    const info = await stat(path);
    expect([info.isFile(), info.size, info.mode & 0o777]).toEqual([true, 0, 0o644 & ~process.umask()]);
    await writeFile(path, 'held');
    await prepare(pod);
    expect((await stat(path)).size).toBe(4);
  });

  it('fsGroupChangePolicy: Always changes an emptyDir\'s files on every prepare, OnRootMismatch only while its root is not right', async () => {
    const gid = process.getgid?.() ?? 0;
    const withPolicy = (policy: string, sandbox: string) => {
      const pod = podWith([{ name: 'data', emptyDir: {} }], [{ name: 'data', mountPath: '/data' }]);
      pod.spec.securityContext = { fsGroup: gid, fsGroupChangePolicy: policy } as never;
      return config.prepare(pod, pod.spec.containers[0], [], { dir: join(dir, sandbox), ip: '10.88.0.5' });
    };
    for (const [policy, want] of [['OnRootMismatch', 0o600], ['Always', 0o660]] as const) {
      await withPolicy(policy, `fsgroup-${policy}`);
      const file = join(dir, `fsgroup-${policy}`, 'volumes', 'data', 'written-later');
      await writeFile(file, 'x', { mode: 0o600 });
      await withPolicy(policy, `fsgroup-${policy}`); // a container restart prepares again
      expect((await stat(file)).mode & 0o777).toBe(want);
    }
  });

  it('FileOrCreate does not make parent directories: the mount fails', async () => {
    const path = join(dir, 'no-such-dir', 'f');
    await expect(prepare(podWith([{ name: 'f', hostPath: { path, type: 'FileOrCreate' } }], [{ name: 'f', mountPath: '/f' }])))
      .rejects.toThrow(`MountVolume.SetUp failed for volume "f" : open ${path}: no such file or directory`);
  });

  it('passes mountPropagation on to the bind mount', async () => {
    const pod = podWith([{ name: 'h', hostPath: { path: dir, type: 'Directory' } }], [{ name: 'h', mountPath: '/h', mountPropagation: 'HostToContainer' }, { name: 'h', mountPath: '/n', mountPropagation: 'None' }]);
    expect((await prepare(pod)).mounts).toEqual([{ source: dir, destination: '/h', propagation: 'rslave' }, { source: dir, destination: '/n' }]);
  });

  it('a wrong type fails with the kubelet\'s message', async () => {
    await expect(prepare(podWith([{ name: 'h', hostPath: { path: join(dir, 'file'), type: 'Directory' } }], [{ name: 'h', mountPath: '/h' }])))
      .rejects.toThrow(`MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(dir, 'file')} is not a directory`);
  });

  it.each([
    { name: 'subPathExpr with POD_NAME mounts the pod\'s own directory', expr: '$(POD_NAME)', want: 'web-0' },
    { name: 'an absolute expansion fails like subPath', expr: '/$(POD_NAME)', error: 'invalid subPath "/web-0"' },
    { name: 'a .. expansion fails like subPath', expr: '$(UP)/x', error: 'invalid subPath "../x"' },
  ])('$name', async ({ expr, want, error }) => {
    const pod = podWith([{ name: 'logs', emptyDir: {} }], [{ name: 'logs', mountPath: '/logs', subPathExpr: expr }],
      [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'UP', value: '..' }]);
    if (error) return expect(prepare(pod)).rejects.toThrow(error);
    const prepared = await prepare(pod);
    expect(prepared.mounts).toEqual([{ source: join(dir, 'sandbox', 'volumes', 'logs', want!), destination: '/logs' }]);
    expect((await stat(prepared.mounts[0].source)).isDirectory()).toBe(true);
  });
});

describe('PodConfig.prepare: the Services for service environment variables', () => {
  const configWith = (services: () => Promise<object[]>) => new PodConfig({
    fetcher: { objects: async () => ({ configMaps: new Map(), secrets: new Map() }), prune: () => undefined } as never,
    services: services as never,
    hostIP: () => '10.0.0.2',
    nodeAllocatable: () => ({}),
    podFor: () => undefined,
  });
  const pod = { metadata: { uid: 'u2', name: 'web-1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as unknown as Pod;
  const prepare = (config: PodConfig) => config.prepare(pod, pod.spec.containers[0], [], { dir: join(dir, 'sandbox-svc'), ip: '10.88.0.6' });

  it.each([
    ['with the Services a start asks for', async () => [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }], true],
    ['no Services', async () => [], false],
  ])('%s', async (_name, services, want) => {
    const env = (await prepare(configWith(services))).env;
    expect(env.includes('KUBERNETES_SERVICE_HOST=10.96.0.1')).toBe(want);
  });

  it('fails the start while the Services are unknown', async () => {
    const config = configWith(async () => { throw new Error('services have not yet been read at least once, cannot construct envvars'); });
    await expect(prepare(config)).rejects.toThrow('cannot construct envvars');
  });
});
