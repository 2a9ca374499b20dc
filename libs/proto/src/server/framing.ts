// gRPC's length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, the
// message) and the `grpc-timeout` header: the wire format of PROTOCOL-HTTP2.md, pure.
import { FrameSplitter } from '../wire/grpc-frame';
import { Status, statusError } from './status';

export { encodeFrame } from '../wire/grpc-frame';

/** What grpc-js accepts by default; a larger message fails with RESOURCE_EXHAUSTED. */
export const MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * A request body cut into messages (wire's FrameSplitter), refusing as grpc-js does a
 * compressed message (our clients never compress, and no codec is loaded) or one over the size
 * limit, from its header alone.
 */
export class FrameDecoder extends FrameSplitter {
  constructor(encoding = 'identity', maxMessageBytes = MAX_RECEIVE_MESSAGE_BYTES) {
    super((compressed, length) => {
      if (compressed) throw statusError(Status.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${encoding}"`);
      if (length > maxMessageBytes) throw statusError(Status.RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs ${maxMessageBytes})`);
    });
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
