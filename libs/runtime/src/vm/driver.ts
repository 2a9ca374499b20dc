import { FSWatcher, watch } from 'node:fs';
import { mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, Socket } from 'node:net';
import { join } from 'node:path';
import { CgroupLayout, detectCgroupLayout } from '../cgroups';
import { detectAccel } from './accel';
import { createVmCgroup, readVmCgroupStats, removeVmCgroup, vmCgroupPath } from './cgroup';
import { QemuConfinement, QEMU_USER, sandboxOption } from './confinement';
import { diskImageProblems } from './disk-check';
import { createIsoImage, createOverlay, createSeedIso, deleteTap, ensureTap } from './host';
import { ensureSystemUser, qemuImgInfo, qemuSupportsSandbox, rotateConsoleLog } from './host-safety';
import { isLiveProcessWith, launchDetached, readExitCode, readPidFile } from './launch';
import { QmpSession } from './qmp';
import { cloudInitMetaData, guestMemoryMiB, memoryLimitBytes, qemuArgs, validateVmSpec, VmPaths, vmPaths } from './qemu-args';
import { readJson, StopRecord, VmRecord, writeJson } from './records';
import { readVmMemory, VmMemory } from '../proc/smaps';
import {
  Accel, AccelSetting, GUEST_INIT_MARKER, GUEST_POWER_DOWN_MARKER, VmGuestInfo, VmLogger, VmSpec, VmState, VmStats,
} from './types';

export interface VmDriverOptions {
  /** Runtime root; VMs live in `<root>/vms/<uid>/`. Keep it short: QEMU's unix sockets live there. */
  root: string;
  qemu?: string;
  accel?: AccelSetting;
  /** Kernel (and initrd) booted once under KVM when `accel` is 'auto'. */
  probe?: { kernelPath: string; initrdPath?: string; timeoutMs?: number };
  /** cgroup parent for QEMU processes, under each controller's mount. */
  cgroupParent?: string;
  logger?: VmLogger;
  /** How long QEMU may take to answer on QMP after launch. */
  startTimeoutMs?: number;
  now?: () => Date;
  /** QEMU's seccomp sandbox: 'auto' (default) uses it when this QEMU supports it. */
  sandbox?: boolean | 'auto';
  /** User QEMU drops to after opening its files (default coxswain-qemu, created if missing); null keeps root. */
  runAs?: string | null;
  /** Largest virtual size a base disk may have (bounds the overlay the VM writes). */
  maxDiskBytes?: number;
  /** The console log is rotated past this size, keeping one previous file (default 1 MiB). */
  consoleLogMaxBytes?: number;
  /** How often a running VM's console log size is checked. */
  consoleCheckMs?: number;
}

export class VmSpecError extends Error {}

const DEFAULT_CONSOLE_LOG_MAX_BYTES = 2 ** 20;
const quietLogger: VmLogger = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs VMs as detached QEMU processes, one directory per VM holding its record, sockets, console
 * log and disk overlays. Every method reads the world afresh, so a new object adopts VMs that a
 * previous agent started.
 */
export class VmDriver {
  private readonly qemu: string;
  private readonly log: VmLogger;
  private readonly cgroupParent: string;
  private readonly now: () => Date;
  private accelChoice?: Promise<Accel>;
  private layout?: Promise<CgroupLayout>;
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Console rotations in progress: the periodic check and a forced one must not interleave. */
  private readonly rotations = new Map<string, Promise<unknown>>();
  private confinement?: Promise<QemuConfinement>;
  private readonly consoleWatches = new Map<string, NodeJS.Timeout>();
  /** inotify watches on the console of VMs whose guest init has not spoken yet. */
  private readonly initWatches = new Map<string, FSWatcher>();
  private readonly initListeners: Array<(uid: string) => void> = [];

  constructor(private readonly options: VmDriverOptions) {
    this.qemu = options.qemu ?? 'qemu-system-x86_64';
    this.log = options.logger ?? quietLogger;
    this.cgroupParent = options.cgroupParent ?? 'coxswain-vms';
    this.now = options.now ?? (() => new Date());
  }

