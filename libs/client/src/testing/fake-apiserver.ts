import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { TLSSocket } from 'node:tls';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { applyPatch, Operation } from 'fast-json-patch';
import { KubeObject, Status } from '../core/types';
import { reasonForCode } from '../core/api-error';
import { parseResourcePath, ParsedPath } from './fake-api-paths';
import { matchesFieldSelector, matchesLabelSelector } from './fake-api-selectors';

interface StoredEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  collection: string;
  obj: KubeObject;
}

interface Watcher {
  collection: string;
  namespace?: string;
  labelSelector: string | null;
  fieldSelector: string | null;
  bookmarks: boolean;
  res: ServerResponse;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Client socket port: distinct ports = distinct connections. */
  remotePort?: number;
  /** CN of the verified client certificate (TLS with requestCert). */
  clientCN?: string;
}

export interface FakeApiServerOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * How a watch from a compacted resourceVersion fails: 'event' (Kubernetes: 200 then an
   * ERROR event with a 410 Status) or 'http' (a 410 response).
   */
  expiredWatchAs?: 'event' | 'http';
  /** Serve HTTPS; with `ca` set, client certificates signed by it are required. */
  tls?: { cert: string; key: string; ca?: string };
  /**
   * Answers GETs whose Accept asks for `as=Table` with what this returns (a meta.k8s.io
   * Table; the test brings the printers, e.g. libs/api's toTable). Without it, such GETs get
   * plain JSON, as from a server that cannot print Tables.
   */
  tables?: (plural: string, objects: KubeObject[], options: { includeObject: 'None' | 'Metadata' | 'Object'; listMeta?: Record<string, unknown> }) => unknown;
}

/** code 0 = never answer (a hung server). */
type Fault = { method?: string; path: RegExp; code: number; times: number; headers?: Record<string, string> };

