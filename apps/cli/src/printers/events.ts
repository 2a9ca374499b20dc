// An Event's times and source the way kubectl reads the old (core/v1) and new (events.k8s.io)
// fields, for describe's Events section and coxctl why.
import { Obj } from '../types';
import { age } from './age';

/** LAST SEEN / FIRST SEEN / COUNT of an Event, the way kubectl reads the old and new fields. */
export function eventTimes(e: Obj, now: Date): { first: string; last: string; count: number; lastTime?: string } {
  const firstTime: string | undefined = e.firstTimestamp || e.eventTime;
  let lastTime: string | undefined = e.lastTimestamp || firstTime;
  let count: number = e.count || 1;
  if (e.series) {
    lastTime = e.series.lastObservedTime;
    count = e.series.count;
  }
  return { first: age(firstTime, now), last: age(lastTime, now), count, lastTime };
}

export function eventSource(e: Obj): string {
  const component = e.source?.component || e.reportingComponent || e.reportingController || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}
