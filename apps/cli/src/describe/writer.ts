// kubectl describe's PrefixWriter: lines indented two spaces per level, cells separated by
// tabs and aligned (Go tabwriter, padding 2) across each run of tabbed lines.
import { Obj } from '../types';
import { age } from '../printers/age';
import { eventSource } from '../printers/events';
import { DESCRIBE_WRITER, TabWriter } from '../printers/tabwriter';

export class DescribeWriter {
  private readonly tab = new TabWriter(DESCRIBE_WRITER);
  private out = '';

  /** `level` 0 = no indent; text may hold tabs (column breaks) and must end in \n. */
  write(level: number, text: string): void {
    this.tab.write('  '.repeat(level) + text);
  }

  /** Ends the current alignment block (kubectl flushes before the events table). */
  flush(): void {
    this.out += this.tab.flush();
  }

  toString(): string {
    this.flush();
    return this.out;
  }
}

/** Go's time.RFC1123Z in UTC, as describe prints timestamps. */
export function describeTime(ts: string | undefined): string {
  if (!ts) return '<unset>';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** `Labels:  a=b` then one per line under it; `<none>` when empty. */
export function writeMap(w: DescribeWriter, level: number, title: string, map: Record<string, unknown> | undefined, sep = '='): void {
  const keys = Object.keys(map ?? {}).sort();
  if (!keys.length) {
    w.write(level, `${title}:\t<none>\n`);
    return;
  }
  keys.forEach((k, i) => {
    const value = String(map![k]).trimEnd();
    const line = sep === '=' ? `${k}=${value}` : `${k}: ${value}`;
    w.write(level, i === 0 ? `${title}:\t${line}\n` : `\t${line}\n`);
  });
}

/** Annotations print `key: value`, long values (last-applied) cut like kubectl does. */
export function writeAnnotations(w: DescribeWriter, level: number, annotations: Record<string, string> | undefined): void {
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) shown[k] = k === 'kubectl.kubernetes.io/last-applied-configuration' ? '' : v.length > 140 ? `${v.slice(0, 140)}...` : v;
  for (const k of Object.keys(shown)) if (shown[k] === '') delete shown[k];
  writeMap(w, level, 'Annotations', shown, ': ');
}

/** The Events table (sorted oldest first), or `Events:  <none>`. */
export function writeEvents(w: DescribeWriter, events: Obj[] | undefined, now: Date): void {
  if (!events) return;
  if (!events.length) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const time = (e: Obj) => Date.parse(e.lastTimestamp || e.series?.lastObservedTime || e.eventTime || e.firstTimestamp || '') || 0;
  const sorted = [...events].sort((a, b) => time(a) - time(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = age(e.eventTime || e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${eventSource(e).split(',')[0]}\t${String(e.message ?? e.note ?? '').trim()}\n`);
  }
}

const ACRONYMS = ['API', 'URL', 'UID', 'OSB', 'GUID'];

/** `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version` (kubectl's smartLabelFor). */
export function smartLabel(field: string): string {
  if (/[^A-Za-z-]/.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-/g) ?? [field];
  return parts.map((p) => (ACRONYMS.includes(p.toUpperCase()) ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1))).join(' ');
}

/** kubectl's generic describer body: sorted keys, nested maps indented, list items flattened. */
export function writeUnstructured(w: DescribeWriter, level: number, content: Obj, prefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const path = `${prefix}.${field}`;
    if (skip.includes(path)) continue;
    const value = content[field];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      writeUnstructured(w, level + 1, value, path, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) writeUnstructured(w, level + 1, child, path, skip);
        else w.write(level + 1, `${typeof child === 'object' ? JSON.stringify(child) : String(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${value === null ? '<nil>' : String(value)}\n`);
    }
  }
}
