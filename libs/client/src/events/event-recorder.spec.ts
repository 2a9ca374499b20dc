import { ApiError } from '../core/api-error';
import { FakeClock } from '../testing/fake-clock';
import { EventRecorder } from './event-recorder';

const target = { kind: 'Pod', apiVersion: 'v1', namespace: 'ns', name: 'web', uid: 'u1' };

function fakeClient(failPatchWith404 = false) {
  const calls: Array<{ op: string; name?: string; body: Record<string, unknown> }> = [];
  return {
    calls,
    client: {
      create: async (_r: unknown, body: Record<string, unknown>) => {
        calls.push({ op: 'create', name: (body.metadata as { name: string }).name, body });
        return body;
      },
      patch: async (_r: unknown, name: string, body: Record<string, unknown>) => {
        calls.push({ op: 'patch', name, body });
        if (failPatchWith404) throw new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
        return body;
      },
    },
  };
}

describe('EventRecorder', () => {
  it('writes annotations with the event and refreshes them when the series is bumped', async () => {
    const { client, calls } = fakeClient();
    const clock = new FakeClock();
    const rec = new EventRecorder({ client: client as never, component: 'default-scheduler', clock, minRepeatIntervalMs: 10_000 });
    rec.record(target, 'Warning', 'FailedScheduling', 'm', { 'example.io/x': '1' });
    await rec.flush();
    expect(calls[0].body).toMatchObject({ metadata: { annotations: { 'example.io/x': '1' } } });
    clock.advance(10_000);
    rec.record(target, 'Warning', 'FailedScheduling', 'm', { 'example.io/x': '2' });
    await rec.flush();
    expect(calls[1]).toMatchObject({ op: 'patch', body: { count: 2, metadata: { annotations: { 'example.io/x': '2' } } } });
  });

  it('creates a Kubernetes-shaped Event, then counts repeats on it', async () => {
    const { client, calls } = fakeClient();
    const clock = new FakeClock();
    const rec = new EventRecorder({ client: client as never, component: 'default-scheduler', clock, minRepeatIntervalMs: 10_000 });
    rec.record(target, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    await rec.flush();
    expect(calls[0].op).toBe('create');
    expect(calls[0].body).toMatchObject({
      involvedObject: { kind: 'Pod', namespace: 'ns', name: 'web', uid: 'u1' },
      reason: 'FailedScheduling',
      type: 'Warning',
      source: { component: 'default-scheduler' },
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z',
    });
    rec.record(target, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    rec.record(target, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    await rec.flush();
    expect(calls).toHaveLength(1); // repeats within 10 s are only counted
    clock.advance(10_000);
    rec.record(target, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    await rec.flush();
    expect(calls[1]).toEqual({ op: 'patch', name: calls[0].name, body: { count: 4, lastTimestamp: '2025-01-01T00:00:10Z', message: '0/1 nodes are available: 1 Insufficient cpu.' } });
    rec.record(target, 'Warning', 'FailedScheduling', 'a different message');
    await rec.flush();
    expect(calls[2].op).toBe('create');
  });

  it('coalesces repeats still queued and drops beyond maxPending', async () => {
    const { client, calls } = fakeClient();
    let dropped = 0;
    const rec = new EventRecorder({ client: client as never, component: 'c', concurrency: 1, maxPending: 2, onDropped: () => dropped++ });
    rec.record({ ...target, name: 'first' }, 'Normal', 'Scheduled', 'm'); // goes straight out
    rec.record(target, 'Normal', 'Scheduled', 'm');
    rec.record(target, 'Normal', 'Scheduled', 'm'); // coalesced with the queued one
    rec.record({ ...target, name: 'b' }, 'Normal', 'Scheduled', 'm');
    rec.record({ ...target, name: 'c' }, 'Normal', 'Scheduled', 'm'); // queue full
    await rec.flush();
    expect(calls.map((c) => [c.op, c.body.count])).toEqual([['create', 1], ['create', 2], ['create', 1]]);
    expect(dropped).toBe(1);
  });

  it('starts a new Event when the old one expired', async () => {
    const { client, calls } = fakeClient(true);
    const rec = new EventRecorder({ client: client as never, component: 'c', minRepeatIntervalMs: 0 });
    rec.record(target, 'Warning', 'FailedScheduling', 'm');
    await rec.flush();
    rec.record(target, 'Warning', 'FailedScheduling', 'm');
    await rec.flush();
    expect(calls.map((c) => c.op)).toEqual(['create', 'patch', 'create']);
    expect(calls[2].name).not.toBe(calls[0].name);
  });
});

describe('EventRecorder with the correlator', () => {
  it('combines similar events into one Event whose message says so', async () => {
    const { client, calls } = fakeClient();
    const clock = new FakeClock();
    const rec = new EventRecorder({ client: client as never, component: 'node-agent', host: 'n1', clock, minRepeatIntervalMs: 0, correlator: { maxSimilar: 2 } });
    for (let i = 1; i <= 4; i++) {
      rec.record(target, 'Warning', 'SyncFailed', `startVm failed: attempt ${i}`);
      await rec.flush();
      clock.advance(1000);
    }
    expect(calls.map((c) => c.op)).toEqual(['create', 'create', 'patch', 'patch']);
    expect(calls[1].body).toMatchObject({ message: '(combined from similar events): startVm failed: attempt 2', source: { component: 'node-agent', host: 'n1' }, count: 1 });
    expect(calls[3]).toMatchObject({ name: calls[1].name, body: { count: 3, message: '(combined from similar events): startVm failed: attempt 4' } });
  });

  it('drops events past the per-object spam burst and reports them', async () => {
    const { client, calls } = fakeClient();
    const dropped: string[] = [];
    const rec = new EventRecorder({ client: client as never, component: 'c', clock: new FakeClock(), minRepeatIntervalMs: 0, correlator: { spamBurst: 2 }, onDropped: (why) => dropped.push(why) });
    for (const m of ['a', 'b', 'c']) rec.record(target, 'Normal', 'R', m);
    await rec.flush();
    expect(calls).toHaveLength(2);
    expect(dropped).toEqual(['spam']);
  });
});
