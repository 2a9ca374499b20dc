// gRPC's length-prefixed message (PROTOCOL-HTTP2.md): a compressed flag (always 0 here), the
// length as 4 bytes big-endian, the message. Written and read by the node agent's server and
// the API server's etcd client alike.

/** One uncompressed message, framed. */
export function encodeFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/**
 * Cuts a stream of bytes into messages as chunks arrive (a message may span chunks and a chunk
 * hold several). `checkHeader` sees each message's compressed flag and length as soon as its
 * header is in, and throws to refuse it (a reader that decompresses nothing, a size cap).
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly checkHeader: (compressed: boolean, length: number) => void = () => undefined) {}

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const messages: Buffer[] = [];
    while (this.size >= 5) {
      const head = this.chunks[0].length >= 5 ? this.chunks[0] : this.join();
      const length = head.readUInt32BE(1);
      this.checkHeader(head[0] !== 0, length);
      if (this.size < 5 + length) break;
      const all = this.join();
      messages.push(all.subarray(5, 5 + length));
      this.chunks = all.length > 5 + length ? [all.subarray(5 + length)] : [];
      this.size -= 5 + length;
    }
    return messages;
  }

  /** All buffered bytes in one buffer (one copy per message, not per chunk). */
  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }
}
