// Runs containers with runc under a coxshim monitor each, so they (and their logs and exit
// codes) outlive the agent. All state is on disk under `root`: a new driver object lists
// and controls what an earlier one started.
//
//   <root>/containers/<id>/   bundle: config.json, record.json, exit.json, init.pid,
//                             shim.pid, runc.log, hostname
//   <root>/bin/coxshim-<hash> compiled shim
import { ChildProcess, spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { CgroupLayout, detectCgroupLayout, oomCounterFile } from '../cgroups/layout';
import { removeCgroup } from '../cgroups/remove';
import { readCgroupStats, CgroupStats } from '../cgroups/stats';
import { defaultSpawner, runCommand } from '../proc/run-command';
import { ProcessMemory, readProcessMemory } from '../proc/smaps';
import { CommandError, Spawner } from '../proc/spawner';
import { buildOciConfig, cgroupsPathFor } from './oci-spec';
import { ContainerRecord, deriveState, readJson, writeJsonAtomic } from './records';
import { findRunc, Runc, RuncContainer } from './runc';
import { ContainerStateCache, relistMode } from './state-cache';
import { ExitWatch, WatchDir } from './exit-watch';
import { hostDevices, ownBoundingSet } from './security/host-devices';
import { ensureShimBinary } from './shim-binary';
import { ContainerSpec, ContainerState, ExitRecord } from './types';

/** The subset of a pino logger the driver uses. */
export interface DriverLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const silent: DriverLogger = { info: () => undefined, warn: () => undefined };

export interface ContainerDriverOptions {
  /** State directory (bundles, records, shim binary). */
  root: string;
  /** runc binary; found on PATH/sbin when omitted. */
  runcPath?: string;
  /** runc's own state directory; defaults to `<root>/runc`. */
  runcRoot?: string;
  /** Cgroup parent; containers go to `<parent>/<podUid>/<id>`. */
  cgroupParent?: string;
  /** Where logs go unless a spec names its own `logPath`; defaults to `<root>/logs`. */
  logRoot?: string;
  /** Rotate a container log to `.1` beyond this size. */
  logMaxBytes?: number;
  /** A prebuilt coxshim; otherwise compiled from `shimSource` into `shimDir`. */
  shimPath?: string;
  shimSource?: string;
  /** Where the compiled shim is cached (keyed by its source's hash); defaults to `<root>/bin`. */
  shimDir?: string;
  clock?: () => number;
  logger?: DriverLogger;
  /** Runs runc and the shim's one-shot calls; the runtime's default (coxspawn) when absent. */
  spawner?: Spawner;
  /** How running containers' directories are watched for exit records (fs.watch by default). */
  watchDir?: WatchDir;
}

export interface CreateOptions {
  /** Log file for this container (kubelet layout: `/var/log/pods/<ns>_<pod>_<uid>/<name>/<attempt>.log`). */
  logPath?: string;
  /** Give the container a stdin that `openStdin` writes into (a pod container's `stdin: true`). */
  stdin?: boolean;
  /** Start it too, in the same runc process (`runc run --detach`): what startContainer() would do, one exec fewer. */
  start?: boolean;
}

export interface ExecOptions {
  command: string[];
  tty?: boolean;
  env?: string[];
  cwd?: string;
}

export interface ExecSession {
  stdin: Writable;
  /** With a tty, stdout carries the terminal (stderr included). */
  stdout: Readable;
  stderr: Readable;
  /** Exit code of the command (128+n when killed by signal n). */
  exitCode: Promise<number>;
  /** Resizes the terminal (tty only; no-op otherwise). */
  resize(rows: number, cols: number): void;
  kill(signal?: NodeJS.Signals): void;
  process: ChildProcess;
}

/**
 * runc could not create or start the container's process (a command that does not exist, a
 * working directory that cannot be entered, a namespace or mount it cannot set up): what the
 * kubelet reports as RunContainerError. The message is runc's own.
 */
export class ContainerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerStartError';
  }
}

export class ContainerNotFoundError extends Error {
  constructor(id: string) {
    super(`container ${id} not found`);
    this.name = 'ContainerNotFoundError';
  }
}

