// ?watch=1: newline-delimited JSON events from etcd, with selectors, bookmarks, timeouts,
// 410 for compacted history, and a bound on what a slow client may leave buffered.
import { ServerResponse } from 'node:http';
import { apiVersionOf, badRequest, expired, KubeObject, toStatus } from '@coxswain/api';
import { CompactedError, ObjectStore, StoreEvent, WatchHandle } from '../storage/object-store';
import { queryFlag, RequestContext } from './context';
import { selectorPredicate, withTypeMeta } from './resource-service';

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** A watcher with more than this many bytes unsent is dropped (it re-watches). */
  maxBufferedBytes: number;
  /** Default and upper bound of timeoutSeconds. */
  maxTimeoutSeconds: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = { bookmarkIntervalMs: 10_000, maxBufferedBytes: 8 * 1024 * 1024, maxTimeoutSeconds: 1800 };

export interface WatchObserver {
  started(ctx: RequestContext): void;
  stopped(ctx: RequestContext, reason: 'client' | 'timeout' | 'slow' | 'error'): void;
}

/** Renders an event's object (JSON as is, or a Table for `as=Table`). */
export type EventRenderer = (obj: KubeObject) => unknown;

/**
 * An event's line as UTF-8 bytes, per rendering (`renderKey`: the served apiVersion and kind)
 * and type: the cache hands the same event to every watcher, so it is serialized and encoded
 * once, not once per watcher (a string written to a socket is encoded again on each write).
 * Keyed by the event, which the cache's history drops after a while.
 */
const serialized = new WeakMap<StoreEvent, Map<string, { json: string; lines: Map<string, Buffer> }>>();

function eventLine(event: StoreEvent, type: string, renderKey: string, render: () => unknown): Buffer {
  let byKey = serialized.get(event);
  if (!byKey) serialized.set(event, (byKey = new Map()));
  let rendered = byKey.get(renderKey);
  if (!rendered) byKey.set(renderKey, (rendered = { json: JSON.stringify(render()), lines: new Map() }));
  // The type is the watcher's (a selector turns a MODIFIED into an ADDED or a DELETED for some).
  let line = rendered.lines.get(type);
  if (!line) rendered.lines.set(type, (line = Buffer.from(`{"type":"${type}","object":${rendered.json}}\n`)));
  return line;
}

type Transition = 'ADDED' | 'MODIFIED' | 'DELETED' | undefined;

/** Selector-aware event type: objects moving in or out of the selection appear or vanish. */
export function transition(event: StoreEvent, matches: (obj: KubeObject) => boolean): Transition {
  if (event.type === 'ADDED') return matches(event.object) ? 'ADDED' : undefined;
  if (event.type === 'DELETED') return matches(event.object) ? 'DELETED' : undefined;
  const now = matches(event.object);
  const before = event.previous ? matches(event.previous) : now;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

export class WatchService {
  constructor(
    private readonly store: ObjectStore,
    private readonly settings: WatchSettings = DEFAULT_WATCH_SETTINGS,
    private readonly observer?: WatchObserver,
  ) {}

  /** `renderKey`: set when `render`'s output depends only on the object (events are then serialized once). */
  async serve(ctx: RequestContext, res: ServerResponse, render: EventRenderer, renderKey?: string): Promise<void> {
    const selected = selectorPredicate(ctx.resource, ctx.query);
    const name = ctx.info.name;
    const matches = (obj: KubeObject) => (!name || obj.metadata.name === name) && (!selected || selected(obj));
    const timeoutText = ctx.query.get('timeoutSeconds');
    const timeout = timeoutText !== null ? Number(timeoutText) : this.settings.maxTimeoutSeconds;
    if (!Number.isFinite(timeout) || timeout < 0) throw badRequest(`timeoutSeconds must be a non-negative number`);
    const bookmarks = queryFlag(ctx.query, 'allowWatchBookmarks');
    const rvText = ctx.query.get('resourceVersion') ?? '';

    let after: number;
    let initial: KubeObject[] = [];
    if (rvText === '' || rvText === '0') {
      const list = await this.store.list(ctx.resource, { namespace: ctx.info.namespace, predicate: matches });
      initial = list.items;
      after = Number(list.resourceVersion);
    } else {
      after = Number(rvText);
      if (!Number.isSafeInteger(after) || after < 0) throw badRequest(`invalid resourceVersion "${rvText}"`);
      try {
        await this.store.checkRevision(after);
      } catch (error) {
        if (error instanceof CompactedError) throw expired(rvText);
        throw error;
      }
    }

    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
    res.flushHeaders?.();
    let closed = false;
    let handle: WatchHandle | undefined;
    let bookmarkTimer: NodeJS.Timeout | undefined;
    const timers: { timeout?: NodeJS.Timeout } = {};
    // Events are written corked and flushed once per turn of the event loop: a burst of
    // events (several etcd responses read at once) leaves in one write per watcher, not one
    // per event (each a syscall, times every watcher).
    let flush: NodeJS.Immediate | undefined;
    const uncork = () => {
      flush = undefined;
      res.uncork();
    };
    const finish = (reason: 'client' | 'timeout' | 'slow' | 'error') => {
      if (closed) return;
      closed = true;
      clearInterval(bookmarkTimer);
      clearTimeout(timers.timeout);
      if (flush) {
        clearImmediate(flush);
        uncork();
      }
      void handle?.stop();
      this.observer?.stopped(ctx, reason);
      if (!res.writableEnded) res.end();
    };
    const write = (line: string | Buffer) => {
      if (closed) return;
      if (!flush) {
        res.cork();
        flush = setImmediate(uncork);
      }
      res.write(line);
      if (res.writableLength > this.settings.maxBufferedBytes) finish('slow');
    };
    const send = (type: string, object: unknown) => write(`${JSON.stringify({ type, object })}\n`);
    res.on('close', () => finish('client'));
    this.observer?.started(ctx);

    for (const obj of initial) send('ADDED', render(withTypeMeta(ctx.resource, obj)));
    try {
      handle = await this.store.watch(ctx.resource, { namespace: ctx.info.namespace, name, afterRevision: after }, {
        onEvent: (event) => {
          const type = transition(event, matches);
          if (!type || closed) return;
          if (renderKey === undefined) send(type, render(withTypeMeta(ctx.resource, event.object)));
          else write(eventLine(event, type, renderKey, () => render(withTypeMeta(ctx.resource, event.object))));
        },
        onError: (error) => {
          const status = error instanceof CompactedError ? expired(rvText || after).status : toStatus(error);
          send('ERROR', status);
          finish('error');
        },
      });
    } catch (error) {
      send('ERROR', toStatus(error));
      finish('error');
      return;
    }
    if (closed) {
      void handle.stop();
      return;
    }
    if (bookmarks) {
      bookmarkTimer = setInterval(() => {
        send('BOOKMARK', { kind: ctx.resource.kind, apiVersion: apiVersionOf(ctx.resource), metadata: { resourceVersion: String(handle!.lastRevision()) } });
      }, this.settings.bookmarkIntervalMs);
    }
    const ms = Math.min(timeout, this.settings.maxTimeoutSeconds) * 1000;
    timers.timeout = setTimeout(() => finish('timeout'), ms || this.settings.maxTimeoutSeconds * 1000);
  }
}
