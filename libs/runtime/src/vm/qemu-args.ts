/** Pure: a VmSpec and an accelerator → QEMU's command line, file layout and limits. */
import { join } from 'node:path';
import { configDiskArgs, configDiskProblems } from './config-disk';
import { confinementArgs, QemuConfinement } from './confinement';
import { qemuEscape } from './qemu-escape';
import { Accel, VmSpec } from './types';

const MiB = 1024 * 1024;
/** Translated-code cache under TCG; bounded so the memory limit stays predictable. */
export const TCG_TB_SIZE_MIB = 64;
/** QEMU's own footprint beside guest RAM (device models, I/O buffers, libraries). */
export const QEMU_OVERHEAD_BYTES = 160 * MiB;
/** sun_path is 108 bytes including the NUL. */
const MAX_SOCKET_PATH = 107;

export interface VmPaths {
  dir: string;
  record: string;
  qmpSocket: string;
  consoleSocket: string;
  consoleLog: string;
  pidFile: string;
  qemuLog: string;
  exitFile: string;
  stopFile: string;
  seedIso: string;
  /** The console log before the last rotation (one previous file is kept). */
  previousConsoleLog: string;
  /** Exists once the guest's init marker was seen (it may since have been rotated away). */
  initSeen: string;
  overlay(index: number): string;
  configDisk(index: number): string;
}

export function vmPaths(root: string, uid: string): VmPaths {
  const dir = join(root, 'vms', uid);
  return {
    dir,
    record: join(dir, 'vm.json'),
    qmpSocket: join(dir, 'qmp.sock'),
    consoleSocket: join(dir, 'console.sock'),
    consoleLog: join(dir, 'console.log'),
    pidFile: join(dir, 'qemu.pid'),
    qemuLog: join(dir, 'qemu.log'),
    exitFile: join(dir, 'exit'),
    stopFile: join(dir, 'stop.json'),
    seedIso: join(dir, 'cidata.iso'),
    previousConsoleLog: join(dir, 'console.log.1'),
    initSeen: join(dir, 'init-seen'),
    overlay: (i) => join(dir, `disk${i}.qcow2`),
    configDisk: (i) => join(dir, `config${i}.iso`),
  };
}

/** Everything wrong with a spec, as messages; empty when it can be started. */
export function validateVmSpec(spec: VmSpec, paths: VmPaths): string[] {
  const errors: string[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(spec.uid)) errors.push(`uid ${JSON.stringify(spec.uid)} is not a safe directory name`);
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1) errors.push(`cpus must be a positive integer, got ${spec.cpus}`);
  if (!(spec.memoryBytes >= 16 * MiB)) errors.push(`memoryBytes must be at least 16Mi, got ${spec.memoryBytes}`);
  if (!spec.kernelPath && !spec.disks?.length) errors.push('need a kernelPath or at least one disk to boot from');
  if (spec.initrdPath && !spec.kernelPath) errors.push('initrdPath needs kernelPath');
  const net = spec.network;
  if (net) {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(net.tap)) errors.push(`tap name ${JSON.stringify(net.tap)} must be 1-15 safe characters`);
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(net.mac)) errors.push(`mac ${JSON.stringify(net.mac)} is not aa:bb:cc:dd:ee:ff`);
    if (!isIPv4(net.ip)) errors.push(`ip ${JSON.stringify(net.ip)} is not IPv4`);
    if (net.gateway !== undefined && !isIPv4(net.gateway)) errors.push(`gateway ${JSON.stringify(net.gateway)} is not IPv4`);
    if (!Number.isInteger(net.prefixLength) || net.prefixLength < 1 || net.prefixLength > 32) errors.push(`prefixLength ${net.prefixLength} out of 1-32`);
  }
  if (spec.cloudInitNetworkConfig !== undefined && spec.cloudInitUserData === undefined) errors.push('cloudInitNetworkConfig needs cloudInitUserData (one NoCloud seed)');
  errors.push(...configDiskProblems(spec.configDisks));
  for (const sock of [paths.qmpSocket, paths.consoleSocket]) {
    if (Buffer.byteLength(sock) > MAX_SOCKET_PATH) errors.push(`socket path ${sock} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter runtime root`);
  }
  return errors;
}

