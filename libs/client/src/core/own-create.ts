// A create whose connection broke after the server may have received it is sent again; if the
// first attempt was committed, the retry answers 409 AlreadyExists for an object we made.
// client-go surfaces that to the caller; we read the object back and count the create as done
// when the stored object is what we sent (the server only adds to it: defaults, metadata).
import { KubeObject } from './types';

/** Metadata the server sets on create; a sent value there says nothing about authorship. */
const SERVER_METADATA = new Set(['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']);

/**
 * Whether `stored` holds everything `sent` set, with equal values (objects may have gained
 * keys; arrays must match element by element). `status` is not compared: a create ignores it
 * for most kinds. Conservative: any changed value means "not ours" and the 409 stands.
 */
export function isOwnCreate(sent: KubeObject, stored: KubeObject): boolean {
  for (const [key, value] of Object.entries(sent)) {
    if (value === undefined || key === 'status') continue;
    if (key === 'metadata') {
      const metadata = (stored.metadata ?? {}) as Record<string, unknown>;
      for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && !SERVER_METADATA.has(field) && !contains(v, metadata[field])) return false;
      }
    } else if (!contains(value, (stored as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function contains(sent: unknown, stored: unknown): boolean {
  if (Array.isArray(sent)) return Array.isArray(stored) && sent.length === stored.length && sent.every((v, i) => contains(v, stored[i]));
  if (sent !== null && typeof sent === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
    return Object.entries(sent).every(([k, v]) => v === undefined || contains(v, (stored as Record<string, unknown>)[k]));
  }
  return sent === stored;
}
