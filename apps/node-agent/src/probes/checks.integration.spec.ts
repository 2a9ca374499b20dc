import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { ProbeTarget, resolvePort, runCheck } from './checks';

// Real sockets on loopback: an HTTP server answering by path, a TCP listener, a closed port.
describe('runCheck', () => {
  let http: Server;
  let httpPort = 0;
  let closedPort = 0;
  const target = (exitCode = 0): ProbeTarget => ({
    podIP: '127.0.0.1',
    ports: [{ name: 'web', containerPort: httpPort }],
    exec: async (command) => (command[0] === 'true' ? exitCode : 1),
  });

  beforeAll(async () => {
    http = createServer((req, res) => {
      const code = Number(req.url?.slice(1)) || 200;
      if (req.url === '/hang') return; // never answers
      res.writeHead(code).end();
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    httpPort = (http.address() as AddressInfo).port;
    const tmp = createTcpServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closedPort = (tmp.address() as AddressInfo).port;
    await new Promise((r) => tmp.close(r));
  });
  afterAll(() => {
    http.closeAllConnections();
    http.close();
  });

  it.each([
    ['httpGet 200', () => ({ httpGet: { path: '/200', port: httpPort } }), true],
    ['httpGet 302 counts as success', () => ({ httpGet: { path: '/302', port: httpPort } }), true],
    ['httpGet 500 fails', () => ({ httpGet: { path: '/500', port: httpPort } }), false],
    ['httpGet by named port', () => ({ httpGet: { path: '/204', port: 'web' } }), true],
    ['httpGet that hangs times out', () => ({ httpGet: { path: '/hang', port: httpPort } }), false],
    ['tcpSocket open port', () => ({ tcpSocket: { port: httpPort } }), true],
    ['tcpSocket closed port', () => ({ tcpSocket: { port: closedPort } }), false],
    ['exec exit 0', () => ({ exec: { command: ['true'] } }), true],
    ['exec non-zero', () => ({ exec: { command: ['false'] } }), false],
    ['unknown named port fails without throwing', () => ({ tcpSocket: { port: 'nope' } }), false],
  ])('%s', async (_name, spec, ok) => {
    expect((await runCheck(spec(), target(), 300)).ok).toBe(ok);
  });

  it('resolves numeric strings and names', () => {
    expect(resolvePort('8080', [])).toBe(8080);
    expect(resolvePort('web', [{ name: 'web', containerPort: 81 }])).toBe(81);
    expect(() => resolvePort('x', [])).toThrow('port "x" is not declared');
  });
});