/**
 * A small in-memory API server on 127.0.0.1:0 that speaks the Kubernetes REST conventions
 * the client relies on: CRUD with resourceVersion concurrency, /status, /scale, /binding,
 * label/field selectors, limit/continue, watch with history replay, bookmarks and 410
 * after compaction, Status errors. For unit tests only; the real apiserver is tested in
 * integration tests.
 */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly faults: Fault[] = [];
  private rv = 100;
  private compactedRv = 0;
  private continueTokensValid = true;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeApiServerOptions,
  ) {}

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const tls = options.tls;
    const server: Server = tls ? createTlsServer({ ...tls, requestCert: !!tls.ca, rejectUnauthorized: !!tls.ca }) : createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeApiServer(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  async stop(): Promise<void> {
    this.closeWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  /** Forgets history up to now: watches from an older resourceVersion get 410. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Makes outstanding continue tokens answer 410, as after compaction. */
  expireContinueTokens(): void {
    this.continueTokensValid = false;
  }

  /** Answers the next `times` matching requests with `code`. */
  failNext(path: RegExp, code: number, options: { method?: string; times?: number; headers?: Record<string, string> } = {}): void {
    this.faults.push({ path, code, method: options.method, times: options.times ?? 1, headers: options.headers });
  }

  /** Leaves the next `times` matching requests unanswered, like a hung server. */
  stallNext(path: RegExp, options: { method?: string; times?: number } = {}): void {
    this.faults.push({ path, code: 0, method: options.method, times: options.times ?? 1 });
  }

  /** Drops injected faults that have not fired yet. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Ends every open watch response normally (like a server-side timeout). */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Writes raw bytes to every open watch (to test framing). */
  writeToWatches(raw: string | Buffer): void {
    for (const w of this.watchers) w.res.write(raw);
  }

  /** Sends a BOOKMARK with the current resourceVersion to watches that allow them. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.bookmarks) this.send(w, 'BOOKMARK', { metadata: { resourceVersion: String(this.rv) } });
    }
  }

  /** Stores an object directly (as if another client wrote it), notifying watchers. */
  put(path: string, obj: KubeObject): KubeObject {
    const parsed = parseResourcePath(path);
    if (!parsed) throw new Error(`bad path ${path}`);
    const collection = this.collection(parsed);
    const key = this.key(parsed.namespace, obj.metadata?.name ?? '');
    const type = collection.has(key) ? 'MODIFIED' : 'ADDED';
    return this.commit(parsed, type, { ...obj, metadata: { ...obj.metadata, namespace: parsed.namespace } });
  }

  /** Removes an object directly, notifying watchers. */
  remove(path: string): void {
    const parsed = parseResourcePath(path);
    const obj = parsed && this.collection(parsed).get(this.key(parsed.namespace, parsed.name ?? ''));
    if (parsed && obj) this.commit(parsed, 'DELETED', obj);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = Buffer.concat(chunks).toString();
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, remotePort: req.socket.remotePort, clientCN: clientCommonName(req) });
    try {
      const fault = this.faults.find((f) => f.path.test(url.pathname) && (!f.method || f.method === method));
      if (fault) {
        if (--fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
        if (fault.code === 0) return;
        return this.status(res, fault.code, `injected ${fault.code}`, fault.headers);
      }
      if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
        return this.status(res, 401, 'Unauthorized');
      }
      const parsed = parseResourcePath(url.pathname);
      if (!parsed) return this.status(res, 404, `the server could not find the requested resource`);
      this.route(method, parsed, url.searchParams, body, req.headers['content-type'], res, this.tableFor(parsed, url.searchParams, req.headers.accept));
    } catch (error) {
      this.status(res, 500, (error as Error).message);
    }
  }

  /** For a Table request the server can answer: how to turn the JSON answer into the Table. */
  private tableFor(p: ParsedPath, q: URLSearchParams, accept: string | undefined): ((body: unknown) => unknown) | undefined {
    const render = this.options.tables;
    if (!render || !/as=Table/.test(accept ?? '')) return undefined;
    const includeObject = (q.get('includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
    return (body) => {
      const { items, metadata } = body as { items?: KubeObject[]; metadata?: Record<string, unknown> };
      return Array.isArray(items) ? render(p.plural, items, { includeObject, listMeta: metadata }) : render(p.plural, [body as KubeObject], { includeObject });
    };
  }

  private route(method: string, p: ParsedPath, q: URLSearchParams, body: string, contentType: string | undefined, res: ServerResponse, table?: (body: unknown) => unknown): void {
    const input = body ? JSON.parse(body) : undefined;
    if (!p.name) {
      if (method === 'GET' && (q.get('watch') === '1' || q.get('watch') === 'true')) return this.watch(p, q, res);
      if (method === 'GET') return this.list(p, q, res, table);
      if (method === 'POST') return this.create(p, input, res);
      if (method === 'DELETE') return this.deleteCollection(p, q, res);
    } else if (!p.subresource) {
      if (method === 'GET') return this.get(p, res, table);
      if (method === 'PUT') return this.update(p, input, res, 'all');
      if (method === 'PATCH') return this.patch(p, input, contentType, res);
      if (method === 'DELETE') return this.delete(p, input, res);
    } else if (p.subresource === 'status') {
      if (method === 'GET') return this.get(p, res);
      if (method === 'PUT') return this.update(p, input, res, 'status');
      if (method === 'PATCH') return this.patch(p, input, contentType, res);
    } else if (p.subresource === 'scale') {
      if (method === 'GET') return this.scale(p, undefined, res);
      if (method === 'PUT') return this.scale(p, input, res);
    } else if (p.subresource === 'binding' && method === 'POST') {
      return this.bind(p, input, res);
    }
    this.status(res, 405, `${method} is not supported on ${p.plural}${p.subresource ? `/${p.subresource}` : ''}`);
  }

  private get(p: ParsedPath, res: ServerResponse, table?: (body: unknown) => unknown): void {
    const obj = this.find(p);
    if (!obj) return this.notFound(p, res);
    this.answer(res, obj, table);
  }

  /** 200 with the body, or with its Table when one was asked for and can be printed. */
  private answer(res: ServerResponse, body: unknown, table?: (body: unknown) => unknown): void {
    if (table) this.json(res, 200, table(body), { 'content-type': 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    else this.json(res, 200, body);
  }

  private list(p: ParsedPath, q: URLSearchParams, res: ServerResponse, table?: (body: unknown) => unknown): void {
    let items = this.matching(p, q);
    const limit = Number(q.get('limit') ?? 0);
    const token = q.get('continue');
    let start = 0;
    if (token) {
      if (!this.continueTokensValid) return this.status(res, 410, 'The provided continue parameter is too old');
      start = Number(Buffer.from(token, 'base64').toString());
    }
    let next: string | undefined;
    if (limit > 0) {
      if (start + limit < items.length) next = Buffer.from(String(start + limit)).toString('base64');
      items = items.slice(start, start + limit);
    }
    this.answer(res, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) }, items }, table);
  }

  private create(p: ParsedPath, obj: KubeObject | undefined, res: ServerResponse): void {
    const meta = { ...obj?.metadata };
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().slice(0, 5);
    if (!obj || !meta.name) return this.invalid(res, 'metadata.name', 'name or generateName is required');
    const key = this.key(p.namespace, meta.name);
    if (this.collection(p).has(key)) {
      return this.status(res, 409, `${p.plural} "${meta.name}" already exists`, undefined, 'AlreadyExists', meta.name);
    }
    const stored = this.commit(p, 'ADDED', {
      ...obj,
      metadata: { ...meta, namespace: p.namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString(), generation: 1 },
    });
    this.json(res, 201, stored);
  }

  private update(p: ParsedPath, obj: (KubeObject & { status?: unknown }) | undefined, res: ServerResponse, part: 'all' | 'status'): void {
    const current = this.find(p) as (KubeObject & { status?: unknown }) | undefined;
    if (!current) return this.notFound(p, res);
    if (!obj) return this.invalid(res, 'body', 'empty body');
    const wantRv = obj.metadata?.resourceVersion;
    if (wantRv && wantRv !== current.metadata?.resourceVersion) {
      return this.status(res, 409, `Operation cannot be fulfilled on ${p.plural} "${p.name}": the object has been modified; please apply your changes to the latest version and try again`, undefined, 'Conflict', p.name);
    }
    const next = part === 'status' ? { ...current, status: obj.status } : { ...obj, status: current.status ?? obj.status, metadata: { ...obj.metadata, uid: current.metadata?.uid, creationTimestamp: current.metadata?.creationTimestamp, namespace: p.namespace, name: p.name } };
    this.json(res, 200, this.commit(p, 'MODIFIED', next));
  }

  private patch(p: ParsedPath, patch: unknown, contentType: string | undefined, res: ServerResponse): void {
    const current = this.find(p);
    if (!current) return this.notFound(p, res);
    let next: KubeObject;
    if (contentType === 'application/json-patch+json') {
      next = applyPatch(structuredClone(current), patch as Operation[], true, false).newDocument;
    } else if (contentType === 'application/merge-patch+json' || contentType === 'application/strategic-merge-patch+json') {
      next = mergePatch(current, patch) as KubeObject;
    } else {
      return this.status(res, 415, `unsupported patch type ${contentType}`);
    }
    this.json(res, 200, this.commit(p, 'MODIFIED', next));
  }

  private delete(p: ParsedPath, options: { preconditions?: { uid?: string; resourceVersion?: string } } | undefined, res: ServerResponse): void {
    const current = this.find(p);
    if (!current) return this.notFound(p, res);
    const pre = options?.preconditions;
    if ((pre?.uid && pre.uid !== current.metadata?.uid) || (pre?.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion)) {
      return this.status(res, 409, `Precondition failed for ${p.plural} "${p.name}"`, undefined, 'Conflict', p.name);
    }
    this.commit(p, 'DELETED', current);
    this.json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 200, details: { name: p.name, kind: p.plural, uid: current.metadata?.uid } });
  }

  private deleteCollection(p: ParsedPath, q: URLSearchParams, res: ServerResponse): void {
    const gone = this.matching(p, q);
    for (const obj of gone) this.commit({ ...p, namespace: obj.metadata?.namespace }, 'DELETED', obj);
    this.json(res, 200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: gone });
  }

  private scale(p: ParsedPath, input: { spec?: { replicas?: number } } | undefined, res: ServerResponse): void {
    const current = this.find(p) as KubeObject & { spec?: { replicas?: number }; status?: { replicas?: number } };
    if (!current) return this.notFound(p, res);
    let obj = current;
    if (input) obj = this.commit(p, 'MODIFIED', { ...current, spec: { ...current.spec, replicas: input.spec?.replicas } } as KubeObject) as typeof current;
    this.json(res, 200, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: p.name, namespace: p.namespace, resourceVersion: obj.metadata?.resourceVersion },
      spec: { replicas: obj.spec?.replicas ?? 0 },
      status: { replicas: obj.status?.replicas ?? 0 },
    });
  }

  private bind(p: ParsedPath, binding: { target?: { name?: string } } | undefined, res: ServerResponse): void {
    const current = this.find(p) as KubeObject & { spec?: { nodeName?: string } };
    if (!current) return this.notFound(p, res);
    if (current.spec?.nodeName) return this.status(res, 409, `pod ${p.name} is already assigned to node "${current.spec.nodeName}"`, undefined, 'Conflict', p.name);
    if (!binding?.target?.name) return this.invalid(res, 'target.name', 'required');
    this.commit(p, 'MODIFIED', { ...current, spec: { ...current.spec, nodeName: binding.target.name } } as KubeObject);
    this.json(res, 201, { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
  }

  private watch(p: ParsedPath, q: URLSearchParams, res: ServerResponse): void {
    const fromRv = q.get('resourceVersion');
    const watcher: Watcher = {
      collection: this.collectionName(p),
      namespace: p.namespace,
      labelSelector: q.get('labelSelector'),
      fieldSelector: q.get('fieldSelector'),
      bookmarks: q.get('allowWatchBookmarks') === 'true',
      res,
    };
    const expired = fromRv && fromRv !== '0' && Number(fromRv) < this.compactedRv;
    if (expired && this.options.expiredWatchAs === 'http') return this.status(res, 410, `too old resource version: ${fromRv} (${this.compactedRv})`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    if (expired) {
      res.write(JSON.stringify({ type: 'ERROR', object: this.statusBody(410, `too old resource version: ${fromRv} (${this.compactedRv})`, 'Expired') }) + '\n');
      return void res.end();
    }
    if (!fromRv || fromRv === '0') {
      for (const obj of this.matching(p, q)) this.send(watcher, 'ADDED', obj);
    } else {
      for (const ev of this.history) if (ev.rv > Number(fromRv) && this.wants(watcher, ev.collection, ev.obj)) this.send(watcher, ev.type, ev.obj);
    }
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  private commit(p: ParsedPath, type: StoredEvent['type'], obj: KubeObject): KubeObject {
    this.rv++;
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    const collection = this.collection(p);
    const key = this.key(stored.metadata.namespace, stored.metadata.name ?? '');
    if (type === 'DELETED') collection.delete(key);
    else collection.set(key, stored);
    const name = this.collectionName(p);
    this.history.push({ rv: this.rv, type, collection: name, obj: stored });
    for (const w of this.watchers) if (this.wants(w, name, stored)) this.send(w, type, stored);
    return stored;
  }

  private wants(w: Watcher, collection: string, obj: KubeObject): boolean {
    return (
      w.collection === collection &&
      (!w.namespace || w.namespace === obj.metadata?.namespace) &&
      matchesLabelSelector(obj.metadata?.labels, w.labelSelector) &&
      matchesFieldSelector(obj, w.fieldSelector)
    );
  }

  private send(w: Watcher, type: string, object: unknown): void {
    w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  private matching(p: ParsedPath, q: URLSearchParams): KubeObject[] {
    return [...this.collection(p).entries()]
      .filter(([, obj]) => !p.namespace || obj.metadata?.namespace === p.namespace)
      .filter(([, obj]) => matchesLabelSelector(obj.metadata?.labels, q.get('labelSelector')))
      .filter(([, obj]) => matchesFieldSelector(obj, q.get('fieldSelector')))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, obj]) => obj);
  }

  private find(p: ParsedPath): KubeObject | undefined {
    return this.collection(p).get(this.key(p.namespace, p.name ?? ''));
  }

  private collectionName(p: ParsedPath): string {
    return `${p.groupVersion}/${p.plural}`;
  }

  private collection(p: ParsedPath): Map<string, KubeObject> {
    const name = this.collectionName(p);
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new Map()));
    return c;
  }

  private key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  private notFound(p: ParsedPath, res: ServerResponse): void {
    this.status(res, 404, `${p.plural} "${p.name}" not found`, undefined, 'NotFound', p.name);
  }

  private invalid(res: ServerResponse, field: string, message: string): void {
    const body = this.statusBody(422, `invalid: ${field}: ${message}`, 'Invalid');
    body.details = { causes: [{ reason: 'FieldValueRequired', message, field }] };
    this.json(res, 422, body);
  }

  private status(res: ServerResponse, code: number, message: string, headers?: Record<string, string>, reason?: string, name?: string): void {
    const body = this.statusBody(code, message, reason);
    if (name) body.details = { name };
    this.json(res, code, body, headers);
  }

  private statusBody(code: number, message: string, reason?: string): Status {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reason ?? reasonForCode(code), code };
  }

  private json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

function clientCommonName(req: IncomingMessage): string | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn || undefined;
}

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
