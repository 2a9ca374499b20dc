import { deepEqual, fnv32a, pruneEmpty, safeEncode, stableStringify } from './objects';

describe('stableStringify', () => {
  it.each([
    { name: 'sorts keys', a: { b: 1, a: 2 }, want: '{"a":2,"b":1}' },
    { name: 'drops undefined fields', a: { a: undefined, b: [1, undefined] }, want: '{"b":[1,null]}' },
    { name: 'nested', a: { z: { y: 1, x: [{ b: 1, a: 0 }] } }, want: '{"z":{"x":[{"a":0,"b":1}],"y":1}}' },
    { name: 'scalar', a: 'x', want: '"x"' },
  ])('$name', ({ a, want }) => expect(stableStringify(a)).toBe(want));

  it('deepEqual ignores key order but not values', () => {
    expect(deepEqual({ a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
  });
});

describe('fnv32a / safeEncode', () => {
  it.each([
    // Reference values of FNV-1a 32 (see the FNV test vectors).
    { input: '', want: 0x811c9dc5 },
    { input: 'a', want: 0xe40c292c },
    { input: 'foobar', want: 0xbf9cf968 },
  ])('fnv32a("$input")', ({ input, want }) => expect(fnv32a(Buffer.from(input))).toBe(want));

  it('safeEncode maps digits to a fixed alphabet', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    expect(safeEncode('0123456789')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});

describe('pruneEmpty', () => {
  it.each([
    { name: 'null fields', v: { a: null, b: 1 }, want: { b: 1 } },
    { name: 'empty objects and lists, nested', v: { metadata: { creationTimestamp: null }, spec: { c: [{ resources: {} , name: 'x' }], v: [] } }, want: { spec: { c: [{ name: 'x' }] } } },
    { name: 'keeps falsy scalars', v: { a: 0, b: false, c: '' }, want: { a: 0, b: false, c: '' } },
    { name: 'all empty', v: { a: {} }, want: undefined },
  ])('$name', ({ v, want }) => expect(pruneEmpty(v)).toEqual(want));
});
