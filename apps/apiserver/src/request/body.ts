// Reads and decodes request bodies: JSON or YAML (1.1 semantics, like Kubernetes), bounded
// in size. Every failure is a Status (400/413/415), never a crash.
import { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '@coxswain/api';

/** Kubernetes' limit for a request body. */
export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

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
    try {
      return JSON.parse(text);
    } catch (error) {
      throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
    }
  }
  if (YAML_TYPES.has(type)) {
    const docs = parseAllDocuments(text, { version: '1.1' });
    const list = Array.isArray(docs) ? docs : [docs];
    const real = list.filter((d) => d.contents !== null);
    if (real.length !== 1) throw badRequest(`expected exactly one YAML document, got ${real.length}`);
    if (real[0].errors.length) throw badRequest(`the body of the request could not be decoded as YAML: ${real[0].errors[0].message}`);
    return real[0].toJS({ maxAliasCount: 100 });
  }
  throw unsupportedMediaType(type);
}
