// The server side of a SPDY/3.1 connection over any byte transport (the socket after an
// `Upgrade: SPDY/3.1` answer, or a websocket that tunnels the same bytes). Streams are opened
// by the client; each is answered with an empty SYN_REPLY, as the kubelet does.
import { EventEmitter } from 'node:events';
import { CONTROL, dataFrame, decodeHeaderBlock, encodeHeaderBlock, FLAG_FIN, Frame, FrameParser, goAwayFrame, MAX_DATA_FRAME, parseSynStream, pingFrame, rstStreamFrame, RST_CANCEL, synReplyFrame } from './frames';
import { HeaderCodec } from './header-codec';

export interface ByteTransport {
  write(data: Buffer): void;
  close(): void;
}

/** One client-opened stream: 'data' and 'end' (the client's FIN) events; write/end/reset towards the client. */
export class SpdyStream extends EventEmitter {
  private finSent = false;
  finReceived = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly session: SpdySession,
  ) {
    super();
  }

  write(data: Buffer): void {
    if (this.finSent || this.closed) return;
    for (let at = 0; at < data.length; at += MAX_DATA_FRAME) this.session.send(dataFrame(this.id, data.subarray(at, at + MAX_DATA_FRAME)));
  }

  /** Half-closes our side (DATA with FIN). */
  end(data?: Buffer): void {
    if (data?.length) this.write(data);
    if (this.finSent || this.closed) return;
    this.finSent = true;
    this.session.send(dataFrame(this.id, Buffer.alloc(0), true));
    this.settle();
  }

  reset(): void {
    if (this.closed) return;
    this.session.send(rstStreamFrame(this.id, RST_CANCEL));
    this.terminate();
  }

  /** @internal */
  receive(frame: { flags: number; data: Buffer }): void {
    if (frame.data.length) this.emit('data', frame.data);
    if (frame.flags & FLAG_FIN && !this.finReceived) {
      this.finReceived = true;
      this.emit('end');
      this.settle();
    }
  }

  /** @internal */
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.session.forget(this.id);
  }

  private settle(): void {
    if (this.finSent && this.finReceived) this.terminate();
  }
}

export class SpdySession extends EventEmitter {
  private readonly parser = new FrameParser();
  private readonly codec = new HeaderCodec();
  private readonly streams = new Map<number, SpdyStream>();
  private chain: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly transport: ByteTransport) {
    super();
  }

  /** Feeds bytes read from the transport. */
  receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      return this.close();
    }
    for (const frame of frames) {
      this.chain = this.chain.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  send(frame: Buffer): void {
    if (!this.closed) this.transport.write(frame);
  }

  forget(id: number): void {
    this.streams.delete(id);
  }

  /** Says GOAWAY, ends every stream and the transport. Called when the transport ends too. */
  close(): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId));
    this.closed = true;
    for (const stream of [...this.streams.values()]) stream.terminate();
    this.codec.close();
    this.transport.close();
    this.emit('close');
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (frame.kind === 'data') {
      this.streams.get(frame.streamId)?.receive(frame);
      return;
    }
    switch (frame.type) {
      case CONTROL.SYN_STREAM: {
        const { streamId, headerBlock } = parseSynStream(frame.payload);
        const headers = decodeHeaderBlock(await this.codec.inflate(headerBlock));
        this.lastStreamId = Math.max(this.lastStreamId, streamId);
        const stream = new SpdyStream(streamId, headers, this);
        this.streams.set(streamId, stream);
        this.send(synReplyFrame(streamId, await this.codec.deflate(encodeHeaderBlock({}))));
        this.emit('stream', stream);
        if (frame.flags & FLAG_FIN) stream.receive({ flags: FLAG_FIN, data: Buffer.alloc(0) });
        return;
      }
      case CONTROL.RST_STREAM:
        this.streams.get(frame.payload.readUInt32BE(0) & 0x7fffffff)?.terminate();
        return;
      case CONTROL.PING:
        this.send(pingFrame(frame.payload.readUInt32BE(0)));
        return;
      case CONTROL.GOAWAY:
        this.close();
        return;
      case CONTROL.HEADERS:
        // Keeps the shared inflate context in step even though the headers are not needed.
        await this.codec.inflate(frame.payload.subarray(4));
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: the peer's flow control is not enforced here
    }
  }
}