/** A process command line is this container directory's shim (so a reused pid does not count). */
const isShimOf = (cmdline: string, dir: string) => cmdline.includes('coxshim') && cmdline.includes(dir);

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ContainerDriver {
  readonly root: string;
  private readonly containersDir: string;
  private readonly runcRoot: string;
  private readonly cgroupParent: string;
  private readonly logRoot: string;
  private readonly logMaxBytes: number;
  private readonly clock: () => number;
  private readonly log: DriverLogger;
  private runcP?: Promise<Runc>;
  private readonly states = new ContainerStateCache(() => this.clock());
  private shimP?: Promise<string>;
  /** Creates in flight here: on disk already, unknown to runc until `runc create` is done. */
  private readonly creating = new Set<string>();
  private readonly exits: ExitWatch;

  constructor(private readonly opts: ContainerDriverOptions) {
    this.root = opts.root;
    this.containersDir = join(opts.root, 'containers');
    this.runcRoot = opts.runcRoot ?? join(opts.root, 'runc');
    this.cgroupParent = opts.cgroupParent ?? '/coxswain';
    this.logRoot = opts.logRoot ?? join(opts.root, 'logs');
    this.logMaxBytes = opts.logMaxBytes ?? 10 << 20;
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? silent;
    this.exits = new ExitWatch(opts.watchDir);
  }

  /**
   * `listener(id)` when a container that list() last saw running writes its exit record.
   * With `exitsWatched()` true, a caller may skip relisting until it hears of one (or its
   * periodic resync is due): a shim that dies without an exit record is only found by list().
   */
  onExit(listener: (id: string) => void): () => void {
    return this.exits.onExit(listener);
  }

  /** Every container list() last saw running has its exit watched. */
  exitsWatched(): boolean {
    return this.exits.complete();
  }

  /** Stops watching for exits (the owner is shutting down). */
  closeWatches(): void {
    this.exits.close();
  }

  private runc(): Promise<Runc> {
    this.runcP ??= (async () => new Runc(this.opts.runcPath ?? (await findRunc()), this.runcRoot, this.opts.spawner))();
    this.runcP.catch(() => { this.runcP = undefined; }); // let a later call retry
    return this.runcP;
  }

  private shim(): Promise<string> {
    this.shimP ??= this.opts.shimPath ? Promise.resolve(this.opts.shimPath) : ensureShimBinary(this.opts.shimDir ?? join(this.root, 'bin'), this.opts.shimSource);
    this.shimP.catch(() => { this.shimP = undefined; });
    return this.shimP;
  }

  /** Compiles the shim and locates runc ahead of the first create (optional). */
  async init(): Promise<void> {
    await Promise.all([this.runc(), this.shim(), mkdir(this.containersDir, { recursive: true })]);
  }

  private dir(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error(`invalid container id ${JSON.stringify(id)}`);
    return join(this.containersDir, id);
  }

  private async record(id: string): Promise<ContainerRecord> {
    const rec = await readJson<ContainerRecord>(join(this.dir(id), 'record.json'));
    if (!rec) throw new ContainerNotFoundError(id);
    return rec;
  }

  logPath(id: string): Promise<string> {
    return this.record(id).then((r) => r.logPath);
  }

  cgroupsPath(id: string): Promise<string> {
    return this.record(id).then((r) => r.cgroupsPath);
  }

  /** Creates the container (runc create under a new shim); it runs once start() is called. */
  async create(spec: ContainerSpec, options: CreateOptions = {}): Promise<ContainerState> {
    await this.createContainer(spec, options);
    return this.state(spec.id);
  }

  /**
   * create() without reading the new state back (one `runc state` process fewer): for callers
   * that learn states from the relist, like the node agent starting 110 pods at once.
   */
  async createContainer(spec: ContainerSpec, options: CreateOptions = {}): Promise<void> {
    const dir = this.dir(spec.id);
    if (spec.podUid !== undefined && !ID_PATTERN.test(spec.podUid)) throw new Error(`invalid pod uid ${JSON.stringify(spec.podUid)}`);
    if (spec.podCgroup !== undefined && !spec.podCgroup.split('/').every((s) => ID_PATTERN.test(s) && s !== '..')) throw new Error(`invalid pod cgroup ${JSON.stringify(spec.podCgroup)}`);
    const [runc, shim, layout] = await Promise.all([this.runc(), this.shim(), detectCgroupLayout()]);
    await mkdir(this.containersDir, { recursive: true });
    await mkdir(dir, { mode: 0o711 }); // EEXIST: the id is taken
    this.creating.add(spec.id);
    try {
      const cgroupsPath = spec.podCgroup ? cgroupsPathFor(`${this.cgroupParent}/${spec.podCgroup}`, spec.id) : cgroupsPathFor(this.cgroupParent, spec.id, spec.podUid);
      const logPath = options.logPath ?? join(this.logRoot, `${spec.id}.log`);
      await mkdir(join(logPath, '..'), { recursive: true });
      await writeFile(join(dir, 'hostname'), `${spec.hostname ?? spec.id}\n`);
      const config = buildOciConfig(spec, {
        cgroupsPath,
        hostDevices: spec.security?.privileged ? await hostDevices() : undefined,
        hostCapabilities: await ownBoundingSet(),
        extraMounts: [{ source: join(dir, 'hostname'), destination: '/etc/hostname', readonly: true }],
        annotations: spec.labels,
      });
      // config.json holds the environment (often secrets): owner-only.
      await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 1), { mode: 0o600 });
      const record: ContainerRecord = {
        id: spec.id, createdAt: this.clock(), labels: spec.labels ?? {}, cgroupsPath, logPath, rootfs: spec.rootfs,
        ...(spec.podUid ? { podUid: spec.podUid } : {}),
      };
      await writeJsonAtomic(join(dir, 'record.json'), record);
      const initPid = await this.runShim(shim, runc, spec.id, dir, logPath, layout, cgroupsPath, options);
      this.states.invalidate(spec.id);
      this.log.info({ id: spec.id, cgroupsPath }, 'container created');
      if (options.start) await this.started(record, initPid);
    } catch (err) {
      await runc.delete(spec.id, true).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      this.creating.delete(spec.id);
    }
  }

  /** Runs the shim for a new container; resolves with the container init's pid, from the shim's "ok <pid>". */
  private async runShim(shim: string, runc: Runc, id: string, dir: string, logPath: string, layout: CgroupLayout, cgroupsPath: string, { stdin, start }: CreateOptions): Promise<number | undefined> {
    const oom = oomCounterFile(layout, cgroupsPath);
    const args = [
      'run', '--runc', runc.binary, '--root', runc.root, '--id', id, '--bundle', dir,
      '--pid-file', join(dir, 'init.pid'), '--log', logPath, '--log-max', String(this.logMaxBytes),
      '--exit', join(dir, 'exit.json'), '--shim-pid', join(dir, 'shim.pid'), '--runc-log', join(dir, 'runc.log'),
      ...(oom ? ['--oom', oom] : []),
      ...(stdin ? ['--stdin', join(dir, 'stdin')] : []),
      ...(start ? ['--start'] : []),
    ];
    try {
      // One-shot: the shim daemonizes and its first process exits once `runc create` (or
      // `runc run --detach`) is done.
      const out = await runCommand(shim, args, { timeoutMs: 60_000, spawner: this.opts.spawner });
      return Number(/^ok (\d+)/.exec(out)?.[1]) || undefined;
    } catch (err) {
      const out = err instanceof CommandError ? err.stdout.trim() : '';
      // The shim's "error runc run failed (status N): <runc's stderr>": runc's words reach the user.
      const runcFailed = /^error runc (?:create|run) failed \(status \d+\): (.*)$/s.exec(out);
      if (runcFailed) throw new ContainerStartError(runcFailed[1].trim() || out);
      throw new Error(`create ${id}: ${out || (err as Error).message}`);
    }
  }

  /**
   * A writer into the stdin of a container created with `stdin: true`, or undefined when it has
   * none. Closing the writer does not close the container's stdin (the shim opened it read-write).
   */
  async openStdin(id: string): Promise<Writable | undefined> {
    const handle = await open(join(this.dir(id), 'stdin'), fsConstants.O_WRONLY | fsConstants.O_NONBLOCK).catch(() => undefined);
    return handle?.createWriteStream();
  }

  async start(id: string): Promise<ContainerState> {
    await this.startContainer(id);
    return this.state(id);
  }

  /** start() without reading the new state back (see createContainer). */
  async startContainer(id: string): Promise<void> {
    const rec = await this.record(id);
    await (await this.runc()).start(id);
    await this.started(rec);
  }

  /**
   * Records the start time of a container runc has just started. It runs (or has exited already,
   * which its shim's exit record will say), and is observed as such now: the next relist checks
   * it with two syscalls instead of spawning `runc list` for it (~20 ms of every pod start here).
   */
  private async started(rec: ContainerRecord, initPid?: number): Promise<void> {
    const { id } = rec;
    const started: ContainerRecord = { ...rec, startedAt: this.clock() };
    await writeJsonAtomic(join(this.dir(id), 'record.json'), started);
    this.states.invalidate(id);
    const pid = initPid ?? Number((await readFile(join(this.dir(id), 'init.pid'), 'utf8').catch(() => '')).trim());
    if (pid > 0) await this.observe(started, { id, status: 'running', pid }, this.states.epoch(id));
    this.log.info({ id }, 'container started');
  }

  /** Sends a signal (name like `SIGTERM`/`TERM` or number) to the container's init. */
  async kill(id: string, signal: string | number = 'SIGKILL'): Promise<void> {
    await this.record(id);
    await (await this.runc()).kill(id, String(signal));
    this.states.invalidate(id);
  }

  /** SIGTERM, then SIGKILL once `gracePeriodSeconds` pass; resolves when the container has exited. */
  async stop(id: string, gracePeriodSeconds: number): Promise<ContainerState> {
    // A running container the last relist saw needs no `runc state` (a process) to be stopped.
    const cached = this.states.get(id)?.state;
    const state = cached?.status === 'running' ? cached : await this.state(id);
    if (state.status !== 'running' && state.status !== 'created') return state;
    const runc = await this.runc();
    const signal = async (name: NodeJS.Signals) => {
      if (!this.signalInit(id, name)) await runc.kill(id, name).catch(() => undefined);
    };
    // A created container's init is parked on runc's exec fifo and would not see TERM.
    if (state.status === 'running' && gracePeriodSeconds > 0) {
      await signal('SIGTERM');
      if (await this.waitForExit(id, gracePeriodSeconds * 1000)) return this.state(id);
    }
    await signal('SIGKILL');
    this.states.invalidate(id);
    if (!(await this.waitForExit(id, 10_000))) this.log.warn({ id }, 'container did not exit after SIGKILL');
    this.log.info({ id }, 'container stopped');
    return this.state(id);
  }

  /**
   * Signals the container's init directly when it is provably this container's: no exit record
   * yet and its parent is our shim, the subreaper that reaps it (so the pid was not reused).
   * That is what `runc kill` does after reading its state, minus a process: 110 pods stopping
   * at once spent a runc process each on TERM and another on KILL. False: ask runc.
   */
  private signalInit(id: string, signal: NodeJS.Signals): boolean {
    const dir = this.dir(id);
    try {
      if (existsSync(join(dir, 'exit.json'))) return false;
      const pid = Number(readFileSync(join(dir, 'init.pid'), 'utf8').trim());
      const shimPid = Number(readFileSync(join(dir, 'shim.pid'), 'utf8').trim());
      if (!pid || !shimPid || !this.isOwnShim(shimPid, dir)) return false;
      const parent = /^PPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (Number(parent) !== shimPid) return false;
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Resolves true once the exit is recorded (or can never be), false on timeout. */
  async waitForExit(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const dir = this.dir(id);
    const exitFile = join(dir, 'exit.json');
    // The shim's exit record is the signal, and a live shim will write one; runc is asked (a
    // process each time) only once the shim is gone. Asking it every half second regardless
    // was, with 110 pods stopping at once, a spawn storm that took the agent minutes.
    for (let round = 0; ; round++) {
      if (await access(exitFile).then(() => true, () => false)) return true;
      if (round % 10 === 0 && !(await this.shimAlive(dir))) {
        const s = await this.state(id);
        if (s.status === 'exited' || s.status === 'unknown') return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
  }

  /** Kills if needed, deletes the runc container, its cgroup, bundle, records and logs. */
  async remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) throw new Error(`invalid container id ${JSON.stringify(id)}`);
    const dir = this.dir(id);
    const rec = await readJson<ContainerRecord>(join(dir, 'record.json'));
    if (existsSync(join(dir, 'exit.json'))) {
      // Exited: its init is gone, and with it (a private pid namespace, always) every process of
      // it. What `runc delete` still does for a stopped container is remove its cgroup (below)
      // and its state directory (OCI hooks: we set none): done here without a runc process,
      // which for 110 pods torn down at once was a quarter of both cores.
      await rm(join(this.runcRoot, id), { recursive: true, force: true });
    } else {
      await (await this.runc()).delete(id, true);
    }
    // Let the shim record the exit and go, so it does not write into a removed directory.
    for (const deadline = Date.now() + 5_000; Date.now() < deadline && (await this.shimAlive(dir));) await sleep(20);
    if (rec) {
      await removeCgroup(rec.cgroupsPath).catch((err) => this.log.warn({ id, err: String(err) }, 'cgroup not removed'));
      await rm(rec.logPath, { force: true });
      await rm(`${rec.logPath}.1`, { force: true });
    }
    await rm(dir, { recursive: true, force: true });
    this.states.invalidate(id);
    this.log.info({ id }, 'container removed');
  }

  /** Removes the pod-level cgroup `<parent>/<podUid>` once its containers are removed. */
  async removePodCgroup(podUid: string): Promise<void> {
    if (!ID_PATTERN.test(podUid)) throw new Error(`invalid pod uid ${JSON.stringify(podUid)}`);
    await removeCgroup(cgroupsPathFor(this.cgroupParent, podUid));
  }

  async state(id: string): Promise<ContainerState> {
    const epoch = this.states.epoch(id);
    const record = await this.record(id);
    // An exit record is final: no `runc state` process for a container that has exited.
    const exited = existsSync(join(this.dir(id), 'exit.json'));
    const runcState = exited ? undefined : await (await this.runc()).state(id);
    return this.observe(record, runcState, epoch);
  }

  /**
   * Every container this driver's root knows, including ones a previous agent started. Final
   * states come from the cache, running ones are checked with two syscalls (exit record absent,
   * shim alive); `runc list` runs only when something needs a full look (see state-cache.ts).
   */
  async list(): Promise<ContainerState[]> {
    const ids = (await readdir(this.containersDir).catch(() => [] as string[])).filter((id) => ID_PATTERN.test(id));
    this.states.retainOnly(ids);
    const fullDue = this.states.takeFullRelist();
    let runcView: Promise<Map<string, RuncContainer>> | undefined;
    const runcById = () => (runcView ??= this.runc().then(async (runc) => new Map((await runc.list()).map((c) => [c.id, c]))));
    const states = await Promise.all(ids.map(async (id) => {
      const cached = this.states.get(id);
      const mode = relistMode(cached, fullDue);
      if (mode === 'reuse') return cached!.state;
      if (mode === 'check' && this.stillRunning(id, cached!.shimPid!)) return cached!.state;
      // The periodic full look at a running container: its own shim (by command line, so a
      // reused pid does not count) alive and no exit record means it still runs; runc has
      // nothing to add, and a `runc list` every 10 s was a third of an idle node's agent CPU.
      if (mode === 'full' && cached?.state.status === 'running' && cached.shimPid && !existsSync(join(this.dir(id), 'exit.json')) && this.isOwnShim(cached.shimPid, this.dir(id))) return cached.state;
      const epoch = this.states.epoch(id);
      const record = await readJson<ContainerRecord>(join(this.dir(id), 'record.json'));
      return record ? this.observe(record, (await runcById()).get(id), epoch) : undefined;
    }));
    const listed = states.filter((s): s is ContainerState => s !== undefined);
    this.exits.track(new Map(listed.filter((s) => s.status === 'running').map((s) => [s.id, this.dir(s.id)])));
    return listed;
  }

  /** A cached running container still runs: no exit record yet and its shim alive. */
  private stillRunning(id: string, shimPid: number): boolean {
    // Synchronous on purpose: one stat per running container per pass is cheaper than a promise
    // round-trip through the thread pool (this runs for every container every second).
    if (existsSync(join(this.dir(id), 'exit.json'))) return false;
    try {
      process.kill(shimPid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private async observe(record: ContainerRecord, runc: RuncContainer | undefined, epoch = this.states.epoch(record.id)): Promise<ContainerState> {
    const dir = this.dir(record.id);
    const [exit, shimPid] = await Promise.all([readJson<ExitRecord>(join(dir, 'exit.json')), this.liveShimPid(dir)]);
    const state = deriveState({ record, runc, exit, shimAlive: shimPid !== undefined });
    // A relist while our own create runs: not yet known to runc, but created, not gone.
    if (state.status === 'unknown' && this.creating.has(record.id)) return { ...state, status: 'created' };
    this.states.set(record.id, { state, shimPid, exitRecorded: exit !== undefined }, epoch);
    return state;
  }

  private async shimAlive(dir: string): Promise<boolean> {
    return (await this.liveShimPid(dir)) !== undefined;
  }

  /**
   * The memory of this container's shim, the one runtime process a running container keeps
   * (runc itself exits once the container is created); undefined when no shim runs.
   */
  async shimMemory(id: string): Promise<ProcessMemory | undefined> {
    const pid = await this.liveShimPid(this.dir(id));
    return pid === undefined ? undefined : readProcessMemory(pid).catch(() => undefined);
  }

  /**
   * The cached shim pid is still this container's shim (by command line, so a reused pid does
   * not count). Synchronous like stillRunning: a /proc read per running container every 10 s
   * through the thread pool cost the idle agent more than the read itself.
   */
  private isOwnShim(pid: number, dir: string): boolean {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return false;
    }
    return isShimOf(cmdline, dir);
  }

  /** The pid of this container's shim if it still runs (checked by its command line). */
  private async liveShimPid(dir: string): Promise<number | undefined> {
    const pid = Number((await readFile(join(dir, 'shim.pid'), 'utf8').catch(() => '')).trim());
    if (!pid) return undefined;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    return isShimOf(cmdline, dir) ? pid : undefined;
  }

  async stats(id: string): Promise<CgroupStats> {
    return readCgroupStats((await this.record(id)).cgroupsPath);
  }

  /**
   * Runs a command in the running container; the caller owns the returned streams. The runc
   * exec (or the shim's tty-exec) is a direct child of the agent: the session streams both
   * ways and resizes its terminal for as long as it lasts.
   */
  async exec(id: string, opts: ExecOptions): Promise<ExecSession> {
    await this.record(id);
    const runc = await this.runc();
    let child: ChildProcess;
    if (opts.tty) {
      const args = ['tty-exec', '--runc', runc.binary, '--root', runc.root, '--id', id,
        ...(opts.cwd ? ['--cwd', opts.cwd] : []), '--', ...opts.command];
      child = spawn(await this.shim(), args, {
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, COXSHIM_EXEC_ENV: (opts.env ?? []).join('\n') },
      });
    } else {
      child = runc.spawnExec(id, opts.command, { env: opts.env, cwd: opts.cwd });
    }
    const exitCode = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
    });
    const control = child.stdio[3] as Writable | undefined;
    return {
      stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, exitCode, process: child,
      resize: (rows, cols) => {
        if (control && !control.destroyed) control.write(`${Math.floor(rows)} ${Math.floor(cols)}\n`);
      },
      kill: (signal = 'SIGKILL') => child.kill(signal),
    };
  }

  /**
   * A command in the container run to completion with its output collected, for probes and
   * tests: one request to the spawner (no stdin, no terminal), killed after `timeoutMs`.
   */
  async execCapture(id: string, command: string[], timeoutMs = 30_000): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    await this.record(id);
    const runc = await this.runc();
    const result = await (this.opts.spawner ?? defaultSpawner()).run(runc.binary, ['--root', runc.root, 'exec', id, ...command], { timeoutMs });
    const exitCode = result.code ?? 128 + (result.signal ? signalNumber(result.signal) : 0);
    return { exitCode, stdout: result.stdout, stderr: result.stderr };
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}
