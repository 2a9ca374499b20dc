'use client';
// The compare page's live figures from /api/compare (SSE): one frame after each metrics sample.
import { useEffect, useState } from 'react';
import { CompareFeed, reviveFeed } from '../lib/compare';

export interface CompareFeedState extends Partial<CompareFeed> {
  /** `prometheus` or `metrics api`; undefined until the first frame. */
  source?: string;
  intervalMs?: number;
  at?: number;
}

export function useCompareFeed(): CompareFeedState {
  const [state, setState] = useState<CompareFeedState>({});
  useEffect(() => {
    const es = new EventSource('/api/compare');
    es.addEventListener('compare', (e) => setState(reviveFeed(JSON.parse((e as MessageEvent).data) as CompareFeedState)));
    return () => es.close();
  }, []);
  return state;
}
