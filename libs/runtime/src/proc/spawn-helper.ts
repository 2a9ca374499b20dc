// HelperSpawner: every command forked and exec'ed by coxspawn (shim/coxspawn.c), one small
// process started once (compiled like coxshim, from C) and started again when it dies. The
// agent's part of a spawn is writing a frame into a pipe. Commands run concurrently; stdin,
// timeouts (SIGKILL to the command's process group) and long-running children (`launch`)
// are supported. Streams that stay open both ways (kubectl exec's runc exec, its terminal)
// remain direct children of the agent: they are not one request and one reply.
import { ChildProcess, spawn } from 'node:child_process';
import { lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureShimBinary } from '../containers/shim-binary';
import {
  decodeExit, decodeFailure, encodeFrame, encodeSpawn, Frame, FrameDecoder, RequestType,
  SPAWN_DISCARD_OUTPUT, SPAWN_NEW_SESSION, SPAWN_STDIN_PIPE,
} from './spawn-frames';
import {
  DEFAULT_MAX_BUFFER, errnoName, LaunchOptions, Launched, RunOptions, RunResult, signalName, Spawner,
} from './spawner';
import { DirectSpawner } from './direct-spawner';

export const DEFAULT_HELPER_SOURCE = process.env.COXSWAIN_SPAWN_SOURCE ?? join(__dirname, '..', '..', 'shim', 'coxspawn.c');

export interface HelperSpawnerOptions {
  /** A prebuilt coxspawn; otherwise compiled from `source` into `binDir`. */
  helperPath?: string;
  source?: string;
  /** Where the compiled helper is kept; a private directory under the temp dir by default. */
  binDir?: string;
  /** Used when the helper cannot be built or started (no C compiler): commands still run. */
  fallback?: Spawner;
  /** Told when the helper is (re)started or falls back, for the agent's log. */
  onEvent?: (event: { kind: 'started' | 'exited' | 'fallback'; detail: string }) => void;
}

interface Job {
  command: string;
  /** run(): collects output; launch(): only the pid and the exit. */
  collect: boolean;
  out: Buffer[];
  err: Buffer[];
  bytes: number;
  maxBuffer: number;
  /** Output went over maxBuffer: killed, the rest of it dropped. */
  killed: boolean;
  /** Its timeout struck and a kill was sent; it counts as killed only if it died by a signal. */
  timedOut: boolean;
  /** Keeps the process alive: a run() until its exit, a launch() until its pid. */
  holdsRef: boolean;
  timer?: NodeJS.Timeout;
  onPid(pid: number): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  onFail(error: Error): void;
}

const CHUNK = 1 << 20;

/** A directory only we can write, so nobody can plant a binary we then run as root. */
async function privateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  const uid = process.getuid?.() ?? 0;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) throw new Error(`${dir} is not a private directory of uid ${uid}`);
  return dir;
}

export class HelperSpawner implements Spawner {
  private child?: ChildProcess;
  private binary?: Promise<string | undefined>;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private running = 0;
  private fallbackReason?: string;

  constructor(private readonly options: HelperSpawnerOptions = {}) {}

  /** 'helper' or, when it could not be built, 'direct (<why>)'. */
  async mode(): Promise<string> {
    return (await this.helperBinary()) ? 'helper' : `direct (${this.fallbackReason})`;
  }

