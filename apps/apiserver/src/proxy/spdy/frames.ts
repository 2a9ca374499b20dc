// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 + 3.1's session flow control), just what
// Kubernetes' streaming protocols use: kubectl's spdystream opens streams with SYN_STREAM,
// sends DATA, closes with FIN or RST_STREAM, pings, and says GOAWAY. Pure: bytes in, frames
// out, and encoders for the frames a server sends. Header blocks stay compressed here.

export const CONTROL = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;
const VERSION = 3;
/** Longest DATA payload we send in one frame (the format allows 16 MiB; small frames keep latency down). */
export const MAX_DATA_FRAME = 32 * 1024;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; version: number; type: number; flags: number; payload: Buffer };

/** Accumulates bytes and cuts them into frames; a frame split across reads waits for its tail. */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUIntBE(5, 3);
      if (this.buffer.length < 8 + length) break;
      const flags = this.buffer[4];
      const payload = this.buffer.subarray(8, 8 + length);
      if (this.buffer[0] & 0x80) {
        frames.push({ kind: 'control', version: this.buffer.readUInt16BE(0) & 0x7fff, type: this.buffer.readUInt16BE(2), flags, payload });
      } else {
        frames.push({ kind: 'data', streamId: this.buffer.readUInt32BE(0) & 0x7fffffff, flags, data: payload });
      }
      this.buffer = this.buffer.subarray(8 + length);
    }
    return frames;
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
};

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export const synReplyFrame = (streamId: number, compressedHeaders: Buffer, fin = false) => control(CONTROL.SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));
export const rstStreamFrame = (streamId: number, status: number) => control(CONTROL.RST_STREAM, 0, u32(streamId & 0x7fffffff, status));
export const pingFrame = (id: number) => control(CONTROL.PING, 0, u32(id));
export const goAwayFrame = (lastGoodStreamId: number, status = 0) => control(CONTROL.GOAWAY, 0, u32(lastGoodStreamId & 0x7fffffff, status));

/** SYN_STREAM's fixed part: stream id, associated stream id, then the compressed header block. */
export function parseSynStream(payload: Buffer): { streamId: number; headerBlock: Buffer } {
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(10) };
}

/** A decompressed header block: a count, then length-prefixed names and values (several values NUL-separated). */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let at = 0;
  const take = () => {
    const length = block.readUInt32BE(at);
    const value = block.subarray(at + 4, at + 4 + length).toString('utf8');
    at += 4 + length;
    return value;
  };
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = take().toLowerCase();
    headers[name] = take().split('\0')[0];
  }
  return headers;
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}
