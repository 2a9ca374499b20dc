// Runtime benchmark: container create→running through ContainerDriver (shim + runc, overlay
// rootfs from the image store) next to a bare `runc run`; VM create→guest-init through VmDriver
// next to a bare QEMU boot of the same kernel. Last line: JSON.
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerDriver, GUEST_INIT_MARKER, ImageStore, VmDriver } from '@coxswain/runtime';
import { buildTinyVmFiles, scrubNode, seedRegistry, startRegistry } from '@coxswain/harness';
import { bareQemuBoots, bareRuncRuns } from '../lib/baselines';
import { round, summarize } from '../lib/stats';
import { seccompStartCost } from './seccomp';
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
    // The node agent's path: created and started by one runc process (`runc run --detach` in
    // the shim), no state read back; the loop above is the driver's create() and start(), which
    // each read the state back with `runc state`.
    const runMs: number[] = [];
    for (let i = 0; i < CONTAINERS; i++) {
      const id = `bench-run-${i}`;
      const start = performance.now();
      const { rootfs } = await images.prepareRootfs('busybox', id);
      await driver.createContainer({ id, rootfs, args: ['sleep', '60'] }, { start: true });
      runMs.push(performance.now() - start);
    }
    for (const id of Array.from({ length: CONTAINERS }, (_, i) => [`bench-${i}`, `bench-run-${i}`]).flat()) {
      await driver.stop(id, 0);
      await driver.remove(id);
      await images.releaseRootfs(id);
    }
    const runcMs = await bareRuncRuns(CONTAINERS);
    const seccomp = await seccompStartCost(images, driver, CONTAINERS);
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
    const one = summarize(runMs);
    const r = summarize(runcMs);
    const v = summarize(vmMs);
    const q = summarize(qemuMs);
    console.log(`containers: create→running p50 ${c.p50} ms p99 ${c.p99} ms; in one runc process (the agent's path) p50 ${one.p50} ms p99 ${one.p99} ms (bare runc run p50 ${r.p50} ms)`);
    console.log(`seccomp: start p50 RuntimeDefault ${seccomp.seccomp_runtime_default_p50_ms} ms vs Unconfined ${seccomp.seccomp_unconfined_p50_ms} ms (overhead ${round(seccomp.seccomp_start_overhead * 100, 1)} %, target ≤ 10 %)`);
    console.log(`VMs: create→guest init p50 ${v.p50} ms (bare QEMU boot p50 ${q.p50} ms)`);
    console.log(JSON.stringify({ container_p50_ms: c.p50, container_p99_ms: c.p99, runc_p50_ms: r.p50, runc_p99_ms: r.p99, container_vs_runc: round(c.p50 / r.p50, 2), container_one_runc_p50_ms: one.p50, container_one_runc_vs_runc: round(one.p50 / r.p50, 2), vm_p50_ms: v.p50, qemu_p50_ms: q.p50, vm_vs_qemu: round(v.p50 / q.p50, 2), containers: CONTAINERS, vms: VMS, ...seccomp, ...imageFigures }));
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
