// Chaos on the HA control plane (3 etcd members, 2 API servers, 2 schedulers, 2
// controller-managers, all supervised as `npm run up -- --ha` runs them): while a Deployment
// scales, kill -9 in turn the leader scheduler, the leader controller-manager, the first API
// server and the first etcd member. After each fault the cluster converges — exactly the
// desired replicas, all Running, one ReplicaSet, no pod twice — every acknowledged write is
// still there, and the killed component is running again. Prints a summary (convergence time
// per fault) as one JSON line.
import { BUILTIN_RESOURCES as R, KubeClient, Lease, LEASE_RESOURCE } from '@coxswain/client';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { Obj, waitFor } from './support';

jest.setTimeout(180_000);

const NS = 'default';
const LABELS = { app: 'chaos' };

let cluster: RunningCluster;
let client: KubeClient;
const restarts = new Set<string>();
const summary: Record<string, number> = {};
/** ConfigMaps whose create was answered 201 (by whichever API server). */
const acknowledged = new Set<string>();
let writes: Promise<void> | undefined;
let writing = true;
let failedWrites = 0;

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 2,
    vms: false,
    ha: true,
    supervise: true,
    onLog: (component, line) => {
      if (line.includes('restarting in')) restarts.add(component);
    },
  });
  client = new KubeClient({ server: cluster.apis.map((a) => a.url).join(','), token: cluster.api.tokens.admin, ca: cluster.api.ca, qps: 200 });
  await client.create(R.Deployment, deployment(2) as never);
  await converged(2);
  // A writer that keeps creating ConfigMaps through every fault.
  writes = (async () => {
    for (let i = 0; writing; i++) {
      const name = `chaos-w-${i}`;
      try {
        await client.create(R.ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { i: String(i) } });
        acknowledged.add(name);
      } catch {
        failedWrites++; // a create cut mid-flight is not retried (not idempotent); it may or may not exist
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}, 240_000);

afterAll(async () => {
  writing = false;
  await writes;
  await client?.destroy();
  await cluster?.stop();
});

function deployment(replicas: number): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chaos', namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    },
  };
}

/** What is wrong with the Deployment's state for `replicas` (undefined once converged). */
async function divergence(replicas: number): Promise<string | undefined> {
  const pods = (await client.list(R.Pod, { namespace: NS, labelSelector: LABELS })).items as Obj[];
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const names = live.map((p) => p.metadata.name as string);
  if (new Set(names).size !== names.length) return `a pod listed twice: ${names.join(', ')}`;
  if (live.length !== replicas) return `${live.length} pods, want ${replicas}`;
  const notRunning = live.filter((p) => p.status?.phase !== 'Running' || !p.spec?.nodeName);
  if (notRunning.length) return `${notRunning.length} pods not Running`;
  const sets = ((await client.list(R.ReplicaSet, { namespace: NS, labelSelector: LABELS })).items as Obj[]).filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (sets.length !== 1) return `${sets.length} ReplicaSets with replicas`;
  const d = (await client.get(R.Deployment, 'chaos', { namespace: NS })) as Obj;
  if (d.status?.readyReplicas !== replicas || d.status?.replicas !== replicas) return `deployment status ${JSON.stringify(d.status)}`;
  return undefined;
}

async function converged(replicas: number, timeoutMs = 120_000): Promise<void> {
  let last: string | undefined = 'not checked';
  await waitFor(`${replicas} replicas converged`, async () => {
    last = await divergence(replicas).catch((e: Error) => `error: ${e.message}`);
    return last === undefined;
  }, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}; last divergence: ${last}`);
  });
}

async function leader(lease: string, candidates: string[]): Promise<string> {
  const holder = await waitFor(`a ${lease} holder`, async () => (await client.get<Lease>(LEASE_RESOURCE, lease, { namespace: 'kube-system' })).spec?.holderIdentity || undefined);
  const pid = Number(holder.split('_').pop());
  const name = candidates.find((c) => cluster.components[c]?.child.pid === pid);
  if (!name) throw new Error(`${lease} is held by ${holder}, not one of ${candidates.join(', ')}`);
  return name;
}

interface Fault {
  name: string;
  replicas: number;
  /** kill -9 something; answers how to tell it is back. */
  kill(): Promise<{ component: string; back: () => boolean }>;
}

const killProcess = (component: string, proc: { child: { pid?: number; exitCode: number | null; kill(s: NodeJS.Signals): boolean } }) => {
  const pid = proc.child.pid;
  proc.child.kill('SIGKILL');
  return { component, back: () => proc.child.pid !== pid && proc.child.exitCode === null };
};

const faults: Fault[] = [
  {
    name: 'leader scheduler',
    replicas: 6,
    async kill() {
      const name = await leader('coxswain-scheduler', ['scheduler', 'scheduler-2']);
      return killProcess(name, cluster.components[name]);
    },
  },
  {
    name: 'leader controller-manager',
    replicas: 9,
    async kill() {
      const name = await leader('coxswain-controller-manager', ['controller-manager', 'controller-manager-2']);
      return killProcess(name, cluster.components[name]);
    },
  },
  {
    name: 'first API server',
    replicas: 5,
    async kill() {
      const api = cluster.apis[0];
      const pid = api.pid;
      process.kill(pid, 'SIGKILL');
      return { component: 'apiserver', back: () => api.pid !== pid };
    },
  },
  {
    name: 'first etcd member',
    replicas: 8,
    async kill() {
      const member = cluster.etcd.members[0];
      return killProcess(`etcd ${member.name}`, member.process);
    },
  },
];

describe.each(faults)('kill -9 of the $name while the Deployment scales', (fault) => {
  it(`converges to ${fault.replicas} replicas and the killed component comes back`, async () => {
    await client.patch(R.Deployment, 'chaos', { spec: { replicas: fault.replicas } }, { namespace: NS });
    const started = performance.now();
    const killed = await fault.kill();
    await converged(fault.replicas);
    summary[fault.name] = Math.round(performance.now() - started);
    await waitFor(`${killed.component} running again`, async () => killed.back());
    expect(restarts).toContain(killed.component);
  });
});

it('lost no acknowledged write and left no duplicate', async () => {
  writing = false;
  await writes;
  const present = new Set(((await client.list(R.ConfigMap, { namespace: NS })).items as Obj[]).map((c) => c.metadata.name as string));
  const lost = [...acknowledged].filter((name) => !present.has(name));
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(lost).toEqual([]);
  console.log(JSON.stringify({ chaos: 'convergence ms per fault', ...summary, acknowledgedWrites: acknowledged.size, failedWrites }));
});
