import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLog, followRecords, parseCriLine, readLog, renderRecords } from './cri-log';

const rec = (time: string, content: string, partial = false, stream: 'stdout' | 'stderr' = 'stdout') =>
  `${time} ${stream} ${partial ? 'P' : 'F'} ${content}`;

describe('parseCriLine', () => {
  it.each([
    [rec('2024-01-01T00:00:00Z', 'hello'), { time: '2024-01-01T00:00:00Z', stream: 'stdout', partial: false, content: 'hello' }],
    [rec('2024-01-01T00:00:00Z', 'part', true, 'stderr'), { time: '2024-01-01T00:00:00Z', stream: 'stderr', partial: true, content: 'part' }],
    ['2024-01-01T00:00:00Z stdout F', { time: '2024-01-01T00:00:00Z', stream: 'stdout', partial: false, content: '' }],
    ['garbage', undefined],
  ])('%s', (line, want) => {
    expect(parseCriLine(line)).toEqual(want);
  });
});

describe('renderRecords', () => {
  const records = [
    rec('2024-01-01T00:00:01Z', 'one'),
    rec('2024-01-01T00:00:02Z', 'tw', true),
    rec('2024-01-01T00:00:02Z', 'o'),
    rec('2024-01-01T00:00:03Z', 'three'),
  ].map((l) => parseCriLine(l)!);
  it.each([
    ['all lines, partials joined', {}, ['one', 'two', 'three']],
    ['tail 2', { tailLines: 2 }, ['two', 'three']],
    ['tail 0', { tailLines: 0 }, []],
    ['since', { sinceTime: Date.parse('2024-01-01T00:00:02Z') }, ['two', 'three']],
    ['timestamps', { tailLines: 1, timestamps: true }, ['2024-01-01T00:00:03Z three']],
  ])('%s', (_n, query, want) => {
    expect(renderRecords(records, query)).toEqual(want);
  });
});

describe('readLog and followLog on a real file', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'cox-log-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads complete lines, honours limitBytes, then follows appended lines until aborted', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, `${rec('2024-01-01T00:00:01Z', 'first')}\n${rec('2024-01-01T00:00:02Z', 'half')}`);
    const { text, offset } = await readLog(path, {});
    expect(text).toBe('first\n');
    expect((await readLog(path, { limitBytes: 3 })).text).toBe('fir');

    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const chunk of followLog(path, offset, { signal: controller.signal, pollMs: 10 })) {
        seen.push(chunk);
        if (seen.join('').includes('second')) controller.abort();
      }
    })();
    await appendFile(path, ` done\n${rec('2024-01-01T00:00:03Z', 'second')}\n`);
    await following;
    expect(seen.join('')).toBe('half done\nsecond\n');
  });

  it('stops following once the container has stopped and the file is drained', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, `${rec('2024-01-01T00:00:01Z', 'only')}\n`);
    const chunks: string[] = [];
    for await (const c of followLog(path, 0, { signal: new AbortController().signal, pollMs: 10, stillRunning: async () => false })) chunks.push(c);
    expect(chunks).toEqual(['only\n']);
  });

  it('keeps the last lines the runtime writes while the container is found stopped', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, `${rec('2024-01-01T00:00:01Z', 'up')}\n`);
    // The shim drains the pipes and writes its exit record in one go: by the time the
    // container reads as stopped, 'bye' is in the file although the last stat missed it.
    const stillRunning = async () => {
      await appendFile(path, `${rec('2024-01-01T00:00:02Z', 'bye')}\n`);
      return false;
    };
    const records: string[] = [];
    for await (const batch of followRecords(path, 0, { signal: new AbortController().signal, pollMs: 10, stillRunning })) records.push(...batch.map((r) => `${r.stream}:${r.content}`));
    expect(records).toEqual(['stdout:up', 'stdout:bye']);
  });
});
