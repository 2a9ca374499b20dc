import { decodeExit, decodeFailure, encodeFrame, encodeSpawn, FrameDecoder, HEADER_BYTES, SPAWN_STDIN_PIPE } from './spawn-frames';

const reply = (id: number, type: string, payload: Buffer) => {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(id, 4);
  head.write(type, 8, 'latin1');
  return Buffer.concat([head, payload]);
};

describe('coxspawn frames', () => {
  it('a frame is length, id, type, payload (little-endian)', () => {
    expect([...encodeFrame(0x01020304, 'I', Buffer.from('ab'))]).toEqual([2, 0, 0, 0, 4, 3, 2, 1, 'I'.charCodeAt(0), 97, 98]);
    expect(encodeFrame(7, 'E')).toHaveLength(HEADER_BYTES);
  });

  it.each([
    ['inherited environment', { argv: ['ip', 'link'], flags: 0 }, 0, 2, 0xffffffff, ['', 'ip', 'link']],
    ['given environment and cwd', { argv: ['sh'], env: { A: '1', B: undefined, C: 'x=y' }, cwd: '/tmp', flags: SPAWN_STDIN_PIPE }, SPAWN_STDIN_PIPE, 1, 2, ['/tmp', 'sh', 'A=1', 'C=x=y']],
  ])('spawn request: %s', (_name, req, flags, argc, envc, strings) => {
    const payload = encodeSpawn(req);
    expect([payload.readUInt32LE(0), payload.readUInt32LE(4), payload.readUInt32LE(8)]).toEqual([flags, argc, envc]);
    expect(payload.subarray(12).toString().split('\0')).toEqual([...strings, '']);
  });

  it.each([
    ['an empty argv', { argv: [], flags: 0 }, /empty argv/],
    ['a NUL in an argument', { argv: ['echo', 'a\0b'], flags: 0 }, /NUL/],
    ['a NUL in the environment', { argv: ['echo'], env: { A: 'x\0' }, flags: 0 }, /NUL/],
  ])('refuses %s', (_name, req, error) => expect(() => encodeSpawn(req)).toThrow(error));

  it('decodes frames whatever the chunking', () => {
    const stream = Buffer.concat([reply(1, 'P', Buffer.from([0x39, 0x30, 0, 0])), reply(1, 'O', Buffer.from('hello')), reply(2, 'R', Buffer.alloc(0)), reply(1, 'X', Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]))]);
    for (const size of [1, 2, 5, 9, 13, stream.length]) {
      const decoder = new FrameDecoder();
      const frames = [];
      for (let off = 0; off < stream.length; off += size) frames.push(...decoder.push(stream.subarray(off, off + size)));
      expect(frames.map((f) => [f.id, f.type, f.payload.toString('hex')])).toEqual([[1, 'P', '39300000'], [1, 'O', Buffer.from('hello').toString('hex')], [2, 'R', ''], [1, 'X', '0300000000000000']]);
    }
  });

  it.each([
    ['an exit code', [3, 0], { code: 3, signal: 0 }],
    ['a signal', [-1, 9], { code: null, signal: 9 }],
  ])('decodes %s', (_name, [code, signal], want) => {
    const p = Buffer.alloc(8);
    p.writeInt32LE(code, 0);
    p.writeInt32LE(signal, 4);
    expect(decodeExit(p)).toEqual(want);
  });

  it('decodes a spawn failure', () => {
    expect(decodeFailure(Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.from('exec: No such file or directory')]))).toEqual({ errno: 2, message: 'exec: No such file or directory' });
  });
});
