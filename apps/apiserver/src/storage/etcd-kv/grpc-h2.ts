// Unary gRPC calls over one HTTP/2 connection (node:http2, cleartext), for etcd's KV service.
// The framing is gRPC's: a 5-byte prefix (compressed flag, big-endian length) per message,
// the status in the `grpc-status`/`grpc-message` trailers (or headers, for a trailers-only
// answer). Errors read like grpc-js' ("14 UNAVAILABLE: …"), so callers classify both alike.
import { connect, ClientHttp2Session, constants } from 'node:http2';

const CODE_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${CODE_NAMES[code] ?? 'UNKNOWN'}: ${details}`);
    this.name = 'GrpcError';
  }
}

const UNAVAILABLE = 14;

interface Connection {
  session: ClientHttp2Session;
  /** Settles once the connection is up (or failed to come up). */
  ready: Promise<void>;
  /** Calls in flight: while any is, the connection keeps the process alive. */
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
   * One unary call. A connection that cannot be made is tried on each endpoint in turn (the
   * request was not sent, so nothing can have happened twice); a call whose connection breaks
   * after it was sent fails with UNAVAILABLE and is not repeated.
   */
  async unary(path: string, message: Buffer): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      const connection = this.connect();
      try {
        await connection.ready;
      } catch (error) {
        if (this.connection === connection) this.connection = undefined;
        if (attempt + 1 >= this.endpoints.length) throw new GrpcError(UNAVAILABLE, `no connection to etcd (${(error as Error).message})`);
        continue;
      }
      return this.call(connection, path, message);
    }
  }

  private connect(): Connection {
    if (this.closed) throw new GrpcError(1, 'client closed');
    if (this.connection && !this.connection.session.closed && !this.connection.session.destroyed) return this.connection;
    const endpoint = this.endpoints[this.next % this.endpoints.length];
    const session = connect(endpoint);
    const connection: Connection = {
      session,
      ready: new Promise<void>((resolve, reject) => {
        session.once('connect', () => resolve());
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
    // An idle connection must not keep the process alive; a pending call does.
    session.unref();
    this.connection = connection;
    return connection;
  }

  private call(connection: Connection, path: string, message: Buffer): Promise<Buffer> {
    const { session } = connection;
    return new Promise<Buffer>((resolve, reject) => {
      const frame = Buffer.allocUnsafe(5 + message.length);
      frame[0] = 0;
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      let stream;
      try {
        stream = session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: path, 'content-type': 'application/grpc', te: 'trailers' });
      } catch (error) {
        reject(new GrpcError(UNAVAILABLE, (error as Error).message));
        return;
      }
      if (++connection.pending === 1) session.ref();
      const chunks: Buffer[] = [];
      let status: number | undefined;
      let details = '';
      const readStatus = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] === undefined) return;
        status = Number(headers['grpc-status']);
        details = decodeURIComponent(String(headers['grpc-message'] ?? ''));
      };
      stream.on('response', (headers) => readStatus(headers as Record<string, unknown>));
      stream.on('trailers', (trailers) => readStatus(trailers as Record<string, unknown>));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => reject(new GrpcError(UNAVAILABLE, error.message)));
      stream.on('close', () => {
        if (--connection.pending === 0) session.unref();
        if (status === undefined) {
          reject(new GrpcError(UNAVAILABLE, `stream closed without a status (http2 code ${stream.rstCode})`));
          return;
        }
        if (status !== 0) {
          reject(new GrpcError(status, details));
          return;
        }
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0) {
          reject(new GrpcError(13, 'malformed or compressed gRPC response'));
          return;
        }
        resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
      });
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.connection?.session.close();
    this.connection = undefined;
  }
}
