// gRPC's length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, the
// message) and the `grpc-timeout` header: the wire format of PROTOCOL-HTTP2.md, pure.
import { Status, statusError } from './status';

/** What grpc-js accepts by default; a larger message fails with RESOURCE_EXHAUSTED. */
export const MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;

export { encodeFrame } from '../wire/grpc-frame';

/**
 * Cuts a request body into messages as DATA frames arrive (a message may span frames and a
 * frame hold several). Throws a status error for a compressed message (our clients never
 * compress, and no codec is loaded) or one over the size limit.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly encoding = 'identity',
    private readonly maxMessageBytes = MAX_RECEIVE_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const messages: Buffer[] = [];
    while (this.size >= 5) {
      const head = this.chunks[0].length >= 5 ? this.chunks[0] : this.join();
      const length = head.readUInt32BE(1);
      if (head[0] !== 0) throw statusError(Status.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${this.encoding}"`);
      if (length > this.maxMessageBytes) throw statusError(Status.RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs ${this.maxMessageBytes})`);
      if (this.size < 5 + length) break;
      const all = this.join();
      messages.push(all.subarray(5, 5 + length));
      this.chunks = all.length > 5 + length ? [all.subarray(5 + length)] : [];
      this.size -= 5 + length;
    }
    return messages;
  }

  /** All buffered bytes in one buffer (one copy per message, not per frame). */
  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }
}

const TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * Milliseconds a `grpc-timeout` value allows ("100m", "5S"): undefined without one, NaN when
 * malformed (the call fails with INTERNAL, as grpc-js answers).
 */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  return match ? Number(match[1]) * TIMEOUT_UNIT_MS[match[2]] : NaN;
}
