'use client';
// Events about one object, newest first, live.
import { useMemo } from 'react';
import { useKindList } from '../../client/hooks';
import { age, timeOf } from '../../lib/age';
import { eventTime } from '../../lib/columns';
import { keyOf, nameOf, namespaceOf, Obj } from '../../lib/objects';
import { Badge, Empty, ErrorState, SimpleColumn, SimpleTable } from '../ui';

export function useObjectEvents(obj: Obj | undefined, kind: string, enabled = true) {
  const filter = obj ? { namespace: namespaceOf(obj), fieldSelector: `involvedObject.name=${nameOf(obj)},involvedObject.kind=${kind}` } : {};
  const state = useKindList('events', filter, Boolean(obj) && enabled);
  const items = useMemo(() => [...state.items].sort((a, b) => timeOf(eventTime(b)) - timeOf(eventTime(a))), [state.items]);
  return { ...state, items };
}

export function EventsTable({ events, now }: { events: Obj[]; now: number }) {
  const columns: SimpleColumn<Obj>[] = [
    { header: 'Last seen', className: 'small mono', cell: (e) => age(eventTime(e), now) },
    { header: 'Type', cell: (e) => <Badge tone={e.type === 'Warning' ? 'warn' : 'muted'}>{e.type ?? 'Normal'}</Badge> },
    { header: 'Reason', cell: (e) => e.reason },
    { header: 'From', className: 'small', cell: (e) => e.source?.component ?? e.reportingComponent ?? '–' },
    { header: 'Message', cell: (e) => e.message },
    { header: 'Count', cell: (e) => e.count ?? 1 },
  ];
  return <SimpleTable columns={columns} rows={events} rowKey={keyOf} />;
}

export function EventsTab({ obj, kind, now }: { obj: Obj; kind: string; now: number }) {
  const events = useObjectEvents(obj, kind);
  if (events.status === 'error') return <ErrorState title="Cannot list events" message={events.error} />;
  if (!events.items.length) return <Empty title={events.status === 'loading' ? 'Loading…' : 'No events'}>{events.status === 'loading' ? null : 'Events about this object appear here as they happen.'}</Empty>;
  return (
    <div className="card">
      <EventsTable events={events.items} now={now} />
    </div>
  );
}
