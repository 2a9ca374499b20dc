// HA benchmark on `startCluster({ ha: true, supervise: true })` (3 etcd members, 2 API servers,
// 2 schedulers, 2 controller-managers, one node): API availability for 8 looping clients using
// the failover client while an API server is killed, leader failover time of the scheduler and
// the controller-manager (kill -9 the leader; time until the other holds the lease and acts),
// and the time for killed components to be back and Ready. Last line: JSON.
import { loadavg } from 'node:os';
import { request } from 'undici';
import { BUILTIN_RESOURCES as R, KubeClient, Lease, LEASE_RESOURCE } from '@coxswain/client';
import { startCluster, tlsDispatcher, RunningCluster } from '@coxswain/harness';
import { round } from '../lib/stats';

const CLIENTS = 8;
const LOOP_MS = Number(process.env.BENCH_HA_LOOP_MS ?? 12_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function ready(url: string, ca: string): Promise<boolean | undefined> {
  const res = await request(`${url}/readyz`, { dispatcher: tlsDispatcher(ca) });
  await res.body.text();
  return res.statusCode === 200 || undefined;
}

/** 8 clients create, read and delete ConfigMaps in a loop; an API server is killed meanwhile. */
async function availability(cluster: RunningCluster, client: KubeClient): Promise<Record<string, number>> {
  const counts = { total: 0, failed: 0, writes: 0, failedWrites: 0 };
  const errors = new Map<string, number>();
  const stopAt = Date.now() + LOOP_MS;
  const loop = async (c: number) => {
    for (let i = 0; Date.now() < stopAt; i++) {
      const name = `ha-${c}-${i}`;
      const steps: Array<[boolean, () => Promise<unknown>]> = [
        [true, () => client.create(R.ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { i: String(i) } })],
        [false, () => client.get(R.ConfigMap, name, { namespace: 'default' })],
        [false, () => client.list(R.ConfigMap, { namespace: 'default', limit: 5 })],
        [true, () => client.delete(R.ConfigMap, name, { namespace: 'default' })],
      ];
      for (const [write, step] of steps) {
        counts.total++;
        if (write) counts.writes++;
        try {
          await step();
        } catch (error) {
          counts.failed++;
          if (write) counts.failedWrites++;
          const key = (error as Error).message.slice(0, 80);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }
  };
  const victim = cluster.apis[0];
  const killer = (async () => {
    await sleep(LOOP_MS / 4);
    const killedAt = performance.now();
    process.kill(victim.pid, 'SIGKILL');
    await until('a new API server process', async () => victim.pid);
    await until('the killed API server to be Ready again', () => ready(victim.url, victim.ca!), 60_000);
    return performance.now() - killedAt;
  })();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => loop(c)));
  const backMs = await killer;
  if (errors.size) console.log('availability errors:', Object.fromEntries(errors));
  return { ...counts, apiserverBackReadyMs: round(backMs) };
}

async function readLease(client: KubeClient, name: string): Promise<Lease> {
  return client.get<Lease>(LEASE_RESOURCE, name, { namespace: 'kube-system' });
}

async function leaseHolder(client: KubeClient, name: string): Promise<string | undefined> {
  return (await readLease(client, name)).spec?.holderIdentity;
}

/**
 * kill -9 the leader of `lease`; time until the other instance holds it and `acts` resolves.
 * Where the failover time goes (every process on this machine shares one clock, so the
 * lease's own timestamps can be compared with ours): `sinceRenewMs`, how old the dead
 * leader's last renewal was at the kill (0 – retry period: failover from the kill is that much
 * shorter than the lease duration); `afterExpiryMs`, from that renewal + lease duration to the
 * new holder's acquireTime stamp (the standby's lag: seeing the renewal, waking, one round);
 * `acquiredToVisibleMs`, from that stamp until the new holder's write is readable.
 */
