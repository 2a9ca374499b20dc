// Keeps a component running the way systemd's Restart=always does: when it exits without being
// asked to, it is started again after a back-off (0.5 s doubling to 10 s, reset after a minute
// of good running) and the restart is reported. `npm run up` supervises every component; tests
// that kill a process on purpose (kill -9 adoption) use the plain ManagedProcess instead.
import { ChildProcess } from 'node:child_process';
import { ManagedProcess } from './process';

export const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];
/** A process that ran this long before dying starts its back-off from the beginning. */
export const HEALTHY_RUN_MS = 60_000;

export interface SupervisedProcess extends ManagedProcess {
  /** Times the process was started again after dying. */
  restarts(): number;
}

export interface SuperviseOptions {
  onRestart?: (info: { code: number | null; signal: NodeJS.Signals | null; delayMs: number; restarts: number }) => void;
  now?: () => number;
}

/** The back-off before the next start, given how many quick deaths came before (pure). */
export function restartDelay(quickDeaths: number): number {
  return RESTART_DELAYS_MS[Math.min(quickDeaths, RESTART_DELAYS_MS.length - 1)];
}

export function supervise(spawn: () => ManagedProcess, options: SuperviseOptions = {}): SupervisedProcess {
  const now = options.now ?? Date.now;
  let current = spawn();
  let startedAt = now();
  let stopping = false;
  let restarts = 0;
  let quickDeaths = 0;
  let timer: NodeJS.Timeout | undefined;
  let resolveStopped!: (code: number | null) => void;
  const stopped = new Promise<number | null>((resolve) => (resolveStopped = resolve));

  const watch = (proc: ManagedProcess) => {
    void proc.exited.then((code) => {
      if (stopping) return resolveStopped(code);
      quickDeaths = now() - startedAt >= HEALTHY_RUN_MS ? 1 : quickDeaths + 1;
      const delayMs = restartDelay(quickDeaths - 1);
      options.onRestart?.({ code, signal: proc.child.signalCode as NodeJS.Signals | null, delayMs, restarts: restarts + 1 });
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return resolveStopped(code);
        restarts++;
        current = spawn();
        startedAt = now();
        watch(current);
      }, delayMs);
    });
  };
  watch(current);

  return {
    get child(): ChildProcess {
      return current.child;
    },
    output: () => current.output(),
    get exited() {
      return stopped;
    },
    restarts: () => restarts,
    freeze: () => current.freeze(),
    async stop(graceMs?: number) {
      stopping = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        resolveStopped(current.child.exitCode);
      }
      await current.stop(graceMs);
      await stopped;
    },
  };
}
