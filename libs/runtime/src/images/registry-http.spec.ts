import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { RegistryHttp } from './registry-http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server; what it saw of each request is in `seen`. */
async function serve(handler: Handler): Promise<{ url: string; seen: Array<{ path: string; auth?: string }>; server: Server }> {
  const seen: Array<{ path: string; auth?: string }> = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('RegistryHttp', () => {
  const servers: Server[] = [];
  const start = async (handler: Handler) => {
    const s = await serve(handler);
    servers.push(s.server);
    return s;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  const web = (headersMs = 5000, bodyIdleMs = 5000) => new RegistryHttp({ headersMs, bodyIdleMs });

  it('reads status, headers and body', async () => {
    const { url } = await start((_req, res) => res.writeHead(200, { 'docker-content-digest': 'sha256:x', 'content-type': 'application/json' }).end('{"a":1}'));
    const res = await web().get(`${url}/v2/x/manifests/v1`, { headers: {} });
    expect([res.status, res.ok, res.header('Docker-Content-Digest'), await res.text()]).toEqual([200, true, 'sha256:x', '{"a":1}']);
  });

  it.each([
    ['same origin keeps the credentials', false, 'Bearer T'],
    ['another origin drops them, as fetch does', true, undefined],
  ])('follows a redirect: %s', async (_name, elsewhere, wantAuth) => {
    const storage = await start((_req, res) => res.writeHead(200).end('blob'));
    const registry = await start((req, res) => {
      if (req.url === '/blob') return res.writeHead(200).end('blob');
      res.writeHead(307, { location: elsewhere ? `${storage.url}/blob` : '/blob' }).end();
    });
    const res = await web().get(`${registry.url}/v2/x/blobs/sha256:1`, { headers: { authorization: 'Bearer T' } });
    expect(await res.text()).toBe('blob');
    const last = (elsewhere ? storage : registry).seen.at(-1)!;
    expect(last).toEqual({ path: '/blob', auth: wantAuth });
  });

  it('gives up on a redirect loop', async () => {
    const { url } = await start((_req, res) => res.writeHead(302, { location: '/again' }).end());
    await expect(web().get(`${url}/start`, { headers: {} })).rejects.toThrow(/more than 10 redirects/);
  });

  it('fails a request with no answer within the headers timeout', async () => {
    const { url } = await start(() => undefined); // never answers
    await expect(web(200).get(`${url}/v2/`, { headers: {} })).rejects.toMatchObject({ code: 'HEADERS_TIMEOUT' });
  });

  it('fails a body that stalls longer than the idle timeout, not one that keeps coming', async () => {
    const { url } = await start((req, res) => {
      res.writeHead(200);
      res.write('a');
      if (req.url === '/stall') return; // then nothing
      let n = 0;
      const tick = setInterval(() => (++n === 5 ? (clearInterval(tick), res.end('z')) : res.write('b')), 100);
    });
    // 100 ms between chunks against a 1 s idle bound: room for a loaded machine.
    const steady = await web(5000, 1000).get(`${url}/steady`, { headers: {} });
    expect(await steady.text()).toBe('abbbbz');
    const stalled = await web(5000, 1000).get(`${url}/stall`, { headers: {} });
    await expect(stalled.text()).rejects.toMatchObject({ code: 'BODY_TIMEOUT' });
  });

  it('stops at an aborted signal', async () => {
    const { url } = await start(() => undefined);
    await expect(web().get(`${url}/v2/`, { headers: {}, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a scheme it cannot speak', async () => {
    await expect(web().get('ftp://127.0.0.1/x', { headers: {} })).rejects.toThrow(/unsupported protocol ftp:/);
  });
});
