// gRPC's length-prefixed message (PROTOCOL-HTTP2.md): a compressed flag (always 0 here), the
// length as 4 bytes big-endian, the message. Written by the node agent's server and the API
// server's etcd client alike.

/** One uncompressed message, framed. */
export function encodeFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}
