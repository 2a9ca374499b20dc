import { ImagePullError } from './errors';
import { Descriptor, ImageIndex, layerCompression, MediaType, parseImageConfig, parseManifest, selectPlatform } from './manifest';

const dg = (c: string) => 'sha256:' + c.repeat(64);
const desc = (c: string, platform?: Descriptor['platform'], mediaType: string = MediaType.OciManifest): Descriptor => ({
  mediaType,
  digest: dg(c),
  size: 100,
  ...(platform ? { platform } : {}),
});
const index = (...manifests: Descriptor[]): ImageIndex => ({ kind: 'index', mediaType: MediaType.OciIndex, manifests });

describe('selectPlatform', () => {
  const cases: Array<{ name: string; idx: ImageIndex; want?: string; platform?: { os: string; architecture: string; variant?: string } }> = [
    {
      name: 'picks linux/amd64 among several',
      idx: index(desc('1', { os: 'linux', architecture: 'arm64', variant: 'v8' }), desc('2', { os: 'linux', architecture: 'amd64' }), desc('3', { os: 'windows', architecture: 'amd64' })),
      want: '2',
    },
    {
      name: 'skips attestation manifests without a platform',
      idx: index(desc('a'), desc('b', { os: 'unknown', architecture: 'unknown' }), desc('c', { os: 'linux', architecture: 'amd64' })),
      want: 'c',
    },
    {
      name: 'prefers no variant over an unknown amd64 variant',
      idx: index(desc('4', { os: 'linux', architecture: 'amd64', variant: 'v3' }), desc('5', { os: 'linux', architecture: 'amd64' })),
      want: '5',
    },
    {
      name: 'accepts a lone variant entry when no better one exists',
      idx: index(desc('6', { os: 'linux', architecture: 'amd64', variant: 'v2' })),
      want: '6',
    },
    {
      name: 'matches an exact variant when asked for one',
      idx: index(desc('7', { os: 'linux', architecture: 'arm', variant: 'v6' }), desc('8', { os: 'linux', architecture: 'arm', variant: 'v7' })),
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
      want: '8',
    },
    {
      name: 'returns nothing when no linux/amd64 entry exists',
      idx: index(desc('9', { os: 'linux', architecture: 'arm64' })),
    },
    {
      name: 'does not pick a nested index',
      idx: index(desc('d', { os: 'linux', architecture: 'amd64' }, MediaType.OciIndex)),
    },
  ];
  it.each(cases)('$name', ({ idx, want, platform }) => {
    const got = selectPlatform(idx, platform);
    expect(got?.digest).toBe(want ? dg(want) : undefined);
  });
});

describe('parseManifest', () => {
  const layer = { mediaType: MediaType.OciLayerGzip, digest: dg('1'), size: 3 };
  const config = { mediaType: MediaType.OciConfig, digest: dg('2'), size: 4 };
  const cases: Array<{ name: string; body: unknown; contentType?: string; kind?: 'index' | 'manifest'; mediaType?: string; error?: RegExp }> = [
    { name: 'OCI manifest', body: { schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers: [layer] }, kind: 'manifest', mediaType: MediaType.OciManifest },
    { name: 'OCI manifest without mediaType takes the Content-Type', body: { schemaVersion: 2, config, layers: [layer] }, contentType: `${MediaType.OciManifest}; charset=utf-8`, kind: 'manifest', mediaType: MediaType.OciManifest },
    { name: 'Docker schema2', body: { schemaVersion: 2, mediaType: MediaType.DockerManifest, config: { ...config, mediaType: MediaType.DockerConfig }, layers: [{ ...layer, mediaType: MediaType.DockerLayerGzip }] }, kind: 'manifest', mediaType: MediaType.DockerManifest },
    { name: 'Docker manifest list', body: { schemaVersion: 2, mediaType: MediaType.DockerManifestList, manifests: [desc('3', { os: 'linux', architecture: 'amd64' })] }, kind: 'index', mediaType: MediaType.DockerManifestList },
    { name: 'OCI index without mediaType', body: { schemaVersion: 2, manifests: [] }, kind: 'index', mediaType: MediaType.OciIndex },
    { name: 'schema1 is refused', body: { schemaVersion: 1, fsLayers: [] }, error: /schema1/ },
    { name: 'missing layers', body: { schemaVersion: 2, config }, error: /lacks config or layers/ },
    { name: 'unknown layer type', body: { schemaVersion: 2, config, layers: [{ ...layer, mediaType: 'application/x-foo' }] }, error: /unsupported layer/ },
    { name: 'malformed index entry', body: { manifests: [{ digest: 1 }] }, error: /malformed/ },
    { name: 'not JSON', body: '{nope', error: /not valid JSON/ },
  ];
  it.each(cases)('$name', ({ body, contentType, kind, mediaType, error }) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    if (error) {
      expect(() => parseManifest(raw, contentType)).toThrow(ImagePullError);
      expect(() => parseManifest(raw, contentType)).toThrow(error);
      return;
    }
    const got = parseManifest(raw, contentType);
    expect(got.kind).toBe(kind);
    expect(got.mediaType).toBe(mediaType);
  });
});

describe('parseImageConfig', () => {
  it('maps Docker-style capitalised fields and keeps diff ids', () => {
    const got = parseImageConfig(
      JSON.stringify({
        os: 'linux',
        architecture: 'amd64',
        config: { Entrypoint: ['/init'], Cmd: ['sh'], Env: ['PATH=/bin'], WorkingDir: '/w', User: '1000:1000', ExposedPorts: { '80/tcp': {}, '443/tcp': {} }, Labels: { a: 'b' }, StopSignal: 'SIGINT' },
        rootfs: { type: 'layers', diff_ids: [dg('e')] },
      }),
    );
    expect(got).toEqual({
      config: { entrypoint: ['/init'], cmd: ['sh'], env: ['PATH=/bin'], workingDir: '/w', user: '1000:1000', exposedPorts: ['443/tcp', '80/tcp'], labels: { a: 'b' }, stopSignal: 'SIGINT' },
      diffIds: [dg('e')],
      platform: { os: 'linux', architecture: 'amd64' },
    });
  });
  it('tolerates a null config and empty strings', () => {
    expect(parseImageConfig('{"config":null}').config).toEqual({ env: [] });
    expect(parseImageConfig('{"config":{"WorkingDir":"","Cmd":null}}').config).toEqual({ env: [] });
  });
});

describe('layerCompression', () => {
  it.each([
    [MediaType.OciLayerGzip, 'gzip'],
    [MediaType.DockerLayerGzip, 'gzip'],
    [MediaType.DockerForeignLayerGzip, 'gzip'],
    [MediaType.OciLayerZstd, 'zstd'],
    [MediaType.OciLayerTar, 'none'],
  ])('%s → %s', (mt, want) => expect(layerCompression(mt)).toBe(want));
});
