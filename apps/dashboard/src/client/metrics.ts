'use client';
// Chart and usage data from /api/metrics (SSE): history first, then one point per sample.
import { useEffect, useState } from 'react';

export interface Point {
  t: number;
  cpu: number;
  mem: number;
}

export interface SeriesState {
  points: Point[];
  source?: string;
  error?: string;
  intervalMs?: number;
}

const MAX_POINTS = 720;

export function useSeries(target: string | undefined): SeriesState {
  const [state, setState] = useState<SeriesState>({ points: [] });
  useEffect(() => {
    if (!target) return;
    setState({ points: [] });
    const es = new EventSource(`/api/metrics?target=${encodeURIComponent(target)}`);
    es.addEventListener('history', (e) => {
      const h = JSON.parse((e as MessageEvent).data) as SeriesState;
      setState({ points: h.points, source: h.source, error: h.error, intervalMs: h.intervalMs });
    });
    es.addEventListener('point', (e) => {
      const p = JSON.parse((e as MessageEvent).data) as Point;
      setState((s) => ({ ...s, error: undefined, points: [...s.points.filter((x) => x.t < p.t), p].slice(-MAX_POINTS) }));
    });
    es.addEventListener('status', (e) => setState((s) => ({ ...s, error: (JSON.parse((e as MessageEvent).data) as { error?: string }).error })));
    return () => es.close();
  }, [target]);
  return state;
}

export interface NodeUsage {
  usage: Record<string, { cpu: number; mem: number }>;
  error?: string;
  at?: number;
}

export function useNodeUsage(): NodeUsage {
  const [state, setState] = useState<NodeUsage>({ usage: {} });
  useEffect(() => {
    const es = new EventSource('/api/metrics?target=nodes');
    es.addEventListener('nodes', (e) => {
      const d = JSON.parse((e as MessageEvent).data) as NodeUsage;
      setState({ usage: d.usage, error: d.error, at: d.at });
    });
    return () => es.close();
  }, []);
  return state;
}