  /** The accelerator new VMs get: the configured one, or the cached result of a KVM probe boot. */
  accel(fallbackKernel?: { kernelPath: string; initrdPath?: string }): Promise<Accel> {
    const setting = this.options.accel ?? 'auto';
    if (setting !== 'auto') return Promise.resolve(setting);
    const probe = this.options.probe ?? fallbackKernel;
    if (!probe) return Promise.reject(new VmSpecError("accel 'auto' needs probe files or a VM with a kernel to probe with"));
    this.accelChoice ??= detectAccel({ ...probe, qemu: this.qemu, cachePath: join(this.options.root, 'accel.json') }).then((accel) => {
      this.log.info({ accel }, 'vm accelerator chosen by probe boot');
      return accel;
    });
    return this.accelChoice;
  }

  paths(uid: string): VmPaths {
    return vmPaths(this.options.root, uid);
  }

  consoleLogPath(uid: string): string {
    return this.paths(uid).consoleLog;
  }

  /** Starts the VM, or returns its state if it already runs. Resolves once QEMU answers on QMP. */
  start(spec: VmSpec): Promise<VmState> {
    return this.serial(spec.uid, () => this.startLocked(spec));
  }

  private async startLocked(spec: VmSpec): Promise<VmState> {
    const paths = this.paths(spec.uid);
    const errors = validateVmSpec(spec, paths);
    if (errors.length) throw new VmSpecError(`invalid VM spec: ${errors.join('; ')}`);
    const existing = await this.state(spec.uid);
    if (existing?.status === 'running') return existing;
    if (existing) throw new VmSpecError(`VM ${spec.uid} already ran and exited; remove it before starting it again`);

    // Without configured probe files, any Linux kernel proves KVM by printing its banner.
    const accel = await this.accel(spec.kernelPath ? { kernelPath: spec.kernelPath } : undefined);
    // Checked before anything is created: a refused disk leaves no VM behind.
    for (const disk of spec.disks ?? []) {
      const problems = diskImageProblems(disk, await qemuImgInfo(disk.path), this.options.maxDiskBytes);
      if (problems.length) throw new VmSpecError(`disk image refused: ${problems.join('; ')}`);
    }
    const cgroupPath = spec.cgroupPath && /^[\w./-]+$/.test(spec.cgroupPath) && !spec.cgroupPath.split('/').includes('..')
      ? `/${spec.cgroupPath.replace(/^\/+|\/+$/g, '')}` : vmCgroupPath(this.cgroupParent, spec.uid);
    const args = qemuArgs(spec, accel, paths, await this.qemuConfinement());
    const record: VmRecord = { version: 1, spec, accel, cgroupPath, startedAt: this.now().toISOString(), qemuArgs: args };
    // Recorded before anything is created, so remove() can undo a start that fails half-way.
    await mkdir(paths.dir, { recursive: true });
    await writeJson(paths.record, record);

    for (const [i, disk] of (spec.disks ?? []).entries()) await createOverlay(disk, paths.overlay(i));
    if (spec.cloudInitUserData !== undefined) await createSeedIso(spec.cloudInitUserData, cloudInitMetaData(spec), paths.seedIso, spec.cloudInitNetworkConfig);
    for (const [i, disk] of (spec.configDisks ?? []).entries()) await createIsoImage(disk.label, disk.files, paths.configDisk(i));
    if (spec.network) await ensureTap(spec.network);
    const cgroupProcs = await createVmCgroup(await this.cgroupLayout(), cgroupPath, memoryLimitBytes(spec.memoryBytes, accel), spec.cpus);

    record.wrapperPid = await launchDetached(this.qemu, args, { qemuLog: paths.qemuLog, exitFile: paths.exitFile, cgroupProcs });
    await writeJson(paths.record, record);
    await this.waitForQmp(paths);
    if (spec.kernelPath) this.watchInit(spec.uid);
    const state = await this.state(spec.uid);
    this.log.info({ uid: spec.uid, name: spec.name, namespace: spec.namespace, pid: state?.pid, accel, confinement: await this.qemuConfinement() }, 'vm started');
    return state!;
  }

