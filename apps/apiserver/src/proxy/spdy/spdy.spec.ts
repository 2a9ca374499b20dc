import { constants, createDeflate, createInflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary';
import { CONTROL, dataFrame, decodeHeaderBlock, encodeHeaderBlock, Frame, FrameParser } from './frames';
import { SpdySession, SpdyStream } from './session';

// A client that speaks like spdystream: its own zlib contexts with the SPDY/3 dictionary.
function client() {
  const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  const inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  const outputs = new Map<object, Buffer[]>([[deflate, []], [inflate, []]]);
  for (const z of [deflate, inflate]) z.on('data', (d: Buffer) => outputs.get(z)!.push(d));
  const flushed = (z: typeof deflate | typeof inflate, input: Buffer) =>
    new Promise<Buffer>((resolve) => {
      z.write(input);
      z.flush(constants.Z_SYNC_FLUSH, () => setImmediate(() => resolve(Buffer.concat(outputs.get(z)!.splice(0)))));
    });
  return {
    async synStream(id: number, headers: Record<string, string>, fin = false): Promise<Buffer> {
      const block = await flushed(deflate, encodeHeaderBlock(headers));
      const payload = Buffer.alloc(10 + block.length);
      payload.writeUInt32BE(id, 0);
      block.copy(payload, 10);
      const head = Buffer.from([0x80, 3, 0, CONTROL.SYN_STREAM, fin ? 1 : 0, 0, 0, 0]);
      head.writeUIntBE(payload.length, 5, 3);
      return Buffer.concat([head, payload]);
    },
    replyHeaders: (payload: Buffer) => flushed(inflate, payload.subarray(4)).then(decodeHeaderBlock),
    close: () => (deflate.close(), inflate.close()),
  };
}

function harness() {
  const sent: Frame[] = [];
  const parser = new FrameParser();
  let closed = false;
  const session = new SpdySession({ write: (b) => sent.push(...parser.push(b)), close: () => (closed = true) });
  const streams: SpdyStream[] = [];
  session.on('stream', (s: SpdyStream) => streams.push(s));
  // Frames are handled on a promise chain (zlib is asynchronous): wait until it has caught up.
  const settle = async (done: () => boolean = () => true) => {
    for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 5));
  };
  return { session, sent, streams, settle, isClosed: () => closed };
}

describe('SPDY/3 dictionary', () => {
  it('is the spec dictionary, byte for byte in length and edges', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options', 'latin1'));
    expect(SPDY3_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
  });
});

describe('FrameParser', () => {
  it('waits for a frame split across reads', () => {
    const parser = new FrameParser();
    const frame = dataFrame(3, Buffer.from('hello'), true);
    expect(parser.push(frame.subarray(0, 6))).toEqual([]);
    expect(parser.push(frame.subarray(6))).toEqual([{ kind: 'data', streamId: 3, flags: 1, data: Buffer.from('hello') }]);
  });
});

describe('SpdySession', () => {
  it('answers each SYN_STREAM, hands its headers over and routes data both ways', async () => {
    const c = client();
    const h = harness();
    h.session.receive(await c.synStream(1, { streamtype: 'error', port: '80', requestid: '0' }, true));
    h.session.receive(Buffer.concat([await c.synStream(3, { streamType: 'data', port: '80', requestID: '0' }), dataFrame(3, Buffer.from('GET /'))]));
    await h.settle(() => h.streams.length === 2);
    expect(h.streams.map((s) => s.headers)).toEqual([
      { streamtype: 'error', port: '80', requestid: '0' },
      { streamtype: 'data', port: '80', requestid: '0' },
    ]);
    const replies = h.sent.filter((f) => f.kind === 'control' && f.type === CONTROL.SYN_REPLY);
    expect(replies.map((f) => (f.kind === 'control' ? f.payload.readUInt32BE(0) : 0))).toEqual([1, 3]);
    // One zlib context for the connection: the replies inflate in order.
    for (const reply of replies) expect(await c.replyHeaders((reply as { payload: Buffer }).payload)).toEqual({});
    expect(h.streams[0].finReceived).toBe(true);

    const got: string[] = [];
    h.streams[1].on('data', (d: Buffer) => got.push(String(d)));
    h.session.receive(dataFrame(3, Buffer.from(' HTTP/1.0'), true));
    await h.settle(() => got.length > 0);
    expect(got).toEqual([' HTTP/1.0']);

    h.streams[1].end(Buffer.from('200 OK'));
    const data = h.sent.filter((f) => f.kind === 'data');
    expect(data).toEqual([
      { kind: 'data', streamId: 3, flags: 0, data: Buffer.from('200 OK') },
      { kind: 'data', streamId: 3, flags: 1, data: Buffer.alloc(0) },
    ]);
    expect(h.streams[1].closed).toBe(true);
    c.close();
  });

  it('echoes pings and closes on GOAWAY', async () => {
    const h = harness();
    const ping = Buffer.from([0x80, 3, 0, CONTROL.PING, 0, 0, 0, 4, 0, 0, 0, 7]);
    h.session.receive(ping);
    await h.settle(() => h.sent.length > 0);
    expect(h.sent).toEqual([{ kind: 'control', version: 3, type: CONTROL.PING, flags: 0, payload: Buffer.from([0, 0, 0, 7]) }]);
    h.session.receive(Buffer.from([0x80, 3, 0, CONTROL.GOAWAY, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]));
    await h.settle(h.isClosed);
    expect(h.isClosed()).toBe(true);
  });

  it('closes the connection on a header block that does not inflate', async () => {
    const h = harness();
    const garbage = Buffer.concat([Buffer.from([0x80, 3, 0, CONTROL.SYN_STREAM, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from('nope')]);
    h.session.receive(garbage);
    await h.settle(h.isClosed);
    expect(h.streams).toEqual([]);
    expect(h.isClosed()).toBe(true);
  });
});
