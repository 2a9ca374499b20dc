import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
// Tests may use the harness; the runtime itself never does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildImageFromLayerTars, pushImage, RunningRegistry, seedRegistry, startRegistry } from '@coxswain/harness';
import { ImagePullError, ImageTooLargeError, LayerRejectedError } from './errors';
import { ImageLimits, ImageStore } from './image-store';

jest.setTimeout(120_000);

/** A two-entry layer: a symlink to a host directory, then a file written "inside" it. */
function escapeLayer(victim: string): Buffer {
  const header = (path: string, type: 'SymbolicLink' | 'File', size: number, linkpath = '') => {
    const b = Buffer.alloc(512);
    new Header({ path, type, size, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), linkpath }).encode(b);
    return b;
  };
  const body = Buffer.from('pwned\n');
  return Buffer.concat([header('escape', 'SymbolicLink', 0, victim), header('escape/pwned', 'File', body.length), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]);
}

describe('ImageStore pull limits and hostile layers (real docker-registry)', () => {
  let registry: RunningRegistry;
  let work: string;
  let victim: string;
  const stores: ImageStore[] = [];

  const newStore = async (limits?: Partial<ImageLimits>) => {
    const root = await mkdtemp(join(work, 'store-'));
    const store = new ImageStore({ root, registry: { mirrors: { 'docker.io': [registry.url] }, servers: { 'docker.io': 'http://127.0.0.1:9' } }, limits });
    stores.push(store);
    return { store, root };
  };
  /** Nothing half-unpacked and no blob of a refused layer stays in the store. */
  const leftovers = async (root: string) => [...(await readdir(join(root, 'snapshots'))), ...(await readdir(join(root, 'blobs', 'sha256')).catch(() => []))];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-image-limits-'));
    victim = join(work, 'victim');
    await mkdir(victim);
    registry = await startRegistry();
    await seedRegistry(registry.url);
    const tar = join(work, 'escape.tar');
    await writeFile(tar, escapeLayer(victim));
    const layout = await buildImageFromLayerTars([tar], join(work, 'escape-oci'), { cmd: ['sh'] });
    await pushImage(registry.url, layout.dir, 'library/escape:latest');
  });

  afterAll(async () => {
    for (const store of stores) await store.close().catch(() => undefined);
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('refuses a manifest over the manifest limit with a clear error', async () => {
    const { store, root } = await newStore({ maxManifestBytes: 64 });
    const error = await store.pull('busybox').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect((error as Error).message).toMatch(/^manifest library\/busybox:latest .*exceeds the limit of 64 bytes$/);
    expect(await store.get('busybox')).toBeUndefined();
    expect(await leftovers(root)).toEqual([]);
  });

  it('refuses a config over the config limit before downloading it', async () => {
    const { store } = await newStore({ maxConfigBytes: 16 });
    await expect(store.pull('busybox')).rejects.toThrow(/^config library\/busybox@sha256:[0-9a-f]{64} \(\d+ bytes\) exceeds the limit of 16 bytes$/);
  });

  it('refuses a layer over the compressed limit, and one over the uncompressed limit', async () => {
    const small = await newStore({ maxLayerBytes: 1024 });
    await expect(small.store.pull('busybox')).rejects.toThrow(/^layer library\/busybox@sha256:\w+ \(\d+ bytes\) exceeds the limit of 1 KiB$/);
    const unpacked = await newStore({ maxUncompressedBytes: 2 ** 20 });
    const error = await unpacked.store.pull('busybox').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect((error as Error).message).toMatch(/^uncompressed layer [0-9a-f]{64} exceeds the limit of 1 MiB$/);
    // The temp snapshot is gone, and so is the blob that can never be unpacked here.
    expect(await leftovers(unpacked.root)).toEqual([]);
  });

  it('fails to pull an image whose layer writes through a symlink, writing nothing outside the store', async () => {
    const { store, root } = await newStore();
    const error = await store.pull('escape').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayerRejectedError);
    expect(error).toBeInstanceOf(ImagePullError);
    expect((error as Error).message).toContain('"escape/pwned" would be written through symlink "escape"');
    expect(await readdir(victim)).toEqual([]);
    expect(await leftovers(root)).toEqual([]);
    // The store keeps working: a good image still pulls.
    const ok = await store.pull('busybox');
    expect(ok.ref).toBe('docker.io/library/busybox:latest');
    expect(await readFile(join(root, 'index.json'), 'utf8')).toContain('busybox');
  });
});
