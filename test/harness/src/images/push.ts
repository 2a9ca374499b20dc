import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBusyboxImage } from './busybox';

interface Desc {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

async function pushBlob(registryUrl: string, repo: string, layoutDir: string, digest: string): Promise<void> {
  const head = await fetch(`${registryUrl}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return;
  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start for ${repo}: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', digest);
  const body = await readFile(join(layoutDir, 'blobs', 'sha256', digest.slice(7)));
  const put = await fetch(location, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob upload ${digest} to ${repo}: HTTP ${put.status} ${await put.text()}`);
}

async function pushManifest(registryUrl: string, repo: string, layoutDir: string, desc: Desc, reference: string): Promise<void> {
  const body = await readFile(join(layoutDir, 'blobs', 'sha256', desc.digest.slice(7)));
  const doc = JSON.parse(body.toString()) as { manifests?: Desc[]; config?: Desc; layers?: Desc[] };
  if (INDEX_TYPES.has(desc.mediaType)) {
    for (const child of doc.manifests ?? []) await pushManifest(registryUrl, repo, layoutDir, child, child.digest);
  } else {
    for (const blob of [doc.config, ...(doc.layers ?? [])]) if (blob) await pushBlob(registryUrl, repo, layoutDir, blob.digest);
  }
  const put = await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body, headers: { 'content-type': desc.mediaType } });
  if (put.status !== 201) throw new Error(`manifest PUT ${repo}:${reference}: HTTP ${put.status} ${await put.text()}`);
}

/**
 * Pushes the image of an OCI layout to a registry as `name:tag` (e.g. 'library/busybox:latest'):
 * monolithic blob uploads (POST, then PUT ?digest=), then the manifest. Returns its digest.
 */
export async function pushImage(registryUrl: string, layoutDir: string, nameAndTag: string): Promise<{ digest: string }> {
  const colon = nameAndTag.lastIndexOf(':');
  const [repo, tag] = colon > nameAndTag.lastIndexOf('/') ? [nameAndTag.slice(0, colon), nameAndTag.slice(colon + 1)] : [nameAndTag, 'latest'];
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: Desc[] };
  const top = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag) ?? index.manifests[0];
  if (!top) throw new Error(`${layoutDir}: index.json lists no manifest`);
  await pushManifest(registryUrl, repo, layoutDir, top, tag);
  return { digest: top.digest };
}

/** Pushes the busybox fixture as library/busybox:latest, so a docker.io mirror serves `image: busybox`. */
export async function seedRegistry(registryUrl: string): Promise<{ ref: string; digest: string }> {
  const image = await buildBusyboxImage();
  const { digest } = await pushImage(registryUrl, image.dir, 'library/busybox:latest');
  return { ref: 'library/busybox:latest', digest };
}
