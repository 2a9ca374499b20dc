/**
 * KVM or TCG, decided by booting: some hosts expose a /dev/kvm that accepts KVM_CREATE_VM yet
 * never runs a guest (nested pagetable-based KVM), so the device's presence proves nothing.
 */
import { spawn } from 'node:child_process';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Accel, GUEST_INIT_MARKER } from './types';

export interface ProbeBootOptions {
  qemu?: string;
  kernelPath: string;
  /** With an initrd the probe waits for the Coxswain guest init marker; without, for the kernel banner. */
  initrdPath?: string;
  timeoutMs?: number;
  marker?: string;
}

export interface DetectAccelOptions extends ProbeBootOptions {
  /** Where the verdict is kept (e.g. `<runtime root>/accel.json`); probing happens once per qemu binary. */
  cachePath?: string;
  kvmDevice?: string;
}

/** Boots the kernel under `accel` and reports whether the marker reached the serial console in time. */
export function probeBoot(accel: Accel, options: ProbeBootOptions): Promise<boolean> {
  const marker = options.marker ?? (options.initrdPath ? GUEST_INIT_MARKER : 'Linux version');
  const args = [
    '-machine', 'q35', '-accel', accel, '-m', '128', '-smp', '1',
    '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio',
    '-kernel', options.kernelPath, '-append', options.initrdPath ? 'console=ttyS0 quiet' : 'console=ttyS0',
    ...(options.initrdPath ? ['-initrd', options.initrdPath] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(options.qemu ?? 'qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = '';
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 8000);
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(marker)) finish(true);
    });
    child.on('error', () => finish(false));
    child.on('exit', () => finish(false));
  });
}

/** 'kvm' if a KVM probe boot reaches the marker, else 'tcg'; cached at `cachePath` per qemu binary. */
export async function detectAccel(options: DetectAccelOptions): Promise<Accel> {
  const qemu = options.qemu ?? 'qemu-system-x86_64';
  if (options.cachePath) {
    const cached = await readFile(options.cachePath, 'utf8').then((t) => JSON.parse(t) as { qemu?: string; accel?: Accel }, () => undefined);
    if (cached?.qemu === qemu && (cached.accel === 'kvm' || cached.accel === 'tcg')) return cached.accel;
  }
  const hasDevice = await access(options.kvmDevice ?? '/dev/kvm').then(() => true, () => false);
  const accel: Accel = hasDevice && (await probeBoot('kvm', { ...options, qemu })) ? 'kvm' : 'tcg';
  if (options.cachePath) {
    await mkdir(dirname(options.cachePath), { recursive: true });
    const tmp = `${options.cachePath}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ qemu, accel, probedAt: new Date().toISOString() }));
    await rename(tmp, options.cachePath);
  }
  return accel;
}
