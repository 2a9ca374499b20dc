// The transport's failover on two real loopback HTTP servers: a DELETE whose connection broke
// after the first server acted on it, retried on the second and answered 404, is a success.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { isNotFound } from './api-error';
import { RestTransport } from './rest-transport';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const notFound: Handler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "a" not found' }));
};
/** Reads the request, then breaks the connection without answering (a server killed after committing). */
const resetAfterReading: Handler = (req) => {
  req.resume();
  req.on('end', () => req.socket.destroy());
};

describe('RestTransport: a retried DELETE', () => {
  it.each([
    ['a reset after the first server read it, then 404 on the next → success', resetAfterReading, 'DELETE', 'success'],
    ['a plain 404 (nothing was retried) → NotFound', notFound, 'DELETE', 'not-found'],
    ['a reset on a GET, then 404 → NotFound (only a delete is done by being gone)', resetAfterReading, 'GET', 'not-found'],
  ] as const)('%s', async (_name, first, method, want) => {
    let secondSaw = 0;
    const a = await serve(first);
    const b = await serve((req, res) => {
      secondSaw++;
      notFound(req, res);
    });
    const transport = new RestTransport({ server: `${a},${b}` });
    try {
      const outcome = await transport.request({ method, path: '/api/v1/namespaces/default/configmaps/a' }).then(
        (res) => ({ code: res.code, body: JSON.parse(res.text) as { status?: string; details?: { name?: string } } }),
        (error: unknown) => error,
      );
      if (want === 'success') {
        expect(outcome).toEqual({ code: 200, body: expect.objectContaining({ kind: 'Status', status: 'Success', details: { name: 'a' } }) });
        expect(secondSaw).toBe(1);
      } else {
        expect(isNotFound(outcome)).toBe(true);
      }
    } finally {
      await transport.destroy();
    }
  });
});
