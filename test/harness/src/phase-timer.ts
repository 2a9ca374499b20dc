// Opt-in timing of the harness's own phases (COXSWAIN_HARNESS_TIMING=1): every e2e suite pays
// for a cluster start and stop, so where that time goes is what to look at when the suite is slow.

export interface PhaseTimer {
  /** Marks the end of a phase (since the previous mark). */
  (name: string): void;
  /** Prints the phases on one line (when timing is on). */
  done(): void;
}

export function phaseTimer(label: string, enabled = Boolean(process.env.COXSWAIN_HARNESS_TIMING)): PhaseTimer {
  const started = performance.now();
  let last = started;
  const phases: string[] = [];
  const mark = ((name: string) => {
    const now = performance.now();
    phases.push(`${name} ${Math.round(now - last)}`);
    last = now;
  }) as PhaseTimer;
  mark.done = () => {
    if (enabled) process.stderr.write(`harness: ${label} ${Math.round(performance.now() - started)} ms (${phases.join(', ')})\n`);
  };
  return mark;
}
