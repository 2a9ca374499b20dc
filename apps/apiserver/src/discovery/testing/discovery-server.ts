// A loopback HTTP server that serves only this module's documents, plus just enough of a
// resource API (an in-memory map: POST stores, GET reads, lists answer Tables when asked)
// for kubectl to run apply and get against. For tests of what kubectl makes of our documents.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeObject } from '@coxswain/api';
import { negotiateTable } from '../accept';
import { aggregatedDiscovery, negotiateDiscovery } from '../aggregated';
import { catalog } from '../catalog';
import { IncludeObject, toTable } from '@coxswain/api';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../legacy';
import { negotiateOpenApiV2, openApiV2Protobuf, openApiV2Text, openApiV3DocText, openApiV3Index } from '../openapi/documents';
import { versionInfo } from '../version';

export interface RecordedRequest {
  method: string;
  url: string;
  accept?: string;
  contentType?: string;
  body?: string;
}

export interface DiscoveryServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), Vary: 'Accept' });
  res.end(text);
}

function notFound(res: ServerResponse, what: string): void {
  send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });
}

function discovery(req: IncomingMessage, res: ServerResponse, kind: 'api' | 'apis'): void {
  const choice = negotiateDiscovery(req.headers.accept);
  if (!choice) return send(res, 406, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotAcceptable', code: 406 });
  if (choice.format === 'aggregated') return send(res, 200, aggregatedDiscovery(kind, choice.version), choice.contentType);
  send(res, 200, kind === 'api' ? apiVersions() : apiGroupList());
}

/** `/api/v1/namespaces/ns/pods[/name]` → the resource and where its objects live. */
function resourcePath(parts: string[]): { kind: string; listKind: string; collection: string; name?: string } | undefined {
  const [prefix, ...rest] = parts;
  const group = prefix === 'api' ? '' : rest.shift();
  const version = rest.shift();
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [plural, name] = namespaced ? rest.slice(2) : rest;
  const gv = catalog().find((g) => g.group === group && g.version === version);
  const resource = gv?.resources.find((r) => r.plural === plural);
  if (!resource) return undefined;
  const collection = `/${parts.slice(0, parts.length - (name ? 1 : 0)).join('/')}`;
  return { kind: resource.kind, listKind: resource.listKind ?? `${resource.kind}List`, collection, name };
}

function resources(req: IncomingMessage, res: ServerResponse, url: URL, parts: string[], body: string, store: Map<string, KubeObject>): void {
  const target = resourcePath(parts);
  if (!target) return notFound(res, url.pathname);
  if (req.method === 'POST' && body) {
    const obj = JSON.parse(body) as KubeObject;
    obj.metadata = { ...obj.metadata, uid: `uid-${store.size + 1}`, resourceVersion: String(store.size + 1), creationTimestamp: new Date().toISOString() };
    // What the real server's defaulting would give a new pod.
    if (target.kind === 'Pod') (obj as { status?: unknown }).status ??= { phase: 'Pending' };
    store.set(`${target.collection}/${obj.metadata.name}`, obj);
    return send(res, 201, obj);
  }
  if (req.method === 'PATCH' && target.name) {
    // Recorded for the test to inspect; the stored object is answered unchanged.
    const current = store.get(`${target.collection}/${target.name}`);
    return current ? send(res, 200, current) : notFound(res, url.pathname);
  }
  if (req.method !== 'GET') return send(res, 405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'MethodNotAllowed', code: 405 });
  const items = target.name ? [store.get(`${target.collection}/${target.name}`)].filter((o): o is KubeObject => o !== undefined) : [...store.entries()].filter(([k]) => k.startsWith(`${target.collection}/`)).map(([, o]) => o);
  if (target.name && items.length === 0) return notFound(res, url.pathname);
  if (negotiateTable(req.headers.accept)) {
    const includeObject = (url.searchParams.get('includeObject') ?? 'Metadata') as IncludeObject;
    return send(res, 200, toTable(target.kind, items, { now: new Date(), includeObject, listMeta: { resourceVersion: String(store.size) } }));
  }
  if (target.name) return send(res, 200, items[0]);
  send(res, 200, { kind: target.listKind, apiVersion: 'v1', metadata: { resourceVersion: String(store.size) }, items });
}

function route(req: IncomingMessage, res: ServerResponse, body: string, store: Map<string, KubeObject>): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  if (url.pathname === '/version') return send(res, 200, versionInfo());
  if (url.pathname === '/api') return discovery(req, res, 'api');
  if (url.pathname === '/apis') return discovery(req, res, 'apis');
  if (url.pathname === '/openapi/v2') {
    const choice = negotiateOpenApiV2(req.headers.accept);
    if (!choice) return send(res, 406, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotAcceptable', code: 406 });
    if (choice.format === 'protobuf') {
      const body = openApiV2Protobuf();
      res.writeHead(200, { 'Content-Type': choice.contentType, 'Content-Length': body.length });
      res.end(body);
      return;
    }
    return send(res, 200, openApiV2Text().text);
  }
  if (url.pathname === '/openapi/v3') return send(res, 200, openApiV3Index());
  if (parts[0] === 'openapi' && parts[1] === 'v3') {
    const doc = openApiV3DocText(parts.slice(2).join('/'));
    return doc ? send(res, 200, doc.text) : notFound(res, url.pathname);
  }
  if (parts[0] === 'api' && parts.length === 2) {
    const list = apiResourceList('', parts[1]);
    return list ? send(res, 200, list) : notFound(res, url.pathname);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = apiGroup(parts[1]);
    return group ? send(res, 200, group) : notFound(res, url.pathname);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = apiResourceList(parts[1], parts[2]);
    return list ? send(res, 200, list) : notFound(res, url.pathname);
  }
  if (parts[0] === 'api' || parts[0] === 'apis') return resources(req, res, url, parts, body, store);
  notFound(res, url.pathname);
}

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  const requests: RecordedRequest[] = [];
  const store = new Map<string, KubeObject>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', accept: req.headers.accept, contentType: req.headers['content-type'], body: body || undefined });
      try {
        route(req, res, body, store);
      } catch (err) {
        send(res, 500, { kind: 'Status', code: 500, message: String(err) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
