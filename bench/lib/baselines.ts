// Baselines measured in the same run as the system under test: a bare `runc run` of a
// busybox bundle and a bare QEMU boot of the tiny kernel to its init marker.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBusyboxRootfs } from '@coxswain/runtime';

const run = promisify(execFile);

/** ms for `runc run` of `true` in a fresh bundle, `n` times. */
export async function bareRuncRuns(n: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cox-bench-runc-'));
  try {
    await buildBusyboxRootfs(join(dir, 'rootfs'));
    await run('runc', ['spec'], { cwd: dir });
    const spec = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    spec.process.terminal = false;
    spec.process.args = ['/bin/true'];
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = `cox-bench-${process.pid}-${i}`;
      const start = performance.now();
      await run('runc', ['--root', join(dir, 'state'), 'run', '--bundle', dir, id]);
      samples.push(performance.now() - start);
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** ms from starting QEMU (TCG, q35, `console=ttyS0 quiet` like the driver) to the guest's init marker on serial. */
export async function bareQemuBoots(n: number, kernel: string, initrd: string, marker = 'coxswain-guest: init started'): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      const qemu = spawn('qemu-system-x86_64', ['-M', 'q35', '-accel', 'tcg', '-m', '128', '-smp', '1', '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyS0 quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const timer = setTimeout(() => {
        qemu.kill('SIGKILL');
        reject(new Error('bare QEMU boot timed out'));
      }, 60_000);
      qemu.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(marker)) {
          samples.push(performance.now() - start);
          clearTimeout(timer);
          qemu.kill('SIGKILL');
          resolve();
        }
      });
      qemu.on('error', reject);
    });
  }
  return samples;
}
