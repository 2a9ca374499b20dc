// Job, CronJob, DaemonSet, StatefulSet and PodDisruptionBudget on the real 2-node harness
// (scheduler, node agents, runc). The CronJob controller runs 30× faster
// (--cronjob-clock-scale 30, a tests-only flag) so `*/1 * * * *` fires every 2 s.
// A third node joins (the harness's spare node) while the DaemonSet runs.
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, k, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
const NS = 'wl';

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, spareNodes: 1, vms: false, controllerArgs: ['--cronjob-clock-scale', '30'] });
  await k(cluster, 'create', 'namespace', NS);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const apply = async (obj: Obj) => expect((await kubectl(cluster, ['apply', '-f', await manifest(JSON.stringify(obj))])).code).toBe(0);
const pods = async (selector: string): Promise<Obj[]> => (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items ?? [];
const isReady = (p: Obj) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
const container = (command: string) => ({ name: 'main', image: 'busybox', command: ['sh', '-c', command], resources: { requests: { cpu: '10m', memory: '8Mi' } } });

describe('Job', () => {
  it('an Indexed Job of 6 completions, parallelism 3, runs each index exactly once and completes', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'idx', namespace: NS },
      spec: { completionMode: 'Indexed', completions: 6, parallelism: 3, template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [container('echo index=$JOB_COMPLETION_INDEX; sleep 1')] } } },
    });
    let maxActive = 0;
    const watcher = setInterval(() => {
      void pods('batch.kubernetes.io/job-name=idx').then((items) => (maxActive = Math.max(maxActive, items.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase)).length)), () => undefined);
    }, 300);
    const waited = await kubectl(cluster, ['wait', '--for=condition=complete', 'job/idx', '-n', NS, '--timeout=240s'], { timeoutMs: 250_000 });
    clearInterval(watcher);
    expect(waited.stdout).toContain('job.batch/idx condition met');
    const done = await pods('batch.kubernetes.io/job-name=idx');
    const succeeded = done.filter((p) => p.status?.phase === 'Succeeded');
    expect(succeeded.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(maxActive).toBeLessThanOrEqual(3);
    const log = await k(cluster, 'logs', '-n', NS, succeeded.find((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '4')!.metadata.name);
    expect(log).toContain('index=4');
  });
});

describe('CronJob', () => {
  it('creates Jobs on its schedule and keeps successfulJobsHistoryLimit', async () => {
    await apply({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: NS },
      spec: { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 1, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', terminationGracePeriodSeconds: 1, containers: [container('true')] } } } } },
    });
    const seen = new Set<string>();
    const dump = async () => {
      const cj = (await api(cluster, 'GET', `/apis/batch/v1/namespaces/${NS}/cronjobs/tick`)).body;
      const jobs = (await api(cluster, 'GET', `/apis/batch/v1/namespaces/${NS}/jobs`)).body.items ?? [];
      const events = ((await api(cluster, 'GET', `/api/v1/namespaces/${NS}/events`)).body.items ?? []).filter((e: Obj) => e.involvedObject?.kind === 'CronJob' || e.involvedObject?.kind === 'Job');
      return JSON.stringify({ status: cj.status, seen: [...seen], jobs: jobs.map((j: Obj) => [j.metadata.name, j.status]), events: events.map((e: Obj) => `${e.reason}: ${e.message}`) }, null, 1);
    };
    await waitFor('3 Jobs of tick, one finished kept', async () => {
      // Only tick's Jobs: the Indexed Job of the Job test shares the namespace.
      const jobs: Obj[] = ((await api(cluster, 'GET', `/apis/batch/v1/namespaces/${NS}/jobs`)).body.items ?? []).filter((j: Obj) => /^tick-\d+$/.test(j.metadata.name));
      for (const j of jobs) seen.add(j.metadata.name);
      const complete = jobs.filter((j) => (j.status?.conditions ?? []).some((c: Obj) => c.type === 'Complete' && c.status === 'True'));
      return seen.size >= 3 && complete.length <= 1;
    }, 180_000, 500).catch(async (error) => {
      throw new Error(`${(error as Error).message}\n${await dump()}`);
    });
    await k(cluster, 'patch', 'cronjob', 'tick', '-n', NS, '-p', '{"spec":{"suspend":true}}');
  });
});

