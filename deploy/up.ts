// All-in-one launcher behind `npm run up`: starts etcd and every component that exists,
// prints `ready: <API URL> <dashboard URL>`, and stops everything on Ctrl-C / SIGTERM.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEtcd } from '@coxswain/harness';

const stateDir = join(__dirname, '..', '.coxswain');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '1' } },
    strict: true,
  });
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`--nodes must be a positive integer, got ${values.nodes}`);

  await mkdir(stateDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`up: ${signal} received, stopping`);
    for (const stop of stops.reverse()) await stop().catch((e) => console.error('up: stop failed:', e));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const etcd = await startEtcd({ dataDir: join(stateDir, 'etcd') });
  stops.push(() => etcd.stop());
  console.log(`up: etcd ${etcd.endpoint} (data in .coxswain/etcd)`);

  // The API server, scheduler, controllers, node agents and dashboard join here as they land.
  console.log(`ready: ${etcd.endpoint} -`);
  console.log('up: only etcd exists so far; press Ctrl-C to stop');
}

main().catch((error) => {
  console.error('up: failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
