import { ImagePullError } from './errors';

export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** Accept header for manifest GETs: indexes and image manifests, OCI and Docker schema2. */
export const MANIFEST_ACCEPT = [
  MediaType.OciIndex,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.DockerManifest,
].join(', ');

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** The part of the image config a runtime needs (OCI image-spec config.md). */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: string[];
  labels?: Record<string, string>;
  stopSignal?: string;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

const LAYER_TYPES = new Set<string>([
  MediaType.OciLayerTar,
  MediaType.OciLayerGzip,
  MediaType.OciLayerZstd,
  MediaType.DockerLayerGzip,
  MediaType.DockerForeignLayerGzip,
]);

function isDescriptor(d: unknown): d is Descriptor {
  const o = d as Descriptor;
  return !!o && typeof o.digest === 'string' && typeof o.size === 'number' && o.size >= 0;
}

/**
 * Classifies a manifest body. The media type comes from the body when present, else from the
 * Content-Type the registry sent; an index is recognised by its `manifests` array.
 */
export function parseManifest(body: Buffer | string, contentType?: string): ImageIndex | ImageManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString());
  } catch (error) {
    throw new ImagePullError('manifest is not valid JSON', { cause: error });
  }
  const mediaType = (typeof doc.mediaType === 'string' && doc.mediaType) || contentType?.split(';')[0].trim() || '';
  if (doc.schemaVersion === 1) throw new ImagePullError('Docker schema1 manifests are not supported');
  if (Array.isArray(doc.manifests) || mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList) {
    const manifests = (doc.manifests ?? []) as unknown[];
    if (!manifests.every(isDescriptor)) throw new ImagePullError('index has a malformed manifest descriptor');
    return { kind: 'index', mediaType: mediaType || MediaType.OciIndex, manifests: manifests as Descriptor[] };
  }
  const config = doc.config;
  const layers = doc.layers as unknown[];
  if (!isDescriptor(config) || !Array.isArray(layers) || !layers.every(isDescriptor)) {
    throw new ImagePullError(`manifest (${mediaType || 'no media type'}) lacks config or layers`);
  }
  for (const layer of layers as Descriptor[]) {
    if (!LAYER_TYPES.has(layer.mediaType)) throw new ImagePullError(`unsupported layer media type ${layer.mediaType}`);
  }
  return { kind: 'manifest', mediaType: mediaType || MediaType.OciManifest, config, layers: layers as Descriptor[] };
}

/**
 * Picks the manifest for `want` from an index, like containerd's platform matcher: os and
 * architecture must match; an exact variant beats a missing one; entries without a platform
 * (attestations, ...) never match. Returns undefined when nothing fits.
 */
export function selectPlatform(index: ImageIndex, want: Platform = DEFAULT_PLATFORM): Descriptor | undefined {
  let best: { d: Descriptor; score: number } | undefined;
  for (const d of index.manifests) {
    const p = d.platform;
    if (!p || p.os !== want.os || p.architecture !== want.architecture) continue;
    if (d.mediaType === MediaType.OciIndex || d.mediaType === MediaType.DockerManifestList) continue;
    let score = 1;
    if (want.variant && p.variant === want.variant) score = 3;
    else if (!p.variant || (want.architecture === 'amd64' && p.variant === 'v1')) score = 2;
    else if (want.variant) continue;
    if (!best || score > best.score) best = { d, score };
  }
  return best?.d;
}

/** Maps the raw image config JSON (OCI or Docker) to the runtime's view of it. */
export function parseImageConfig(body: Buffer | string): { config: ImageConfig; diffIds: string[]; platform: Platform } {
  let doc: {
    os?: string;
    architecture?: string;
    variant?: string;
    config?: Record<string, unknown> | null;
    rootfs?: { diff_ids?: string[] };
  };
  try {
    doc = JSON.parse(body.toString());
  } catch (error) {
    throw new ImagePullError('image config is not valid JSON', { cause: error });
  }
  const c = (doc.config ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const config: ImageConfig = { env: strings(c.Env) ?? [] };
  const set = <K extends keyof ImageConfig>(k: K, v: ImageConfig[K] | undefined) => {
    if (v !== undefined) config[k] = v;
  };
  set('entrypoint', strings(c.Entrypoint));
  set('cmd', strings(c.Cmd));
  set('workingDir', str(c.WorkingDir));
  set('user', str(c.User));
  set('stopSignal', str(c.StopSignal));
  if (c.ExposedPorts && typeof c.ExposedPorts === 'object') set('exposedPorts', Object.keys(c.ExposedPorts).sort());
  if (c.Labels && typeof c.Labels === 'object') set('labels', c.Labels as Record<string, string>);
  return {
    config,
    diffIds: doc.rootfs?.diff_ids ?? [],
    platform: { os: doc.os ?? '', architecture: doc.architecture ?? '', ...(doc.variant ? { variant: doc.variant } : {}) },
  };
}

/** Layer compression by media type; foreign Docker layers are gzip like normal ones. */
export function layerCompression(mediaType: string): 'gzip' | 'zstd' | 'none' {
  if (mediaType.endsWith('+zstd')) return 'zstd';
  if (mediaType === MediaType.OciLayerTar) return 'none';
  return 'gzip';
}
