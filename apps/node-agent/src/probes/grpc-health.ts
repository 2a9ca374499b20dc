// The kubelet's gRPC probe (pkg/probe/grpc): one grpc.health.v1.Health/Check call over
// node:http2, the two messages encoded by hand — the agent loads no grpc-js or protobufjs.
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }  // UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
import { connect, constants } from 'node:http2';
import { encodeFrame, Reader, Status, Writer } from '@coxswain/proto/wire';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

export interface CheckResult {
  ok: boolean;
  message: string;
}

/** HealthCheckRequest: field 1 (length-delimited) when `service` is not empty (proto3 leaves defaults out). */
export function encodeHealthCheckRequest(service = ''): Buffer {
  return service ? new Writer(service.length + 8).bytes(1, service).finish() : Buffer.alloc(0);
}

/** HealthCheckResponse's status (0 when absent); unknown fields are skipped. */
export function decodeHealthCheckResponse(buf: Buffer): number {
  let status = 0;
  for (const reader = new Reader(buf); !reader.done();) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === 0) status = reader.varint();
    else reader.skip(wire);
  }
  return status;
}

/** The gRPC length-prefixed message: compressed flag 0, 4-byte big-endian length. */
export const frameMessage = encodeFrame;

/** The first message of a response body, or undefined when the body holds none. */
export function unframeMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5) return undefined;
  if (body[0] !== 0) throw new Error('compressed response not supported');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new Error('truncated response message');
  return body.subarray(5, 5 + length);
}

/** The kubelet's verdict on a finished call (pkg/probe/grpc's messages). */
export function healthVerdict(grpcStatus: number, grpcMessage: string, body: Buffer, timeoutMs: number): CheckResult {
  if (grpcStatus === Status.UNIMPLEMENTED) return { ok: false, message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}` };
  if (grpcStatus === Status.DEADLINE_EXCEEDED) return { ok: false, message: `timeout: health rpc did not complete within ${timeoutMs / 1000}s` };
  if (grpcStatus !== Status.OK) return { ok: false, message: `error: health rpc probe failed: rpc error: code = ${grpcStatus} desc = ${grpcMessage}` };
  const message = unframeMessage(body);
  const status = message ? decodeHealthCheckResponse(message) : 0;
  if (status === 1) return { ok: true, message: 'SERVING' };
  return { ok: false, message: `service unhealthy (responded with "${SERVING_STATUS[status] ?? status}")` };
}

/** One Health/Check call to `host:port` (plaintext, as the kubelet's), within `timeoutMs`; never throws. */
export function grpcHealthCheck(host: string, port: number, service: string | undefined, timeoutMs: number): Promise<CheckResult> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const session = connect(`http://${authority}`);
    const finish = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({
      ok: false,
      message: connected ? `timeout: health rpc did not complete within ${timeoutMs / 1000}s` : `timeout: failed to connect service "${authority}" within ${timeoutMs / 1000}s`,
    }), timeoutMs);
    session.on('connect', () => { connected = true; });
    session.on('error', (error) => finish({ ok: false, message: `error: failed to connect service at "${authority}": ${error.message}` }));
    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: HEALTH_CHECK_PATH,
      [constants.HTTP2_HEADER_SCHEME]: 'http',
      [constants.HTTP2_HEADER_AUTHORITY]: authority,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'kube-probe/coxswain',
      'grpc-timeout': `${Math.max(1, Math.round(timeoutMs))}m`,
    });
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let grpcMessage = '';
    const readStatus = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined) status = Number(headers['grpc-status']);
      if (headers['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(headers['grpc-message']));
    };
    req.on('response', (headers) => {
      const code = Number(headers[constants.HTTP2_HEADER_STATUS]);
      if (code !== 200) finish({ ok: false, message: `error: health rpc probe failed: HTTP status ${code}` });
      readStatus(headers); // a trailers-only answer carries grpc-status here
    });
    req.on('trailers', readStatus);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Before the connection is up, a stream error is the connection's (ECONNREFUSED…).
    req.on('error', (error) => finish({
      ok: false,
      message: connected ? `error: health rpc probe failed: ${error.message}` : `error: failed to connect service at "${authority}": ${(error as { cause?: Error }).cause?.message ?? error.message}`,
    }));
    req.on('close', () => {
      if (status === undefined) return finish({ ok: false, message: 'error: health rpc probe failed: no grpc-status in the response' });
      try {
        finish(healthVerdict(status, grpcMessage, Buffer.concat(chunks), timeoutMs));
      } catch (error) {
        finish({ ok: false, message: `error: health rpc probe failed: ${(error as Error).message}` });
      }
    });
    req.end(frameMessage(encodeHealthCheckRequest(service)));
  });
}
