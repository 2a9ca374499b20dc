'use client';
// React bindings of the watch hub: one hub per tab, lists read with useSyncExternalStore.
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { collectionPath, kindByPlural } from '../lib/kinds';
import type { Obj } from '../lib/objects';
import { getJson, unauthorized } from './api';
import { browserHubDeps, ListState, WatchHub } from './watch-hub';

const HubContext = createContext<WatchHub | undefined>(undefined);

export function HubProvider({ children, hub }: { children: ReactNode; hub?: WatchHub }) {
  const [own] = useState(() => hub ?? new WatchHub(browserHubDeps((path, query, signal) => getJson(`${path}${query ? `?${query}` : ''}`, signal), unauthorized)));
  useEffect(() => () => { if (!hub) own.close(); }, [own, hub]);
  return <HubContext.Provider value={own}>{children}</HubContext.Provider>;
}

export function useHub(): WatchHub {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('useHub outside HubProvider');
  return hub;
}

const EMPTY_STATE: ListState = { items: [], status: 'loading', resourceVersion: '' };

/** A live list of a collection path; `path` undefined pauses it. */
export function useWatchedList(path: string | undefined, query = ''): ListState {
  const hub = useHub();
  const subscribe = useCallback((notify: () => void) => (path ? hub.subscribe(path, query, notify) : () => {}), [hub, path, query]);
  const snapshot = useCallback(() => (path ? hub.state(path, query) : EMPTY_STATE), [hub, path, query]);
  return useSyncExternalStore(subscribe, snapshot, () => EMPTY_STATE);
}

export interface ListFilter {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export function listQuery(filter: ListFilter): string {
  const q = new URLSearchParams();
  if (filter.labelSelector?.trim()) q.set('labelSelector', filter.labelSelector.trim());
  if (filter.fieldSelector) q.set('fieldSelector', filter.fieldSelector);
  return q.toString();
}

export function useKindList(plural: string, filter: ListFilter = {}, enabled = true): ListState {
  const kind = kindByPlural(plural);
  const path = kind && enabled ? collectionPath(kind, filter.namespace) : undefined;
  return useWatchedList(path, listQuery(filter));
}

/** One object, live; `object` undefined while loading or after deletion. */
export function useObject(plural: string, namespace: string | undefined, name: string): { object?: Obj; state: ListState } {
  const state = useKindList(plural, { namespace, fieldSelector: `metadata.name=${name}` });
  const object = useMemo(() => state.items.find((o) => o.metadata?.name === name), [state.items, name]);
  return { object, state };
}

/** Re-renders every `ms` so ages stay current (a clock, not data polling). */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A value persisted in localStorage. */
export function useStored(key: string, initial: string): [string, (v: string) => void] {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const stored = window.localStorage.getItem(key);
    if (stored !== null) setValue(stored);
  }, [key]);
  const set = useCallback((v: string) => {
    setValue(v);
    try {
      window.localStorage.setItem(key, v);
    } catch {
      /* private mode */
    }
  }, [key]);
  return [value, set];
}
