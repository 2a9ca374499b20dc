// Work that should end within a bound (a sync pass, a pod worker) and where it is now. A step
// that never returns (a promise nothing settles) leaves no error to log: pods stay in
// ContainerCreating and the agent says nothing. This names what is overdue and the step it
// is on, so the warning points at the stuck call. Pure: the caller brings the clock.

export interface Overdue {
  key: string;
  what: string;
  step: string;
  forMs: number;
}

interface Entry {
  what: string;
  step: string;
  startedAt: number;
  /** When it was last reported overdue. */
  reportedAt?: number;
}

export class StallWatch {
  private readonly entries = new Map<string, Entry>();

  /** `boundMs`: how long a piece of work may take before it is reported (then once per bound). */
  constructor(private readonly boundMs: number) {}

  begin(key: string, what: string, step: string, now: number): void {
    this.entries.set(key, { what, step, startedAt: now });
  }

  step(key: string, step: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.step = step;
  }

  end(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The work past its bound and not reported within the last bound, longest first. */
  check(now: number): Overdue[] {
    const out: Overdue[] = [];
    for (const [key, entry] of this.entries) {
      if (now - entry.startedAt < this.boundMs) continue;
      if (entry.reportedAt !== undefined && now - entry.reportedAt < this.boundMs) continue;
      entry.reportedAt = now;
      out.push({ key, what: entry.what, step: entry.step, forMs: now - entry.startedAt });
    }
    return out.sort((a, b) => b.forMs - a.forMs);
  }
}
