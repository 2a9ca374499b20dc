// The wire format between the agent and coxspawn (libs/runtime/shim/coxspawn.c): frames of
// `u32 payload length | u32 job id | u8 type | payload`, little-endian. Pure.

export const HEADER_BYTES = 9;

export type RequestType = 'S' | 'I' | 'E' | 'K';
export type ReplyType = 'P' | 'F' | 'O' | 'R' | 'X';

/** coxspawn's spawn flags. */
export const SPAWN_NEW_SESSION = 1;
export const SPAWN_STDIN_PIPE = 2;
export const SPAWN_DISCARD_OUTPUT = 4;

export interface Frame {
  id: number;
  type: string;
  payload: Buffer;
}

export function encodeFrame(id: number, type: RequestType, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(id, 4);
  head.write(type, 8, 'latin1');
  return Buffer.concat([head, payload]);
}

export interface SpawnRequest {
  argv: readonly string[];
  /** Undefined: the helper's environment (the agent's when the helper started). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  flags: number;
}

/** The 'S' payload; refuses what a C string cannot carry rather than truncating it. */
export function encodeSpawn(req: SpawnRequest): Buffer {
  if (req.argv.length === 0) throw new Error('spawn: empty argv');
  const env = req.env === undefined ? undefined : Object.entries(req.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const strings = [req.cwd ?? '', ...req.argv, ...(env ?? [])];
  for (const s of strings) {
    if (s.includes('\0')) throw new TypeError(`spawn ${req.argv[0]}: an argument contains a NUL byte`);
  }
  const head = Buffer.alloc(12);
  head.writeUInt32LE(req.flags, 0);
  head.writeUInt32LE(req.argv.length, 4);
  head.writeUInt32LE(env === undefined ? 0xffffffff : env.length, 8);
  return Buffer.concat([head, Buffer.from(strings.map((s) => `${s}\0`).join(''))]);
}

/** Splits a byte stream into frames, holding a partial frame until the rest arrives. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    let off = 0;
    while (this.buffered.length - off >= HEADER_BYTES) {
      const len = this.buffered.readUInt32LE(off);
      if (this.buffered.length - off < HEADER_BYTES + len) break;
      frames.push({
        id: this.buffered.readUInt32LE(off + 4),
        type: String.fromCharCode(this.buffered[off + 8]),
        // A copy: the payload may outlive the (reused) read buffer.
        payload: Buffer.from(this.buffered.subarray(off + HEADER_BYTES, off + HEADER_BYTES + len)),
      });
      off += HEADER_BYTES + len;
    }
    this.buffered = off === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(off);
    return frames;
  }
}

/** 'X': exit code (-1 when signalled) and signal number. */
export function decodeExit(payload: Buffer): { code: number | null; signal: number } {
  const code = payload.readInt32LE(0);
  return { code: code < 0 ? null : code, signal: payload.readInt32LE(4) };
}

/** 'F': errno and the helper's message. */
export function decodeFailure(payload: Buffer): { errno: number; message: string } {
  return { errno: payload.readInt32LE(0), message: payload.subarray(4).toString() };
}
