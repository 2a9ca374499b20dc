// events.k8s.io/v1 Event ⇄ core/v1 Event, as Kubernetes converts them (both versions share
// one storage, kept as core/v1): regarding ⇄ involvedObject, note ⇄ message,
// reportingController ⇄ reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/
// Count ⇄ source/firstTimestamp/lastTimestamp/count; eventTime, series, action, reason,
// related, reportingInstance and type are the same fields in both.
import { fieldCause, StatusCause } from '../status/status';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RENAMED: Array<[core: string, events: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];
const SAME = ['eventTime', 'series', 'action', 'reason', 'related', 'reportingInstance', 'type'];

function copy(from: Obj, pairs: Array<[string, string]>, head: Obj): Obj {
  const out: Obj = { ...head, metadata: from.metadata };
  for (const [a, b] of pairs) if (from[a] !== undefined && from[a] !== null && from[a] !== '') out[b] = from[a];
  for (const f of SAME) if (from[f] !== undefined && from[f] !== null && from[f] !== '') out[f] = from[f];
  return out;
}

export function coreEventToEventsV1(core: Obj): Obj {
  const out = copy(core, RENAMED, { apiVersion: 'events.k8s.io/v1', kind: 'Event' });
  // eventTime is not omitempty in events.k8s.io/v1: an event recorded the core/v1 way reads null.
  out.eventTime = core.eventTime ?? null;
  return out;
}

export function eventsV1ToCoreEvent(ev: Obj): Obj {
  return copy(
    ev,
    RENAMED.map(([a, b]) => [b, a]),
    { apiVersion: 'v1', kind: 'Event' },
  );
}

/** events.k8s.io/v1 ValidateEventCreate's required fields for a new-style event. */
export function validateEventsV1Create(ev: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const required = (field: string, what: string) => {
    if (ev[field] === undefined || ev[field] === null || ev[field] === '') causes.push(fieldCause('FieldValueRequired', field, `Required value: ${what}`));
  };
  required('eventTime', 'eventTime is required');
  required('reportingController', 'reportingController is required');
  required('reportingInstance', 'reportingInstance is required');
  required('action', 'action is required');
  required('reason', 'reason is required');
  if (typeof ev.note === 'string' && new TextEncoder().encode(ev.note).length > 1024) causes.push(fieldCause('FieldValueInvalid', 'note', 'Invalid value: "": can have at most 1024 characters'));
  if (ev.type !== undefined && ev.type !== 'Normal' && ev.type !== 'Warning') causes.push(fieldCause('FieldValueNotSupported', 'type', `Unsupported value: "${ev.type}": supported values: "Normal", "Warning"`));
  return causes;
}
