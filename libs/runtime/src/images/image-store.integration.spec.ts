import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// Tests may use the harness; the runtime itself never does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { BuiltImage, buildBusyboxImage, buildImageFromDir, buildIndexLayout, pushImage, RecordingProxy, registryBlobPath, RunningRegistry, seedRegistry, startRecordingProxy, startRegistry, tarLayout } from '@coxswain/harness';
import { DigestMismatchError, ImageNotFoundError } from './errors';
import { RegistryConfig } from './hosts';
import { ImageStore } from './image-store';

const run = promisify(execFile);
jest.setTimeout(120_000);

const suffix = Math.random().toString(36).slice(2, 8);
const isMounted = async (path: string) => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').some((l) => l.split(' ')[4] === path);

describe('ImageStore against a real docker-registry', () => {
  let registry: RunningRegistry;
  let proxy: RecordingProxy;
  let work: string;
  let busybox: BuiltImage;
  let pushed: string;
  const stores: ImageStore[] = [];
  const mounted: Array<[ImageStore, string]> = [];

  /** A docker.io mirror through the recording proxy; the upstream is a dead loopback port so nothing leaves the machine. */
  const mirrorConfig = (): RegistryConfig => ({ mirrors: { 'docker.io': [proxy.url] }, servers: { 'docker.io': 'http://127.0.0.1:9' } });
  const newStore = async (config: RegistryConfig = mirrorConfig()) => {
    const root = await mkdtemp(join(work, 'store-'));
    const store = new ImageStore({ root, registry: config });
    stores.push(store);
    return store;
  };
  const prepare = async (store: ImageStore, ref: string, id: string) => {
    mounted.push([store, id]);
    return store.prepareRootfs(ref, id);
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-images-it-'));
    registry = await startRegistry();
    proxy = await startRecordingProxy(registry.url);
    busybox = await buildBusyboxImage();
    pushed = (await seedRegistry(registry.url)).digest;
  });

  afterAll(async () => {
    for (const [store, id] of mounted) await store.releaseRootfs(id).catch(() => undefined);
    for (const store of stores) await store.close().catch(() => undefined);
    await proxy?.stop();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pulls `busybox` through a docker.io mirror and runs /bin/sh from the overlay rootfs', async () => {
    const store = await newStore();
    const phases = new Set<string>();
    const info = await store.pull('busybox', { onProgress: (p) => phases.add(p.phase) });
    expect(info.ref).toBe('docker.io/library/busybox:latest');
    expect(info.digest).toBe(pushed);
    expect(info.config).toEqual({ cmd: ['sh'], env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] });
    expect([...phases]).toEqual(expect.arrayContaining(['resolved', 'downloaded', 'unpacked', 'done']));
    expect((await store.list()).map((i) => i.ref)).toEqual(['docker.io/library/busybox:latest']);

    const id = `bb-${suffix}`;
    const { rootfs, config } = await prepare(store, 'busybox', id);
    expect(config.cmd).toEqual(['sh']);
    expect(await isMounted(rootfs)).toBe(true);
    const { stdout } = await run('chroot', [rootfs, '/bin/sh', '-c', 'echo hello > /tmp/x && cat /tmp/x && ls /bin/busybox']);
    expect(stdout).toBe('hello\n/bin/busybox\n');
    // Writes land in the container's upper dir, never in the shared layer.
    expect(existsSync(join(rootfs, '..', 'upper', 'tmp', 'x'))).toBe(true);
    const busyboxPath = await store.imageFilePath('busybox', '/bin/sh');
    expect(busyboxPath).toMatch(/\/snapshots\/[a-f0-9]{64}\/fs\/bin\/busybox$/);
    expect(existsSync(join(busyboxPath as string, '..', '..', 'tmp', 'x'))).toBe(false);

    // Preparing again (agent restart) reuses the mount.
    expect((await store.prepareRootfs('busybox', id)).rootfs).toBe(rootfs);
    await store.releaseRootfs(id);
    expect(await isMounted(rootfs)).toBe(false);
    expect(existsSync(join(rootfs, '..'))).toBe(false);
    await store.releaseRootfs(id);
  });

  it('rejects a corrupted blob and commits nothing to the store', async () => {
    const src = join(work, `corrupt-src-${suffix}`);
    await mkdir(join(src, 'data'), { recursive: true });
    await writeFile(join(src, 'data', 'file'), 'precious bytes '.repeat(1000));
    const image = await buildImageFromDir(src, join(work, `corrupt-layout-${suffix}`), { cmd: ['true'] });
    await pushImage(registry.url, image.dir, 'library/corrupt:latest');
    const stored = registryBlobPath(registry.dataDir, image.layerDigests[0]);
    const bytes = await readFile(stored);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(stored, bytes);

    const store = await newStore();
    const err = await store.pull('corrupt').catch((e) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err.message).toContain(image.layerDigests[0]);
    expect(await store.get('corrupt')).toBeUndefined();
    expect(await readdir(join(store.root, 'blobs', 'sha256'))).toEqual([]);
    expect(await readdir(join(store.root, 'ingest'))).toEqual([]);
    expect((await readdir(join(store.root, 'snapshots'))).length).toBe(0);
  });

  it('de-duplicates concurrent pulls of the same image', async () => {
    const store = await newStore();
    const before = proxy.requests.length;
    const results = await Promise.all([
      store.pull('busybox'),
      store.pull('busybox:latest'),
      store.pull('docker.io/library/busybox'),
      store.pull('index.docker.io/library/busybox:latest'),
    ]);
    expect(new Set(results.map((r) => r.digest))).toEqual(new Set([pushed]));
    const seen = proxy.requests.slice(before);
    expect(seen.filter((r) => r.path === '/v2/library/busybox/manifests/latest')).toHaveLength(1);
    expect(seen.filter((r) => r.path === `/v2/library/busybox/blobs/${busybox.layerDigests[0]}`)).toHaveLength(1);
  });

  it('resumes a partial layer download with a Range request', async () => {
    const store = await newStore();
    const layer = busybox.layerDigests[0];
    const full = await readFile(join(busybox.dir, 'blobs', 'sha256', layer.slice(7)));
    await mkdir(join(store.root, 'ingest'), { recursive: true });
    await writeFile(join(store.root, 'ingest', layer.slice(7)), full.subarray(0, 300_000));
    const before = proxy.requests.length;
    const info = await store.pull('busybox');
    expect(info.digest).toBe(pushed);
    const get = proxy.requests.slice(before).find((r) => r.path === `/v2/library/busybox/blobs/${layer}`);
    expect(get?.headers.range).toBe('bytes=300000-');
    expect((await readFile(join(store.root, 'blobs', 'sha256', layer.slice(7)))).equals(full)).toBe(true);
  });

  it('resolves a multi-platform index to its linux/amd64 manifest and fetches nothing else', async () => {
    const src = join(work, `arm-src-${suffix}`);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'arm-only'), 'not for this node');
    const arm = await buildImageFromDir(src, join(work, `arm-layout-${suffix}`));
    const multi = await buildIndexLayout(
      [
        { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { image: busybox, platform: { os: 'linux', architecture: 'amd64' } },
      ],
      join(work, `multi-layout-${suffix}`),
    );
    await pushImage(registry.url, multi.dir, 'library/multi:1.0');
    const store = await newStore();
    const before = proxy.requests.length;
    const info = await store.pull('multi:1.0');
    expect(info).toMatchObject({ ref: 'docker.io/library/multi:1.0', digest: multi.indexDigest, manifestDigest: busybox.manifestDigest, id: busybox.configDigest });
    const paths = proxy.requests.slice(before).map((r) => r.path);
    expect(paths).toContain(`/v2/library/multi/manifests/${busybox.manifestDigest}`);
    expect(paths.some((p) => p.includes(arm.manifestDigest) || p.includes(arm.layerDigests[0]))).toBe(false);
    expect(await store.imageFilePath('multi:1.0', 'arm-only')).toBeUndefined();
    // Pinned by digest, an image resolves without a tag (and is verified against the pin).
    const pinned = await store.pull(`busybox@${pushed}`);
    expect(pinned).toMatchObject({ ref: `docker.io/library/busybox@${pushed}`, digest: pushed, manifestDigest: busybox.manifestDigest });
  });

  it('pulls a Docker v2 schema2 image', async () => {
    const src = join(work, `docker-src-${suffix}`);
    await mkdir(join(src, 'app'), { recursive: true });
    await writeFile(join(src, 'app', 'run.sh'), 'echo docker format');
    const image = await buildImageFromDir(src, join(work, `docker-layout-${suffix}`), { entrypoint: ['/bin/sh'], cmd: ['/app/run.sh'], workingDir: '/app', user: '65534' }, 'latest', 'docker');
    await pushImage(registry.url, image.dir, 'team/dockerfmt:v2');
    const store = await newStore();
    const info = await store.pull('team/dockerfmt:v2');
    expect(info.layers[0].mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(info.config).toMatchObject({ entrypoint: ['/bin/sh'], cmd: ['/app/run.sh'], workingDir: '/app', user: '65534' });
    expect(await readFile((await store.imageFilePath('team/dockerfmt:v2', '/app/run.sh')) as string, 'utf8')).toBe('echo docker format');
  });

  it('applies pull policies: Never fails when absent, IfNotPresent pulls once, Always re-resolves', async () => {
    const store = await newStore();
    await expect(store.ensure('busybox', 'Never')).rejects.toBeInstanceOf(ImageNotFoundError);
    const count = () => proxy.requests.filter((r) => r.path === '/v2/library/busybox/manifests/latest').length;
    const start = count();
    await store.ensure('busybox', 'IfNotPresent');
    await store.ensure('busybox', 'IfNotPresent');
    await store.ensure('busybox', 'Never');
    expect(count() - start).toBe(1);
    await store.ensure('busybox', 'Always');
    expect(count() - start).toBe(2);
  });

  it('reports a missing image as ImageNotFoundError naming the registries tried', async () => {
    const store = await newStore();
    const err = await store.pull('does-not-exist').catch((e) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect(err.message).toContain('docker.io/library/does-not-exist:latest');
    expect(err.message).toContain(proxy.url);
    expect(err.message).toContain('http://127.0.0.1:9');
  });

  it('imports an OCI layout tarball', async () => {
    const store = await newStore({});
    const tarball = join(work, `busybox-${suffix}.tar.gz`);
    await tarLayout(busybox.dir, tarball);
    const info = await store.importOciLayout(tarball, 'example.com/imported/busybox:v1');
    expect(info).toMatchObject({ ref: 'example.com/imported/busybox:v1', manifestDigest: busybox.manifestDigest, id: busybox.configDigest });
    expect(await store.imageFilePath('example.com/imported/busybox:v1', '/etc/passwd')).toMatch(/\/fs\/etc\/passwd$/);
    expect(await readdir(store.root)).not.toContain(expect.stringMatching(/^import-/));
  });

  it('applies whiteouts and opaque dirs of upper layers in the mounted rootfs', async () => {
    const lower = join(work, `wh-lower-${suffix}`);
    const upper = join(work, `wh-upper-${suffix}`);
    for (const f of ['etc/gone', 'etc/keep', 'etc/conf/old', 'var/dir/x']) {
      await mkdir(join(lower, f, '..'), { recursive: true });
      await writeFile(join(lower, f), f);
    }
    await mkdir(join(upper, 'etc', 'conf'), { recursive: true });
    await mkdir(join(upper, 'var'), { recursive: true });
    await writeFile(join(upper, 'etc', '.wh.gone'), '');
    await writeFile(join(upper, 'etc', 'conf', '.wh..wh..opq'), '');
    await writeFile(join(upper, 'etc', 'conf', 'new'), 'new');
    await writeFile(join(upper, 'var', '.wh.dir'), '');
    const layout = await buildImageFromDir([lower, upper], join(work, `wh-layout-${suffix}`));
    const store = await newStore({});
    await store.importOciLayout(layout.dir, 'local/whiteouts');

    const { rootfs } = await prepare(store, 'local/whiteouts', `wh-${suffix}`);
    expect((await readdir(join(rootfs, 'etc'))).sort()).toEqual(['conf', 'keep']);
    expect(await readdir(join(rootfs, 'etc', 'conf'))).toEqual(['new']);
    expect(await readdir(join(rootfs, 'var'))).toEqual([]);
    expect(await store.imageFilePath('local/whiteouts', 'etc/gone')).toBeUndefined();
    expect(await store.imageFilePath('local/whiteouts', 'etc/conf/old')).toBeUndefined();
    expect(await store.imageFilePath('local/whiteouts', 'etc/keep')).toContain(layout.layerDigests[0].slice(7));
    expect(await store.imageFilePath('local/whiteouts', 'etc/conf/new')).toContain(layout.layerDigests[1].slice(7));
    await store.releaseRootfs(`wh-${suffix}`);
  });

  it('gc removes unreferenced images, blobs and snapshots but keeps what a mounted rootfs uses', async () => {
    const store = await newStore();
    await store.pull('busybox');
    const src = join(work, `gc-src-${suffix}`);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'only-here'), 'x');
    const other = await buildImageFromDir(src, join(work, `gc-layout-${suffix}`));
    await store.importOciLayout(other.dir, 'local/other');
    const blobs = () => readdir(join(store.root, 'blobs', 'sha256'));
    const snapshots = async () => (await readdir(join(store.root, 'snapshots'))).sort();
    expect(await blobs()).toHaveLength(6);

    // Both kept while in use.
    expect(await store.gc(['busybox', 'local/other'])).toEqual({ removedRefs: [], removedBlobs: 0, removedSnapshots: 0 });

    const id = `gc-${suffix}`;
    await prepare(store, 'busybox', id);
    const result = await store.gc([]);
    expect(result.removedRefs).toEqual(['docker.io/local/other:latest']);
    expect(result.removedBlobs).toBe(3);
    expect(await snapshots()).toEqual([busybox.layerDigests[0].slice(7)]);
    expect(await blobs()).not.toContain(other.layerDigests[0].slice(7));
    expect(await store.get('busybox')).toBeDefined();

    await store.releaseRootfs(id);
    await store.remove('busybox');
    await store.gc([]);
    expect(await blobs()).toEqual([]);
    expect(await snapshots()).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});
