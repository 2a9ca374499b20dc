// The process-wide spawner the runtime's host commands go through (coxspawn unless replaced),
// and execFile's contract over it.
import { HelperSpawner } from './spawn-helper';
import { CommandError, RunOptions, RunResult, Spawner } from './spawner';

let current: Spawner | undefined;

/** The process-wide spawner the runtime's host commands go through. */
export function defaultSpawner(): Spawner {
  return (current ??= new HelperSpawner());
}

/** Replaces the process-wide spawner (the agent at start-up, tests, benches); undefined resets it. */
export function setDefaultSpawner(spawner: Spawner | undefined): void {
  current = spawner;
}

/**
 * execFile's contract over a spawner: stdout of a command that exited 0, else a CommandError
 * carrying its stderr (or why it did not run / was killed) and stdout.
 */
export async function runCommand(file: string, args: readonly string[], options: RunOptions & { spawner?: Spawner } = {}): Promise<string> {
  const command = [file, ...args].join(' ');
  const spawner = options.spawner ?? defaultSpawner();
  let result: RunResult;
  try {
    result = await spawner.run(file, args, options);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new CommandError(command, e.message, '', null, e.code);
  }
  if (result.code === 0 && !result.killed) return result.stdout;
  const why = result.killed
    ? `killed (${options.timeoutMs ? `no exit within ${options.timeoutMs} ms` : 'output over maxBuffer'})`
    : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  throw new CommandError(command, result.stderr.trim() ? result.stderr : why, result.stdout, result.code);
}

