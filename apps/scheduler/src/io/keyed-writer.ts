// Fire-and-forget writes keyed by object, at most `concurrency` at once; a newer write for
// a key still waiting replaces the older one (only the latest status matters).
import type { Logger } from 'pino';

export class KeyedWriter {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  submit(key: string, write: () => Promise<void>): void {
    this.waiting.delete(key);
    this.waiting.set(key, write);
    this.pump();
  }

  get pending(): number {
    return this.waiting.size + this.inFlight;
  }

  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting.size > 0) {
      const [key, write] = this.waiting.entries().next().value as [string, () => Promise<void>];
      this.waiting.delete(key);
      this.inFlight++;
      write()
        .catch((err) => this.logger?.warn({ err, key }, 'status write failed'))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.pending === 0) this.idle.splice(0).forEach((fn) => fn());
        });
    }
  }
}
