// A fixed number of seats shared fairly between users: a request takes a free seat at once, or
// waits in its user's queue; a freed seat goes to the next user round-robin, so a client that
// sends a thousand requests waits behind its own queue while another user's single request
// is served next (the "fair queuing" of Kubernetes' API Priority and Fairness, one queue per
// user instead of shuffle-sharded queues).

export type Rejection = 'queue-full' | 'time-out';

export interface FairQueueSettings {
  seats: number;
  /** Requests one user may have waiting; more are rejected at once. */
  queueLengthPerUser: number;
  /** How long a request may wait for a seat before it is rejected. */
  maxWaitMs: number;
}

interface Waiter {
  user: string;
  grant: () => void;
  timer: NodeJS.Timeout;
}

export class FairQueue {
  private busy = 0;
  /** Waiting requests per user, in arrival order; Map order is the round-robin order. */
  private readonly queues = new Map<string, Waiter[]>();

  constructor(private readonly settings: FairQueueSettings) {}

  get inflight(): number {
    return this.busy;
  }

  get waiting(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Resolves with a release function once a seat is held, or with the reason it was refused. */
  acquire(user: string): Promise<{ release: () => void } | { rejected: Rejection }> {
    if (this.busy < this.settings.seats && this.queues.size === 0) return Promise.resolve({ release: this.seat() });
    const queue = this.queues.get(user) ?? [];
    if (queue.length >= this.settings.queueLengthPerUser) return Promise.resolve({ rejected: 'queue-full' });
    return new Promise((resolve) => {
      const waiter: Waiter = {
        user,
        grant: () => resolve({ release: this.seat() }),
        timer: setTimeout(() => {
          this.remove(waiter);
          resolve({ rejected: 'time-out' });
        }, this.settings.maxWaitMs),
      };
      queue.push(waiter);
      this.queues.set(user, queue);
    });
  }

  private seat(): () => void {
    this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy--;
      this.dispatch();
    };
  }

  /** Hands free seats to the users at the head of the round-robin, one request each. */
  private dispatch(): void {
    while (this.busy < this.settings.seats && this.queues.size > 0) {
      const [user, queue] = this.queues.entries().next().value as [string, Waiter[]];
      const waiter = queue.shift()!;
      this.queues.delete(user);
      if (queue.length) this.queues.set(user, queue); // to the back of the round-robin
      clearTimeout(waiter.timer);
      waiter.grant();
    }
  }

  private remove(waiter: Waiter): void {
    const queue = this.queues.get(waiter.user);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(waiter.user);
  }
}
