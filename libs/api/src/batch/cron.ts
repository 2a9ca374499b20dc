// CronJob schedules with Kubernetes' rules: five fields (minute hour day-of-month month
// day-of-week) or one of the @descriptors, evaluated in spec.timeZone (UTC when unset, as
// the controller-manager's local zone here is UTC). cron-parser does the calendar work.
import { CronExpressionParser } from 'cron-parser';

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

// What robfig/cron's standard parser accepts per field: numbers, names, * ? , - /.
const FIELD = /^[0-9A-Za-z*?,\-/]+$/;
const NAMES = new Set(['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC', 'SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);

export type ParsedSchedule = { ok: true; fields: string } | { ok: false; error: string };

/** Checks a schedule the way the API server does; `error` is the text after the value. */
export function parseCronSchedule(schedule: string): ParsedSchedule {
  const trimmed = schedule.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) return { ok: false, error: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' };
  const fields = DESCRIPTORS[trimmed.toLowerCase()] ?? trimmed;
  const parts = fields.split(/\s+/);
  if (parts.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${parts.length}: [${trimmed}]` };
  const namesOk = (p: string) => (p.match(/[A-Za-z]+/g) ?? []).every((word) => NAMES.has(word.toUpperCase()));
  if (!parts.every((p) => FIELD.test(p) && namesOk(p))) {
    return { ok: false, error: `unsupported characters in schedule: [${trimmed}]` };
  }
  try {
    CronExpressionParser.parse(`0 ${fields}`, { tz: 'UTC', strict: false });
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return { ok: true, fields };
}

/** True for an IANA zone name the runtime knows (and not `Local`, which Kubernetes refuses). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'Local' || zone.includes('..')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface ScheduleWindow {
  /** The latest schedule time in (earliest, now], if any. */
  mostRecent?: number;
  /** How many schedule times fall in (earliest, now] (counting stops a little past 100). */
  missed: number;
  /** The first schedule time after now. */
  next: number;
}

const MISSED_COUNT_CAP = 101;

/**
 * The schedule times between `earliest` (exclusive) and `now` (inclusive), as Kubernetes'
 * mostRecentScheduleTime sees them. Throws for a schedule parseCronSchedule rejects.
 */
export function scheduleWindow(schedule: string, timeZone: string | undefined, earliest: number, now: number): ScheduleWindow {
  const parsed = parseCronSchedule(schedule);
  if (!parsed.ok) throw new Error(parsed.error);
  const tz = timeZone || 'UTC';
  const next = CronExpressionParser.parse(`0 ${parsed.fields}`, { tz, currentDate: new Date(now) }).next().getTime();
  if (earliest >= now) return { missed: 0, next };
  // Walk back from now: the most recent time comes first, and counting stops at the cap.
  const back = CronExpressionParser.parse(`0 ${parsed.fields}`, { tz, currentDate: new Date(now + 1) });
  let mostRecent: number | undefined;
  let missed = 0;
  while (missed < MISSED_COUNT_CAP) {
    let t: number;
    try {
      t = back.prev().getTime();
    } catch {
      break;
    }
    if (t <= earliest) break;
    mostRecent ??= t;
    missed++;
  }
  return { mostRecent, missed, next };
}
