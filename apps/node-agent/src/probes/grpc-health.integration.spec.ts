import { createServer, Http2Server, ServerHttp2Stream } from 'node:http2';
import { AddressInfo } from 'node:net';
import { runCheck } from './checks';
import { decodeHealthCheckResponse, frameMessage, grpcHealthCheck, unframeMessage } from './grpc-health';

// A real HTTP/2 server on loopback speaking grpc.health.v1 (framing, trailers) as grpc-go's
// health server does: services by name, '' for the server as a whole.
const STATUS_OF: Record<string, number> = { '': 1, db: 2, cache: 1 };

function serve(stream: ServerHttp2Stream, path: string): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    if (path !== '/grpc.health.v1.Health/Check') {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
      return;
    }
    const request = unframeMessage(Buffer.concat(chunks)) ?? Buffer.alloc(0);
    // HealthCheckRequest.service is field 1; decode it by hand (length < 128 here).
    const service = request.length ? request.subarray(2, 2 + request[1]).toString() : '';
    if (service === 'slow') return; // never answers
    if (!(service in STATUS_OF)) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown service' }, { endStream: true });
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(frameMessage(Buffer.from([0x08, STATUS_OF[service]])));
  });
}

describe('grpc probe against a local HTTP/2 health server', () => {
  let server: Http2Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer();
    server.on('stream', (stream, headers) => serve(stream, String(headers[':path'])));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it.each<[string, string | undefined, boolean, RegExp]>([
    ['the server as a whole SERVING', undefined, true, /^SERVING$/],
    ['a SERVING service', 'cache', true, /^SERVING$/],
    ['a NOT_SERVING service fails', 'db', false, /service unhealthy \(responded with "NOT_SERVING"\)/],
    ['an unknown service fails with the status', 'nope', false, /code = 5 desc = unknown service/],
    ['no answer within the timeout', 'slow', false, /timeout: health rpc did not complete within 0.5s/],
  ])('%s', async (_name, service, ok, message) => {
    const result = await runCheck({ grpc: { port, service } }, { podIP: '127.0.0.1', ports: [], exec: async () => 1 }, 500);
    expect(result.ok).toBe(ok);
    expect(result.message).toMatch(message);
  });

  it('a closed port fails without throwing', async () => {
    const result = await grpcHealthCheck('127.0.0.1', 1, undefined, 500);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/failed to connect service at "127.0.0.1:1"/);
  });

  it('decodes what the server encoded', () => {
    expect(decodeHealthCheckResponse(unframeMessage(frameMessage(Buffer.from([0x08, 1])))!)).toBe(1);
  });
});