describe('DaemonSet', () => {
  it('runs one pod on each node, placed by the scheduler, and on a third node that joins', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: NS },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 1, containers: [container('exec sleep 3600')] } } },
    });
    const ready = await waitFor('a ready agent on each node', async () => {
      const items = (await pods('app=agent')).filter(isReady);
      return items.length === 2 && items;
    }, 120_000);
    expect(ready.map((p) => p.spec.nodeName).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
    expect((await k(cluster, 'get', 'ds', 'agent', '-n', NS)).split('\n')[1]).toMatch(/^agent\s+2\s+2\s+2\s+2\s+2\s/);

    const third = await cluster.addNode();
    const onThird = await waitFor(`a ready agent on ${third.name}`, async () => (await pods('app=agent')).find((p) => isReady(p) && p.spec.nodeName === third.name), 120_000);
    expect(onThird.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent' });
    await waitFor('the DaemonSet counting 3 nodes', async () => /^agent\s+3\s+3\s+3\s+3\s+3\s/.test((await k(cluster, 'get', 'ds', 'agent', '-n', NS)).split('\n')[1]), 60_000);
    expect((await pods('app=agent')).filter(isReady).map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
  });
});

describe('StatefulSet and PodDisruptionBudget', () => {
  it('starts 3 pods in order, keeps names across a deletion, and a drain waits for minAvailable 2', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NS },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { terminationGracePeriodSeconds: 1, containers: [container('exec sleep 3600')] } } },
    });
    const all = await waitFor('3 ready db pods', async () => {
      const items = (await pods('app=db')).filter(isReady);
      return items.length === 3 && items;
    }, 180_000);
    const byName = new Map(all.map((p) => [p.metadata.name, p]));
    for (const i of [1, 2]) {
      const readyAt = Date.parse(byName.get(`db-${i - 1}`)!.status.conditions.find((c: Obj) => c.type === 'Ready').lastTransitionTime);
      expect(Date.parse(byName.get(`db-${i}`)!.metadata.creationTimestamp)).toBeGreaterThanOrEqual(readyAt);
    }
    const oldUid = byName.get('db-1')!.metadata.uid;
    await k(cluster, 'delete', 'pod', 'db-1', '-n', NS);
    await waitFor('db-1 back', async () => (await pods('app=db')).some((p) => p.metadata.name === 'db-1' && p.metadata.uid !== oldUid && isReady(p)), 120_000);

    await apply({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: NS }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } });
    await waitFor('the budget allows 1', async () => (await api(cluster, 'GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/db`)).body.status?.disruptionsAllowed === 1, 60_000);
    // Drain the node holding most db pods; sample the ready count meanwhile.
    const current = await pods('app=db');
    const counts = new Map<string, number>();
    for (const p of current) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    const target = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    let minReady = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const n = (await pods('app=db').catch(() => undefined))?.filter(isReady).length;
        if (n !== undefined) minReady = Math.min(minReady, n);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const drain = await kubectl(cluster, ['drain', target, '--pod-selector=app=db', '--timeout=90s'], { timeoutMs: 120_000 });
    sampling = false;
    await sampler;
    await k(cluster, 'uncordon', target);
    if ((counts.get(target) ?? 0) >= 2) expect(drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(minReady).toBeGreaterThanOrEqual(2);
  });

  it('a rolling update with maxUnavailable 3 replaces all 3 pods at once, though the new ones never get ready', async () => {
    const web = (probe: string) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 3, serviceName: 'web', podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'web' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ ...container('exec sleep 3600'), readinessProbe: { exec: { command: [probe] }, periodSeconds: 1 } }] } },
      },
    });
    await apply(web('true'));
    await waitFor('3 ready web pods', async () => (await pods('app=web')).filter(isReady).length === 3, 180_000);
    // One at a time (the default), the first new pod never being ready would stall the rollout there.
    await apply(web('false'));
    const updateRevision = await waitFor('the new revision', async () => {
      const sts = (await api(cluster, 'GET', `/apis/apps/v1/namespaces/${NS}/statefulsets/web`)).body;
      return sts.status?.updateRevision !== sts.status?.currentRevision && sts.status?.updateRevision;
    }, 60_000);
    await waitFor('all 3 pods on the new revision', async () => {
      const items = (await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp);
      return items.length === 3 && items.every((p) => p.metadata.labels['controller-revision-hash'] === updateRevision);
    }, 120_000);
    expect((await pods('app=web')).filter(isReady)).toHaveLength(0);
  });
});
