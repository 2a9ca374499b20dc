// How the runtime runs host commands (ip, iptables, runc, qemu-img, mount, …). One interface,
// two implementations: `HelperSpawner` (the default) hands every command to one small
// long-lived process, coxspawn, which forks and execs it; `DirectSpawner` uses Node's
// child_process. Why: Node's spawn forks the whole agent and blocks its event loop until the
// child has exec'ed — 60–150 ms per call on a loaded node, during which no watch event, probe
// or DNS query is served. With the helper the agent only writes a request into a pipe.
// Unit tests pass a fake (FakeSpawner) instead.
import { constants } from 'node:os';

export interface RunOptions {
  /** Written to the command's stdin, which is then closed; /dev/null without it. */
  input?: string | Buffer;
  /**
   * Kill (SIGKILL, the command's whole process group) after this long; none when 0/absent. It
   * bounds the wait in every case: a command that exited while a process it left in a session
   * of its own holds its output open is reported killed (output cut short) by then, or by twice
   * this long when the kill has to be answered first.
   */
  timeoutMs?: number;
  cwd?: string;
  /** The command's whole environment; the agent's when absent. */
  env?: Record<string, string | undefined>;
  /** Output beyond this many bytes (stdout + stderr) kills the command; default 64 MiB. */
  maxBuffer?: number;
}

export interface RunResult {
  /** Null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed by `timeoutMs` or `maxBuffer`. */
  killed: boolean;
}

export interface LaunchOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** setsid: its own session, so it outlives the agent and its terminal. */
  newSession?: boolean;
}

export interface Launched {
  pid: number;
  /** Its exit, or undefined when that can no longer be known (the helper died first). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
}

export interface Spawner {
  /** Runs a command to completion. Resolves whatever its exit status; rejects when it could not run. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a long-running command with no stdio (output to /dev/null); resolves once it exec'ed. */
  launch(file: string, args: readonly string[], options?: LaunchOptions): Promise<Launched>;
}

/** A command that exited non-zero, was killed, or could not start. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly stdout = '',
    readonly exitCode: number | null = null,
    /** errno name when it could not start (ENOENT, EACCES, …). */
    readonly code?: string,
  ) {
    super(`${command}: ${stderr.trim()}`);
    this.name = 'CommandError';
  }
}

export const DEFAULT_MAX_BUFFER = 64 << 20;

export function signalName(n: number): NodeJS.Signals | null {
  if (!n) return null;
  return (Object.entries(constants.signals).find(([, v]) => v === n)?.[0] as NodeJS.Signals | undefined) ?? null;
}

export function errnoName(n: number): string {
  return Object.entries(constants.errno).find(([, v]) => v === n)?.[0] ?? `errno ${n}`;
}
