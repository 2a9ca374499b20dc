import { RecordCache } from './record-cache';

describe('RecordCache', () => {
  it('returns what was set and forgets what was deleted', () => {
    const cache = new RecordCache<{ ip: string }>();
    cache.set('a', { ip: '10.0.0.2' });
    expect(cache.get('a')).toEqual({ ip: '10.0.0.2' });
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it.each([
    { name: 'keeps keys still listed', cached: ['a', 'b'], listed: ['a', 'b', 'c'], kept: ['a', 'b'] },
    { name: 'drops keys gone from disk', cached: ['a', 'b', 'c'], listed: ['b'], kept: ['b'] },
    { name: 'empties on an empty listing', cached: ['a'], listed: [], kept: [] },
  ])('retainOnly $name', ({ cached, listed, kept }) => {
    const cache = new RecordCache<number>();
    cached.forEach((key, i) => cache.set(key, i));
    cache.retainOnly(listed);
    expect(cached.filter((key) => cache.get(key) !== undefined)).toEqual(kept);
    expect(cache.size).toBe(kept.length);
  });
});
