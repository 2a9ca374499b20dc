/** Pure: how QEMU is confined — seccomp sandbox and the unprivileged user it drops to. */

/** What the host allows, decided once per driver (see host-safety.ts). */
export interface QemuConfinement {
  /** This QEMU was built with seccomp and accepts the sandbox options. */
  sandbox: boolean;
  /** User QEMU switches to once its devices, sockets and files are open; undefined: stays root. */
  runAs?: string;
}

/** The dedicated user QEMU drops to (created at install time, or on first use). */
export const QEMU_USER = 'coxswain-qemu';

/**
 * `-sandbox` value: deny obsolete syscalls, spawning processes and resource control. With
 * `-runas`, QEMU's own setuid/setgid must stay allowed (elevateprivileges=deny kills QEMU 7.2
 * with SIGSYS at that call); once it has switched it holds no capabilities and seccomp has
 * set no_new_privs, so it cannot get root back. Without `-runas`, set*id is denied too.
 */
export function sandboxOption(runAs: string | undefined): string {
  return `on,obsolete=deny,elevateprivileges=${runAs ? 'allow' : 'deny'},spawn=deny,resourcecontrol=deny`;
}

/** Arguments added to QEMU's command line for a confinement. */
export function confinementArgs(c: QemuConfinement | undefined): string[] {
  if (!c) return [];
  return [...(c.sandbox ? ['-sandbox', sandboxOption(c.runAs)] : []), ...(c.runAs ? ['-runas', c.runAs] : [])];
}
