import { attachOutput } from './stream-handlers';

describe('attachOutput', () => {
  it('gives complete lines their newline back, keeps partial pieces as they are, and splits the streams', () => {
    const out = attachOutput([
      { time: 't1', stream: 'stdout', partial: false, content: 'hello' },
      { time: 't2', stream: 'stderr', partial: true, content: 'long-' },
      { time: 't3', stream: 'stderr', partial: false, content: 'line' },
    ]);
    expect(out).toEqual([{ stdout: Buffer.from('hello\n') }, { stderr: Buffer.from('long-') }, { stderr: Buffer.from('line\n') }]);
  });
});
