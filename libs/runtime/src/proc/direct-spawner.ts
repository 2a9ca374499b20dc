// Node's child_process on the caller's event loop: the fallback where coxspawn cannot be built,
// and the baseline bench/spawn compares the helper with.
import { spawn } from 'node:child_process';
import { DEFAULT_MAX_BUFFER, LaunchOptions, Launched, RunOptions, RunResult, Spawner } from './spawner';

/** How long, at least, the output of a command that exited as its timeout struck is read. */
const DRAIN_MIN_MS = 1000;

export class DirectSpawner implements Spawner {
  /**
   * Not execFile: its timeout destroys the output streams before it kills, so a command that had
   * already exited (its output still in the pipe, the agent's loop busy) was reported as a
   * success with its output cut short — a `runc list` of 500 containers read as 292 KB of JSON.
   * Here a timeout only kills; what the command wrote is read to its end. A command that exited
   * on its own (a code, no signal) counts as finished, not killed, and its output is whole.
   */
  run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let bytes = 0;
      let overflow = false;
      let timedOut = false;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let drainTimer: NodeJS.Timeout | undefined;
      const finish = (killed: boolean) => {
        if (settled || !exit) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(drainTimer);
        resolve({ ...exit, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), killed });
      };
      const stopReading = () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      };
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        if (overflow) return;
        bytes += chunk.length;
        if (bytes > maxBuffer) {
          overflow = true;
          child.kill('SIGKILL');
          return;
        }
        into.push(chunk);
      };
      child.stdout!.on('data', collect(out));
      child.stderr!.on('data', collect(err));
      child.on('error', (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(drainTimer);
        reject(error);
      });
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        // Killed by us (timeout, maxBuffer): done, even if something it started holds the pipes.
        if (overflow || (timedOut && code === null)) {
          stopReading();
          finish(true);
        } else if (timedOut) {
          // It exited on its own as the timeout struck: read what it wrote, but not for ever
          // (a child it left behind may hold the pipes); cut short means killed, never success.
          // At least DRAIN_MIN_MS: on a loaded machine 100 ms did not always read 100 KB.
          drainTimer = setTimeout(() => {
            stopReading();
            finish(true);
          }, Math.max(options.timeoutMs ?? 0, DRAIN_MIN_MS));
        }
      });
      child.on('close', () => finish(overflow || (timedOut && exit?.code === null)));
      if (options.timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true;
          if (!exit) {
            child.kill('SIGKILL');
            return;
          }
          // It exited before the timeout, yet its output is still open: something it started
          // (in a session of its own) holds the pipes. Waiting for their end could take for ever.
          stopReading();
          finish(true);
        }, options.timeoutMs);
      }
      child.stdin!.on('error', () => undefined); // EPIPE when the command does not read it
      if (options.input !== undefined) child.stdin!.end(options.input);
      else child.stdin!.end();
    });
  }

  async launch(file: string, args: readonly string[], options: LaunchOptions = {}): Promise<Launched> {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: options.newSession, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', () => resolve(undefined));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    return { pid: child.pid!, exited };
  }
}

