// The compactor against real etcd, through the API server's own etcd client: two rounds compact
// history to the first round's revision; two servers sharing the key compact once per round;
// size, alarms and defragmentation reach the observer.
import pino from 'pino';
import { startEtcd, RunningEtcd } from '@coxswain/harness';
import { Compactor, COMPACT_REV_KEY } from './compactor';
import { EtcdKvClient } from './etcd-kv';

jest.setTimeout(60_000);

let etcd: RunningEtcd;
let kv: EtcdKvClient;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  etcd = await startEtcd();
  kv = new EtcdKvClient([etcd.endpoint]);
});

afterAll(async () => {
  kv?.close();
  await etcd?.stop();
});

const write = async (key: string, value: string) => (await kv.txn({ compare: [], success: [{ put: { key, value } }] })).revision;

it('compacts to the revision its previous round saw, reports size and alarms, and defragments when told', async () => {
  const seen = { compacted: [] as number[], sizes: [] as number[], alarms: [] as string[][], defragmented: 0 };
  const compactor = new Compactor(kv, {
    intervalMs: 0, logger, defragFreeRatio: 0, defragMinBytes: 0,
    observer: { compacted: (r) => seen.compacted.push(r), size: (bytes) => seen.sizes.push(bytes), alarms: (a) => seen.alarms.push(a), defragmented: () => seen.defragmented++ },
  });
  const old = await write('/c/a', '1');
  await compactor.tick(); // records the current revision, compacts nothing
  expect(seen.compacted).toEqual([]);
  const mark = (await kv.range({ key: COMPACT_REV_KEY })).kvs[0].mod_revision;
  await write('/c/a', '2');
  await compactor.tick(); // compacts to the revision the first round saw
  expect(seen.compacted).toEqual([mark]);
  await expect(kv.range({ key: '/c/a', revision: old })).rejects.toThrow(/compacted/);
  expect((await kv.range({ key: '/c/a' })).kvs[0].value.toString()).toBe('2');
  expect(seen.sizes.every((s) => s > 0)).toBe(true);
  expect(seen.alarms).toEqual([[], []]);
  expect(seen.defragmented).toBe(2);
});

it('compacts once per round when two API servers share the key', async () => {
  const compacted: number[] = [];
  const make = () => new Compactor(kv, { intervalMs: 0, logger, observer: { compacted: (r) => compacted.push(r) } });
  const [a, b] = [make(), make()];
  for (let round = 0; round < 3; round++) {
    await write('/c/b', String(round));
    await a.tick();
    await b.tick();
  }
  // Each round, one of them wins the key; the other follows its clock.
  expect(compacted.length).toBeGreaterThanOrEqual(1);
  expect(compacted.length).toBeLessThanOrEqual(3);
  expect(new Set(compacted).size).toBe(compacted.length);
});
