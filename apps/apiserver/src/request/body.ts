// Reads and decodes request bodies: JSON or YAML (1.1 semantics, like Kubernetes), bounded
// in size. Every failure is a Status (400/413/415), never a crash.
import { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '@coxswain/api';

/** Kubernetes' limit for a request body. */
export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

/**
 * How deep a decoded body may nest. Kubernetes stops at 10,000, but every layer here (defaults,
 * validation, patches, structuredClone) walks objects recursively and V8's stack ends near
 * 5,000 levels; no object of a served kind comes close to 100.
 */
export const MAX_BODY_DEPTH = 512;

/** The nesting depth of a decoded value, without recursion (a deep body must not crash us). */
export function exceedsDepth(value: unknown, max = MAX_BODY_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

function bounded<T>(value: T, format: string): T {
  if (exceedsDepth(value)) throw badRequest(`the body of the request could not be decoded as ${format}: exceeded max depth of ${MAX_BODY_DEPTH}`);
  return value;
}

export async function readRawBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw requestEntityTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw requestEntityTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}

const JSON_TYPES = new Set(['application/json', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', '']);
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'application/apply-patch+yaml']);

/** Decodes one JSON or YAML document. */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  if (JSON_TYPES.has(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
    }
    return bounded(parsed, 'JSON');
  }
  if (YAML_TYPES.has(type)) return bounded(decodeYaml(text), 'YAML');
  throw unsupportedMediaType(type);
}

function decodeYaml(text: string): unknown {
  try {
    const docs = parseAllDocuments(text, { version: '1.1' });
    const list = Array.isArray(docs) ? docs : [docs];
    const real = list.filter((d) => d.contents !== null);
    if (real.length !== 1) throw badRequest(`expected exactly one YAML document, got ${real.length}`);
    if (real[0].errors.length) throw badRequest(`the body of the request could not be decoded as YAML: ${real[0].errors[0].message}`);
    return real[0].toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The YAML parser recurses: a document nested thousands deep overflows the stack.
    if (error instanceof RangeError) throw badRequest(`the body of the request could not be decoded as YAML: exceeded max depth of ${MAX_BODY_DEPTH}`);
    throw error;
  }
}
