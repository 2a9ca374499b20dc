import { KubeClient } from '../core/kube-client';
import { FakeApiServer } from '../testing/fake-apiserver';
import { FakeClock } from '../testing/fake-clock';
import { Lease, LEASE_RESOURCE, microTime } from './lease';
import { LeaderElector, LeaderElectorOptions } from './leader-elector';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';

let server: FakeApiServer;
let client: KubeClient;
let clock: FakeClock;
let electors: LeaderElector[];
let log: string[];

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error(`never happened: ${what}`);
}

/** Lets every elector finish its HTTP round and go back to sleeping on the fake clock. */
const settle = (sleepers = electors.filter((e) => e['running'] && !e['stopped']).length) => waitFor(() => clock.pending() === sleepers, `${sleepers} electors idle`);

/** Advances fake time step by step so each elector runs each of its rounds. */
async function advance(ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await clock.advanceAsync(Math.min(step, ms - done));
    await settle();
  }
}

const lease = () => client.get<Lease>(LEASE_RESOURCE, 'sched', { namespace: 'kube-system' });

function elector(identity: string, overrides: Partial<LeaderElectorOptions> = {}): LeaderElector {
  const e = new LeaderElector({
    client,
    clock,
    namespace: 'kube-system',
    name: 'sched',
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    random: () => 0,
    onStartedLeading: (signal) => {
      log.push(`${identity} started`);
      signal.addEventListener('abort', () => log.push(`${identity} signal aborted`));
    },
    onStoppedLeading: () => void log.push(`${identity} stopped`),
    onNewLeader: (who) => log.push(`${identity} sees ${who}`),
    ...overrides,
  });
  electors.push(e);
  return e;
}

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url });
  clock = new FakeClock();
  electors = [];
  log = [];
});

afterEach(async () => {
  await Promise.all(electors.map((e) => e.stop()));
  await client.destroy();
  await server.stop();
});

