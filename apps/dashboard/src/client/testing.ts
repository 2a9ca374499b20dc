// Test doubles for the watch hub: a scripted list endpoint and EventSource, manual timers.
import type { Obj } from '../lib/objects';
import { EventSourceLike, HubDeps } from './watch-hub';

export class FakeEventSource implements EventSourceLike {
  readonly listeners = new Map<string, Array<(e: { data: string }) => void>>();
  onerror: ((e: unknown) => void) | null = null;
  onopen: ((e: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  /** Delivers one watch event to the subscription with this key. */
  emit(key: string, event: { type: string; object: Obj }): void {
    for (const l of this.listeners.get(key) ?? []) l({ data: JSON.stringify(event) });
  }
  /** The subscriptions in the URL. */
  subs(): Array<{ k: string; p: string; q: string; rv: string }> {
    return new URLSearchParams(this.url.split('?')[1]).getAll('s').map((s) => JSON.parse(s));
  }
}

export interface FakeHubDeps extends HubDeps {
  sources: FakeEventSource[];
  lists: Array<{ path: string; query: string }>;
  /** Runs due timers (all of them, in order of delay). */
  tick(): void;
  /** Answers lists; replace to script failures. */
  respond: (path: string, query: string) => Promise<{ metadata?: { resourceVersion?: string }; items?: Obj[] }>;
}

export function fakeHubDeps(initial: Record<string, { rv: string; items: Obj[] }> = {}): FakeHubDeps {
  let timers: Array<{ fn: () => void; ms: number; id: number }> = [];
  let nextId = 1;
  const deps: FakeHubDeps = {
    sources: [],
    lists: [],
    respond: async (path) => {
      const data = initial[path] ?? { rv: '1', items: [] };
      return { metadata: { resourceVersion: data.rv }, items: structuredClone(data.items) };
    },
    list: (path, query) => {
      deps.lists.push({ path, query });
      return deps.respond(path, query);
    },
    open: (url) => {
      const s = new FakeEventSource(url);
      deps.sources.push(s);
      return s;
    },
    schedule: (fn, ms) => {
      const id = nextId++;
      timers.push({ fn, ms, id });
      return id;
    },
    cancel: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    tick: () => {
      const due = [...timers].sort((a, b) => a.ms - b.ms);
      timers = [];
      for (const t of due) t.fn();
    },
  };
  return deps;
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
