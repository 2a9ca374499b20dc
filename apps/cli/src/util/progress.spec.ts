import { startProgress } from './progress';

describe('startProgress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, write: (s: string | Uint8Array) => written.push(String(s)), isTTY };
  };

  it('on a terminal: nothing for the first second, then a spinner with elapsed seconds, cleared at the end', () => {
    let now = 0;
    const out = stream(true);
    const p = startProgress(out, 'waiting for web', { now: () => now });
    now = 900;
    jest.advanceTimersByTime(900);
    expect(out.written).toEqual([]);
    now = 2100;
    jest.advanceTimersByTime(300);
    p.update('waiting for web-1');
    now = 2300;
    jest.advanceTimersByTime(150);
    p.done();
    expect(out.written[0]).toMatch(/^\r\x1b\[2K. waiting for web \(2s\)$/);
    expect(out.written[out.written.length - 2]).toMatch(/waiting for web-1 \(2s\)$/);
    expect(out.written[out.written.length - 1]).toBe('\r\x1b[2K');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const out = stream(false);
    const p = startProgress(out, 'x', { delayMs: 0 });
    jest.advanceTimersByTime(5000);
    p.done();
    expect(out.written).toEqual([]);
  });
});
