// Pod log requests and the bounded buffer the log view keeps.
export const MAX_LOG_CHARS = 1_000_000;

export function logQuery(options: { container?: string; follow?: boolean; previous?: boolean; tailLines?: number }): string {
  const q = new URLSearchParams();
  if (options.container) q.set('container', options.container);
  if (options.follow) q.set('follow', 'true');
  if (options.previous) q.set('previous', 'true');
  if (options.tailLines !== undefined) q.set('tailLines', String(options.tailLines));
  return q.toString();
}

/** Keeps the newest part of a growing log, cut at a line start. */
export function trimLog(text: string, max = MAX_LOG_CHARS): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.length - max);
  const newline = tail.indexOf('\n');
  return newline >= 0 ? tail.slice(newline + 1) : tail;
}
