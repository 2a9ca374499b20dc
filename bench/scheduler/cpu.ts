// CPU seconds a process has used so far (user + system), from /proc, to show where a
// phase's time went. A process tree (the API server's primary and its workers) sums up.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** The pid and every live descendant (from /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return out;
}

/** CPU seconds of a process and its live descendants. */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (cpuSeconds(p) || 0), 0);
}

/**
 * CPU seconds per named process between start() and the returned stop(); names in `trees`
 * count the process with its descendants (an API server with workers).
 */
export function cpuMeter(pids: Record<string, number>, trees: string[] = []): () => Record<string, number> {
  const read = (name: string, pid: number) => (trees.includes(name) ? treeCpuSeconds(pid) : cpuSeconds(pid));
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, read(name, pid)]));
  return () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, Math.round((read(name, pid) - before[name]) * 100) / 100]));
}
