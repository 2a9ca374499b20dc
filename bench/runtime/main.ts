// Runtime benchmark: container create→running through ContainerDriver (shim + runc, overlay
// rootfs from the image store) next to a bare `runc run`; VM create→guest-init through VmDriver
// next to a bare QEMU boot of the same kernel. Last line: JSON.
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerDriver, GUEST_INIT_MARKER, ImageStore, VmDriver } from '@coxswain/runtime';
import { buildTinyVmFiles, scrubNode, seedRegistry, startRegistry } from '@coxswain/harness';
import { bareQemuBoots, bareRuncRuns } from '../lib/baselines';
import { round, summarize } from '../lib/stats';
import { benchImages } from './images';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 20);
const VMS = Number(process.env.BENCH_VMS ?? 3);

async function main(): Promise<void> {
  const root = await mkdtemp(join('/tmp', 'cxbr-'));
  const registry = await startRegistry();
  try {
    await seedRegistry(registry.url);
    const images = new ImageStore({ root: join(root, 'images'), registry: { mirrors: { 'docker.io': [registry.url] }, insecure: [registry.host] } });
    await images.pull('busybox');
    const driver = new ContainerDriver({ root: join(root, 'c'), cgroupParent: `cxbench-${process.pid}` });
    await driver.init();
    const containerMs: number[] = [];
    for (let i = 0; i < CONTAINERS; i++) {
      const id = `bench-${i}`;
      const start = performance.now();
      const { rootfs } = await images.prepareRootfs('busybox', id);
      await driver.create({ id, rootfs, args: ['sleep', '60'] });
      await driver.start(id);
      containerMs.push(performance.now() - start);
    }
    for (let i = 0; i < CONTAINERS; i++) {
      await driver.stop(`bench-${i}`, 0);
      await driver.remove(`bench-${i}`);
      await images.releaseRootfs(`bench-${i}`);
    }
    const runcMs = await bareRuncRuns(CONTAINERS);
    const imageFigures = await benchImages(registry.url, root, driver);

    const files = await buildTinyVmFiles();
    const vms = new VmDriver({ root: join(root, 'v'), accel: 'tcg', cgroupParent: `cxbench-vm-${process.pid}` });
    const vmMs: number[] = [];
    for (let i = 0; i < VMS; i++) {
      const uid = `bench-vm-${i}`;
      const start = performance.now();
      await vms.start({ uid, name: uid, namespace: 'bench', cpus: 1, memoryBytes: 128 * 1024 * 1024, kernelPath: files.kernelPath, initrdPath: files.initrdPath });
      for (;;) {
        const log = await readFile(vms.consoleLogPath(uid), 'utf8').catch(() => '');
        if (log.includes(GUEST_INIT_MARKER)) break;
        if (performance.now() - start > 60_000) throw new Error('VM did not boot');
        await new Promise((r) => setTimeout(r, 20));
      }
      vmMs.push(performance.now() - start);
      await vms.stop(uid, 0);
      await vms.remove(uid);
    }
    const qemuMs = await bareQemuBoots(VMS, files.kernelPath, files.initrdPath);
    const c = summarize(containerMs);
    const r = summarize(runcMs);
    const v = summarize(vmMs);
    const q = summarize(qemuMs);
    console.log(`containers: create→running p50 ${c.p50} ms p99 ${c.p99} ms (bare runc run p50 ${r.p50} ms)`);
    console.log(`VMs: create→guest init p50 ${v.p50} ms (bare QEMU boot p50 ${q.p50} ms)`);
    console.log(JSON.stringify({ container_p50_ms: c.p50, container_p99_ms: c.p99, runc_p50_ms: r.p50, runc_p99_ms: r.p99, container_vs_runc: round(c.p50 / r.p50, 2), vm_p50_ms: v.p50, qemu_p50_ms: q.p50, vm_vs_qemu: round(v.p50 / q.p50, 2), containers: CONTAINERS, vms: VMS, ...imageFigures }));
  } finally {
    await registry.stop();
    // Containers and VMs are gone by now; this also removes their cgroup parents and mounts.
    await scrubNode({ root, cgroupParents: [`cxbench-${process.pid}`, `cxbench-vm-${process.pid}`] });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
