import { LineSplitter, liveSseResponse, SSE_HEADERS, sseComment, sseFrame } from './sse';

describe('sseFrame', () => {
  it.each([
    [undefined, 'x', undefined, 'data: x\n\n'],
    ['w1', '{"a":1}', undefined, 'event: w1\ndata: {"a":1}\n\n'],
    ['e', 'two\nlines', '7', 'id: 7\nevent: e\ndata: two\ndata: lines\n\n'],
  ])('%p %p', (event, data, id, want) => expect(sseFrame(event, data, id)).toBe(want));
  it('comments keep connections alive', () => expect(sseComment('ping')).toBe(': ping\n\n'));
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and drops blank ones', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\n{"b":2}\r\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.push(':3}')).toEqual([]);
    expect(s.flush()).toEqual(['{"c":3}']);
    expect(s.flush()).toEqual([]);
  });
});

describe('liveSseResponse', () => {
  it('streams what the feed sends and stops the feed when the client goes', async () => {
    const abort = new AbortController();
    let stopped = 0;
    let push: (n: number) => void = () => {};
    const response = liveSseResponse(new Request('http://dash/api/x', { signal: abort.signal }), (send) => {
      send('first', { n: 0 });
      push = (n) => send('next', { n });
      return () => stopped++;
    });
    expect(response.headers.get('content-type')).toBe(SSE_HEADERS['content-type']);
    const reader = response.body!.getReader();
    push(1);
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: next')) text += decoder.decode((await reader.read()).value);
    expect(text).toBe(sseFrame('first', '{"n":0}') + sseFrame('next', '{"n":1}'));
    abort.abort();
    expect(stopped).toBe(1);
    push(2); // dropped: the client left
    expect((await reader.read()).done).toBe(true);
  });
});
