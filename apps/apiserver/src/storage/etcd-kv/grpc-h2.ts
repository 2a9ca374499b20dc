// Unary gRPC calls over one HTTP/2 connection (node:http2, cleartext), for etcd's KV service.
// The framing is gRPC's: a 5-byte prefix (compressed flag, big-endian length) per message,
// the status in the `grpc-status`/`grpc-message` trailers (or headers, for a trailers-only
// answer). Errors read like grpc-js' ("14 UNAVAILABLE: …"), so callers classify both alike.
import { connect, ClientHttp2Session, ClientHttp2Stream, constants } from 'node:http2';
import { encodeFrame, FrameSplitter as WireFrameSplitter, Status } from '@coxswain/proto/wire';

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${Status[code] ?? 'UNKNOWN'}: ${details}`);
    this.name = 'GrpcError';
  }
}

const WINDOW = 8 * 1024 * 1024;


/** The call's gRPC status, from the trailers (or the headers of a trailers-only answer). */
export function statusOf(stream: ClientHttp2Stream): { error(): GrpcError | undefined } {
  let status: number | undefined;
  let details = '';
  const read = (headers: Record<string, unknown>) => {
    if (headers['grpc-status'] === undefined) return;
    status = Number(headers['grpc-status']);
    details = decodeURIComponent(String(headers['grpc-message'] ?? ''));
  };
  stream.on('response', (headers) => read(headers as Record<string, unknown>));
  stream.on('trailers', (trailers) => read(trailers as Record<string, unknown>));
  return {
    error: () => (status === undefined ? new GrpcError(Status.UNAVAILABLE, `stream closed without a status (http2 code ${stream.rstCode})`) : status !== 0 ? new GrpcError(status, details) : undefined),
  };
}

/**
 * Splits a stream's data into gRPC messages, however the chunks fall. A large message arriving
 * in many HTTP/2 frames is joined once, when complete (not copied again per frame).
 */
/** etcd's messages as they arrive; etcd never compresses, so a compressed one is an error. */
export class FrameSplitter extends WireFrameSplitter {
  constructor() {
    super((compressed) => {
      if (compressed) throw new GrpcError(Status.INTERNAL, 'compressed gRPC message');
    });
  }
}

interface Connection {
  session: ClientHttp2Session;
  /** Settles once the connection is up (or failed to come up). */
  ready: Promise<void>;
  /** Streams open (calls in flight, watches): while any is, the connection keeps the process alive. */
  pending: number;
}

export class GrpcH2Client {
  private connection?: Connection;
  /** The endpoint the next connection dials; moves on when one fails. */
  private next = 0;
  private closed = false;

  constructor(private readonly endpoints: string[]) {
    if (!endpoints.length) throw new Error('no etcd endpoints');
  }

  /**
   * A request stream on the connection. A connection that cannot be made is tried on each
   * endpoint in turn (nothing was sent, so nothing can happen twice); a call whose connection
   * breaks after it was sent fails with UNAVAILABLE and is not repeated.
   */
  async open(path: string): Promise<ClientHttp2Stream> {
    for (let attempt = 0; ; attempt++) {
      const connection = this.connect();
      try {
        await connection.ready;
      } catch (error) {
        if (this.connection === connection) this.connection = undefined;
        if (attempt + 1 >= this.endpoints.length) throw new GrpcError(Status.UNAVAILABLE, `no connection to etcd (${(error as Error).message})`);
        continue;
      }
      let stream: ClientHttp2Stream;
      try {
        stream = connection.session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path, 'content-type': 'application/grpc', te: 'trailers' });
      } catch (error) {
        throw new GrpcError(Status.UNAVAILABLE, (error as Error).message);
      }
      // While a call or watch is open, the connection keeps the process alive; idle, it does not.
      if (++connection.pending === 1) connection.session.ref();
      stream.once('close', () => {
        if (--connection.pending === 0) connection.session.unref();
      });
      return stream;
    }
  }

  /** One unary call: one message out, one back. */
  async unary(path: string, message: Buffer): Promise<Buffer> {
    const stream = await this.open(path);
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const status = statusOf(stream);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => reject(new GrpcError(Status.UNAVAILABLE, error.message)));
      stream.on('close', () => {
        const failure = status.error();
        if (failure) {
          reject(failure);
          return;
        }
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0) {
          reject(new GrpcError(13, 'malformed or compressed gRPC response'));
          return;
        }
        resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
      });
      stream.end(encodeFrame(message));
    });
  }

  private connect(): Connection {
    if (this.closed) throw new GrpcError(1, 'client closed');
    if (this.connection && !this.connection.session.closed && !this.connection.session.destroyed) return this.connection;
    const endpoint = this.endpoints[this.next % this.endpoints.length];
    // Windows of 64 KiB (HTTP/2's default) would make a page of a large list, or a burst of
    // watch events, wait on a WINDOW_UPDATE round trip every 64 KiB.
    // (maxSessionMemory: Node refuses new streams past 10 MB buffered per session by default.)
    const session = connect(endpoint, { settings: { initialWindowSize: WINDOW }, maxSessionMemory: 256 });
    const connection: Connection = {
      session,
      ready: new Promise<void>((resolve, reject) => {
        session.once('connect', () => {
          session.setLocalWindowSize(4 * WINDOW);
          resolve();
        });
        session.once('error', reject);
      }),
      pending: 0,
    };
    connection.ready.catch(() => undefined);
    const drop = () => {
      if (this.connection === connection) this.connection = undefined;
    };
    session.on('error', () => {
      this.next++;
      drop();
    });
    session.on('goaway', drop);
    session.on('close', drop);
    session.unref();
    this.connection = connection;
    return connection;
  }

  close(): void {
    this.closed = true;
    this.connection?.session.close();
    this.connection = undefined;
  }
}
