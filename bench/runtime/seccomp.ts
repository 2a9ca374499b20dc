// Container start with the RuntimeDefault seccomp profile next to Unconfined, interleaved in
// one run so machine noise hits both alike. Target: seccomp costs ≤ 10 % start latency.
import { ContainerDriver, ImageStore } from '@coxswain/runtime';
import { round, summarize } from '../lib/stats';

export interface SeccompFigures {
  seccomp_runtime_default_p50_ms: number;
  seccomp_unconfined_p50_ms: number;
  seccomp_start_overhead: number;
}

export async function seccompStartCost(images: ImageStore, driver: ContainerDriver, rounds: number): Promise<SeccompFigures> {
  const times: Record<'default' | 'unconfined', number[]> = { default: [], unconfined: [] };
  for (let i = 0; i < rounds; i++) {
    // Alternate which variant goes first so neither always runs on a warmer cache.
    const order: Array<'default' | 'unconfined'> = i % 2 ? ['unconfined', 'default'] : ['default', 'unconfined'];
    for (const variant of order) {
      const id = `bench-sc-${variant}-${i}`;
      const start = performance.now();
      const { rootfs } = await images.prepareRootfs('busybox', id);
      await driver.create({ id, rootfs, args: ['sleep', '60'], security: variant === 'unconfined' ? { seccomp: 'unconfined' } : {} });
      await driver.start(id);
      times[variant].push(performance.now() - start);
      await driver.stop(id, 0);
      await driver.remove(id);
      await images.releaseRootfs(id);
    }
  }
  const d = summarize(times.default);
  const u = summarize(times.unconfined);
  return { seccomp_runtime_default_p50_ms: d.p50, seccomp_unconfined_p50_ms: u.p50, seccomp_start_overhead: round(d.p50 / u.p50 - 1, 3) };
}
