// `npm run up -- --prometheus`: Debian's Prometheus on loopback against the cluster's
// generated <state>/prometheus.yml, its data under <state>/prometheus.
import { join } from 'node:path';
import { ManagedProcess, spawnManaged } from '@coxswain/harness';

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

export function startPrometheus(stateDir: string, port: number, log: (line: string) => void): RunningPrometheus {
  const proc: ManagedProcess = spawnManaged('prometheus', [
    `--config.file=${join(stateDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(stateDir, 'prometheus')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  for (const stream of [proc.child.stdout, proc.child.stderr]) stream?.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach(log));
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.stop(10_000) };
}
