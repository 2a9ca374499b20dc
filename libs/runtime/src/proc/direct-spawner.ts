// Node's child_process on the caller's event loop: the fallback where coxspawn cannot be built,
// and the baseline bench/spawn compares the helper with.
import { execFile, spawn } from 'node:child_process';
import { DEFAULT_MAX_BUFFER, LaunchOptions, Launched, RunOptions, RunResult, Spawner } from './spawner';

export class DirectSpawner implements Spawner {
  run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(file, args, {
        timeout: options.timeoutMs ?? 0, killSignal: 'SIGKILL', cwd: options.cwd, env: options.env,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER, encoding: 'utf8',
      }, (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals }) | null;
        if (e && typeof e.code === 'string' && e.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(e);
        const maxed = e?.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr, killed: Boolean(e?.killed) || maxed });
      });
      if (options.input !== undefined) {
        child.stdin?.on('error', () => undefined); // EPIPE when the command does not read it
        child.stdin?.end(options.input);
      } else {
        child.stdin?.end();
      }
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

