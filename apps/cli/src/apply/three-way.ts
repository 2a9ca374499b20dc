// kubectl apply's client-side merge: a three-way patch from the last-applied configuration
// (original), the file (modified) and the live object (current). Fields removed from the
// file since the last apply are deleted; fields the server or other clients set and the
// file never mentioned are left alone. Strategic: lists of objects merge by their key
// (containers by name …) the way the API server's strategic merge patch applies them.
import { mergeKeyFor } from '@coxswain/api';
import { isObj, Obj } from '../types';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';


interface DiffOptions {
  /** Do not emit nulls / $patch: delete for what `to` lacks. */
  ignoreDeletions?: boolean;
  /** Emit only deletions. */
  onlyDeletions?: boolean;
  strategic: boolean;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The patch that turns `from` into `to` (within the options' limits); {} when nothing differs. */
export function diffMaps(from: Obj, to: Obj, options: DiffOptions, parentField?: string): Obj {
  const patch: Obj = {};
  for (const [key, tv] of Object.entries(to)) {
    if (!(key in from)) {
      if (!options.onlyDeletions) patch[key] = tv;
      continue;
    }
    const fv = from[key];
    if (isObj(fv) && isObj(tv)) {
      const sub = diffMaps(fv, tv, options, key);
      if (Object.keys(sub).length) patch[key] = sub;
    } else if (Array.isArray(fv) && Array.isArray(tv)) {
      const mergeKey = options.strategic ? mergeKeyFor(key, parentField) : undefined;
      if (mergeKey && [...fv, ...tv].every((e) => isObj(e) && mergeKey in e)) {
        const sub = diffKeyedList(fv as Obj[], tv as Obj[], mergeKey, options, key);
        if (sub.length) patch[key] = sub;
      } else if (!options.onlyDeletions && !deepEqual(fv, tv)) {
        patch[key] = tv;
      }
    } else if (!options.onlyDeletions && !deepEqual(fv, tv)) {
      patch[key] = tv;
    }
  }
  if (!options.ignoreDeletions) for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  return patch;
}

function diffKeyedList(from: Obj[], to: Obj[], mergeKey: string, options: DiffOptions, field: string): Obj[] {
  const out: Obj[] = [];
  for (const tv of to) {
    const fv = from.find((e) => deepEqual(e[mergeKey], tv[mergeKey]));
    if (!fv) {
      if (!options.onlyDeletions) out.push(tv);
      continue;
    }
    const sub = diffMaps(fv, tv, options, field);
    if (Object.keys(sub).length) out.push({ [mergeKey]: tv[mergeKey], ...sub });
  }
  if (!options.ignoreDeletions) {
    for (const fv of from) if (!to.some((e) => deepEqual(e[mergeKey], fv[mergeKey]))) out.push({ [mergeKey]: fv[mergeKey], $patch: 'delete' });
  }
  return out;
}

/** Deep-merges two patches; keyed-list patches concatenate (they never name the same element twice). */
function mergePatches(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [key, bv] of Object.entries(b)) {
    const av = out[key];
    if (isObj(av) && isObj(bv)) out[key] = mergePatches(av, bv);
    else if (Array.isArray(av) && Array.isArray(bv) && [...av, ...bv].some((e) => isObj(e) && e.$patch === 'delete')) out[key] = [...av, ...bv];
    else out[key] = bv;
  }
  return out;
}

/** kubectl's CreateThreeWayMergePatch (strategic) / CreateThreeWayJSONMergePatch (merge). */
export function threeWayPatch(original: Obj | undefined, modified: Obj, current: Obj, strategic: boolean): Obj {
  const deletions = diffMaps(original ?? {}, modified, { strategic, onlyDeletions: true });
  const delta = diffMaps(current, modified, { strategic, ignoreDeletions: true });
  return mergePatches(deletions, delta);
}

/** Keys sorted, as Go serialises a decoded object. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (isObj(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  return value;
}

/**
 * The object as apply sends it: the last-applied annotation holds the object itself
 * (with an empty-or-other annotations map, never the annotation) as compact JSON and a
 * newline — byte for byte what kubectl writes, so either tool can apply after the other.
 */
export function withLastApplied(obj: Obj): Obj {
  const annotations: Record<string, string> = { ...(obj.metadata?.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const base = { ...obj, metadata: { ...obj.metadata, annotations } };
  const text = `${JSON.stringify(sorted(base))}\n`;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: text } } };
}

export function lastApplied(current: Obj): Obj | undefined {
  const text = current.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text);
    return isObj(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
