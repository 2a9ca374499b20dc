import type { Logger } from 'pino';
import { isAlreadyExists, isConflict, isNotFound } from '../core/api-error';
import { Clock, realClock, sleep } from '../core/clock';
import { KubeClient } from '../core/kube-client';
import { Lease, LEASE_RESOURCE, LeaseSpec, microTime } from './lease';

/** The part of KubeClient the elector needs; tests may pass anything shaped like it. */
export type LeaseClient = Pick<KubeClient, 'get' | 'create' | 'update'> & Partial<Pick<KubeClient, 'watch'>>;

export interface LeaderElectorOptions {
  client: LeaseClient;
  namespace: string;
  /** Lease name, e.g. 'coxswain-scheduler'. */
  name: string;
  /** Unique per candidate process, e.g. `${hostname}_${pid}`. */
  identity: string;
  /** How long a lease stays valid without renewal, as seen by others. Default 15 s. */
  leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long. Default 10 s; must be < leaseDuration. */
  renewDeadlineMs?: number;
  /** Pause between attempts. Default 2 s. */
  retryPeriodMs?: number;
  /** Candidates wait retryPeriod × (1 + random() × jitter) between tries. Default 1.2. */
  jitterFactor?: number;
  random?: () => number;
  /**
   * While waiting, also watch the Lease (when the client can) so a renewal is observed when
   * it happens rather than at the next poll: the lease then expires, by our clock,
   * leaseDuration after the holder's last renewal instead of up to a poll period later.
   * Default false.
   */
  watchLease?: boolean;
  clock?: Clock;
  /**
   * Called on becoming leader; `signal` aborts when leadership ends. Work guarded by the
   * lease must stop then.
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when leadership ends (lost or stopped), before a release on stop. */
  onStoppedLeading?(): void | Promise<void>;
  /** Called whenever the observed holder changes (including to ourselves). */
  onNewLeader?(identity: string): void;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

type Attempt = 'acquired' | 'held-by-other' | 'failed';

/**
 * Kubernetes-style leader election on a coordination.k8s.io/v1 Lease (client-go's
 * leaderelection): candidates try every retryPeriod; a holder's lease counts as expired
 * leaseDuration after *we first saw* its current renewTime (our clock, not theirs, so clock
 * skew between nodes does not matter); updates are guarded by resourceVersion. The leader
 * renews every retryPeriod and steps down when renewals fail for renewDeadline or another
 * holder shows up. After losing it campaigns again until stop(), which releases the lease.
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly stopController = new AbortController();
  private observed?: { spec: LeaseSpec; at: number };
  /** The newest Lease object we hold (a read, our last write, a watch event): the fast path writes over it. */
  private known?: Lease;
  private leading?: AbortController;
  private running?: Promise<void>;
  private reportedLeader?: string;

