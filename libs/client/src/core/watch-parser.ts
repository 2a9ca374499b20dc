import { ApiError, isStatus, statusFromResponse } from './api-error';
import { KubeObject, Status, WatchEvent } from './types';

/**
 * Splits a byte stream into newline-delimited lines. Chunks may cut anywhere — inside a JSON
 * object or inside a multi-byte UTF-8 character — so bytes are decoded in streaming mode and
 * the unterminated tail is carried over. A final line without a newline is still yielded.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield line;
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending.trim();
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/**
 * Parses one watch line. ERROR events (usually 410 Expired once history is compacted) and
 * unreadable lines become ApiErrors, so a watch consumer only ever sees object events.
 */
export function parseWatchLine<T extends KubeObject>(line: string): WatchEvent<T> {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line);
  } catch {
    throw new ApiError(malformed(`watch: undecodable event line: ${line.slice(0, 200)}`));
  }
  if (event?.type === 'ERROR') {
    const status: Status = isStatus(event.object) ? statusFromResponse(event.object.code || 500, JSON.stringify(event.object)) : malformed('watch: ERROR event without a Status');
    throw new ApiError(status);
  }
  if (typeof event?.type !== 'string' || !EVENT_TYPES.has(event.type) || typeof event.object !== 'object' || event.object === null) {
    throw new ApiError(malformed(`watch: unexpected event: ${line.slice(0, 200)}`));
  }
  return event as WatchEvent<T>;
}

function malformed(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message };
}
