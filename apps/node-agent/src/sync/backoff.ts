import { BackoffSettings, ObservedContainer } from './model';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** Whether an exited container is started again under the pod's restart policy. */
export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number | undefined): boolean {
  switch (policy ?? 'Always') {
    case 'Always':
      return true;
    case 'OnFailure':
      return exitCode !== 0;
    case 'Never':
      return false;
  }
}

export interface RestartTiming {
  /** Consecutive quick exits including this one. */
  crashStreak: number;
  delayMs: number;
  /** Earliest time the next start may happen. */
  notBefore: number;
}

/**
 * Crash-loop back-off as the kubelet does it: every restart waits, doubling from the initial delay
 * up to the cap; a container that had run for `resetAfterMs` starts the sequence over.
 */
export function restartTiming(exited: ObservedContainer, previousStreak: number, settings: BackoffSettings): RestartTiming {
  const finishedAt = exited.finishedAt ?? exited.startedAt ?? 0;
  const ranMs = exited.startedAt !== undefined ? finishedAt - exited.startedAt : 0;
  const crashStreak = ranMs >= settings.resetAfterMs ? 1 : previousStreak + 1;
  const delayMs = Math.min(settings.initialMs * 2 ** (crashStreak - 1), settings.maxMs);
  return { crashStreak, delayMs, notBefore: finishedAt + delayMs };
}