  constructor(private readonly options: LeaderElectorOptions) {
    this.clock = options.clock ?? realClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** The holder last seen on the lease. */
  getLeader(): string | undefined {
    return this.observed?.spec.holderIdentity || undefined;
  }

  /** Starts campaigning in the background (idempotent). */
  start(): this {
    this.running ??= this.run();
    return this;
  }

  /** Stops campaigning; if leading, ends leadership and releases the lease so others take over at once. */
  async stop(): Promise<void> {
    this.stopController.abort(new Error('leader elector stopped'));
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!(await this.acquire())) break;
      await this.lead();
    }
  }

  /** Tries until acquired (true) or stopped (false). */
  private async acquire(): Promise<boolean> {
    const { jitterFactor = 1.2, random = Math.random } = this.options;
    const watching = new AbortController();
    if (this.options.watchLease) this.watchLease(AbortSignal.any([watching.signal, this.stopController.signal]));
    try {
      for (;;) {
        if (this.stopped) return false;
        if ((await this.tryAcquireOrRenew(this.renewDeadlineMs)) === 'acquired') return true;
        if (!(await this.pause(this.nextAttemptIn(this.retryPeriodMs * (1 + random() * jitterFactor))))) return false;
      }
    } finally {
      watching.abort();
    }
  }

  /**
   * The wait before the next attempt: the jittered retry period, or less when the lease we
   * saw held by another expires (by our clock) sooner — no poll period is lost after expiry.
   */
  private nextAttemptIn(jittered: number): number {
    const seen = this.observed;
    if (!seen?.spec.holderIdentity || seen.spec.holderIdentity === this.options.identity) return jittered;
    const expiresIn = seen.at + (seen.spec.leaseDurationSeconds ?? Math.ceil(this.leaseDurationMs / 1000)) * 1000 - this.clock.now();
    return Math.max(1, Math.min(jittered, expiresIn + 1));
  }

  /** Observes the Lease through a watch until `signal` aborts; a broken watch is opened again after a retry period. */
  private watchLease(signal: AbortSignal): void {
    const { client, namespace, name } = this.options;
    if (!client.watch) return;
    const watch = client.watch.bind(client);
    void (async () => {
      while (!signal.aborted) {
        try {
          const stream = await watch<Lease>(LEASE_RESOURCE, { namespace, fieldSelector: { 'metadata.name': name }, allowWatchBookmarks: false, signal });
          for await (const event of stream) {
            if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object.spec) {
              this.known = event.object;
              this.observe(event.object.spec, this.clock.now());
            }
          }
        } catch {
          // Polling goes on regardless; the watch only sharpens when a renewal is seen.
        }
        try {
          await sleep(this.clock, this.retryPeriodMs, signal);
        } catch {
          return;
        }
      }
    })();
  }

  private async lead(): Promise<void> {
    const leading = (this.leading = new AbortController());
    this.options.logger?.info({ lease: this.options.name, identity: this.options.identity }, 'became leader');
    Promise.resolve()
      .then(() => this.options.onStartedLeading(leading.signal))
      .catch((err) => this.options.logger?.warn({ err }, 'onStartedLeading failed'));
    let lastRenew = this.clock.now();
    let lostTo: string | undefined;
    while (!this.stopped) {
      if (!(await this.pause(this.retryPeriodMs))) break;
      // A renewal that cannot finish before the deadline is as good as failed: bound it.
      const result = await this.tryAcquireOrRenew(lastRenew + this.renewDeadlineMs - this.clock.now());
      if (result === 'acquired') lastRenew = this.clock.now();
      else if (result === 'held-by-other') lostTo = this.getLeader();
      if (lostTo !== undefined || this.clock.now() - lastRenew >= this.renewDeadlineMs) break;
    }
    this.leading = undefined;
    leading.abort(new Error('leadership lost'));
    this.options.logger?.warn({ lease: this.options.name, identity: this.options.identity, lostTo, stopped: this.stopped }, 'stopped leading');
    await Promise.resolve(this.options.onStoppedLeading?.()).catch((err) => this.options.logger?.warn({ err }, 'onStoppedLeading failed'));
    if (this.stopped && lostTo === undefined) await this.release();
  }

  /** Sleeps on the clock; false if stopped meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleep(this.clock, ms, this.stopController.signal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One round against the API, its requests bounded by `budgetMs` of wall time. Like
   * client-go's fast path, a write that the last Lease we know of (our own last write, or the
   * watch's latest event) already allows — a renewal while leading, or a takeover once the
   * holder's lease expired by our clock — is sent on that object at once, without a GET first;
   * a 409 (it was stale) falls back to the ordinary read-then-write in the same round.
   */
  private async tryAcquireOrRenew(budgetMs: number): Promise<Attempt> {
    const { client, namespace, name } = this.options;
    const now = this.clock.now();
    const signal = AbortSignal.any([this.stopController.signal, AbortSignal.timeout(Math.max(1, budgetMs))]);
    const desired = this.desiredSpec(now);
    try {
      if (this.known && this.mayWrite(this.known, now)) {
        try {
          return await this.writeOver(this.known, desired, now, signal);
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      }
      let lease: Lease;
      try {
        lease = await client.get<Lease>(LEASE_RESOURCE, name, { namespace, signal });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        this.known = await client.create<Lease>(LEASE_RESOURCE, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: desired }, { signal });
        this.observe(desired, now);
        return 'acquired';
      }
      this.known = lease;
      this.observe(lease.spec ?? {}, now);
      if (!this.mayWrite(lease, now)) return 'held-by-other';
      return await this.writeOver(lease, desired, now, signal);
    } catch (error) {
      // 409 means someone else wrote first; anything else is an API/network failure. Both
      // simply mean "not this round".
      if (!isConflict(error) && !isAlreadyExists(error)) this.options.logger?.warn({ err: error, lease: name }, 'lease update failed');
      return 'failed';
    }
  }

  private desiredSpec(now: number): LeaseSpec {
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
  }

  /** Whether we may write this Lease: ours, free, or its holder silent for its duration by our clock. */
  private mayWrite(lease: Lease, now: number): boolean {
    const holder = lease.spec?.holderIdentity;
    if (!holder || holder === this.options.identity) return true;
    const seen = this.observed;
    // Expiry counts from when we first saw this very renewal; one we have not observed is fresh.
    if (!seen || seen.spec.holderIdentity !== holder || seen.spec.renewTime !== lease.spec?.renewTime) return false;
    return seen.at + (lease.spec?.leaseDurationSeconds ?? Math.ceil(this.leaseDurationMs / 1000)) * 1000 <= now;
  }

  /** Renews (ours) or takes over (free or expired) `lease`, guarded by its resourceVersion. */
  private async writeOver(lease: Lease, desired: LeaseSpec, now: number, signal: AbortSignal): Promise<Attempt> {
    const current = lease.spec ?? {};
    const holder = current.holderIdentity;
    const spec: LeaseSpec =
      holder === this.options.identity
        ? { ...desired, acquireTime: current.acquireTime, leaseTransitions: current.leaseTransitions ?? 0 }
        : { ...desired, leaseTransitions: (current.leaseTransitions ?? 0) + (holder ? 1 : 0) };
    this.known = await this.options.client.update<Lease>(LEASE_RESOURCE, { ...lease, spec }, { signal });
    this.observe(spec, now);
    return 'acquired';
  }

  /** Records when we first saw this holder/renewTime; expiry is judged from that moment. */
  private observe(spec: LeaseSpec, now: number): void {
    const prev = this.observed?.spec;
    if (!prev || prev.holderIdentity !== spec.holderIdentity || prev.renewTime !== spec.renewTime) this.observed = { spec, at: now };
    const leader = spec.holderIdentity;
    if (leader && leader !== this.reportedLeader) {
      this.reportedLeader = leader;
      this.options.onNewLeader?.(leader);
    }
  }

  /** Clears the holder so candidates need not wait for the lease to expire. */
  private async release(): Promise<void> {
    const { client, namespace, name, identity } = this.options;
    const signal = AbortSignal.timeout(this.renewDeadlineMs);
    try {
      const lease = await client.get<Lease>(LEASE_RESOURCE, name, { namespace, signal });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.clock.now());
      await client.update<Lease>(LEASE_RESOURCE, {
        ...lease,
        spec: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 },
      }, { signal });
    } catch (error) {
      this.options.logger?.warn({ err: error, lease: name }, 'releasing the lease failed; it will expire instead');
    }
  }
}
