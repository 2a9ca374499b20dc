import { KubeObject } from '@coxswain/api';
import { ApiError, FakeClock } from '@coxswain/client';
import { ApiEventRecorder, MemoryRecorder } from './events';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'ns', uid: 'u1', resourceVersion: '7' } };
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n1-uid' } };

function fakeClient(options: { patchFails?: boolean } = {}) {
  const calls: Array<{ op: string; name?: string; namespace?: string; body: Record<string, unknown> }> = [];
  return {
    calls,
    client: {
      create: async (_r: unknown, obj: KubeObject) => {
        calls.push({ op: 'create', name: obj.metadata.name, namespace: obj.metadata.namespace, body: obj as unknown as Record<string, unknown> });
        return obj;
      },
      patch: async (_r: unknown, name: string, body: Record<string, unknown>, o: { namespace?: string }) => {
        if (options.patchFails) throw new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' }, 'PATCH', '/x');
        calls.push({ op: 'patch', name, namespace: o.namespace, body });
        return {};
      },
    },
  };
}

describe('ApiEventRecorder', () => {
  it('creates an Event about the object, then bumps its count when the same thing happens again', async () => {
    const clock = new FakeClock(Date.parse('2025-01-01T00:00:00Z'));
    const { client, calls } = fakeClient();
    const recorder = new ApiEventRecorder({ client: client as never, component: 'replicaset-controller', instance: 'cm-1', clock });
    recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    await recorder.flush();
    clock.advance(5000);
    recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    recorder.event(pod, 'Warning', 'FailedCreate', 'quota');
    await recorder.flush();
    expect(calls.map((c) => c.op)).toEqual(['create', 'patch', 'create']);
    expect(calls[0].body).toMatchObject({
      metadata: { namespace: 'ns' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'ns', uid: 'u1', resourceVersion: '7' },
      reason: 'SuccessfulCreate',
      message: 'Created pod: web-1',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z',
      source: { component: 'replicaset-controller' },
      reportingComponent: 'replicaset-controller',
      reportingInstance: 'cm-1',
    });
    expect(calls[0].name).toMatch(/^web-1\.[0-9a-f]+$/);
    expect(calls[1]).toEqual({ op: 'patch', name: calls[0].name, namespace: 'ns', body: { count: 2, lastTimestamp: '2025-01-01T00:00:05Z', message: 'Created pod: web-1' } });
  });

  it('starts a new Event after ten minutes, and when the old one is gone', async () => {
    const clock = new FakeClock(0);
    const gone = fakeClient({ patchFails: true });
    const recorder = new ApiEventRecorder({ client: gone.client as never, component: 'c', clock });
    recorder.event(pod, 'Normal', 'R', 'm');
    await recorder.flush();
    recorder.event(pod, 'Normal', 'R', 'm');
    await recorder.flush();
    expect(gone.calls.map((c) => c.op)).toEqual(['create', 'create']);

    const later = fakeClient();
    const r2 = new ApiEventRecorder({ client: later.client as never, component: 'c', clock });
    r2.event(pod, 'Normal', 'R', 'm');
    await r2.flush();
    clock.advance(11 * 60_000);
    r2.event(pod, 'Normal', 'R', 'm');
    await r2.flush();
    expect(later.calls.map((c) => c.op)).toEqual(['create', 'create']);
  });

  it('puts events of cluster-scoped objects in default', async () => {
    const { client, calls } = fakeClient();
    const recorder = new ApiEventRecorder({ client: client as never, component: 'node-lifecycle-controller', clock: new FakeClock(0) });
    recorder.event(node, 'Normal', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    await recorder.flush();
    expect(calls[0]).toMatchObject({ namespace: 'default', body: { involvedObject: { kind: 'Node', name: 'n1' } } });
  });

  it('repeats queued behind a write in flight are merged into one count bump', async () => {
    const { client, calls } = fakeClient();
    const recorder = new ApiEventRecorder({ client: client as never, component: 'c', clock: new FakeClock(0) });
    recorder.event(pod, 'Normal', 'R', 'm');
    recorder.event(pod, 'Normal', 'R', 'm');
    recorder.event(pod, 'Normal', 'R', 'm');
    await recorder.flush();
    expect(calls.map((c) => [c.op, c.body.count])).toEqual([['create', 1], ['patch', 3]]);
  });

  it('a failing write is logged and does not stop later events', async () => {
    const warnings: unknown[] = [];
    let first = true;
    const client = {
      create: async (_r: unknown, obj: KubeObject) => {
        if (first) {
          first = false;
          throw new Error('boom');
        }
        return obj;
      },
      patch: async () => ({}),
    };
    const recorder = new ApiEventRecorder({ client: client as never, component: 'c', clock: new FakeClock(0), logger: { warn: (...a: unknown[]) => warnings.push(a) } as never });
    recorder.event(pod, 'Normal', 'A', 'a');
    recorder.event(pod, 'Normal', 'B', 'b');
    await recorder.flush();
    expect(warnings).toHaveLength(1);
  });
});

describe('MemoryRecorder', () => {
  it('keeps what was recorded', () => {
    const r = new MemoryRecorder();
    r.event(pod, 'Warning', 'X', 'y');
    expect(r.events).toEqual([{ kind: 'Pod', namespace: 'ns', name: 'web-1', type: 'Warning', reason: 'X', message: 'y' }]);
    expect(r.reasons()).toEqual(['X']);
  });
});
