// Rendering helpers for component specs: a hub fed by scripted lists, stubs for what jsdom
// lacks (EventSource, ResizeObserver), and a fetch double that records requests.
import { render, RenderResult } from '@testing-library/react';
import { ReactElement } from 'react';
import { ToastProvider } from '../components/ui';
import type { Obj } from '../lib/objects';
import { HubProvider } from './hooks';
import { FakeHubDeps, fakeHubDeps } from './testing';
import { WatchHub } from './watch-hub';

export class StubEventSource {
  static instances: StubEventSource[] = [];
  readonly listeners = new Map<string, Array<(e: { data: string }) => void>>();
  onerror = null;
  onopen = null;
  constructor(readonly url: string) {
    StubEventSource.instances.push(this);
  }
  addEventListener(type: string, l: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  emit(type: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data) });
  }
  close() {}
}

export function installBrowserStubs(): void {
  Object.assign(globalThis, { EventSource: StubEventSource });
  if (!('ResizeObserver' in globalThis)) {
    Object.assign(globalThis, {
      ResizeObserver: class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    });
  }
  // jsdom has no layout: give every element a viewport-sized box so virtual lists render rows.
  const box = { width: 1200, height: 720 };
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => box.width });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => box.height });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => box.height });
  HTMLElement.prototype.getBoundingClientRect = () => ({ x: 0, y: 0, top: 0, left: 0, right: box.width, bottom: box.height, ...box, toJSON: () => box });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
  if (!('structuredClone' in globalThis)) Object.assign(globalThis, { structuredClone: (v: unknown) => JSON.parse(JSON.stringify(v)) });
}

export interface Recorded {
  method: string;
  url: string;
  body?: unknown;
}

/** A fetch double: `routes` answer by "METHOD path" prefix; every call is recorded. */
export function stubFetch(routes: Record<string, (req: Recorded) => { status: number; body?: unknown }>): Recorded[] {
  const calls: Recorded[] = [];
  const fetch = async (url: string, init: { method?: string; body?: string } = {}) => {
    const req: Recorded = { method: init.method ?? 'GET', url, body: init.body ? JSON.parse(init.body) : undefined };
    calls.push(req);
    const key = Object.keys(routes).sort((a, b) => b.length - a.length).find((k) => `${req.method} ${url}`.startsWith(k));
    const answer = key ? routes[key](req) : { status: 404, body: { kind: 'Status', code: 404, message: 'not found' } };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return { ok: answer.status < 300, status: answer.status, text: async () => text, json: async () => answer.body };
  };
  Object.assign(globalThis, { fetch });
  return calls;
}

export function renderWithHub(ui: ReactElement, lists: Record<string, { rv?: string; items: Obj[] }> = {}): RenderResult & { deps: FakeHubDeps; hub: WatchHub } {
  const deps = fakeHubDeps(Object.fromEntries(Object.entries(lists).map(([p, l]) => [p, { rv: l.rv ?? '1', items: l.items }])));
  const hub = new WatchHub(deps, { batchMs: 0, debounceMs: 0 });
  const result = render(
    <HubProvider hub={hub}>
      <ToastProvider>{ui}</ToastProvider>
    </HubProvider>,
  );
  return { ...result, deps, hub };
}
