// etcd key layout (`/registry/<group>/<resource>/<namespace>/<name>`) and list continue tokens.
import { badRequest, storagePrefix } from '@coxswain/api';
import { StoredResource } from './object-store';

export function collectionPrefix(resource: StoredResource, namespace?: string): string {
  const base = storagePrefix(resource);
  return resource.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(resource: StoredResource, namespace: string | undefined, name: string): string {
  if (resource.namespaced) {
    if (!namespace) throw badRequest('namespace is required for namespaced resources');
    return `${storagePrefix(resource)}${namespace}/${name}`;
  }
  return `${storagePrefix(resource)}${name}`;
}

export interface ContinueToken {
  /** The revision the first page was read at; later pages read the same snapshot. */
  rev: number;
  /** First key of the next page. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: token.rev, start: token.start })).toString('base64url');
}

export function decodeContinue(text: string, prefix: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (parsed.v !== 1 || !Number.isSafeInteger(parsed.rv) || typeof parsed.start !== 'string' || !parsed.start.startsWith(prefix)) throw new Error('bad token');
    return { rev: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest('continue key is not valid: the continue token is malformed or belongs to another list');
  }
}

/** The smallest key greater than every key with this prefix, as bytes (a UTF-8 prefix may end in any byte). */
export function prefixEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] < 0xff) {
      bytes[i]++;
      return bytes.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}
