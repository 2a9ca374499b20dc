// Thin wrapper over the runc CLI. Every call names its own --root so several drivers (and
// tests) never see each other's containers.
import { ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { runCommand } from '../proc/run-command';
import { CommandError, Spawner } from '../proc/spawner';

export type RuncStatus = 'creating' | 'created' | 'running' | 'pausing' | 'paused' | 'stopped';

export interface RuncContainer {
  id: string;
  pid: number;
  status: RuncStatus;
}

export class RuncError extends Error {
  constructor(message: string, readonly notFound: boolean) {
    super(message);
    this.name = 'RuncError';
  }
}

/** Finds runc on PATH or in the sbin directories an agent's PATH often lacks. */
export async function findRunc(): Promise<string> {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs.filter(Boolean)) {
    const candidate = `${d}/runc`;
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error('runc not found (install the runc package)');
}

/** `runc list` attempts when containers vanish under it (see list()). */
const LIST_ATTEMPTS = 5;

export class Runc {
  constructor(readonly binary: string, readonly root: string, private readonly spawner?: Spawner) {}

  // One-shot calls (list, state, start, kill, delete) go through the runtime's spawner.
  private async run(args: string[], timeoutMs = 30_000): Promise<string> {
    try {
      return await runCommand(this.binary, ['--root', this.root, ...args], { timeoutMs, maxBuffer: 16 << 20, spawner: this.spawner });
    } catch (err) {
      const text = (err instanceof CommandError ? err.stderr : String(err)).trim();
      throw new RuncError(`runc ${args[0]}: ${text}`, /does not exist|not exist|no such/i.test(text));
    }
  }

  async list(): Promise<RuncContainer[]> {
    let out: string;
    for (let attempt = 1; ; attempt++) {
      try {
        out = await this.run(['list', '--format', 'json']);
        break;
      } catch (err) {
        // runc reads its root with a readdir and a stat of every entry, and gives up when an
        // entry went in between: while a node removed 300 containers, lists failed so, and with
        // them the agent's sync passes. A race with a removal, not a fault: look again.
        if (!(err instanceof RuncError && err.notFound && /\bstat\b/.test(err.message)) || attempt === LIST_ATTEMPTS) throw err;
      }
    }
    const parsed = JSON.parse(out.trim() || 'null') as RuncContainer[] | null;
    return (parsed ?? []).map(({ id, pid, status }) => ({ id, pid, status }));
  }

  async state(id: string): Promise<RuncContainer | undefined> {
    try {
      const { pid, status } = JSON.parse(await this.run(['state', id])) as RuncContainer;
      return { id, pid, status };
    } catch (err) {
      if (err instanceof RuncError && err.notFound) return undefined;
      throw err;
    }
  }

  async start(id: string): Promise<void> {
    await this.run(['start', id]);
  }

  async kill(id: string, signal: string, all = false): Promise<void> {
    await this.run(['kill', ...(all ? ['--all'] : []), id, signal]);
  }

  /** Deletes the container (and its cgroup); `force` kills it first. Missing is fine. */
  async delete(id: string, force = false): Promise<void> {
    try {
      await this.run(['delete', ...(force ? ['--force'] : []), id]);
    } catch (err) {
      if (!(err instanceof RuncError && err.notFound)) throw err;
    }
  }

  /**
   * `runc exec` without a terminal, as a direct child of the caller with piped stdio: an
   * interactive session streams both ways for as long as it lasts, which is not one request.
   */
  spawnExec(id: string, command: string[], opts: { env?: string[]; cwd?: string } = {}): ChildProcess {
    const args = ['--root', this.root, 'exec'];
    for (const e of opts.env ?? []) args.push('--env', e);
    if (opts.cwd) args.push('--cwd', opts.cwd);
    args.push(id, ...command);
    return spawn(this.binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  }
}
