import { coreEventToEventsV1, eventsV1ToCoreEvent, validateEventsV1Create } from './events';

const core = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.1', namespace: 'ns' },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'ns', uid: 'u1' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  source: { component: 'node-agent', host: 'n1' },
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:01:00Z',
  count: 7,
  reportingComponent: 'node-agent',
  reportingInstance: 'n1',
};

describe('events.k8s.io/v1 ⇄ core/v1 Event', () => {
  it('renames the fields Kubernetes renames', () => {
    expect(coreEventToEventsV1(core)).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: core.metadata,
      regarding: core.involvedObject,
      reason: 'BackOff',
      note: 'Back-off restarting failed container',
      type: 'Warning',
      deprecatedSource: core.source,
      deprecatedFirstTimestamp: core.firstTimestamp,
      deprecatedLastTimestamp: core.lastTimestamp,
      deprecatedCount: 7,
      reportingController: 'node-agent',
      reportingInstance: 'n1',
      eventTime: null,
    });
  });

  it('round-trips a new-style event', () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'ns' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      series: { count: 3, lastObservedTime: '2026-01-01T00:00:09.000000Z' },
      reportingController: 'example.io/ctl',
      reportingInstance: 'ctl-1',
      action: 'Reconcile',
      reason: 'Synced',
      regarding: { kind: 'Pod', name: 'web', namespace: 'ns' },
      note: 'done',
      type: 'Normal',
    };
    const stored = eventsV1ToCoreEvent(ev);
    expect(stored).toMatchObject({ apiVersion: 'v1', involvedObject: ev.regarding, message: 'done', reportingComponent: 'example.io/ctl', series: ev.series, action: 'Reconcile' });
    expect(coreEventToEventsV1(stored)).toEqual(ev);
  });

  it.each([
    ['eventTime', 'FieldValueRequired'],
    ['reportingController', 'FieldValueRequired'],
    ['reportingInstance', 'FieldValueRequired'],
    ['action', 'FieldValueRequired'],
    ['reason', 'FieldValueRequired'],
  ])('refuses a new event without %s', (field, reason) => {
    const ev: Record<string, unknown> = { eventTime: 't', reportingController: 'c', reportingInstance: 'i', action: 'a', reason: 'r', type: 'Normal' };
    delete ev[field];
    expect(validateEventsV1Create(ev)).toEqual([expect.objectContaining({ field, reason })]);
  });

  it('refuses an unknown type and an over-long note', () => {
    const ev = { eventTime: 't', reportingController: 'c', reportingInstance: 'i', action: 'a', reason: 'r', type: 'Bad', note: 'x'.repeat(1025) };
    expect(validateEventsV1Create(ev).map((c) => c.field).sort()).toEqual(['note', 'type']);
  });
});
