// One gRPC call on an HTTP/2 stream, with the surface the agent's handlers were written
// against on grpc-js: write/end, emit('error', err) to fail, 'data'/'end' from the client,
// 'cancelled' when the client goes away (or the deadline passes) before the call ended.
import { EventEmitter } from 'node:events';
import type { ServerHttp2Stream } from 'node:http2';
import { encodeFrame } from './framing';
import { Status, StatusObject, statusOf, statusTrailers } from './status';

const RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc+proto' };
/** No compression either way (grpc-js' server does not compress its responses either). */
const ENCODING_HEADERS = { 'grpc-accept-encoding': 'identity', 'grpc-encoding': 'identity' };
/** setTimeout's limit; a longer deadline is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ends `stream` with a status: in the trailers, or as a trailers-only response before any message. */
export function sendStatus(stream: ServerHttp2Stream, status: StatusObject): void {
  if (stream.destroyed || stream.closed) return;
  if (!stream.headersSent) return void stream.respond({ ...RESPONSE_HEADERS, ...statusTrailers(status) }, { endStream: true });
  stream.once('wantTrailers', () => stream.sendTrailers(statusTrailers(status)));
  stream.end();
}

export class Call extends EventEmitter {
  cancelled = false;
  /** The request message of a unary or server-streaming call. */
  request: unknown;
  private done = false;
  private readonly deadline?: NodeJS.Timeout;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly encode: (message: unknown) => Uint8Array,
    timeoutMs?: number,
  ) {
    super();
    // As on grpc-js, an error the handler emits is the call's status.
    this.on('error', (error) => this.finish(statusOf(error)));
    stream.on('close', () => this.cancel());
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      this.deadline = setTimeout(() => {
        this.finish({ code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
        this.cancelled = true;
        this.emit('cancelled');
      }, timeoutMs);
    }
  }

  /** A status went out, or the client went away. */
  get ended(): boolean {
    return this.done;
  }

  /** Queues one response message; false when the stream's buffer is full (or the call is over). */
  write(message: unknown): boolean {
    if (this.done || this.stream.destroyed) return false;
    let frame: Buffer;
    try {
      frame = encodeFrame(this.encode(message));
    } catch {
      this.finish({ code: Status.INTERNAL, details: 'Error serializing response' });
      return false;
    }
    if (!this.stream.headersSent) this.stream.respond({ ...RESPONSE_HEADERS, ...ENCODING_HEADERS }, { waitForTrailers: true });
    return this.stream.write(frame);
  }

  end(): void {
    this.finish({ code: Status.OK, details: 'OK' });
  }

  /** Ends the call with `status` after the messages written so far; later calls do nothing. */
  finish(status: StatusObject): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.deadline);
    sendStatus(this.stream, status);
  }

  /** A client message or half-close reaches the handler only while the call is on. */
  deliver(event: 'data' | 'end', message?: unknown): void {
    if (!this.done) this.emit(event, message);
  }

  /** The stream closed (client reset or connection gone) before a status went out. */
  private cancel(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.deadline);
    this.cancelled = true;
    this.emit('cancelled');
  }
}

interface Cancellable {
  /** True once the client went away or the deadline passed. */
  readonly cancelled: boolean;
  /** Fails the call with the error's `code` and `details` (UNKNOWN and its message without a code). */
  emit(event: 'error', error: unknown): boolean;
}

export interface ServerStreamingCall<Req, Res> extends Cancellable {
  readonly request: Req;
  write(message: Res): boolean;
  end(): void;
  on(event: 'cancelled', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

export interface BidiStreamingCall<Req, Res> extends Cancellable {
  write(message: Res): boolean;
  end(): void;
  on(event: 'data', listener: (message: Req) => void): this;
  on(event: 'end' | 'cancelled', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

export interface UnaryCall<Req> extends Cancellable {
  readonly request: Req;
  on(event: 'cancelled', listener: () => void): this;
}

export type UnaryCallback<Res> = (error: Error | null, response?: Res) => void;
