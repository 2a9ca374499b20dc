// Debian-based images (built offline from Debian packages by the harness) pulled through a
// docker.io mirror, unpacked and run on real runc: absolute symlinks such as
// /lib64/ld-linux-x86-64.so.2 must survive unpacking or nothing dynamically linked starts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// Tests may use the harness; the runtime itself never does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { RunningRegistry, seedDebianImages, startRegistry } from '@coxswain/harness';
import { removeCgroup } from '../cgroups/remove';
import { ContainerDriver } from '../containers/driver';
import { ContainerSpec } from '../containers/types';
import { ImageStore } from './image-store';

const run = promisify(execFile);
// The first run on a machine builds the images from Debian packages (minutes); later runs reuse them.
jest.setTimeout(30 * 60_000);

const tag = randomBytes(3).toString('hex');
const netns = `cox-img-${tag}`;

describe('Debian-based images on real runc', () => {
  let registry: RunningRegistry;
  let work: string;
  let store: ImageStore;
  let driver: ContainerDriver;
  const rootfsIds: string[] = [];

  /** Runs `args` (or the image's own command) from `ref` as a container; returns its spec. */
  const container = async (ref: string, name: string, args?: string[], extra: Partial<ContainerSpec> = {}): Promise<ContainerSpec> => {
    const id = `${name}-${tag}`;
    rootfsIds.push(id);
    const { rootfs, config } = await store.prepareRootfs(ref, id);
    const spec: ContainerSpec = {
      id,
      rootfs,
      args: args ?? [...(config.entrypoint ?? []), ...(config.cmd ?? [])],
      env: config.env,
      cwd: config.workingDir || '/',
      podUid: `pod-${tag}`,
      namespaces: { network: { path: `/var/run/netns/${netns}` } },
      ...extra,
    };
    await driver.create(spec);
    await driver.start(id);
    return spec;
  };
  const output = async (id: string) =>
    (await readFile(await driver.logPath(id), 'utf8'))
      .split('\n')
      .map((l) => l.split(' ').slice(3).join(' '))
      .join('\n');
  const runToEnd = async (ref: string, name: string, args: string[]) => {
    const spec = await container(ref, name, args);
    await driver.waitForExit(spec.id, 60_000);
    return { state: await driver.state(spec.id), out: await output(spec.id) };
  };
  /** Retries a client container until the server answers (servers take a moment to listen). */
  const untilAnswered = async (ref: string, name: string, args: string[], want: RegExp) => {
    let last = '';
    for (let i = 0; i < 60; i++) {
      const { out } = await runToEnd(ref, `${name}${i}`, args);
      if (want.test(out)) return out;
      last = out;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${name} never answered: ${last}`);
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-debian-it-'));
    registry = await startRegistry();
    const built = await seedDebianImages(registry.url);
    process.stderr.write(`debian images: ${built.buildSeconds ? `built in ${built.buildSeconds} s` : 'from the fixtures cache'}\n`);
    store = new ImageStore({ root: join(work, 'images'), registry: { mirrors: { 'docker.io': [registry.url] }, servers: { 'docker.io': 'http://127.0.0.1:9' } } });
    driver = new ContainerDriver({ root: join(work, 'containers'), cgroupParent: `/coxtest-img-${tag}` });
    await driver.init();
    await run('ip', ['netns', 'add', netns]);
    await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  });

  afterAll(async () => {
    for (const c of (await driver?.list().catch(() => [])) ?? []) await driver.remove(c.id).catch(() => undefined);
    for (const id of rootfsIds) await store?.releaseRootfs(id).catch(() => undefined);
    await removeCgroup(`/coxtest-img-${tag}`).catch(() => undefined);
    await run('ip', ['netns', 'del', netns]).catch(() => undefined);
    await store?.close();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('debian:bookworm-slim runs bash, with the absolute loader symlink and hard links as Debian ships them', async () => {
    const info = await store.pull('debian:bookworm-slim');
    expect(info.ref).toBe('docker.io/library/debian:bookworm-slim');
    expect(info.config.cmd).toEqual(['bash']);
    const { state, out } = await runToEnd('debian:bookworm-slim', 'deb', ['/bin/bash', '-c', 'cat /etc/debian_version; id -u; ls /usr/share/doc | wc -l']);
    expect(state).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(out).toMatch(/^12\.\d+$/m);

    const rootfs = (await store.prepareRootfs('debian:bookworm-slim', `inspect-${tag}`)).rootfs;
    rootfsIds.push(`inspect-${tag}`);
    expect(await readlink(join(rootfs, 'usr/lib64/ld-linux-x86-64.so.2'))).toBe('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    expect(await readlink(join(rootfs, 'bin'))).toBe('usr/bin');
    const [perl, perl536] = await Promise.all([stat(join(rootfs, 'usr/bin/perl')), stat(join(rootfs, 'usr/bin/perl5.36.0'))]);
    expect(perl.ino).toBe(perl536.ino);
    // setuid survives: su and passwd are 4755 in Debian.
    expect((await stat(join(rootfs, 'usr/bin/su'))).mode & 0o7777).toBe(0o4755);
    // Slim: no man pages, docs reduced to copyright files.
    expect((await lstat(join(rootfs, 'usr/share/man'))).isDirectory()).toBe(true);
    expect(await run('find', [join(rootfs, 'usr/share/man'), '-type', 'f']).then((r) => r.stdout)).toBe('');
  });

  it('nginx serves its page on port 80 (client: bash /dev/tcp from the Debian image, same network namespace)', async () => {
    const info = await store.pull('nginx');
    expect(info.config.cmd).toEqual(['nginx', '-g', 'daemon off;']);
    const server = await container('nginx', 'nginx');
    const out = await untilAnswered('debian:bookworm-slim', 'curl', ['/bin/bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n" >&3 && cat <&3'], /Welcome to nginx!/);
    expect(out).toMatch(/HTTP\/1\.1 200 OK/);
    expect((await driver.state(server.id))?.status).toBe('running');
  });

  it('redis answers PING, running as the redis user on its own /data', async () => {
    const info = await store.pull('redis');
    const rootfs = (await store.prepareRootfs('redis', `inspect-redis-${tag}`)).rootfs;
    rootfsIds.push(`inspect-redis-${tag}`);
    const passwd = await readFile(join(rootfs, 'etc/passwd'), 'utf8');
    const [, , uid, gid] = passwd.split('\n').find((l) => l.startsWith('redis:'))!.split(':').map(String);
    // Ownership from the layer: /data belongs to the redis user the image runs as.
    const data = await stat(join(rootfs, 'data'));
    expect([data.uid, data.gid]).toEqual([Number(uid), Number(gid)]);
    expect(info.config.user).toBe('redis');
    await container('redis', 'redis', undefined, { user: { uid: Number(uid), gid: Number(gid) } });
    const out = await untilAnswered('redis', 'cli', ['redis-cli', '-h', '127.0.0.1', 'PING'], /PONG/);
    expect(out).toMatch(/^PONG$/m);
  });
});
