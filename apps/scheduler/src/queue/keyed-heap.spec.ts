import { KeyedHeap } from './keyed-heap';

interface Item {
  key: string;
  v: number;
}
const heap = () => new KeyedHeap<Item>((i) => i.key, (a, b) => a.v < b.v);
const drain = (h: KeyedHeap<Item>) => {
  const out: string[] = [];
  for (let i = h.pop(); i; i = h.pop()) out.push(i.key);
  return out;
};

describe('KeyedHeap', () => {
  it.each([
    { name: 'orders by less', ops: [['a', 3], ['b', 1], ['c', 2]], remove: [], want: ['b', 'c', 'a'] },
    { name: 'upsert replaces and re-orders', ops: [['a', 3], ['b', 1], ['a', 0]], remove: [], want: ['a', 'b'] },
    { name: 'delete from the middle', ops: [['a', 1], ['b', 2], ['c', 3], ['d', 4]], remove: ['b'], want: ['a', 'c', 'd'] },
    { name: 'delete the root', ops: [['a', 1], ['b', 2], ['c', 3]], remove: ['a', 'zzz'], want: ['b', 'c'] },
  ])('$name', ({ ops, remove, want }) => {
    const h = heap();
    for (const [key, v] of ops) h.upsert({ key: key as string, v: v as number });
    for (const key of remove) h.delete(key);
    expect(drain(h)).toEqual(want);
    expect(h.size).toBe(0);
  });

  it('stays ordered through many random operations', () => {
    const h = heap();
    const model = new Map<string, number>();
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(rnd() * 200)}`;
      if (rnd() < 0.3) {
        h.delete(key);
        model.delete(key);
      } else {
        const v = Math.floor(rnd() * 1000);
        h.upsert({ key, v });
        model.set(key, v);
      }
    }
    const values: number[] = [];
    for (let i = h.pop(); i; i = h.pop()) values.push(i.v);
    expect(values).toEqual([...model.values()].sort((a, b) => a - b));
  });
});
