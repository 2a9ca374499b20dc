// The SSE relay against a scripted API server on loopback: resume after the API ends a watch,
// pass ERROR events on, and stop the upstream watch when the browser goes away.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Upstream } from './upstream';
import { watchStream } from './watch-mux';

jest.setTimeout(30_000);

type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void;

async function fakeApi(script: Script): Promise<{ url: string; server: Server; requests: string[]; open: () => number }> {
  const requests: string[] = [];
  let live = 0;
  const server = createServer((req, res) => {
    requests.push(`${req.headers.authorization} ${req.url}`);
    live++;
    res.on('close', () => live--);
    script(req, res, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests, open: () => live };
}

const line = (type: string, name: string, rv: string) => `${JSON.stringify({ type, object: { kind: 'Pod', metadata: { name, resourceVersion: rv } } })}\n`;

async function readUntil(stream: ReadableStream<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: end } = await reader.read();
    if (end) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('watchStream', () => {
  let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
  let upstream: Upstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    await new Promise((r) => api?.server.close(r));
    api?.server.closeAllConnections();
  });

  it('relays events as SSE, resumes from the last version when the API ends the watch, and passes errors on', async () => {
    api = await fakeApi((_req, res, n) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (n === 1) {
        res.write(line('ADDED', 'a', '11'));
        res.end(line('BOOKMARK', '', '12'));
      } else {
        res.write(line('MODIFIED', 'a', '13'));
        res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version' } })}\n`);
      }
    });
    upstream = new Upstream({ apiUrl: api.url });
    const stream = watchStream(upstream, 'tok', [{ k: 'w1', p: '/api/v1/pods', q: 'labelSelector=app%3Dweb', rv: '10' }]);
    const text = await readUntil(stream, (t) => t.includes('"code":410'));
    const frames = text.split('\n\n').filter((f) => f.startsWith('event:')).map((f) => JSON.parse(f.split('data: ')[1]).type);
    expect(frames).toEqual(['ADDED', 'BOOKMARK', 'MODIFIED', 'ERROR']);
    expect(api.requests).toEqual([
      'Bearer tok /api/v1/pods?labelSelector=app%3Dweb&watch=1&allowWatchBookmarks=true&resourceVersion=10',
      'Bearer tok /api/v1/pods?labelSelector=app%3Dweb&watch=1&allowWatchBookmarks=true&resourceVersion=12',
    ]);
    expect(text.startsWith(': connected')).toBe(true);
  });

  it('an HTTP error from the API becomes an ERROR event with its Status', async () => {
    api = await fakeApi((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'pods is forbidden' }));
    });
    upstream = new Upstream({ apiUrl: api.url });
    const text = await readUntil(watchStream(upstream, 'tok', [{ k: 'w1', p: '/api/v1/pods', rv: '1' }]), (t) => t.includes('forbidden'));
    expect(text).toContain('event: w1\ndata: {"type":"ERROR","object":{"kind":"Status","code":403,"reason":"Forbidden","message":"pods is forbidden"}}');
  });

  it('several watches share one stream; cancelling it closes the upstream watches', async () => {
    api = await fakeApi((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(line('ADDED', req.url!.startsWith('/api/v1/nodes') ? 'n1' : 'p1', '5'));
      // …and stays open, like a real watch.
    });
    upstream = new Upstream({ apiUrl: api.url });
    const stream = watchStream(upstream, 'tok', [{ k: 'pods', p: '/api/v1/pods', rv: '1' }, { k: 'nodes', p: '/api/v1/nodes', rv: '1' }]);
    const text = await readUntil(stream, (t) => t.includes('"p1"') && t.includes('"n1"'));
    expect(text).toMatch(/event: pods\ndata: .*"p1"/);
    expect(text).toMatch(/event: nodes\ndata: .*"n1"/);
    expect(api.open()).toBe(2);
    await stream.cancel();
    const deadline = Date.now() + 5000;
    while (api.open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(api.open()).toBe(0);
  });

  it('an unreachable API ends the stream so the browser reconnects', async () => {
    upstream = new Upstream({ apiUrl: 'http://127.0.0.1:1' });
    const text = await readUntil(watchStream(upstream, 'tok', [{ k: 'w1', p: '/api/v1/pods', rv: '1' }]), () => false);
    expect(text).toContain(': connected');
    expect(text).not.toContain('event:');
  });
});
