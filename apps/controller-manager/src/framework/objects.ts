// Small pure helpers over API objects: stable serialisation, hashing, deep equality.

/** JSON with object keys sorted, so equal values serialise equally. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * Drops nulls, empty lists and empty objects, recursively: Go clients (kubectl) send
 * `creationTimestamp: null` or `resources: {}` where others send nothing, and Kubernetes'
 * semantic equality treats those alike.
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty);
    return items.length ? items : undefined;
  }
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const pruned = pruneEmpty(v);
    if (pruned !== undefined) out[k] = pruned;
  }
  return Object.keys(out).length ? out : undefined;
}

export const deepEqual = (a: unknown, b: unknown): boolean => stableStringify(a) === stableStringify(b);

/** FNV-1a, 32 bit, over UTF-8 bytes (what Kubernetes hashes pod templates with). */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' rand.SafeEncodeString: maps each character onto letters that never spell words. */
export function safeEncode(text: string): string {
  return Array.from(text, (ch) => SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

export const clone = <T>(value: T): T => structuredClone(value);

/** Runs a write whose target may have been deleted meanwhile; a 404 is then no error. */
export async function ignoreNotFound<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if ((error as { code?: number })?.code === 404) return undefined;
    throw error;
  }
}
