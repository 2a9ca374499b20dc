import { existsSync } from 'node:fs';
import { buildBusyboxImage } from './images/busybox';
import { pushImage } from './images/push';
import { RunningRegistry, registryBlobPath, startRegistry } from './registry';

jest.setTimeout(60_000);

describe('startRegistry', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('serves the distribution API and round-trips a pushed image', async () => {
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    const image = await buildBusyboxImage();
    const { digest } = await pushImage(registry.url, image.dir, 'library/busybox:latest');
    expect(digest).toBe(image.manifestDigest);
    const res = await fetch(`${registry.url}/v2/library/busybox/manifests/latest`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(image.manifestDigest);
    expect(existsSync(registryBlobPath(registry.dataDir, image.layerDigests[0]))).toBe(true);
    // A second push finds every blob present and still succeeds.
    await expect(pushImage(registry.url, image.dir, 'library/busybox:again')).resolves.toEqual({ digest });
    const tags = (await (await fetch(`${registry.url}/v2/library/busybox/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['again', 'latest']);
  });

  it('removes its storage and frees the port when stopped', async () => {
    const second = await startRegistry();
    await second.stop();
    expect(existsSync(second.dataDir)).toBe(false);
    await expect(fetch(`${second.url}/v2/`)).rejects.toThrow();
  });
});
