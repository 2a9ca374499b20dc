// The yardstick: raw single-key etcd transactions per second (create-if-absent, the shape of
// an API create or a guarded update), 64 in flight, straight from the etcd3 client.
import { Etcd3 } from 'etcd3';

export async function measureEtcdTxnRate(endpoint: string, options: { count?: number; inFlight?: number } = {}): Promise<number> {
  const count = options.count ?? 8000;
  const inFlight = options.inFlight ?? 64;
  const client = new Etcd3({ hosts: endpoint });
  const value = 'x'.repeat(1024); // about the size of a small Pod object
  const txn = (i: number) => client.if(`/bench/txn/${i}`, 'Mod', '==', 0).then(client.put(`/bench/txn/${i}`).value(value)).commit();
  try {
    // Warm the connection and etcd's caches first.
    await Promise.all(Array.from({ length: inFlight }, (_, i) => txn(-1 - i)));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < count) await txn(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.delete().prefix('/bench/txn/');
    return count / seconds;
  } finally {
    client.close();
  }
}
