// Runs inside a network namespace (`ip netns exec NS node -r @swc-node/register dns-client.ts`):
// sends `total` queries with `concurrency` in flight to SERVER:PORT over UDP and prints one JSON
// line with the per-query latencies' percentiles and the rate. `raw` sends the bytes of a query
// for the baseline echo server instead of expecting a DNS answer.
import * as dnsPacket from 'dns-packet';
import { createSocket } from 'node:dgram';

const [server, port, name, totalText, concurrencyText] = process.argv.slice(2);
const total = Number(totalText);
const concurrency = Number(concurrencyText);

async function main(): Promise<void> {
  const socket = createSocket('udp4');
  const pending = new Map<number, { start: number; resolve: () => void }>();
  socket.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    const waiter = pending.get(id);
    if (!waiter) return;
    pending.delete(id);
    latencies.push(performance.now() - waiter.start);
    waiter.resolve();
  });
  await new Promise<void>((r) => socket.bind(0, () => r()));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, lane) => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const id = (lane * 4096 + (i % 4096)) & 0xffff;
      const query = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          failures++;
          resolve();
        }, 2000);
        pending.set(id, { start: performance.now(), resolve: () => { clearTimeout(timer); resolve(); } });
        socket.send(query, Number(port), server);
      });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))];
  socket.close();
  console.log(JSON.stringify({ qps: Math.round(latencies.length / seconds), p50_ms: pct(50), p99_ms: pct(99), failures }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
