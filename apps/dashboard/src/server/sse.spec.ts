import { LineSplitter, sseComment, sseFrame } from './sse';

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
