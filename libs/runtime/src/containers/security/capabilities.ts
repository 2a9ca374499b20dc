// Linux capabilities for a container: containerd's default set, Kubernetes' add/drop with
// "ALL", everything for privileged containers.
import { DEFAULT_CAPABILITIES } from '../oci-spec';

/** Every capability of Linux 6.1, in number order (CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40). */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** `NET_ADMIN`, `net_admin` and `CAP_NET_ADMIN` all name CAP_NET_ADMIN (Kubernetes omits the prefix). */
export function capabilityName(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

export class UnknownCapabilityError extends Error {}

/**
 * The container's capability set (bounding = effective = permitted), as containerd's CRI
 * plugin computes it: start from the default set (all for privileged), `add: [ALL]` takes all,
 * `drop: [ALL]` empties, then the named adds, then the named drops.
 */
export function containerCapabilities(caps: { add?: string[]; drop?: string[] } = {}, privileged = false): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const isAll = (c: string) => c.trim().toUpperCase() === 'ALL';
  let set = new Set(DEFAULT_CAPABILITIES);
  if ((caps.add ?? []).some(isAll)) set = new Set(ALL_CAPABILITIES);
  if ((caps.drop ?? []).some(isAll)) set = new Set();
  for (const raw of (caps.add ?? []).filter((c) => !isAll(c))) {
    const name = capabilityName(raw);
    if (!ALL_CAPABILITIES.includes(name)) throw new UnknownCapabilityError(`unknown capability "${raw}" in capabilities.add`);
    set.add(name);
  }
  for (const raw of (caps.drop ?? []).filter((c) => !isAll(c))) set.delete(capabilityName(raw));
  return ALL_CAPABILITIES.filter((c) => set.has(c));
}

/** The bit mask `/proc/<pid>/status` prints for a capability set (CapEff and friends). */
export function capabilityMask(caps: string[]): bigint {
  return caps.reduce((mask, c) => {
    const bit = ALL_CAPABILITIES.indexOf(c);
    return bit < 0 ? mask : mask | (1n << BigInt(bit));
  }, 0n);
}

/** The capabilities a `/proc/<pid>/status` mask (e.g. CapBnd) holds. */
export function capabilitiesOfMask(hexMask: string): string[] {
  const mask = BigInt(`0x${hexMask.trim() || '0'}`);
  return ALL_CAPABILITIES.filter((_c, bit) => (mask >> BigInt(bit)) & 1n);
}
