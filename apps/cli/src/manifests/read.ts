// -f FILE|DIR|URL|- : manifests as objects, the way kubectl reads them — YAML 1.1
// (`0644` is octal, `yes` a boolean), several documents per file, JSON, `kind: List`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CliError } from '../errors';
import { isObj, Obj } from '../types';

export interface Manifest {
  object: Obj;
  /** The file it came from (as given), or "STDIN" / the URL. */
  source: string;
}

export interface ReadOptions {
  recursive?: boolean;
  cwd?: string;
  readStdin?: () => Promise<string>;
  fetchUrl?: (url: string) => Promise<string>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Parses YAML 1.1 (or JSON) text into objects; timestamps stay strings like Kubernetes keeps them. */
export function parseManifestText(text: string, source: string): Obj[] {
  const docs = parseAllDocuments(text, { version: '1.1', customTags: (tags) => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp') });
  const out: Obj[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new CliError(`error parsing ${source}: error converting YAML to JSON: ${doc.errors[0].message.split('\n')[0]}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (!isObj(value)) throw new CliError(`error parsing ${source}: a manifest must be an object, not ${Array.isArray(value) ? 'a list' : typeof value}`);
    out.push(...flattenLists(value));
  }
  return out;
}

/** `kind: List` (and any *List with items) contributes its items. */
function flattenLists(obj: Obj): Obj[] {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) return (obj.items as unknown[]).filter(isObj).flatMap(flattenLists);
  return [obj];
}

export function validateManifest(obj: Obj, source: string): void {
  const missing = [...(obj.apiVersion ? [] : ['apiVersion not set']), ...(obj.kind ? [] : ['kind not set'])];
  if (missing.length) throw new CliError(`error validating "${source}": error validating data: [${missing.join(', ')}]`);
}

export async function readManifests(paths: string[], options: ReadOptions = {}): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      if (!options.readStdin) throw new CliError('reading from stdin is not supported here');
      out.push(...parseManifestText(await options.readStdin(), 'STDIN').map((object) => ({ object, source: 'STDIN' })));
      continue;
    }
    if (/^https?:\/\//.test(path)) {
      const fetchUrl = options.fetchUrl ?? defaultFetch;
      out.push(...parseManifestText(await fetchUrl(path), path).map((object) => ({ object, source: path })));
      continue;
    }
    for (const file of expandPath(path, options)) out.push(...parseManifestText(readFileSync(resolve(options.cwd ?? '.', file), 'utf8'), file).map((object) => ({ object, source: file })));
  }
  for (const m of out) validateManifest(m.object, m.source);
  return out;
}

/** A file as given; a directory's manifest files (sorted, recursing with -R). */
function expandPath(path: string, options: ReadOptions): string[] {
  const full = resolve(options.cwd ?? '.', path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!stat.isDirectory()) return [path];
  const files: string[] = [];
  for (const entry of readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = join(path, entry.name);
    if (entry.isDirectory()) {
      if (options.recursive) files.push(...expandPath(rel, options));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name))) {
      files.push(rel);
    }
  }
  return files;
}

async function defaultFetch(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new CliError(`unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
  return res.text();
}

/** Reads all of a stream as text (stdin for `-f -`). */
export async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
