import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { ContentStore, digestHex } from './content-store';
import { DigestMismatchError, ImageNotFoundError, ImagePullError, ImageTooLargeError, LayerRejectedError } from './errors';
import { planGc } from './gc-plan';
import { RegistryConfig, RegistryEndpoint } from './hosts';
import { DEFAULT_PLATFORM, Descriptor, ImageConfig, ImageIndex, ImageManifest, parseImageConfig, parseManifest, Platform, selectPlatform } from './manifest';
import { isMountPoint, mountOverlay, overlayOptions, unmount } from './overlay';
import { formatReference, ImageReference, parseReference } from './reference';
import { RefIndex, RefRecord } from './ref-index';
import { DEFAULT_PULL_LIMITS, PullLimits, RegistryClient } from './registry-client';
import { Snapshotter } from './snapshots';
import { DEFAULT_LAYER_LIMITS, LayerLimits } from './unpack';

export interface ImageStoreOptions {
  /** Directory holding blobs/, ingest/, snapshots/, rootfs/ and index.json. */
  root: string;
  registry?: RegistryConfig;
  platform?: Platform;
  /** Layers downloaded at once per pull. */
  layerConcurrency?: number;
  requestTimeoutMs?: number;
  /** Size bounds on manifests, configs and layers (compressed and uncompressed). */
  limits?: Partial<ImageLimits>;
}

/** Everything a node bounds when it pulls; each has a default (DEFAULT_IMAGE_LIMITS). */
export type ImageLimits = PullLimits & LayerLimits;

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { ...DEFAULT_PULL_LIMITS, ...DEFAULT_LAYER_LIMITS };

export interface ImageInfo {
  /** Normalised reference, e.g. docker.io/library/busybox:latest */
  ref: string;
  /** Digest the reference resolved to in the registry (an index or a manifest). */
  digest: string;
  /** The linux/amd64 image manifest in use. */
  manifestDigest: string;
  /** Image ID: the config blob's digest. */
  id: string;
  config: ImageConfig;
  /** Layer descriptors, bottom first. */
  layers: Descriptor[];
  /** Compressed size of all layers in bytes. */
  size: number;
}

export interface PullProgress {
  ref: string;
  phase: 'resolved' | 'downloading' | 'downloaded' | 'unpacked' | 'done';
  digest?: string;
  downloaded?: number;
  total?: number;
}

export interface PullOptions {
  onProgress?: (p: PullProgress) => void;
}

/** Kubernetes imagePullPolicy. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface PreparedRootfs {
  /** The merged overlay mount: the container's root filesystem. */
  rootfs: string;
  config: ImageConfig;
  image: ImageInfo;
}

export interface GcResult {
  removedRefs: string[];
  removedBlobs: number;
  removedSnapshots: number;
}

interface RootfsRecord {
  ref: string;
  manifestDigest: string;
  blobs: string[];
  layers: string[];
}

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * Image store in the spirit of containerd's: pulls from registries (mirrors first), keeps
 * verified blobs content-addressed on disk, unpacks each layer once and stacks layers with
 * overlayfs for container root filesystems.
 */
export class ImageStore {
  readonly root: string;
  private readonly content: ContentStore;
  private readonly snapshots: Snapshotter;
  private readonly index: RefIndex;
  private readonly client: RegistryClient;
  private readonly platform: Platform;
  private readonly layerConcurrency: number;
  private readonly pulls = new Map<string, Promise<ImageInfo>>();
  private readonly blobPulls = new Map<string, Promise<void>>();
  private readonly infoCache = new Map<string, Omit<ImageInfo, 'ref' | 'digest'>>();
  private gcRunning: Promise<unknown> = Promise.resolve();
  /** Per-container chains so prepare/release of one id never interleave. */
  private readonly rootfsLocks = new Map<string, Promise<unknown>>();
  private ready: Promise<void>;

