/** Starts QEMU detached from the agent, and tells whether a recorded QEMU still runs. */
import { readFile } from 'node:fs/promises';
import { defaultSpawner } from '../proc/run-command';
import { Spawner } from '../proc/spawner';

/**
 * A few lines of sh stay as QEMU's parent: they join the VM's cgroup before exec-ing QEMU (so
 * nothing is charged elsewhere) and record QEMU's exit code, which nobody else could see once
 * the agent that launched it is gone. New session, no inherited stdio: it outlives the agent.
 */
const WRAPPER = `log=$1; exit_file=$2; shift 2
while [ "$1" != "--" ]; do
  if ! echo $$ > "$1"; then echo "coxswain: cannot join cgroup $1" >>"$log"; echo 125 > "$exit_file"; exit 125; fi
  shift
done
shift
"$@" </dev/null >>"$log" 2>&1
echo $? > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"`;

export interface LaunchFiles {
  qemuLog: string;
  exitFile: string;
  /** cgroup.procs files to join first. */
  cgroupProcs: string[];
}

/** Resolves to the wrapper's pid once it runs; QEMU's own pid appears in its -pidfile. */
export async function launchDetached(qemu: string, args: string[], files: LaunchFiles, spawner: Spawner = defaultSpawner()): Promise<number> {
  const { pid } = await spawner.launch('/bin/sh', ['-c', WRAPPER, 'coxswain-vm', files.qemuLog, files.exitFile, ...files.cgroupProcs, '--', qemu, ...args], { newSession: true });
  return pid;
}

/** Pure: a /proc/<pid>/stat line → its state letter (the comm may itself contain ')'). */
export function procState(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : /^\s+(\S)/.exec(stat.slice(close + 1))?.[1];
}

/**
 * True when `pid` is a live (non-zombie) process whose command line contains `token` — a path
 * unique to this VM — so a recycled pid is never mistaken for our QEMU.
 */
export async function isLiveProcessWith(pid: number | undefined, token: string): Promise<boolean> {
  if (!pid || pid <= 0) return false;
  try {
    const [cmdline, stat] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8')]);
    return procState(stat) !== 'Z' && cmdline.split('\0').some((arg) => arg.includes(token));
  } catch {
    return false;
  }
}

export async function readPidFile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function readExitCode(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const code = Number.parseInt(text.trim(), 10);
  return Number.isInteger(code) ? code : undefined;
}