async function leaderFailover(
  cluster: RunningCluster,
  client: KubeClient,
  lease: string,
  components: string[],
  act: () => Promise<() => Promise<boolean | undefined>>,
): Promise<Record<string, number>> {
  const holder = await until(`a ${lease} leader`, () => leaseHolder(client, lease));
  const pid = Number(holder.split('_').pop());
  const leader = components.find((c) => cluster.components[c]?.child.pid === pid);
  if (!leader) throw new Error(`${lease} is held by ${holder}, not one of ${components.join(', ')}`);
  const killedAt = performance.now();
  const killedWall = Date.now();
  process.kill(pid, 'SIGKILL');
  // Dead now: the renewal read here is its last one.
  const last = await readLease(client, lease);
  const acted = await act();
  const taken = await until(`another ${lease} holder`, async () => {
    const l = await readLease(client, lease);
    return l.spec?.holderIdentity && l.spec.holderIdentity !== holder ? l : undefined;
  });
  const leaseMs = performance.now() - killedAt;
  const visibleWall = Date.now();
  await until(`${lease} to act`, acted, 60_000);
  const actMs = performance.now() - killedAt;
  await until(`${leader} back`, async () => (cluster.components[leader].child.pid !== pid && cluster.components[leader].child.exitCode === null) || undefined);
  const backMs = performance.now() - killedAt;
  const renewed = Date.parse(last.spec?.renewTime ?? '');
  const expiry = renewed + (last.spec?.leaseDurationSeconds ?? 15) * 1000;
  const acquired = Date.parse(taken.spec?.acquireTime ?? '');
  const parts = { sinceRenewMs: round(killedWall - renewed), afterExpiryMs: round(acquired - expiry), acquiredToVisibleMs: round(visibleWall - acquired) };
  console.log(`${lease}: ${holder} killed, ${taken.spec?.holderIdentity} leads after ${round(leaseMs)} ms, acted after ${round(actMs)} ms (${JSON.stringify(parts)})`);
  return { leaseMs: round(leaseMs), actMs: round(actMs), backMs: round(backMs), ...parts };
}

async function main(): Promise<void> {
  const cluster = await startCluster({ nodes: 1, vms: false, ha: true, supervise: true });
  const client = new KubeClient({ server: cluster.apis.map((a) => a.url).join(','), token: cluster.api.tokens.admin, ca: cluster.api.ca, qps: 500 });
  try {
    const api = await availability(cluster, client);
    const node = cluster.nodes[0].name;
    const scheduler = await leaderFailover(cluster, client, 'coxswain-scheduler', ['scheduler', 'scheduler-2'], async () => {
      await client.create(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after-failover', namespace: 'default' }, spec: { containers: [{ name: 'a', image: 'busybox', command: ['sleep', '600'] }] } });
      return async () => (await client.get<{ spec?: { nodeName?: string } } & { metadata?: object }>(R.Pod, 'after-failover', { namespace: 'default' })).spec?.nodeName === node || undefined;
    });
    const controllerManager = await leaderFailover(cluster, client, 'coxswain-controller-manager', ['controller-manager', 'controller-manager-2'], async () => {
      const labels = { app: 'ha-rs' };
      await client.create(R.ReplicaSet, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'ha-rs', namespace: 'default' },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'a', image: 'busybox', command: ['sleep', '600'] }] } } },
      } as never);
      return async () => (await client.list(R.Pod, { namespace: 'default', labelSelector: labels })).items.length > 0 || undefined;
    });
    // An etcd member: kill -9, time until it is back and healthy (the supervisor restarts it).
    const member = cluster.etcd.members[1];
    const etcdPid = member.process.child.pid!;
    const etcdKilledAt = performance.now();
    process.kill(etcdPid, 'SIGKILL');
    await until('the etcd member back and healthy', async () => {
      if (member.process.child.pid === etcdPid) return undefined;
      const res = await fetch(`${member.endpoint}/health`);
      return (res.ok && ((await res.json()) as { health?: string }).health === 'true') || undefined;
    });
    const etcdBackMs = round(performance.now() - etcdKilledAt);
    const result = {
      bench: 'ha',
      clients: CLIENTS,
      requests: api.total,
      failedRequests: api.failed,
      failedRatio: round(api.failed / api.total, 5),
      writes: api.writes,
      failedWrites: api.failedWrites,
      apiserverBackReadyMs: api.apiserverBackReadyMs,
      schedulerFailoverMs: scheduler.leaseMs,
      schedulerActsMs: scheduler.actMs,
      schedulerBackMs: scheduler.backMs,
      schedulerSinceRenewMs: scheduler.sinceRenewMs,
      schedulerAfterExpiryMs: scheduler.afterExpiryMs,
      controllerManagerFailoverMs: controllerManager.leaseMs,
      controllerManagerActsMs: controllerManager.actMs,
      controllerManagerBackMs: controllerManager.backMs,
      controllerManagerSinceRenewMs: controllerManager.sinceRenewMs,
      controllerManagerAfterExpiryMs: controllerManager.afterExpiryMs,
      etcdMemberBackHealthyMs: etcdBackMs,
      loadAverage1m: round(loadavg()[0]),
    };
    console.log(JSON.stringify(result));
  } finally {
    await client.destroy();
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