describe('LeaderElector', () => {
  it('acquires a missing lease, renews it, and keeps a second candidate out', async () => {
    const a = elector('a').start();
    await settle(1);
    expect(a.isLeader()).toBe(true);
    const first = (await lease()).spec!;
    expect(first).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(clock.now()), renewTime: microTime(clock.now()), leaseTransitions: 0 });

    const b = elector('b').start();
    await settle(2);
    expect(b.isLeader()).toBe(false);
    expect(b.getLeader()).toBe('a');

    await advance(20_000);
    const renewed = (await lease()).spec!;
    expect(renewed.holderIdentity).toBe('a');
    expect(renewed.acquireTime).toBe(first.acquireTime);
    expect(renewed.renewTime).not.toBe(first.renewTime);
    expect(renewed.leaseTransitions).toBe(0);
    expect(b.isLeader()).toBe(false);
    expect(log).toEqual(['a sees a', 'a started', 'b sees a']);
  });

  it('takes over only after the holder has been silent for the lease duration (by our own clock)', async () => {
    // A holder that renewed "long ago" by its clock but that we see for the first time now.
    const stale = microTime(clock.now() - 3_600_000);
    server.put(LEASES, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'sched' }, spec: { holderIdentity: 'dead', leaseDurationSeconds: 15, acquireTime: stale, renewTime: stale, leaseTransitions: 4 } } as Lease);
    const b = elector('b').start();
    await settle(1);
    expect(b.isLeader()).toBe(false);
    await advance(14_000);
    expect(b.isLeader()).toBe(false);
    await advance(4_000);
    expect(b.isLeader()).toBe(true);
    const spec = (await lease()).spec!;
    expect(spec.holderIdentity).toBe('b');
    expect(spec.leaseTransitions).toBe(5);
    expect(log).toEqual(['b sees dead', 'b sees b', 'b started']);
  });

  it.each([
    ['polling only: the last renewal is seen at the next poll (8.8 s), so the take-over comes later', false, false],
    ['watching the Lease: the last renewal (6 s) is seen as it is written; take-over 15 s after it', true, true],
  ])('%s', async (_name, watchLease, leaderAt21500) => {
    // Candidate b polls every 4.4 s (retry 2 s × (1 + 1 × 1.2)); holder a renews at 2, 4 and 6 s, then dies.
    const put = () => {
      const at = microTime(clock.now());
      server.put(LEASES, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'sched' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: at, renewTime: at, leaseTransitions: 0 } } as Lease);
      return at;
    };
    put();
    const b = elector('b', { random: () => 1, watchLease }).start();
    await settle(1);
    for (let i = 0; i < 3; i++) {
      await advance(2_000, 500);
      const renewed = put();
      if (watchLease) await waitFor(() => b['observed']?.spec.renewTime === renewed, 'the renewal seen through the watch');
    }
    await advance(14_500, 500);
    expect(b.isLeader()).toBe(false);
    await advance(1_000, 500);
    expect(b.isLeader()).toBe(leaderAt21500);
    await advance(3_000, 500);
    expect(b.isLeader()).toBe(true);
  });

  it.each([
    // [name, change behind its back before the next round, requests that round, still leader]
    ['fast path: the leader renews on its last write, with no GET', 'nothing', ['PUT'], true],
    ['a stale object (another write since): 409, then read and renew in the same round', 'touch', ['PUT', 'GET', 'PUT'], true],
    ['taken by another: 409, then read; it steps down and campaigns again (another read)', 'take', ['PUT', 'GET', 'GET'], false],
  ] as const)('%s', async (_name, change, wantRequests, stillLeader) => {
    const a = elector('a').start();
    await settle(1);
    expect(a.isLeader()).toBe(true);
    const current = await lease();
    if (change === 'touch') server.put(LEASES, { ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } } as Lease);
    if (change === 'take') server.put(LEASES, { ...current, spec: { ...current.spec, holderIdentity: 'other', renewTime: microTime(clock.now()) } } as Lease);
    const before = server.requests.length;
    await advance(2_000);
    expect(server.requests.slice(before).filter((r) => r.path.includes('/leases')).map((r) => r.method)).toEqual(wantRequests);
    expect(a.isLeader()).toBe(stillLeader);
    if (stillLeader) expect((await lease()).spec?.renewTime).toBe(microTime(clock.now()));
  });

  it('steps down when renewals keep failing past the renew deadline, then campaigns again', async () => {
    const a = elector('a').start();
    await settle(1);
    expect(a.isLeader()).toBe(true);
    server.failNext(/leases\/sched$/, 500, { times: 1000 });
    await advance(8_000);
    expect(a.isLeader()).toBe(true);
    await advance(2_000);
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a sees a', 'a started', 'a signal aborted', 'a stopped']);
    // The API comes back: nobody else took it, so a is leader again.
    server.clearFaults();
    await advance(4_000);
    expect(a.isLeader()).toBe(true);
    expect(log.slice(-1)).toEqual(['a started']);
  });

  it('steps down by the renew deadline even when the API hangs instead of failing', async () => {
    const real = new LeaderElector({
      client,
      namespace: 'kube-system',
      name: 'hung',
      identity: 'a',
      leaseDurationMs: 1500,
      renewDeadlineMs: 600,
      retryPeriodMs: 100,
      onStartedLeading: () => void log.push('started'),
      onStoppedLeading: () => void log.push('stopped'),
    });
    electors.push(real);
    real.start();
    await waitFor(() => real.isLeader(), 'leading');
    server.stallNext(/leases\/hung$/, { times: 1000 });
    // Without a bound on each renewal the transport would wait 60 s for an answer.
    for (let i = 0; i < 500 && real.isLeader(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(real.isLeader()).toBe(false);
    expect(log).toEqual(['started', 'stopped']);
  });

  it('steps down at once when another holder took the lease', async () => {
    const a = elector('a').start();
    await settle(1);
    const current = await lease();
    await client.update(LEASE_RESOURCE, { ...current, spec: { ...current.spec, holderIdentity: 'intruder', renewTime: microTime(clock.now()) } });
    await advance(2_000);
    expect(a.isLeader()).toBe(false);
    expect(a.getLeader()).toBe('intruder');
    expect(log).toEqual(['a sees a', 'a started', 'a sees intruder', 'a signal aborted', 'a stopped']);
  });

  it('releases the lease on stop so a waiting candidate takes over without waiting for expiry', async () => {
    const a = elector('a').start();
    await settle(1);
    const b = elector('b').start();
    await settle(2);
    await a.stop();
    expect((await lease()).spec?.holderIdentity).toBe('');
    expect(log).toContain('a stopped');
    await advance(2_000);
    expect(b.isLeader()).toBe(true);
    expect((await lease()).spec?.leaseTransitions).toBe(0);
  });

  it('two candidates racing for a fresh lease: exactly one wins (resourceVersion guards the update)', async () => {
    const a = elector('a').start();
    const b = elector('b').start();
    await settle(2);
    await advance(6_000);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
  });

  it('rejects inconsistent timings', () => {
    expect(() => elector('x', { leaseDurationMs: 5_000, renewDeadlineMs: 10_000 })).toThrow(/leaseDuration > renewDeadline/);
    electors.pop();
  });
});
