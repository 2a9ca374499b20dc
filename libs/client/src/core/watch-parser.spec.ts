import { ApiError } from './api-error';
import { ndjsonLines, parseWatchLine } from './watch-parser';

async function collect(chunks: Array<string | Uint8Array>): Promise<string[]> {
  async function* source() {
    for (const c of chunks) yield c;
  }
  const out: string[] = [];
  for await (const line of ndjsonLines(source())) out.push(line);
  return out;
}

const euro = Buffer.from('{"n":"€"}\n');

describe('ndjsonLines', () => {
  it.each([
    ['one chunk, two lines', ['{"a":1}\n{"a":2}\n'], ['{"a":1}', '{"a":2}']],
    ['a line split across chunks', ['{"a":', '1}\n{"a"', ':2}\n'], ['{"a":1}', '{"a":2}']],
    ['a chunk per byte', [...'{"x":true}\n'], ['{"x":true}']],
    ['blank lines and CRLF are skipped', ['\n{"a":1}\r\n\n'], ['{"a":1}']],
    ['a final line without newline', ['{"a":1}\n{"a":2}'], ['{"a":1}', '{"a":2}']],
    ['a multi-byte character split between chunks', [euro.subarray(0, 7), euro.subarray(7)], ['{"n":"€"}']],
    ['nothing', [], []],
  ])('%s', async (_name, chunks, want) => {
    expect(await collect(chunks)).toEqual(want);
  });
});

describe('parseWatchLine', () => {
  it.each([
    ['ADDED', '{"type":"ADDED","object":{"metadata":{"name":"a"}}}', { type: 'ADDED', object: { metadata: { name: 'a' } } }],
    ['BOOKMARK', '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12"}}}', { type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } }],
    ['DELETED', '{"type":"DELETED","object":{"metadata":{"name":"a"}}}', { type: 'DELETED', object: { metadata: { name: 'a' } } }],
  ])('parses %s', (_name, line, want) => {
    expect(parseWatchLine(line)).toEqual(want);
  });

  it.each([
    ['ERROR 410 becomes an ApiError with the Status', '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":410,"reason":"Expired","message":"too old resource version"}}', 410, 'Expired'],
    ['ERROR without a Status', '{"type":"ERROR","object":{}}', 500, 'InternalError'],
    ['garbage', 'not json', 500, 'InternalError'],
    ['unknown type', '{"type":"WHATEVER","object":{}}', 500, 'InternalError'],
    ['missing object', '{"type":"ADDED"}', 500, 'InternalError'],
  ])('%s', (_name, line, code, reason) => {
    let caught: unknown;
    try {
      parseWatchLine(line);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(code);
    expect((caught as ApiError).reason).toBe(reason);
  });
});
