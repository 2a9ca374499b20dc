// A clock that runs `scale` times faster than `base` from the moment it is made, for the
// CronJob controller only (--cronjob-clock-scale): tests see a `*/1` schedule fire every
// few seconds. Never for production: times it writes run ahead of the wall clock.
import { Clock } from '@coxswain/client';

export function scaledClock(base: Clock, scale: number): Clock {
  if (scale === 1) return base;
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * scale,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / scale),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