  constructor(options: ImageStoreOptions) {
    this.root = options.root;
    this.content = new ContentStore(this.root);
    const limits = { ...DEFAULT_IMAGE_LIMITS, ...options.limits };
    this.snapshots = new Snapshotter(this.root, { maxUncompressedBytes: limits.maxUncompressedBytes });
    this.index = new RefIndex(this.root);
    this.client = new RegistryClient({ config: options.registry, requestTimeoutMs: options.requestTimeoutMs, limits });
    this.platform = options.platform ?? DEFAULT_PLATFORM;
    this.layerConcurrency = options.layerConcurrency ?? 3;
    this.ready = Promise.all([this.content.init(), this.snapshots.init(), mkdir(this.rootfsDir, { recursive: true })]).then(() => undefined);
    // Callers see a failed init through the methods that await it; never as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private get rootfsDir(): string {
    return join(this.root, 'rootfs');
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pulls.values()]);
    await this.client.close();
  }

  /**
   * Pulls `ref` (resolving mirrors, then upstream) and unpacks its layers. Concurrent pulls
   * of the same normalised ref share one promise.
   */
  pull(ref: string, options: PullOptions = {}): Promise<ImageInfo> {
    const parsed = parseReference(ref);
    const key = formatReference(parsed);
    const running = this.pulls.get(key);
    if (running) return running;
    const job = this.gcRunning.then(() => this.doPull(parsed, key, options.onProgress ?? (() => undefined)));
    this.pulls.set(key, job);
    const forget = () => this.pulls.delete(key);
    job.then(forget, forget);
    return job;
  }

  /** The stored image for `ref`, or undefined when it was never pulled/imported. */
  async get(ref: string): Promise<ImageInfo | undefined> {
    await this.ready;
    const key = formatReference(parseReference(ref));
    const record = await this.index.get(key);
    return record ? this.info(key, record) : undefined;
  }

  /** Applies a pull policy: Never → must be present; IfNotPresent → pull when missing; Always → pull. */
  async ensure(ref: string, policy: PullPolicy = 'IfNotPresent', options: PullOptions = {}): Promise<ImageInfo> {
    if (policy !== 'Always') {
      const have = await this.get(ref);
      if (have) return have;
      if (policy === 'Never') throw new ImageNotFoundError(formatReference(parseReference(ref)));
    }
    return this.pull(ref, options);
  }

  async list(): Promise<ImageInfo[]> {
    await this.ready;
    const refs = await this.index.all();
    const out: ImageInfo[] = [];
    // Default sort: code-unit order, no ICU collator.
    for (const ref of Object.keys(refs).sort()) {
      out.push(await this.info(ref, refs[ref]));
    }
    return out;
  }

  /** Forgets a ref; its content goes at the next gc unless another ref still needs it. */
  async remove(ref: string): Promise<boolean> {
    await this.ready;
    const key = formatReference(parseReference(ref));
    let removed = false;
    await this.index.update((refs) => {
      removed = key in refs;
      delete refs[key];
    });
    return removed;
  }

  /** Imports an OCI image layout (directory or tar/tar.gz of one) as `ref`, verifying every blob. */
  async importOciLayout(pathOrTar: string, ref: string): Promise<ImageInfo> {
    await this.ready;
    const parsed = parseReference(ref);
    const key = formatReference(parsed);
    if ((await stat(pathOrTar)).isDirectory()) return this.importLayoutDir(pathOrTar, parsed, key);
    const tmp = await mkdtemp(join(this.root, 'import-'));
    try {
      await extract({ file: pathOrTar, cwd: tmp });
      return await this.importLayoutDir(tmp, parsed, key);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Mounts the image's layers under a fresh upper dir at `<root>/rootfs/<id>/merged`.
   * Idempotent: an existing mount for the id is returned as is (node-agent restarts).
   */
  prepareRootfs(ref: string, containerId: string): Promise<PreparedRootfs> {
    return this.withRootfsLock(containerId, () => this.doPrepareRootfs(ref, containerId));
  }

  /** Where a container's writes to its root filesystem go (the overlay's upper dir). */
  writableLayerDir(containerId: string): string {
    if (!CONTAINER_ID.test(containerId)) throw new Error(`invalid container id "${containerId}"`);
    return join(this.rootfsDir, containerId, 'upper');
  }

  /** Unmounts and deletes a container's rootfs (upper dir included). Safe to repeat. */
  releaseRootfs(containerId: string): Promise<void> {
    return this.withRootfsLock(containerId, () => this.doReleaseRootfs(containerId));
  }

  private withRootfsLock<T>(containerId: string, fn: () => Promise<T>): Promise<T> {
    if (!CONTAINER_ID.test(containerId)) return Promise.reject(new Error(`invalid container id "${containerId}"`));
    const run = (this.rootfsLocks.get(containerId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.rootfsLocks.set(containerId, tail);
    tail.then(() => {
      if (this.rootfsLocks.get(containerId) === tail) this.rootfsLocks.delete(containerId);
    });
    return run;
  }

  private async doPrepareRootfs(ref: string, containerId: string): Promise<PreparedRootfs> {
    const image = await this.get(ref);
    if (!image) throw new ImageNotFoundError(formatReference(parseReference(ref)));
    await this.unpackAll(image);
    const base = join(this.rootfsDir, containerId);
    const merged = join(base, 'merged');
    for (const d of ['upper', 'work', 'merged']) await mkdir(join(base, d), { recursive: true });
    const record: RootfsRecord = {
      ref: image.ref,
      manifestDigest: image.manifestDigest,
      blobs: [image.digest, image.manifestDigest, image.id, ...image.layers.map((l) => l.digest)],
      layers: image.layers.map((l) => l.digest),
    };
    await writeFile(join(base, 'image.json'), JSON.stringify(record));
    if (!(await isMountPoint(merged))) {
      const lowers = [...image.layers].reverse().map((l) => this.snapshots.relativeFs(l.digest));
      await mountOverlay(merged, overlayOptions(lowers, join(base, 'upper'), join(base, 'work')), this.snapshots.dir);
    }
    return { rootfs: merged, config: image.config, image };
  }

  private async doReleaseRootfs(containerId: string): Promise<void> {
    const base = join(this.rootfsDir, containerId);
    const merged = join(base, 'merged');
    if (await isMountPoint(merged)) await unmount(merged);
    await rm(base, { recursive: true, force: true });
  }

  /** Absolute host path of `path` inside the image (top-most layer wins, symlinks followed in-image). */
  async imageFilePath(ref: string, path: string): Promise<string | undefined> {
    const image = await this.get(ref);
    if (!image) throw new ImageNotFoundError(formatReference(parseReference(ref)));
    await this.unpackAll(image);
    return this.snapshots.resolvePath(
      image.layers.map((l) => l.digest),
      path,
    );
  }

  /**
   * Removes every image whose ref is not in `inUseRefs` and every blob and snapshot no kept
   * image or mounted rootfs needs. Waits for running pulls; pulls started meanwhile wait for it.
   */
  async gc(inUseRefs: Iterable<string>): Promise<GcResult> {
    const run = (async () => {
      await this.ready;
      await Promise.allSettled([...this.pulls.values()]);
      const refs = await this.index.all();
      const pinned = await this.mountedRecords();
      const keep = new Set<string>([...inUseRefs].map((r) => formatReference(parseReference(r))));
      pinned.forEach((p) => keep.add(p.ref));
      const needs: Record<string, { blobs: string[]; layers: string[] }> = {};
      for (const [ref, record] of Object.entries(refs)) {
        if (!keep.has(ref)) continue;
        const info = await this.info(ref, record).catch(() => undefined);
        const layers = info?.layers.map((l) => l.digest) ?? [];
        needs[ref] = { blobs: [record.digest, record.manifestDigest, ...(info ? [info.id] : []), ...layers], layers };
      }
      const plan = planGc({
        refs: Object.keys(refs),
        keep,
        needs,
        pinned: { blobs: pinned.flatMap((p) => p.blobs), layers: pinned.flatMap((p) => p.layers) },
        blobs: await this.content.list(),
        snapshots: await this.snapshots.list(),
      });
      if (plan.removeRefs.length) await this.index.update((r) => plan.removeRefs.forEach((k) => delete r[k]));
      for (const b of plan.removeBlobs) await this.content.delete(b);
      for (const s of plan.removeSnapshots) await this.snapshots.remove(s);
      await this.content.clearIngest();
      await this.snapshots.removeTemps();
      return { removedRefs: plan.removeRefs, removedBlobs: plan.removeBlobs.length, removedSnapshots: plan.removeSnapshots.length };
    })();
    this.gcRunning = run.catch(() => undefined);
    return run;
  }

  // ---- pull ----

  private async doPull(ref: ImageReference, key: string, progress: (p: PullProgress) => void): Promise<ImageInfo> {
    await this.ready;
    const top = await this.client.resolve(ref);
    const endpoint = top.endpoint;
    progress({ ref: key, phase: 'resolved', digest: top.digest });
    let manifestBody = top.body;
    let manifestDigest = top.digest;
    let parsed = parseManifest(top.body, top.mediaType);
    if (parsed.kind === 'index') {
      const chosen = this.choose(parsed, key);
      const m = await this.client.fetchManifest(endpoint, ref.path, chosen.digest, chosen.digest, chosen.size);
      manifestBody = m.body;
      manifestDigest = m.digest;
      parsed = parseManifest(m.body, m.mediaType || chosen.mediaType);
      if (parsed.kind !== 'manifest') throw new ImagePullError(`${key}: nested index for ${this.platformName()} is not supported`);
    }
    const manifest = parsed;
    const configBody = await this.client.fetchSmallBlob(endpoint, ref.path, manifest.config);
    const { diffIds } = this.checkConfig(key, manifest, configBody);

    await this.forEachLimited(manifest.layers, (layer) => this.fetchLayer(endpoint, ref.path, layer, key, progress));
    await this.forEachLimited(manifest.layers, async (layer, i) => {
      await this.unpackVerified(layer, diffIds[i]);
      progress({ ref: key, phase: 'unpacked', digest: layer.digest });
    });

    // Manifests and config last: a ref only ever points at an image whose layers are all here.
    await this.content.writeVerified(manifest.config.digest, configBody);
    await this.content.writeVerified(manifestDigest, manifestBody);
    await this.content.writeVerified(top.digest, top.body);
    await this.index.update((refs) => {
      refs[key] = { digest: top.digest, manifestDigest, updated: new Date().toISOString() };
    });
    const info = await this.info(key, { digest: top.digest, manifestDigest, updated: '' });
    progress({ ref: key, phase: 'done', digest: manifestDigest });
    return info;
  }

  private choose(index: ImageIndex, key: string): Descriptor {
    const chosen = selectPlatform(index, this.platform);
    if (!chosen) {
      const offered = index.manifests.map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : '?')).join(', ');
      throw new ImagePullError(`${key}: no manifest for ${this.platformName()} (index offers ${offered || 'nothing'})`);
    }
    return chosen;
  }

  private platformName(): string {
    return `${this.platform.os}/${this.platform.architecture}${this.platform.variant ? `/${this.platform.variant}` : ''}`;
  }

  private checkConfig(key: string, manifest: ImageManifest, configBody: Buffer) {
    const parsed = parseImageConfig(configBody);
    if (parsed.diffIds.length !== manifest.layers.length) {
      throw new ImagePullError(`${key}: config lists ${parsed.diffIds.length} diff ids for ${manifest.layers.length} layers`);
    }
    const p = parsed.platform;
    if (p.architecture && (p.os !== this.platform.os || p.architecture !== this.platform.architecture)) {
      throw new ImagePullError(`${key}: image is ${p.os}/${p.architecture}, this node runs ${this.platformName()}`);
    }
    return parsed;
  }

  /** Downloads one layer into ingest/ and commits it once its digest checks out. Shared across pulls. */
  private fetchLayer(endpoint: RegistryEndpoint, repository: string, layer: Descriptor, key: string, progress: (p: PullProgress) => void): Promise<void> {
    const running = this.blobPulls.get(layer.digest);
    if (running) return running;
    const job = (async () => {
      if (await this.content.has(layer.digest)) return;
      const partial = this.content.ingestPath(layer.digest);
      for (let attempt = 0; ; attempt++) {
        const resumed = (await stat(partial).then((s) => s.size, () => 0)) > 0;
        progress({ ref: key, phase: 'downloading', digest: layer.digest, downloaded: 0, total: layer.size });
        try {
          const got = await this.client.downloadBlob(endpoint, repository, layer, partial, (n) =>
            progress({ ref: key, phase: 'downloading', digest: layer.digest, downloaded: n, total: layer.size }),
          );
          await this.content.commitFile(partial, layer.digest, layer.size, `layer ${repository}@${layer.digest} from ${endpoint.url}`, got);
          progress({ ref: key, phase: 'downloaded', digest: layer.digest, downloaded: layer.size, total: layer.size });
          return;
        } catch (error) {
          if (error instanceof DigestMismatchError) await rm(partial, { force: true });
          // A stale partial from an older attempt can poison a resume: retry once from zero.
          if (!(error instanceof DigestMismatchError) || !resumed || attempt > 0) throw error;
        }
      }
    })();
    this.blobPulls.set(layer.digest, job);
    const forget = () => this.blobPulls.delete(layer.digest);
    job.then(forget, forget);
    return job;
  }

  /** Unpacks a committed layer; a diff id mismatch evicts the blob so it cannot be used again. */
  private async unpackVerified(layer: Descriptor, diffId: string | undefined): Promise<void> {
    try {
      await this.snapshots.ensure(layer, this.content.blobPath(layer.digest), diffId);
    } catch (error) {
      // A blob that can never be used (wrong content, hostile or oversized) is not kept either.
      if (error instanceof DigestMismatchError || error instanceof LayerRejectedError || error instanceof ImageTooLargeError) await this.content.delete(layer.digest);
      throw error;
    }
  }

  private async unpackAll(image: ImageInfo): Promise<void> {
    const { diffIds } = parseImageConfig(await this.content.read(image.id));
    await this.forEachLimited(image.layers, (layer, i) => this.unpackVerified(layer, diffIds[i]));
  }

  private async forEachLimited<T>(items: T[], fn: (item: T, i: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.layerConcurrency, items.length) }, worker));
  }

  // ---- import ----

  private async importLayoutDir(dir: string, ref: ImageReference, key: string): Promise<ImageInfo> {
    const layoutIndex = parseManifest(await readFile(join(dir, 'index.json')));
    if (layoutIndex.kind !== 'index') throw new ImagePullError(`${dir}: index.json is not an image index`);
    const named = layoutIndex.manifests.filter((m) => {
      const name = m.annotations?.[REF_NAME];
      return name !== undefined && (name === ref.tag || name === key || name === formatReference({ ...ref, digest: undefined }));
    });
    const top = named[0] ?? (layoutIndex.manifests.length === 1 ? layoutIndex.manifests[0] : this.choose(layoutIndex, key));
    const blob = (d: string) => join(dir, 'blobs', 'sha256', digestHex(d));
    const commit = async (desc: Descriptor) => {
      if (await this.content.has(desc.digest)) return;
      const ingest = this.content.ingestPath(desc.digest);
      await copyFile(blob(desc.digest), ingest);
      await this.content.commitFile(ingest, desc.digest, desc.size, `${dir} blob ${desc.digest}`);
    };
    const topBody = await readFile(blob(top.digest));
    let manifestDesc = top;
    let parsed = parseManifest(topBody, top.mediaType);
    if (parsed.kind === 'index') {
      manifestDesc = this.choose(parsed, key);
      parsed = parseManifest(await readFile(blob(manifestDesc.digest)), manifestDesc.mediaType);
      if (parsed.kind !== 'manifest') throw new ImagePullError(`${dir}: nested index is not supported`);
    }
    const manifest = parsed;
    const configBody = await readFile(blob(manifest.config.digest));
    const { diffIds } = this.checkConfig(key, manifest, configBody);
    for (const layer of manifest.layers) await commit(layer);
    await this.forEachLimited(manifest.layers, (layer, i) => this.unpackVerified(layer, diffIds[i]));
    await commit(manifest.config);
    await commit(manifestDesc);
    await commit(top);
    await this.index.update((refs) => {
      refs[key] = { digest: top.digest, manifestDigest: manifestDesc.digest, updated: new Date().toISOString() };
    });
    return this.info(key, { digest: top.digest, manifestDigest: manifestDesc.digest, updated: '' });
  }

  // ---- reading ----

  private async info(ref: string, record: RefRecord): Promise<ImageInfo> {
    let cached = this.infoCache.get(record.manifestDigest);
    if (!cached) {
      const manifest = parseManifest(await this.content.read(record.manifestDigest));
      if (manifest.kind !== 'manifest') throw new ImagePullError(`${ref}: stored manifest ${record.manifestDigest} is an index`);
      const { config } = parseImageConfig(await this.content.read(manifest.config.digest));
      cached = {
        manifestDigest: record.manifestDigest,
        id: manifest.config.digest,
        config,
        layers: manifest.layers,
        size: manifest.layers.reduce((n, l) => n + l.size, 0),
      };
      this.infoCache.set(record.manifestDigest, cached);
    }
    return { ref, digest: record.digest, ...cached };
  }

  private async mountedRecords(): Promise<RootfsRecord[]> {
    const out: RootfsRecord[] = [];
    for (const id of await readdir(this.rootfsDir).catch(() => [] as string[])) {
      const text = await readFile(join(this.rootfsDir, id, 'image.json'), 'utf8').catch(() => undefined);
      if (text) out.push(JSON.parse(text) as RootfsRecord);
    }
    return out;
  }
}
