// Completion indexes of Indexed Jobs: which index a pod runs, and the compressed
// `1,3-5` form Kubernetes writes into status.completedIndexes.
import { JOB_LABELS, Pod } from '@coxswain/api';

/** The pod's completion index (annotation, else label), or undefined when missing or malformed. */
export function completionIndexOf(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[JOB_LABELS.completionIndex] ?? pod.metadata.labels?.[JOB_LABELS.completionIndex];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const index = Number(text);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** `[0,1,2,4]` → `0-2,4`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** `0-2,4` → `[0,1,2,4]`; malformed parts are skipped. */
export function parseIndexes(text: string | undefined): number[] {
  if (!text) return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}
