// The kubelet's gRPC probe (pkg/probe/grpc): one grpc.health.v1.Health/Check call over
// node:http2, the two messages encoded by hand — the agent loads no grpc-js or protobufjs.
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }  // UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
import { connect, constants } from 'node:http2';

export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';
export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
/** gRPC status codes the kubelet tells apart. */
const GRPC_UNIMPLEMENTED = 12;
const GRPC_DEADLINE_EXCEEDED = 4;

export interface CheckResult {
  ok: boolean;
  message: string;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** HealthCheckRequest: field 1 (length-delimited) when `service` is not empty (proto3 leaves defaults out). */
export function encodeHealthCheckRequest(service = ''): Buffer {
  if (!service) return Buffer.alloc(0);
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a, ...varint(bytes.length)]), bytes]);
}

/** Reads a varint at `at`; returns the value and the next offset. */
function readVarint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buf.length) throw new Error('truncated varint');
    const byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [value, at];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** HealthCheckResponse's status (0 when absent); unknown fields are skipped. */
export function decodeHealthCheckResponse(buf: Buffer): number {
  let status = 0;
  let at = 0;
  while (at < buf.length) {
    let key: number;
    [key, at] = readVarint(buf, at);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let value: number;
      [value, at] = readVarint(buf, at);
      if (field === 1) status = value;
    } else if (wire === 2) {
      let length: number;
      [length, at] = readVarint(buf, at);
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  if (at > buf.length) throw new Error('truncated message');
  return status;
}

/** The gRPC length-prefixed message: compressed flag 0, 4-byte big-endian length. */
export function frameMessage(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

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
  if (grpcStatus === GRPC_UNIMPLEMENTED) return { ok: false, message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}` };
  if (grpcStatus === GRPC_DEADLINE_EXCEEDED) return { ok: false, message: `timeout: health rpc did not complete within ${timeoutMs / 1000}s` };
  if (grpcStatus !== 0) return { ok: false, message: `error: health rpc probe failed: rpc error: code = ${grpcStatus} desc = ${grpcMessage}` };
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