export { qemuEscape };

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * Kernel arguments for direct boot: the serial console, the caller's extras (default `quiet`),
 * then `coxswain.*` keys Coxswain guest images read, because the cloud kernel has no `ip=`.
 */
export function kernelCmdline(spec: VmSpec): string {
  const args = ['console=ttyS0', spec.cmdline ?? 'quiet', `coxswain.hostname=${spec.name}`];
  const net = spec.network;
  if (net) {
    args.push(`coxswain.ip=${net.ip}/${net.prefixLength}`);
    if (net.gateway) args.push(`coxswain.gw=${net.gateway}`);
  }
  return args.filter(Boolean).join(' ');
}

/** QEMU's -m takes MiB: round the guest memory up. */
export const guestMemoryMiB = (bytes: number): number => Math.ceil(bytes / MiB);

/** The memory cgroup limit for a VM: guest RAM, QEMU itself and, under TCG, the code cache. */
export function memoryLimitBytes(memoryBytes: number, accel: Accel): number {
  return guestMemoryMiB(memoryBytes) * MiB + QEMU_OVERHEAD_BYTES + (accel === 'tcg' ? TCG_TB_SIZE_MIB * MiB : 0);
}

/** QEMU arguments for a VM whose disks and seed already exist at `paths`. */
export function qemuArgs(spec: VmSpec, accel: Accel, paths: VmPaths, confinement?: QemuConfinement): string[] {
  const args = [
    '-name', `guest=${spec.namespace}_${spec.name},debug-threads=on`,
    '-machine', 'q35',
    '-accel', accel === 'tcg' ? `tcg,tb-size=${TCG_TB_SIZE_MIB}` : 'kvm',
    '-smp', String(spec.cpus),
    '-m', String(guestMemoryMiB(spec.memoryBytes)),
    '-nodefaults', '-no-user-config', '-display', 'none',
    '-qmp', `unix:${qemuEscape(paths.qmpSocket)},server=on,wait=off`,
    // One serial line: logged to a file and attachable over a socket at the same time.
    '-chardev', `socket,id=serial0,path=${qemuEscape(paths.consoleSocket)},server=on,wait=off,logfile=${qemuEscape(paths.consoleLog)},logappend=on`,
    '-serial', 'chardev:serial0',
    '-pidfile', paths.pidFile,
    ...confinementArgs(confinement),
  ];
  if (spec.kernelPath) {
    args.push('-kernel', spec.kernelPath, '-append', kernelCmdline(spec));
    if (spec.initrdPath) args.push('-initrd', spec.initrdPath);
  }
  (spec.disks ?? []).forEach((disk, i) => {
    const boot = !spec.kernelPath && i === 0 ? ',bootindex=1' : '';
    const [file, format] = disk.persistent ? [disk.path, disk.format] : [paths.overlay(i), 'qcow2'];
    args.push('-drive', `file=${qemuEscape(file)},if=none,id=disk${i},format=${format},discard=unmap`);
    args.push('-device', `virtio-blk-pci,drive=disk${i},serial=disk${i}${boot}`);
  });
  args.push(...configDiskArgs(spec.configDisks, paths));
  if (spec.cloudInitUserData !== undefined) {
    args.push('-drive', `file=${qemuEscape(paths.seedIso)},if=none,id=cidata,format=raw,readonly=on`);
    args.push('-device', 'virtio-blk-pci,drive=cidata,serial=cidata');
  }
  if (spec.network) {
    args.push('-netdev', `tap,id=net0,ifname=${spec.network.tap},script=no,downscript=no`);
    args.push('-device', `virtio-net-pci,netdev=net0,mac=${spec.network.mac}`);
  }
  return args;
}

/** NoCloud meta-data: instance-id changes per VMI so cloud-init treats each as a first boot. */
export function cloudInitMetaData(spec: VmSpec): string {
  return `instance-id: ${spec.uid}\nlocal-hostname: ${spec.name}\n`;
}
