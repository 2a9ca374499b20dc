// The node agent's gRPC server on node:http2 (grpc-js' server and proto-loader cost the agent
// ~3 MB of RSS for six methods). Speaks gRPC over HTTP/2 as grpc-js clients expect it:
// mutual TLS, length-prefixed protobuf messages, status in trailers (or trailers-only).
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type {
  ConsoleInput, ConsoleOutput, ExecInput, ExecOutput, LogChunk, LogsRequest, PortForwardInput, PortForwardOutput, StatsRequest, StatsResponse,
} from '../types';
import { BidiStreamingCall, Call, sendStatus, ServerStreamingCall, UnaryCall, UnaryCallback } from './call';
import { loadMethods, MethodCodec } from './codec';
import { FrameDecoder, parseTimeout } from './framing';
import { Status, statusOf } from './status';

/** Handlers a node agent implements; the shapes follow node_agent.proto. */
export interface NodeAgentHandlers {
  logs(call: ServerStreamingCall<LogsRequest, LogChunk>): void;
  exec(call: BidiStreamingCall<ExecInput, ExecOutput>): void;
  console(call: BidiStreamingCall<ConsoleInput, ConsoleOutput>): void;
  attach(call: BidiStreamingCall<ExecInput, ExecOutput>): void;
  portForward(call: BidiStreamingCall<PortForwardInput, PortForwardOutput>): void;
  stats(call: UnaryCall<StatsRequest>, callback: UnaryCallback<StatsResponse>): void;
}

export interface ServerTls {
  /** PEM contents: the CA that signs clients' certificates, and the serving pair. */
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface NodeAgentServerOptions {
  /** host:port to listen on; port 0 picks a free one. */
  address: string;
  /** Mutual TLS: only clients with a certificate from `ca` get in. Plain HTTP/2 without. */
  tls?: ServerTls;
  /** With TLS, the client certificate common names that may call (others get PERMISSION_DENIED). */
  allowedClientNames?: readonly string[];
  handlers: NodeAgentHandlers;
  /** How long close() lets calls in flight finish before cutting their connections. */
  closeGraceMs?: number;
}

export interface NodeAgentServer {
  port: number;
  /** New connections are served this pair from now on; connections (and streams) already open keep theirs. */
  update(pair: { cert: Buffer; key: Buffer }): void;
  /** Stops accepting, lets calls finish for the grace period, then cuts what is left. */
  close(): Promise<void>;
}

type Handler = (call: Call, callback?: UnaryCallback<unknown>) => void;

/**
 * Who may call: mutual TLS proves the CA signed the caller, the common name says who it is, so
 * one node's certificate cannot drive another node's agent. The refusal's text, or undefined.
 */
function refusal(session: http2.Http2Session | undefined, allowed: readonly string[]): string | undefined {
  const cn: string | string[] | undefined = (session?.socket as TLSSocket | undefined)?.getPeerCertificate?.()?.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (name && allowed.includes(name)) return undefined;
  return `client ${JSON.stringify(name ?? '')} is not allowed to call the node agent (allowed: ${allowed.join(', ')})`;
}

/** Runs a handler; one that throws fails its call as grpc-js does. */
function invoke(call: Call, run: () => void): void {
  try {
    run();
  } catch {
    call.finish({ code: Status.UNKNOWN, details: 'Unknown error' });
  }
}

function serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, method: MethodCodec, handler: Handler): void {
  const timeoutMs = parseTimeout(headers['grpc-timeout'] as string | undefined);
  if (Number.isNaN(timeoutMs)) return sendStatus(stream, { code: Status.INTERNAL, details: `Invalid grpc-timeout value "${headers['grpc-timeout']}"` });
  const call = new Call(stream, method.encode, timeoutMs);
  const decoder = new FrameDecoder((headers['grpc-encoding'] as string | undefined) ?? 'identity');
  let received = 0;
  // A streaming request reaches its handler message by message; a single one once the client half-closed.
  if (method.requestStream) invoke(call, () => handler(call));
  stream.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = decoder.push(chunk);
    } catch (error) {
      return call.finish(statusOf(error));
    }
    for (const frame of frames) {
      let message: unknown;
      try {
        message = method.decode(frame);
      } catch {
        return call.finish({ code: Status.INTERNAL, details: 'Error deserializing request' });
      }
      if (method.requestStream) call.deliver('data', message);
      else if (received++ === 0) call.request = message;
      else return call.finish({ code: Status.UNIMPLEMENTED, details: `Received a second request message for server streaming method ${method.path}` });
    }
  });
  stream.on('end', () => {
    if (method.requestStream) return call.deliver('end');
    if (received === 0) return call.finish({ code: Status.UNIMPLEMENTED, details: `Received no request message for server streaming method ${method.path}` });
    if (call.ended) return;
    if (method.responseStream) return invoke(call, () => handler(call));
    invoke(call, () => handler(call, (error, response) => (error ? call.finish(statusOf(error)) : (call.write(response), call.end()))));
  });
}

export async function startNodeAgentServer(options: NodeAgentServerOptions): Promise<NodeAgentServer> {
  const { tls, allowedClientNames, closeGraceMs = 1000 } = options;
  const handlers = options.handlers as unknown as Record<string, Handler | undefined>;
  const methods = loadMethods();
  // As grpc-js: node's 10 MB per-session cap would refuse streams of a busy connection.
  const settings = { maxSessionMemory: Number.MAX_SAFE_INTEGER };
  const server = tls
    ? http2.createSecureServer({ ...settings, ca: tls.ca, cert: tls.cert, key: tls.key, requestCert: true, rejectUnauthorized: true, allowHTTP1: false })
    : http2.createServer(settings);
  // A connection reset before its session exists must not crash the agent (nodejs/node#35824).
  server.on('secureConnection', (socket: TLSSocket) => socket.on('error', () => undefined));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    // A reset stream also errors; its 'close' is what the call acts on.
    stream.on('error', () => undefined);
    if (headers[':method'] !== 'POST') return void stream.respond({ ':status': 405 }, { endStream: true });
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) return void stream.respond({ ':status': 415 }, { endStream: true });
    const refused = tls && allowedClientNames ? refusal(stream.session, allowedClientNames) : undefined;
    if (refused) return sendStatus(stream, { code: Status.PERMISSION_DENIED, details: refused });
    const path = headers[':path'] ?? '';
    const method = methods.get(path);
    const handler = method && handlers[method.handler];
    if (!method || !handler) return sendStatus(stream, { code: Status.UNIMPLEMENTED, details: `The server does not implement the method ${path}` });
    serve(stream, headers, method, handler.bind(options.handlers));
  });

  const [, host, port] = /^\[?(.*?)\]?:(\d+)$/.exec(options.address) ?? [];
  if (port === undefined) throw new Error(`invalid address ${options.address}, want host:port`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host || undefined, () => (server.off('error', reject), resolve()));
  });

  return {
    port: (server.address() as AddressInfo).port,
    update(pair) {
      if (!tls) throw new Error('the node agent server has no TLS to rotate');
      (server as http2.Http2SecureServer).setSecureContext({ ca: tls.ca, cert: pair.cert, key: pair.key });
    },
    close: () =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => sessions.forEach((s) => s.destroy()), closeGraceMs);
        server.close(() => (clearTimeout(cut), resolve()));
        sessions.forEach((s) => s.close());
      }),
  };
}
