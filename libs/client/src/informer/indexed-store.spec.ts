import { KubeObject } from '../core/types';
import { IndexedStore } from './indexed-store';

interface P extends KubeObject {
  spec?: { nodeName?: string };
}
const pod = (ns: string, name: string, nodeName?: string): P => ({ metadata: { namespace: ns, name }, spec: { nodeName } });
const byNode = (p: P) => (p.spec?.nodeName ? [p.spec.nodeName] : []);

describe('IndexedStore', () => {
  it.each([
    ['indexes on insert', [pod('a', 'p1', 'n1'), pod('a', 'p2', 'n2'), pod('b', 'p3', 'n1')], [], { n1: ['a/p1', 'b/p3'], n2: ['a/p2'] }],
    ['moves an object between index values on update', [pod('a', 'p1', 'n1'), pod('a', 'p1', 'n2')], [], { n2: ['a/p1'] }],
    ['drops index entries on remove', [pod('a', 'p1', 'n1'), pod('a', 'p2', 'n1')], ['a/p1'], { n1: ['a/p2'] }],
    ['leaves unindexed objects out', [pod('a', 'p1')], [], {}],
  ])('%s', (_name, upserts, removals, want) => {
    const store = new IndexedStore<P>({ nodeName: byNode });
    upserts.forEach((p) => store.upsert(p));
    removals.forEach((k) => store.remove(k));
    const got = Object.fromEntries(store.indexValues('nodeName').map((v) => [v, store.byIndex('nodeName', v).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort()]));
    expect(got).toEqual(want);
  });

  it('has a namespace index and namespaced/cluster-scoped lookups', () => {
    const store = new IndexedStore<P>();
    store.upsert(pod('a', 'p1'));
    store.upsert(pod('b', 'p2'));
    store.upsert({ metadata: { name: 'node-1' } });
    expect(store.byIndex('namespace', 'a').map((p) => p.metadata?.name)).toEqual(['p1']);
    expect(store.getByName('b', 'p2')?.metadata?.name).toBe('p2');
    expect(store.getByName(undefined, 'node-1')?.metadata?.name).toBe('node-1');
    expect(store.keys().sort()).toEqual(['a/p1', 'b/p2', 'node-1']);
    expect(() => store.byIndex('nope', 'x')).toThrow(/no indexer/);
  });

  it('returns the previous object from upsert and remove', () => {
    const store = new IndexedStore<P>();
    expect(store.upsert(pod('a', 'p', 'n1'))).toBeUndefined();
    expect(store.upsert(pod('a', 'p', 'n2'))?.spec?.nodeName).toBe('n1');
    expect(store.remove('a/p')?.spec?.nodeName).toBe('n2');
    expect(store.remove('a/p')).toBeUndefined();
    expect(store.size).toBe(0);
  });
});
