// Runs commands through one long-lived /bin/sh instead of spawning each one from Node. Node's
// spawn blocks the event loop until the child has exec'ed (libuv waits on a pipe for the exec
// result): on a loaded 2-core node that was 60–150 ms per call, longer than iptables-restore
// itself, and every watch event, probe and status write waited behind it. The shell forks a
// small process instead, and the agent's loop keeps serving meanwhile.
// One command at a time; input, output and errors go through files in a private directory, the
// shell's stdout carries only a completion line with the exit code.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ShellCommandOptions {
  input?: string;
  timeoutMs?: number;
}

/** POSIX single-quoting: every argument reaches the command exactly as given. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

interface Pending {
  marker: string;
  done(error: Error | undefined, code?: number): void;
}

export class CommandShell {
  private child?: ChildProcess;
  private dir?: Promise<string>;
  private tail: Promise<unknown> = Promise.resolve();
  private pending?: Pending;
  private buffered = '';
  private seq = 0;
  private closed = false;

  /** Runs `argv` and resolves to its stdout; rejects with its stderr when it exits non-zero. */
  run(argv: string[], options: ShellCommandOptions = {}): Promise<string> {
    const result = this.tail.then(() => this.runNow(argv, options));
    this.tail = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.child?.stdin?.end();
    this.child = undefined;
    const dir = await this.dir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private async runNow(argv: string[], { input, timeoutMs = 60_000 }: ShellCommandOptions): Promise<string> {
    if (this.closed) throw new Error(`${argv.join(' ')}: shell closed`);
    const dir = await (this.dir ??= mkdtemp(join(tmpdir(), 'cx-shell-')));
    const files = { in: join(dir, 'in'), out: join(dir, 'out'), err: join(dir, 'err') };
    if (input !== undefined) await writeFile(files.in, input);
    const shell = this.shell();
    const marker = `__cx_done_${process.pid}_${++this.seq}`;
    const line = `${argv.map(shellQuote).join(' ')} <${shellQuote(input === undefined ? '/dev/null' : files.in)} >${shellQuote(files.out)} 2>${shellQuote(files.err)}; echo "${marker} $?"\n`;
    const code = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        // The shell and what it runs (its own process group) go; the next command gets a new shell.
        if (this.child === shell) this.child = undefined;
        try {
          process.kill(-shell.pid!, 'SIGKILL');
        } catch {
          shell.kill('SIGKILL');
        }
        reject(new Error(`${argv.join(' ')}: no exit within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        marker,
        done: (error, exitCode) => {
          clearTimeout(timer);
          this.pending = undefined;
          this.setRef(false);
          if (error) reject(new Error(`${argv.join(' ')}: ${error.message}`));
          else resolve(exitCode!);
        },
      };
      this.setRef(true);
      shell.stdin!.write(line);
    });
    const [stdout, stderr] = await Promise.all([readFile(files.out, 'utf8'), readFile(files.err, 'utf8')]);
    if (code !== 0) throw new Error(`${argv.join(' ')}: ${stderr.trim() || `exit code ${code}`}`);
    return stdout;
  }

  private shell(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    this.child = child;
    this.buffered = '';
    child.stdin!.on('error', () => undefined);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const [marker, code] = this.buffered.slice(0, nl).split(' ');
        this.buffered = this.buffered.slice(nl + 1);
        if (this.pending?.marker === marker) this.pending.done(undefined, Number(code));
      }
    });
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.pending?.done(new Error(`shell ${why}`));
    };
    child.on('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    child.on('error', (error) => gone(`failed: ${error.message}`));
    this.setRef(false);
    return child;
  }

  /** The idle shell never keeps the process alive; a command in flight does. */
  private setRef(ref: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const target of [child, child.stdout as unknown as { ref(): void; unref(): void }, child.stdin as unknown as { ref(): void; unref(): void }]) {
      if (ref) target?.ref?.();
      else target?.unref?.();
    }
  }
}
