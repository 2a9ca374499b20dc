// Overload protection for the API server (a small API Priority and Fairness): requests are
// split by kind (read-only vs mutating, like --max-requests-inflight and
// --max-mutating-requests-inflight) and by lane — node agents, the scheduler and controllers in
// the `system` lane, everyone else in `workload` — each with its own seats and a fair queue per
// user. A noisy client fills its own queue and gets 429 + Retry-After; node heartbeats keep
// their seats. Long-running requests (watch, log streams) hold no seat but are capped per user.
import { tooManyRequests } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';
import { RequestInfo } from '../request/request-info';
import { FairQueue, Rejection } from './fair-queue';

export type Lane = 'system' | 'workload';

export interface FlowControlSettings {
  /** Read-only requests in flight at once (Kubernetes' default 400). */
  maxRequestsInflight: number;
  /** Mutating requests in flight at once (Kubernetes' default 200). */
  maxMutatingRequestsInflight: number;
  /** Share of each limit reserved for the system lane. */
  systemShare: number;
  queueLengthPerUser: number;
  maxWaitMs: number;
  /** Open watches/streams one workload user may hold. */
  maxLongRunningPerUser: number;
}

export const DEFAULT_FLOW_CONTROL: FlowControlSettings = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  systemShare: 0.5,
  queueLengthPerUser: 50,
  maxWaitMs: 5000,
  maxLongRunningPerUser: 1000,
};

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function laneOf(user: UserInfo): Lane {
  return user.role === 'node' || user.role === 'scheduler' || user.role === 'controller' ? 'system' : 'workload';
}

/** Kubernetes' long-running requests: watches and streaming subresources hold no seat. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || ['log', 'exec', 'attach', 'portforward', 'proxy', 'console'].includes(info.subresource ?? '');
}

export interface FlowObserver {
  rejected(lane: Lane, reason: Rejection | 'too-many-streams'): void;
}

const message = 'Too many requests, please try again later.';

export class FlowController {
  private readonly pools = new Map<string, FairQueue>();
  private readonly longRunning = new Map<string, number>();

  constructor(
    private readonly settings: FlowControlSettings = DEFAULT_FLOW_CONTROL,
    private readonly observer: FlowObserver = { rejected: () => undefined },
  ) {
    for (const lane of ['system', 'workload'] as Lane[]) {
      const share = lane === 'system' ? settings.systemShare : 1 - settings.systemShare;
      for (const [kind, limit] of [['readonly', settings.maxRequestsInflight], ['mutating', settings.maxMutatingRequestsInflight]] as const) {
        this.pools.set(`${lane}/${kind}`, new FairQueue({ seats: Math.max(1, Math.floor(limit * share)), queueLengthPerUser: settings.queueLengthPerUser, maxWaitMs: settings.maxWaitMs }));
      }
    }
  }

  /** Seats in use and waiting, per lane and kind (for metrics). */
  usage(): Array<{ lane: Lane; kind: string; inflight: number; waiting: number }> {
    return [...this.pools].map(([key, q]) => {
      const [lane, kind] = key.split('/') as [Lane, string];
      return { lane, kind, inflight: q.inflight, waiting: q.waiting };
    });
  }

  /** Waits for a seat; throws 429 TooManyRequests when the user's share is exhausted. */
  async admit(user: UserInfo, info: RequestInfo): Promise<() => void> {
    const lane = laneOf(user);
    if (isLongRunning(info)) return this.admitLongRunning(user, lane);
    const kind = MUTATING.has(info.verb) ? 'mutating' : 'readonly';
    const outcome = await this.pools.get(`${lane}/${kind}`)!.acquire(user.name);
    if ('rejected' in outcome) {
      this.observer.rejected(lane, outcome.rejected);
      throw tooManyRequests(message, 1);
    }
    return outcome.release;
  }

  private admitLongRunning(user: UserInfo, lane: Lane): () => void {
    if (lane === 'system') return () => undefined;
    const open = this.longRunning.get(user.name) ?? 0;
    if (open >= this.settings.maxLongRunningPerUser) {
      this.observer.rejected(lane, 'too-many-streams');
      throw tooManyRequests(message, 1);
    }
    this.longRunning.set(user.name, open + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.longRunning.get(user.name) ?? 1) - 1;
      if (left > 0) this.longRunning.set(user.name, left);
      else this.longRunning.delete(user.name);
    };
  }
}
