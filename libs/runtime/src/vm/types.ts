/** What the node agent asks of the VM driver, and what it reads back. */

export type Accel = 'kvm' | 'tcg';
export type AccelSetting = Accel | 'auto';

export interface VmDisk {
  /** Base image; the VM writes to its own qcow2 overlay, never to this file (unless persistent). */
  path: string;
  format: 'raw' | 'qcow2';
  /** Written in place, with no overlay: a PersistentVolumeClaim's disk.img, kept across VM restarts. */
  persistent?: boolean;
}

/** A read-only ISO disk the driver builds from files, as KubeVirt builds configMap/secret disks. */
export interface VmConfigDisk {
  /** The volume's name (a DNS label). */
  name: string;
  /** ISO 9660 volume label the guest finds it by (KubeVirt: `cfgdata` unless `volumeLabel`). */
  label: string;
  /** virtio-blk serial (≤ 20 characters), from the VMI disk's `serial`. */
  serial?: string;
  files: Array<{ path: string; base64: string }>;
}

export interface VmNetwork {
  /** Host tap device name (≤ 15 chars); created if missing, attached to `bridge`. */
  tap: string;
  bridge: string;
  mac: string;
  ip: string;
  prefixLength: number;
  gateway?: string;
}

export interface VmSpec {
  /** Workload uid: names the VM's directory, cgroup and QEMU instance. */
  uid: string;
  name: string;
  namespace: string;
  cpus: number;
  memoryBytes: number;
  /** Direct kernel boot; without it the first disk boots through the firmware. */
  kernelPath?: string;
  initrdPath?: string;
  /** Extra kernel arguments (replace the default `quiet`). */
  cmdline?: string;
  disks?: VmDisk[];
  /** NoCloud user-data; served on a read-only virtio disk labelled `cidata`. */
  cloudInitUserData?: string;
  /** NoCloud network-config (cloud-init v1 or v2 YAML), written beside user-data in the seed. */
  cloudInitNetworkConfig?: string;
  /** Read-only ISO 9660 disks made from files (configMap/secret/serviceAccount volumes), after `disks`. */
  configDisks?: VmConfigDisk[];
  network?: VmNetwork;
  /** QEMU's cgroup (e.g. `<node parent>/kubepods/burstable/pod<uid>`); default `<driver parent>/<uid>`. */
  cgroupPath?: string;
}

export type VmStatus = 'running' | 'exited';

export interface VmState {
  uid: string;
  name: string;
  namespace: string;
  status: VmStatus;
  /** QEMU's pid (while known). */
  pid?: number;
  startedAt: string;
  finishedAt?: string;
  /** QEMU's exit code; absent when nobody saw it exit (e.g. the host rebooted). */
  exitCode?: number;
  /** The guest powered itself off (ACPI or its own `poweroff`) rather than being quit or killed. */
  graceful?: boolean;
  /** QEMU's last complaint when it exited with an error. */
  message?: string;
}

export interface VmGuestInfo {
  /** Address given to the guest on its kernel command line, `A.B.C.D`. */
  ip?: string;
  /** The guest's init printed its marker on the serial console. */
  initStarted: boolean;
}

export interface VmStats {
  cpuUsageSeconds: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
}

/** pino-compatible subset, injected so the driver never picks a logging backend. */
export interface VmLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Printed by Coxswain guest images' init; `guestInfo` looks for it in the console log. */
export const GUEST_INIT_MARKER = 'coxswain-guest: init started';
/** What Linux prints last when the guest powers off by itself. */
export const GUEST_POWER_DOWN_MARKER = 'reboot: Power down';
