// A loopback HTTP server that serves only this module's documents, plus just enough of a
// resource API (404 on GET, echo on POST) for kubectl to run apply against. For tests.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { aggregatedDiscovery, negotiateDiscovery } from '../aggregated';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../legacy';
import { negotiateOpenApiV2, openApiV2Protobuf, openApiV2Text, openApiV3DocText, openApiV3Index } from '../openapi/documents';
import { versionInfo } from '../version';

export interface RecordedRequest {
  method: string;
  url: string;
  accept?: string;
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

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
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
  if (req.method === 'POST' && body) {
    const obj = JSON.parse(body);
    obj.metadata = { ...obj.metadata, uid: '00000000-0000-0000-0000-000000000001', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' };
    return send(res, 201, obj);
  }
  notFound(res, url.pathname);
}

export async function startDiscoveryServer(): Promise<DiscoveryServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', accept: req.headers.accept, body: body || undefined });
      try {
        route(req, res, body);
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
