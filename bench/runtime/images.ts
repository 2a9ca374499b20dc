// Image figures for the runtime benchmark: pull+unpack throughput and container start p50 of
// the Debian base image (debian:bookworm-slim, ~29 MB compressed) next to busybox's, both
// from the same local registry in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerDriver, ImageStore } from '@coxswain/runtime';
import { seedDebianImages } from '@coxswain/harness';
import { round, summarize } from '../lib/stats';

const PULLS = Number(process.env.BENCH_PULLS ?? 3);
const STARTS = Number(process.env.BENCH_IMAGE_STARTS ?? 10);

interface ImageFigures {
  /** Compressed MB pulled and unpacked per second (fresh store each time). */
  pullMBps: number;
  pullMs: number;
  startP50Ms: number;
  sizeMB: number;
}

async function measure(registryUrl: string, root: string, driver: ContainerDriver, ref: string): Promise<ImageFigures> {
  const pullMs: number[] = [];
  let size = 0;
  for (let i = 0; i < PULLS; i++) {
    const dir = await mkdtemp(join(root, 'pull-'));
    const store = new ImageStore({ root: dir, registry: { mirrors: { 'docker.io': [registryUrl] } } });
    const start = performance.now();
    size = (await store.pull(ref)).size;
    pullMs.push(performance.now() - start);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  const store = new ImageStore({ root: join(root, 'starts'), registry: { mirrors: { 'docker.io': [registryUrl] } } });
  await store.pull(ref);
  const startMs: number[] = [];
  const name = ref.replace(/\W+/g, '-');
  for (let i = 0; i < STARTS; i++) {
    const id = `img-${name}-${i}`;
    const start = performance.now();
    const { rootfs } = await store.prepareRootfs(ref, id);
    await driver.create({ id, rootfs, args: ['sleep', '60'] });
    await driver.start(id);
    startMs.push(performance.now() - start);
  }
  for (let i = 0; i < STARTS; i++) {
    await driver.stop(`img-${name}-${i}`, 0);
    await driver.remove(`img-${name}-${i}`);
    await store.releaseRootfs(`img-${name}-${i}`);
  }
  await store.close();
  const pull = summarize(pullMs);
  return { pullMBps: round(size / 1e6 / (pull.p50 / 1000), 1), pullMs: pull.p50, startP50Ms: summarize(startMs).p50, sizeMB: round(size / 1e6, 1) };
}

/** Debian base vs busybox: pull+unpack MB/s and create→running p50, plus the ratios. */
export async function benchImages(registryUrl: string, root: string, driver: ContainerDriver): Promise<Record<string, number>> {
  const built = await seedDebianImages(registryUrl);
  const busybox = await measure(registryUrl, root, driver, 'busybox');
  const debian = await measure(registryUrl, root, driver, 'debian:bookworm-slim');
  console.log(`images: busybox ${busybox.sizeMB} MB pull+unpack ${busybox.pullMs} ms (${busybox.pullMBps} MB/s), start p50 ${busybox.startP50Ms} ms`);
  console.log(`images: debian:bookworm-slim ${debian.sizeMB} MB pull+unpack ${debian.pullMs} ms (${debian.pullMBps} MB/s), start p50 ${debian.startP50Ms} ms` + (built.buildSeconds ? ` (images built from Debian packages in ${built.buildSeconds} s)` : ''));
  return {
    busybox_pull_MBps: busybox.pullMBps,
    busybox_start_p50_ms: busybox.startP50Ms,
    debian_pull_MBps: debian.pullMBps,
    debian_pull_ms: debian.pullMs,
    debian_start_p50_ms: debian.startP50Ms,
    debian_vs_busybox_start: round(debian.startP50Ms / busybox.startP50Ms, 2),
  };
}