  private async waitForQmp(paths: VmPaths): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000);
    for (;;) {
      const exitCode = await readExitCode(paths.exitFile);
      if (exitCode !== undefined) throw new Error(`qemu exited with ${exitCode} while starting: ${await tail(paths.qemuLog, 2000)}`);
      const session = await QmpSession.connect(paths.qmpSocket, 2000).catch(() => undefined);
      if (session) {
        try {
          await session.execute('query-status');
          return;
        } finally {
          session.close();
        }
      }
      if (Date.now() > deadline) throw new Error(`qemu did not answer on ${paths.qmpSocket}: ${await tail(paths.qemuLog, 2000)}`);
      await sleep(50);
    }
  }

  /** Current state from the files and /proc; undefined for an unknown uid. */
  async state(uid: string): Promise<VmState | undefined> {
    const paths = this.paths(uid);
    const record = await readJson<VmRecord>(paths.record);
    if (!record) return undefined;
    const pid = await readPidFile(paths.pidFile);
    const id = { uid, name: record.spec.name, namespace: record.spec.namespace };
    if (await isLiveProcessWith(pid, paths.qmpSocket)) {
      this.watchConsole(uid);
      return { ...id, status: 'running', pid, startedAt: record.startedAt };
    }
    // Launched but QEMU not up yet (or never came up): the wrapper tells which.
    const exitCode = await readExitCode(paths.exitFile);
    if (exitCode === undefined && (await isLiveProcessWith(record.wrapperPid, paths.exitFile))) {
      return { ...id, status: 'running', pid, startedAt: record.startedAt };
    }
    const stopped = await readJson<StopRecord>(paths.stopFile);
    const finishedAt = await stat(paths.exitFile).then((s) => s.mtime.toISOString(), () => stopped?.at);
    const lastOutput = (await tail(paths.previousConsoleLog, 4096)) + (await tail(paths.consoleLog, 4096));
    const graceful = stopped ? stopped.graceful : exitCode === 0 && lastOutput.includes(GUEST_POWER_DOWN_MARKER);
    const message = exitCode ? lastLine(await tail(paths.qemuLog, 1024)) : undefined;
    return {
      ...id, status: 'exited', startedAt: record.startedAt,
      ...(finishedAt ? { finishedAt } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
      graceful,
      ...(message ? { message } : {}),
    };
  }

  /** Every VM with a directory under the root, running or not. */
  async list(): Promise<VmState[]> {
    const uids = await readdir(join(this.options.root, 'vms')).catch(() => [] as string[]);
    const states = await Promise.all(uids.map((uid) => this.state(uid)));
    return states.filter((s): s is VmState => !!s);
  }

  /** The VM's spec as it was started (e.g. to rebuild pod status after an agent restart). */
  async spec(uid: string): Promise<VmSpec | undefined> {
    return (await readJson<VmRecord>(this.paths(uid).record))?.spec;
  }

  /**
   * ACPI power button first (the guest shuts down cleanly), QMP `quit` once `graceMs` passes,
   * SIGKILL as the last resort.
   */
  stop(uid: string, graceMs: number): Promise<VmState | undefined> {
    return this.serial(uid, () => this.stopLocked(uid, graceMs));
  }

  private async stopLocked(uid: string, graceMs: number): Promise<VmState | undefined> {
    const paths = this.paths(uid);
    const before = await this.state(uid);
    if (before?.status !== 'running') return before;
    const pid = before.pid;
    const session = await QmpSession.connect(paths.qmpSocket, 2000).catch(() => undefined);
    let method: StopRecord['method'] = 'powerdown';
    let guestShutdown = false;
    void session?.waitForEvent('SHUTDOWN').then((data) => {
      guestShutdown = data?.guest === true;
    });
    try {
      if (session) {
        await session.execute('system_powerdown').catch(() => undefined);
        this.log.info({ uid, graceMs }, 'vm powerdown requested');
        if (await this.waitForExit(uid, pid, graceMs)) return await this.finishStop(uid, method, guestShutdown);
        method = 'quit';
        this.log.warn({ uid, graceMs }, 'vm ignored the power button; quitting qemu');
        await session.execute('quit').catch(() => undefined);
        if (await this.waitForExit(uid, pid, 5000)) return await this.finishStop(uid, method, false);
      }
      method = 'kill';
      this.log.warn({ uid, pid }, 'killing qemu');
      if (pid) process.kill(pid, 'SIGKILL');
      await this.waitForExit(uid, pid, 5000);
      return await this.finishStop(uid, method, false);
    } finally {
      session?.close();
    }
  }

  private async finishStop(uid: string, method: StopRecord['method'], graceful: boolean): Promise<VmState | undefined> {
    const paths = this.paths(uid);
    await writeJson(paths.stopFile, { method, graceful, at: this.now().toISOString() } satisfies StopRecord);
    // The wrapper writes the exit code just after QEMU is reaped.
    const deadline = Date.now() + 2000;
    while ((await readExitCode(paths.exitFile)) === undefined && Date.now() < deadline) await sleep(20);
    const state = await this.state(uid);
    this.log.info({ uid, method, graceful, exitCode: state?.exitCode }, 'vm stopped');
    return state;
  }

  private async waitForExit(uid: string, pid: number | undefined, timeoutMs: number): Promise<boolean> {
    const token = this.paths(uid).qmpSocket;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await isLiveProcessWith(pid, token))) return true;
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }

  /** Kills the VM if it still runs, then deletes its tap, cgroup and files. */
  remove(uid: string): Promise<void> {
    return this.serial(uid, async () => {
      const paths = this.paths(uid);
      const record = await readJson<VmRecord>(paths.record).catch(() => undefined);
      const state = record ? await this.state(uid) : undefined;
      if (state?.status === 'running' && state.pid) {
        process.kill(state.pid, 'SIGKILL');
        await this.waitForExit(uid, state.pid, 5000);
      }
      this.unwatchConsole(uid);
      this.unwatchInit(uid);
      if (record?.spec.network) await deleteTap(record.spec.network.tap);
      if (record) await this.removeCgroupWhenEmpty(record.cgroupPath);
      await rm(paths.dir, { recursive: true, force: true });
      this.log.info({ uid }, 'vm removed');
    });
  }

  // The wrapper shell leaves the cgroup a moment after QEMU; rmdir fails with EBUSY until then.
  private async removeCgroupWhenEmpty(path: string): Promise<void> {
    const layout = await this.cgroupLayout();
    for (let attempt = 0; ; attempt++) {
      try {
        return await removeVmCgroup(layout, path);
      } catch (error) {
        if (attempt >= 50) throw error;
        await sleep(50);
      }
    }
  }

  /**
   * A duplex stream to the guest's serial console (QEMU serves one client at a time). The caller
   * owns it, including its 'error' events (EPIPE once QEMU exits).
   */
  attachConsole(uid: string): Promise<Socket> {
    const socket = createConnection(this.paths(uid).consoleSocket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  async guestInfo(uid: string): Promise<VmGuestInfo> {
    const record = await readJson<VmRecord>(this.paths(uid).record);
    const initStarted = await this.initSeen(uid);
    if (!initStarted && record) this.watchInit(uid);
    return { ...(record?.spec.network ? { ip: record.spec.network.ip } : {}), initStarted };
  }

  private async initSeen(uid: string): Promise<boolean> {
    const paths = this.paths(uid);
    if (await stat(paths.initSeen).then(() => true, () => false)) return true;
    const seen = (await readHead(paths.consoleLog, 256 * 1024)).includes(GUEST_INIT_MARKER);
    if (seen) await writeFile(paths.initSeen, '').catch(() => undefined);
    return seen;
  }

  /**
   * Called with a VM's uid when its guest init speaks on the console (seen through inotify, so
   * a caller polling guestInfo() learns it without waiting for its next poll).
   */
  onGuestInit(listener: (uid: string) => void): void {
    this.initListeners.push(listener);
  }

  private watchInit(uid: string): void {
    if (this.initWatches.has(uid)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(this.paths(uid).consoleLog, { persistent: false });
    } catch (error) {
      // No console yet (or no inotify): guestInfo() polling still sees it.
      this.log.debug({ uid, err: error }, 'no inotify watch on the console');
      return;
    }
    this.initWatches.set(uid, watcher);
    // One read at a time; a write landing during a read is looked at again after it.
    let checking = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (this.initWatches.get(uid) !== watcher) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await this.initSeen(uid)) {
            this.unwatchInit(uid);
            this.log.debug({ uid }, 'guest init seen');
            for (const listener of this.initListeners) listener(uid);
            return;
          }
        } while (again);
      } finally {
        checking = false;
      }
    };
    watcher.on('change', () => void check().catch(() => undefined));
    watcher.on('error', () => this.unwatchInit(uid));
  }

  private unwatchInit(uid: string): void {
    this.initWatches.get(uid)?.close();
    this.initWatches.delete(uid);
  }

  /**
   * Rotates the VM's console log once it is over the limit (keeping its last part as
   * console.log.1). Running VMs are checked periodically; callers may also force a check.
   */
  async rotateConsoleLog(uid: string): Promise<boolean> {
    const paths = this.paths(uid);
    // One at a time per VM: two would share console.log.1.tmp, and the second would copy the
    // file the first had just truncated over the previous file.
    return this.serial(uid, () => rotateConsoleLog(paths.consoleLog, paths.previousConsoleLog, this.options.consoleLogMaxBytes ?? DEFAULT_CONSOLE_LOG_MAX_BYTES, async (head) => {
      if (head.includes(GUEST_INIT_MARKER)) await writeFile(paths.initSeen, '');
    }), this.rotations);
  }

  private watchConsole(uid: string): void {
    if (this.consoleWatches.has(uid)) return;
    const timer = setInterval(() => {
      void (async () => {
        if ((await this.state(uid).catch(() => undefined))?.status !== 'running') return this.unwatchConsole(uid);
        await this.rotateConsoleLog(uid).catch((error: unknown) => this.log.warn({ uid, err: error }, 'console log rotation failed'));
      })();
    }, this.options.consoleCheckMs ?? 2000);
    timer.unref();
    this.consoleWatches.set(uid, timer);
  }

  private unwatchConsole(uid: string): void {
    clearInterval(this.consoleWatches.get(uid));
    this.consoleWatches.delete(uid);
  }

  /** Sandbox and user for QEMU, decided once: what was asked for, as far as this host allows. */
  private qemuConfinement(): Promise<QemuConfinement> {
    this.confinement ??= (async () => {
      const runAsWanted = this.options.runAs === null ? undefined : (this.options.runAs ?? QEMU_USER);
      const runAs = runAsWanted && (await ensureSystemUser(runAsWanted)) ? runAsWanted : undefined;
      if (runAsWanted && !runAs) this.log.warn({ user: runAsWanted }, 'qemu user missing and not creatable; QEMU runs as root');
      const setting = this.options.sandbox ?? 'auto';
      const sandbox = setting === 'auto' ? await qemuSupportsSandbox(this.qemu, sandboxOption(runAs)) : setting;
      if (setting === 'auto' && !sandbox) this.log.warn({}, 'this QEMU has no seccomp sandbox support; running without -sandbox');
      return { sandbox, ...(runAs ? { runAs } : {}) };
    })();
    return this.confinement;
  }

  /** CPU and memory of the VM's cgroup: QEMU as a whole, guest RAM included. */
  async stats(uid: string): Promise<VmStats> {
    const record = await readJson<VmRecord>(this.paths(uid).record);
    if (!record) throw new Error(`unknown VM ${uid}`);
    return readVmCgroupStats(await this.cgroupLayout(), record.cgroupPath);
  }

  /** QEMU's resident memory split into guest RAM and overhead; undefined when not running or not found. */
  async memory(uid: string): Promise<VmMemory | undefined> {
    const record = await readJson<VmRecord>(this.paths(uid).record);
    const state = await this.state(uid);
    if (!record || state?.status !== 'running' || !state.pid) return undefined;
    return readVmMemory(state.pid, guestMemoryMiB(record.spec.memoryBytes) * 1024 * 1024).catch(() => undefined);
  }

  private cgroupLayout(): Promise<CgroupLayout> {
    this.layout ??= detectCgroupLayout();
    return this.layout;
  }

  // One operation per VM at a time (start/stop/remove; console rotations on their own lane), in call order.
  private serial<T>(uid: string, op: () => Promise<T>, locks = this.locks): Promise<T> {
    const prev = locks.get(uid) ?? Promise.resolve();
    const next = prev.then(op, op);
    const settled = next.catch(() => undefined);
    locks.set(uid, settled);
    void settled.then(() => {
      if (locks.get(uid) === settled) locks.delete(uid);
    });
    return next;
  }
}

const lastLine = (text: string): string | undefined => text.split('\n').map((l) => l.trim()).filter(Boolean).pop();

async function readHead(path: string, bytes: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return '';
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString();
  } finally {
    await file.close();
  }
}

async function tail(path: string, bytes: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return '';
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead).toString();
  } finally {
    await file.close();
  }
}
