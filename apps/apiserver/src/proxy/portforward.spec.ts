import { EventEmitter } from 'node:events';
import { portsOf, portPrefix } from './portforward-channels';
import { OpenForward, parsePort, servePortForward } from './portforward';
import { SpdyStream } from './spdy/session';

// A fake agent call: records what is written, lets the test answer.
class FakeCall extends EventEmitter {
  written: unknown[] = [];
  cancelled = false;
  write(message: unknown) {
    this.written.push(message);
    return true;
  }
  cancel() {
    this.cancelled = true;
  }
}

// A fake session: the test opens client streams; what the server sends back is recorded per stream.
function session() {
  const events = new EventEmitter();
  const sent: Array<[number, string]> = [];
  const open = (id: number, headers: Record<string, string>) => {
    const fakeSession = { send: () => undefined, forget: () => undefined } as never;
    const stream = new SpdyStream(id, headers, fakeSession);
    stream.write = (data: Buffer) => void sent.push([id, `data:${data}`]);
    stream.end = (data?: Buffer) => void sent.push([id, `fin:${data ?? ''}`]);
    events.emit('stream', stream);
    return stream;
  };
  return { session: events as never, open, sent };
}

describe('servePortForward', () => {
  it('pairs the error and data streams of a request and relays both ways', () => {
    const calls: Array<[number, FakeCall]> = [];
    const openForward: OpenForward = (port) => {
      const call = new FakeCall();
      calls.push([port, call]);
      return call as never;
    };
    const s = session();
    servePortForward(s.session, openForward);
    s.open(1, { streamtype: 'error', port: '8080', requestid: '0' });
    expect(calls).toHaveLength(0); // waits for its data stream
    const data = s.open(3, { streamtype: 'data', port: '8080', requestid: '0' });
    expect(calls.map(([port]) => port)).toEqual([8080]);
    const call = calls[0][1];
    data.receive({ flags: 0, data: Buffer.from('GET /') });
    data.receive({ flags: 1, data: Buffer.alloc(0) });
    expect(call.written).toEqual([{ data: Buffer.from('GET /') }, { eof: true }]);
    call.emit('data', { connected: true });
    call.emit('data', { data: Buffer.from('200 OK') });
    call.emit('end');
    expect(s.sent).toEqual([[3, 'data:200 OK'], [3, 'fin:'], [1, 'fin:']]);
  });

  it('writes the agent’s error to the error stream, where kubectl reads it', () => {
    const call = new FakeCall();
    const s = session();
    servePortForward(s.session, () => call as never);
    s.open(1, { streamtype: 'error', port: '9999', requestid: '7' });
    s.open(3, { streamtype: 'data', port: '9999', requestid: '7' });
    call.emit('error', Object.assign(new Error('x'), { code: 14, details: 'error forwarding port 9999 to pod web, uid u: dial tcp4 10.0.0.5:9999: connect: connection refused' }));
    expect(s.sent).toEqual([[3, 'fin:'], [1, 'fin:error forwarding port 9999 to pod web, uid u: dial tcp4 10.0.0.5:9999: connect: connection refused']]);
  });

  it('refuses a bad port on the error stream without calling the agent', () => {
    let opened = 0;
    const s = session();
    servePortForward(s.session, () => (opened++, new FakeCall()) as never);
    s.open(1, { streamtype: 'error', port: '0', requestid: '1' });
    s.open(3, { streamtype: 'data', port: '0', requestid: '1' });
    expect(opened).toBe(0);
    expect(s.sent).toEqual([[3, 'fin:'], [1, 'fin:invalid port "0": must be 1-65535']]);
  });
});

describe('port parsing', () => {
  it.each([
    ['80', 80],
    ['65535', 65535],
    ['0', 'invalid port "0": must be 1-65535'],
    ['x', 'invalid port "x": must be 1-65535'],
    [undefined, 'invalid port "": must be 1-65535'],
  ])('parsePort(%s)', (value, want) => expect(parsePort(value)).toBe(want));

  it('reads ?ports= and the kubelet’s ?port=, repeated or comma-separated', () => {
    expect(portsOf(new URLSearchParams('ports=80,443&ports=8080'))).toEqual([80, 443, 8080]);
    expect(portsOf(new URLSearchParams('port=5432'))).toEqual([5432]);
    expect(portsOf(new URLSearchParams(''))).toBe('query parameter "ports" is required');
    expect(portsOf(new URLSearchParams('ports=80,nope'))).toBe('invalid port "nope": must be 1-65535');
  });

  it('starts each channel with its port in little-endian', () => {
    expect(portPrefix(2, 8080)).toEqual(Buffer.from([2, 0x90, 0x1f]));
  });
});
