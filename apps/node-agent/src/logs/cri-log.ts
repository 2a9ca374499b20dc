import { open, stat } from 'node:fs/promises';

// Container logs in the CRI format the runtime writes:
//   2024-05-01T10:00:00.123456789Z stdout F the line
// `F` ends a line, `P` marks a partial line continued by the next record.

export interface LogRecord {
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: string;
}

export function parseCriLine(line: string): LogRecord | undefined {
  const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/.exec(line);
  if (!m) return undefined;
  return { time: m[1], stream: m[2] as LogRecord['stream'], partial: m[3] === 'P', content: m[4] };
}

export interface LogQuery {
  tailLines?: number;
  sinceTime?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Joins partial records and renders lines the way `kubectl logs` prints them. */
export function renderRecords(records: LogRecord[], query: LogQuery): string[] {
  const lines: string[] = [];
  let pending = '';
  let pendingTime = '';
  for (const r of records) {
    if (!pendingTime) pendingTime = r.time;
    pending += r.content;
    if (r.partial) continue;
    if (query.sinceTime === undefined || Date.parse(pendingTime) >= query.sinceTime) {
      lines.push(query.timestamps ? `${pendingTime} ${pending}` : pending);
    }
    pending = '';
    pendingTime = '';
  }
  return query.tailLines !== undefined && query.tailLines >= 0 ? lines.slice(lines.length - query.tailLines) : lines;
}

export function applyLimit(text: string, limitBytes?: number): string {
  if (!limitBytes || limitBytes <= 0) return text;
  return Buffer.from(text).subarray(0, limitBytes).toString();
}

function parseAll(text: string): LogRecord[] {
  return text.split('\n').filter(Boolean).map(parseCriLine).filter((r): r is LogRecord => r !== undefined);
}

/** Reads the whole log (bounded by the runtime's rotation size) and renders it. */
export async function readLog(path: string, query: LogQuery): Promise<{ text: string; offset: number }> {
  const handle = await open(path, 'r');
  try {
    const buffer = await handle.readFile();
    // Only complete lines are consumed; a half-written last line is left for follow.
    const end = buffer.lastIndexOf(0x0a) + 1;
    const lines = renderRecords(parseAll(buffer.subarray(0, end).toString()), query);
    return { text: applyLimit(lines.map((l) => `${l}\n`).join(''), query.limitBytes), offset: end };
  } finally {
    await handle.close();
  }
}

export interface FollowOptions {
  signal: AbortSignal;
  pollMs?: number;
  timestamps?: boolean;
  /** Stops following when this says the container is gone for good. */
  stillRunning?: () => Promise<boolean>;
}

/**
 * Streams the records of new complete lines appended after `offset` until aborted or the
 * container stops. Polling is cheap here (one stat per interval) and works across log
 * rotation by size.
 */
export async function* followRecords(path: string, offset: number, options: Omit<FollowOptions, 'timestamps'>): AsyncGenerator<LogRecord[]> {
  const pollMs = options.pollMs ?? 200;
  let position = offset;
  let carry = Buffer.alloc(0);
  let stopped = false;
  while (!options.signal.aborted) {
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size < position) position = 0; // rotated: the runtime started a fresh file
    if (size > position) {
      const handle = await open(path, 'r');
      try {
        const chunk = Buffer.alloc(size - position);
        await handle.read(chunk, 0, chunk.length, position);
        position = size;
        const data = Buffer.concat([carry, chunk]);
        const end = data.lastIndexOf(0x0a) + 1;
        carry = data.subarray(end);
        const records = parseAll(data.subarray(0, end).toString());
        if (records.length) yield records;
      } finally {
        await handle.close();
      }
      continue;
    }
    if (stopped) return;
    // The runtime may append its last lines between the stat above and this check: once the
    // container is gone, read once more before ending.
    if (options.stillRunning && !(await options.stillRunning())) {
      stopped = true;
      continue;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      options.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}

/** Streams new complete lines appended after `offset`, rendered as `kubectl logs -f` prints them. */
export async function* followLog(path: string, offset: number, options: FollowOptions): AsyncGenerator<string> {
  for await (const records of followRecords(path, offset, options)) {
    const lines = renderRecords(records, { timestamps: options.timestamps });
    if (lines.length) yield lines.map((l) => `${l}\n`).join('');
  }
}
