// One queue for Pods and VMIs (kube-scheduler's PriorityQueue): an active heap ordered by
// priority then FIFO, a back-off heap for workloads that just failed, and an unschedulable
// pool that is retried only when a cluster event could help (a node added or changed,
// capacity freed), not on a blind timer.
import { Clock, realClock, TimerHandle } from '@coxswain/client';
import { ClusterEvent, Workload } from '@coxswain/scheduling';
import { KeyedHeap } from './keyed-heap';

export interface QueuedWorkload {
  workload: Workload;
  /** When it (re-)entered the queue: FIFO order among equal priorities. */
  timestamp: number;
  /** When it was first queued, for create→bound figures. */
  initialTimestamp: number;
  /** Failed attempts so far (drives back-off). */
  attempts: number;
  /** Plugins that rejected it in its last attempt. */
  rejectedBy: ReadonlySet<string>;
  /** No retry before this time. */
  backoffUntil: number;
  /** Tie-breaker for equal timestamps. */
  seq: number;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable';

export interface SchedulingQueueOptions {
  clock?: Clock;
  /** Back-off after the first failure; doubles per failure up to max. Kubernetes: 1 s → 10 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Could `event` let this workload fit now? Default: always. */
  eventMayHelp?: (queued: QueuedWorkload, event: ClusterEvent) => boolean;
}

interface InFlight {
  queued: QueuedWorkload;
  /** Events seen while the attempt ran: a rejection decided on older state must not park it. */
  events: ClusterEvent[];
  updated: boolean;
}

const byPriorityThenFifo = (a: QueuedWorkload, b: QueuedWorkload): boolean =>
  a.workload.priority !== b.workload.priority ? a.workload.priority > b.workload.priority : a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly eventMayHelp: NonNullable<SchedulingQueueOptions['eventMayHelp']>;
  private readonly active = new KeyedHeap<QueuedWorkload>((q) => q.workload.key, byPriorityThenFifo);
  private readonly backoff = new KeyedHeap<QueuedWorkload>((q) => q.workload.key, (a, b) => a.backoffUntil < b.backoffUntil);
  private readonly unschedulable = new Map<string, QueuedWorkload>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: Array<(q: QueuedWorkload | undefined) => void> = [];
  private backoffTimer?: { at: number; handle: TimerHandle };
  private seq = 0;
  private closed = false;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.eventMayHelp = options.eventMayHelp ?? (() => true);
  }

  /** Workloads parked as unschedulable. */
  get parkedCount(): number {
    return this.unschedulable.size;
  }

  counts(): Record<QueueName, number> {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** Where a key currently is (for tests and debugging). */
  whereIs(key: string): QueueName | 'in-flight' | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'in-flight';
    return undefined;
  }

  /** A new pending workload; an already known one is treated as an update. */
  add(workload: Workload): void {
    if (this.closed) return;
    if (this.whereIs(workload.key)) return this.update(workload);
    const now = this.clock.now();
    this.pushActive({ workload, timestamp: now, initialTimestamp: now, attempts: 0, rejectedBy: new Set(), backoffUntil: 0, seq: this.seq++ });
  }

  /** A pending workload changed: a parked one is retried if what the scheduler reads changed. */
  update(workload: Workload): void {
    const key = workload.key;
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.updated ||= schedulingSignature(flying.queued.workload) !== schedulingSignature(workload);
      flying.queued.workload = workload;
      return;
    }
    for (const heap of [this.active, this.backoff]) {
      const q = heap.get(key);
      if (q) return heap.upsert({ ...q, workload });
    }
    const parked = this.unschedulable.get(key);
    if (!parked) return this.add(workload);
    const changed = schedulingSignature(parked.workload) !== schedulingSignature(workload);
    parked.workload = workload;
    if (changed) {
      this.unschedulable.delete(key);
      this.activeOrBackoff(parked);
    }
  }

  /** Forgets a workload (deleted, or bound by anyone). */
  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** Takes the next workload, waiting for one; undefined once closed. */
  pop(): Promise<QueuedWorkload | undefined> {
    const next = this.tryPop();
    if (next || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  tryPop(): QueuedWorkload | undefined {
    const q = this.active.pop();
    if (q) this.inFlight.set(q.workload.key, { queued: q, events: [], updated: false });
    return q;
  }

  /** The attempt finished for good (bound, or the workload is not ours any more). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * No node fitted. Parks the workload until an event could help — unless such an event
   * already arrived during the attempt, or it changed meanwhile: then it only backs off.
   */
  requeueUnschedulable(queued: QueuedWorkload, rejectedBy: ReadonlySet<string>): void {
    const flying = this.takeInFlight(queued.workload.key);
    if (!flying) return;
    const q = this.failed(flying.queued, rejectedBy);
    if (flying.updated || flying.events.some((e) => this.eventMayHelp(q, e))) this.activeOrBackoff(q);
    else this.unschedulable.set(q.workload.key, q);
  }

  /** An error (API, bind failure): retry after back-off. */
  requeueBackoff(queued: QueuedWorkload): void {
    const flying = this.takeInFlight(queued.workload.key);
    if (!flying) return;
    this.activeOrBackoff(this.failed(flying.queued, new Set()));
  }

  /**
   * Moves parked workloads a change may help to active (or back-off, if still backing off).
   * `fitsNow`, when given, is a precise check (does it pass the filters on the changed node
   * now?), so a change moves only what it can actually place.
   */
  onClusterEvent(event: ClusterEvent | readonly ClusterEvent[], fitsNow?: (queued: QueuedWorkload) => boolean): void {
    const events: readonly ClusterEvent[] = typeof event === 'string' ? [event] : event;
    for (const flying of this.inFlight.values()) flying.events.push(...events);
    for (const [key, q] of this.unschedulable) {
      if (!events.some((e) => this.eventMayHelp(q, e))) continue;
      if (fitsNow && !fitsNow(q)) continue;
      this.unschedulable.delete(key);
      this.activeOrBackoff(q);
    }
  }

  /** Releases waiting pops and stops timers; nothing is scheduled after this. */
  close(): void {
    this.closed = true;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.handle);
    this.backoffTimer = undefined;
    this.waiters.splice(0).forEach((resolve) => resolve(undefined));
  }

  backoffDurationMs(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(attempts - 1, 30));
  }

  private takeInFlight(key: string): InFlight | undefined {
    const flying = this.inFlight.get(key);
    this.inFlight.delete(key);
    return this.closed ? undefined : flying;
  }

  private failed(q: QueuedWorkload, rejectedBy: ReadonlySet<string>): QueuedWorkload {
    const now = this.clock.now();
    const attempts = q.attempts + 1;
    return { ...q, attempts, rejectedBy, timestamp: now, backoffUntil: now + this.backoffDurationMs(attempts), seq: this.seq++ };
  }

  private activeOrBackoff(q: QueuedWorkload): void {
    if (q.backoffUntil > this.clock.now()) {
      this.backoff.upsert(q);
      this.armBackoffTimer();
    } else {
      this.pushActive(q);
    }
  }

  private pushActive(q: QueuedWorkload): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter && this.active.size === 0) {
      this.inFlight.set(q.workload.key, { queued: q, events: [], updated: false });
      waiter(q);
      return;
    }
    this.active.upsert(q);
    if (waiter) waiter(this.tryPop());
  }

  private armBackoffTimer(): void {
    const next = this.backoff.peek();
    if (!next || this.closed) return;
    if (this.backoffTimer && this.backoffTimer.at <= next.backoffUntil) return;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.handle);
    const at = next.backoffUntil;
    this.backoffTimer = { at, handle: this.clock.setTimeout(() => this.flushBackoff(), at - this.clock.now()) };
  }

  private flushBackoff(): void {
    this.backoffTimer = undefined;
    const now = this.clock.now();
    for (let q = this.backoff.peek(); q && q.backoffUntil <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
    this.armBackoffTimer();
  }
}

/** The fields a scheduling decision reads; a change in any of them deserves a new attempt. */
function schedulingSignature(w: Workload): string {
  const spec = w.object.spec as { affinity?: unknown; topologySpreadConstraints?: unknown } | undefined;
  return JSON.stringify([w.requests, w.scalarRequests, w.nodeSelector, spec?.affinity, spec?.topologySpreadConstraints, w.labels, w.hostPorts, w.tolerations, w.vm, w.priority, w.schedulerName]);
}
