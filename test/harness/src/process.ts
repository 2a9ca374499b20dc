import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Children still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Last lines of combined output, for error messages when start-up fails. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /**
   * SIGSTOP, resolved once every thread of the process is stopped. The kernel stops a
   * multi-threaded process lazily (the first thread to take the signal stops the others), so on a
   * loaded machine etcd could still answer a request sent just after kill() returned.
   */
  freeze(): Promise<void>;
  exited: Promise<number | null>;
}

/** Whether every thread of `pid` is stopped (state T in /proc/PID/task/TID/stat); false once it is gone. */
export async function allThreadsStopped(pid: number): Promise<boolean> {
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    for (const tid of tids) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The state follows the command name, which is in parentheses and may hold spaces.
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'T') return false;
    }
    return tids.length > 0;
  } catch {
    return false;
  }
}

/** Spawns a child whose output is kept in a bounded tail buffer and which dies with the test run. */
export function spawnManaged(cmd: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  installExitHook();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.on('error', () => {
      live.delete(child);
      resolve(null);
    });
  });
  return {
    child,
    exited,
    output: () => tail,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async freeze() {
      const pid = child.pid;
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) throw new Error(`cannot freeze ${cmd}: not running`);
      child.kill('SIGSTOP');
      await waitUntil(() => allThreadsStopped(pid), 10_000, () => `${cmd} (pid ${pid}) did not stop after SIGSTOP`, 5);
    },
  };
}

/** Polls `check` until it resolves true, or rejects after `timeoutMs` with `describe()` in the message. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