  /** The helper's pid while it runs (tests, diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private helperBinary(): Promise<string | undefined> {
    this.binary ??= (async () => {
      if (this.options.helperPath) return this.options.helperPath;
      try {
        const dir = await privateDir(this.options.binDir ?? join(tmpdir(), `coxswain-bin-${process.getuid?.() ?? 0}`));
        return await ensureShimBinary(dir, this.options.source ?? DEFAULT_HELPER_SOURCE);
      } catch (error) {
        this.fallbackReason = `coxspawn not built: ${(error as Error).message.split('\n')[0]}`;
        this.options.onEvent?.({ kind: 'fallback', detail: this.fallbackReason });
        return undefined;
      }
    })();
    return this.binary;
  }

  private fallback(): Spawner {
    return this.options.fallback ?? new DirectSpawner();
  }

  private helper(binary: string): ChildProcess {
    if (this.child) return this.child;
    // The one spawn from the agent's thread, once per helper life.
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    const decoder = new FrameDecoder();
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) this.onFrame(frame);
    });
    child.stdin!.on('error', () => undefined); // its exit is handled below
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.running = 0;
      this.options.onEvent?.({ kind: 'exited', detail: why });
      const jobs = [...this.jobs.values()];
      this.jobs.clear();
      for (const job of jobs) {
        clearTimeout(job.timer);
        job.onFail(new Error(`spawn helper ${why} while running ${job.command} (it may have run)`));
      }
    };
    child.on('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    child.on('error', (error) => gone(`failed: ${error.message}`));
    this.options.onEvent?.({ kind: 'started', detail: `pid ${child.pid}` });
    this.setRef(false);
    return child;
  }

  /** An idle helper never keeps the process alive; a run() in flight or a launch() starting does. */
  private setRef(ref: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const target of [child, child.stdout as unknown as { ref(): void; unref(): void }, child.stdin as unknown as { ref(): void; unref(): void }]) {
      if (ref) target?.ref?.();
      else target?.unref?.();
    }
  }

  private send(id: number, type: RequestType, payload?: Buffer): void {
    this.child?.stdin!.write(encodeFrame(id, type, payload));
  }

  private onFrame(frame: Frame): void {
    const job = this.jobs.get(frame.id);
    if (!job) return;
    switch (frame.type) {
      case 'P':
        if (!job.collect) this.release(job); // a launch() is done; a run() holds on until its exit
        job.onPid(frame.payload.readUInt32LE(0));
        break;
      case 'O':
      case 'R': {
        if (!job.collect || job.killed) break;
        (frame.type === 'O' ? job.out : job.err).push(frame.payload);
        job.bytes += frame.payload.length;
        if (job.bytes > job.maxBuffer) {
          job.killed = true;
          this.kill(frame.id);
        }
        break;
      }
      case 'X': {
        this.finish(frame.id, job);
        const { code, signal } = decodeExit(frame.payload);
        job.onExit(code, signalName(signal));
        break;
      }
      case 'F': {
        this.finish(frame.id, job);
        const { errno, message } = decodeFailure(frame.payload);
        const error = Object.assign(new Error(`spawn ${job.command}: ${message}`), { code: errnoName(errno), errno: -errno });
        job.onFail(error);
        break;
      }
    }
  }

  private finish(id: number, job: Job): void {
    clearTimeout(job.timer);
    this.jobs.delete(id);
    this.release(job);
  }

  private release(job: Job): void {
    if (!job.holdsRef) return;
    job.holdsRef = false;
    if (--this.running === 0) this.setRef(false);
  }

  private kill(id: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32LE(9, 0); // SIGKILL
    this.send(id, 'K', payload);
  }

  private start(argv: readonly string[], flags: number, extra: { cwd?: string; env?: Record<string, string | undefined> }, job: Job): number {
    const request = encodeSpawn({ argv, flags, cwd: extra.cwd, env: extra.env });
    const binaryReady = this.child;
    if (!binaryReady) throw new Error('spawn helper not running');
    const id = this.nextId++;
    if (this.nextId > 0xfffffff0) this.nextId = 1;
    this.jobs.set(id, job);
    if (this.running++ === 0) this.setRef(true);
    this.send(id, 'S', request);
    return id;
  }

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const binary = await this.helperBinary();
    if (!binary) return this.fallback().run(file, args, options);
    this.helper(binary);
    const input = options.input === undefined ? undefined : Buffer.isBuffer(options.input) ? options.input : Buffer.from(options.input);
    return new Promise<RunResult>((resolve, reject) => {
      const job: Job = {
        command: [file, ...args].join(' ').slice(0, 200), collect: true, out: [], err: [], bytes: 0,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER, killed: false, timedOut: false, holdsRef: true,
        onPid: () => undefined,
        // A command that exited on its own as its timeout struck finished: coxspawn reports the
        // exit after the end of its output, so that output is whole.
        onExit: (code, signal) => resolve({ code, signal, stdout: Buffer.concat(job.out).toString(), stderr: Buffer.concat(job.err).toString(), killed: job.killed || (job.timedOut && code === null) }),
        onFail: reject,
      };
      const id = this.start([file, ...args], input ? SPAWN_STDIN_PIPE : 0, options, job);
      if (options.timeoutMs) {
        const timeoutMs = options.timeoutMs;
        job.timer = setTimeout(() => {
          job.timedOut = true;
          this.kill(id);
          // coxspawn reports an exit only once the output has ended. A command that exited while
          // something it started (in a session of its own) holds its output open would keep the
          // caller waiting for ever: after as long again, the wait ends, cut short (killed).
          job.timer = setTimeout(() => {
            if (this.jobs.get(id) !== job) return;
            this.finish(id, job);
            job.onExit(null, null);
          }, timeoutMs);
        }, timeoutMs);
      }
      if (input) {
        for (let off = 0; off < input.length; off += CHUNK) this.send(id, 'I', input.subarray(off, off + CHUNK));
        this.send(id, 'E');
      }
    });
  }

  async launch(file: string, args: readonly string[], options: LaunchOptions = {}): Promise<Launched> {
    const binary = await this.helperBinary();
    if (!binary) return this.fallback().launch(file, args, options);
    this.helper(binary);
    let exit!: (value: { code: number | null; signal: NodeJS.Signals | null } | undefined) => void;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>((resolve) => (exit = resolve));
    return new Promise<Launched>((resolve, reject) => {
      let started = false;
      const job: Job = {
        command: [file, ...args].join(' ').slice(0, 200), collect: false, out: [], err: [], bytes: 0, maxBuffer: 0, killed: false, timedOut: false, holdsRef: true,
        onPid: (pid) => {
          started = true;
          resolve({ pid, exited });
        },
        onExit: (code, signal) => exit({ code, signal }),
        onFail: (error) => (started ? exit(undefined) : reject(error)),
      };
      this.start([file, ...args], SPAWN_DISCARD_OUTPUT | (options.newSession ? SPAWN_NEW_SESSION : 0), options, job);
    });
  }

  /** Stops the helper (commands in flight fail); the next call starts a new one. */
  close(): void {
    this.child?.stdin?.end();
  }
}
