// Job and CronJob controllers in-process against a real etcd and API server. No scheduler
// or node agent: the test plays the agent by writing pod status (Succeeded / Failed).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CronJob, findCondition, Job, JOB_LABELS, Pod } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { rfc3339 } from '../framework/time';
import { ControllerManager } from '../manager';
import { createNamespace, eventually, listPods, TestClients, testClients } from '../testing/cluster';
import { CRONJOB_RESOURCE, JOB_RESOURCE } from './resources';
import { JOB_TRACKING_FINALIZER } from './tracking';

const execFileAsync = promisify(execFile);
jest.setTimeout(90_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: TestClients;
let manager: ControllerManager;

const startManager = async () => {
  // The CronJob controller's clock runs 30× faster: a `*/1` schedule fires every 2 s.
  const m = new ControllerManager({ client: clients.controller, logger: clients.logger, controllers: ['job', 'cronjob', 'garbagecollector'], settings: { cronJobClockScale: 30 } });
  await m.start();
  return m;
};

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'], tls: true });
  clients = testClients(api);
  manager = await startManager();
}, 90_000);

afterAll(async () => {
  await manager?.stop();
  await clients?.close();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

const kubectl = async (...args: string[]): Promise<string> => (await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfigPath('admin'), ...args], { timeout: 60_000 })).stdout;

const template = (restartPolicy = 'Never') => ({ spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox:1.36' }] } });

/** Plays the node agent: the pod ran and exited with `exitCode`. */
async function finishPod(client: KubeClient, pod: Pod, exitCode: number): Promise<void> {
  const now = rfc3339(Date.now());
  const terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now };
  await client.patch(
    R.Pod,
    pod.metadata.name!,
    { status: { phase: exitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{ name: 'main', image: 'busybox:1.36', ready: false, restartCount: 0, state: { terminated } }] } },
    { namespace: pod.metadata.namespace, subresource: 'status' },
  );
}

const running = (pods: Pod[]) => pods.filter((p) => !p.status?.phase || p.status.phase === 'Pending' || p.status.phase === 'Running');

describe('Job', () => {
  it('rejects a template with restartPolicy Always, naming the field', async () => {
    const ns = await createNamespace(clients.admin, 'job-invalid');
    const error = await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad', namespace: ns }, spec: { template: template('Always') } } as Job).catch((e) => e);
    expect(error.code).toBe(422);
    expect(error.status?.details?.causes?.map((c: { field: string }) => c.field)).toEqual(['spec.template.spec.restartPolicy']);
  });

  it('an Indexed Job of 6 completions and parallelism 3 runs each index exactly once, and kubectl wait sees it complete', async () => {
    const ns = await createNamespace(clients.admin, 'job-indexed');
    const job = await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'idx', namespace: ns }, spec: { completionMode: 'Indexed', completions: 6, parallelism: 3, template: template() } } as Job);
    expect(job.spec.selector).toEqual({ matchLabels: { [JOB_LABELS.controllerUid]: job.metadata.uid } });
    const waiter = kubectl('wait', '--for=condition=complete', 'job/idx', '-n', ns, '--timeout=60s');
    const finished = new Set<string>();
    let maxRunning = 0;
    await eventually('every index succeeded', async () => {
      const pods = await listPods(clients.admin, ns);
      const active = running(pods).filter((p) => !p.metadata.deletionTimestamp);
      maxRunning = Math.max(maxRunning, active.length);
      for (const pod of active) {
        if (finished.has(pod.metadata.name!)) continue;
        await finishPod(clients.admin, pod, 0);
        finished.add(pod.metadata.name!);
      }
      const current = await clients.admin.get<Job>(JOB_RESOURCE, 'idx', { namespace: ns });
      return findCondition(current.status?.conditions, 'Complete')?.status === 'True' ? current : undefined;
    }, 60_000, 200);
    expect(await waiter).toContain('job.batch/idx condition met');
    const pods = await listPods(clients.admin, ns);
    const indexes = pods.map((p) => p.metadata.annotations?.[JOB_LABELS.completionIndex]).sort();
    expect(indexes).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const pod of pods) {
      const index = pod.metadata.annotations![JOB_LABELS.completionIndex];
      expect(pod.metadata.name).toMatch(new RegExp(`^idx-${index}-[a-z0-9]{5}$`));
      expect(pod.spec.containers[0].env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', value: index });
    }
    expect(maxRunning).toBeLessThanOrEqual(3);
    const done = await clients.admin.get<Job>(JOB_RESOURCE, 'idx', { namespace: ns });
    expect(done.status).toMatchObject({ succeeded: 6, active: 0, completedIndexes: '0-5' });
    expect(findCondition(done.status?.conditions, 'SuccessCriteriaMet')?.status).toBe('True');
    expect(await kubectl('get', 'job', 'idx', '-n', ns)).toMatch(/idx\s+Complete\s+6\/6/);
  });

  it('stops at backoffLimit with BackoffLimitExceeded, and FailJob on an exit code fails at once', async () => {
    const ns = await createNamespace(clients.admin, 'job-fail');
    await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'flaky', namespace: ns }, spec: { backoffLimit: 0, template: template() } } as Job);
    await clients.admin.create<Job>(JOB_RESOURCE, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'policy', namespace: ns },
      spec: { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] }, template: template() },
    } as Job);
    const byJob = async (name: string) => (await listPods(clients.admin, ns, `${JOB_LABELS.jobName}=${name}`)).filter((p) => !p.status?.phase || p.status.phase === 'Pending');
    const flakyPod = await eventually('a pod of flaky', async () => (await byJob('flaky'))[0]);
    const policyPod = await eventually('a pod of policy', async () => (await byJob('policy'))[0]);
    await finishPod(clients.admin, flakyPod, 1);
    await finishPod(clients.admin, policyPod, 42);
    const failedWith = async (name: string) =>
      eventually(`${name} Failed`, async () => {
        const job = await clients.admin.get<Job>(JOB_RESOURCE, name, { namespace: ns });
        const failed = findCondition(job.status?.conditions, 'Failed');
        return failed?.status === 'True' ? failed : undefined;
      });
    expect(await failedWith('flaky')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(await failedWith('policy')).toMatchObject({ reason: 'PodFailurePolicy', message: expect.stringContaining('failed with exit code 42 matching FailJob rule at index 0') });
    expect(await listPods(clients.admin, ns, `${JOB_LABELS.jobName}=flaky`)).toHaveLength(1);
  });

  it('a controller restart creates no duplicate pods', async () => {
    const ns = await createNamespace(clients.admin, 'job-restart');
    await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'steady', namespace: ns }, spec: { completions: 4, parallelism: 4, template: template() } } as Job);
    await eventually('4 pods', async () => (await listPods(clients.admin, ns)).length === 4);
    await manager.stop();
    manager = await startManager();
    // Give the new manager several passes over the Job, then count again.
    await clients.admin.patch(JOB_RESOURCE, 'steady', { metadata: { labels: { poke: '1' } } }, { namespace: ns });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await listPods(clients.admin, ns)).toHaveLength(4);
  });
});

describe('Job tracking with finalizers', () => {
  it('counts every finished pod exactly once across a pod deleted before it was counted and a restart mid-way', async () => {
    const ns = await createNamespace(clients.admin, 'job-tracking');
    await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'count', namespace: ns }, spec: { completions: 3, parallelism: 3, template: template() } } as Job);
    const pods = await eventually('3 pods', async () => {
      const list = await listPods(clients.admin, ns);
      return list.length === 3 ? list.sort((x, y) => x.metadata.name!.localeCompare(y.metadata.name!)) : undefined;
    });
    for (const pod of pods) expect(pod.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    await manager.stop();
    const [a, b, c] = pods;
    for (const pod of pods) await finishPod(clients.admin, pod, 0);
    // As if the previous controller died mid-pass: a and b recorded as uncounted (phase 1),
    // a's finalizer already off (phase 2), b's still on; nothing moved into succeeded.
    const job = await clients.admin.get<Job>(JOB_RESOURCE, 'count', { namespace: ns });
    await clients.admin.updateStatus(JOB_RESOURCE, { ...job, status: { ...job.status, uncountedTerminatedPods: { succeeded: [a.metadata.uid!, b.metadata.uid!] } } });
    await clients.admin.patch(R.Pod, a.metadata.name!, [{ op: 'remove', path: '/metadata/finalizers/0' }], { namespace: ns, type: 'json' });
    // c finished, and someone deletes it before any controller counted it; the finalizer holds it.
    await clients.admin.delete(R.Pod, c.metadata.name!, { namespace: ns });
    expect((await clients.admin.get<Pod>(R.Pod, c.metadata.name!, { namespace: ns })).metadata.deletionTimestamp).toBeDefined();

    manager = await startManager();
    let most = 0;
    const done = await eventually('Complete', async () => {
      const current = await clients.admin.get<Job>(JOB_RESOURCE, 'count', { namespace: ns });
      most = Math.max(most, current.status?.succeeded ?? 0);
      return findCondition(current.status?.conditions, 'Complete')?.status === 'True' ? current : undefined;
    }, 30_000, 50);
    expect(done.status).toMatchObject({ succeeded: 3, failed: 0, uncountedTerminatedPods: {} });
    expect(most).toBe(3);
    const left = await listPods(clients.admin, ns);
    expect(left.map((p) => p.metadata.name).sort()).toEqual([a.metadata.name, b.metadata.name]);
    for (const pod of left) expect(pod.metadata.finalizers ?? []).toEqual([]);
    // Later passes leave the count alone.
    await clients.admin.patch(JOB_RESOURCE, 'count', { metadata: { labels: { poke: '1' } } }, { namespace: ns });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await clients.admin.get<Job>(JOB_RESOURCE, 'count', { namespace: ns })).status?.succeeded).toBe(3);
  });

  it('a deleted Job leaves no pod held by its finalizer: the collector deletes them and the finalizers come off', async () => {
    const ns = await createNamespace(clients.admin, 'job-gone');
    await clients.admin.create<Job>(JOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'gone', namespace: ns }, spec: { completions: 2, parallelism: 2, template: template() } } as Job);
    await eventually('2 pods', async () => (await listPods(clients.admin, ns)).length === 2);
    await clients.admin.delete(JOB_RESOURCE, 'gone', { namespace: ns, propagationPolicy: 'Background' });
    await eventually('pods collected', async () => (await listPods(clients.admin, ns)).length === 0, 30_000);
  });
});

describe('CronJob', () => {
  it('creates a Job per schedule time, keeps the history limit, and kubectl create job --from works', async () => {
    const ns = await createNamespace(clients.admin, 'cron');
    await clients.admin.create<CronJob>(CRONJOB_RESOURCE, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: ns },
      spec: { schedule: '*/1 * * * *', successfulJobsHistoryLimit: 1, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: template('OnFailure') } } },
    } as CronJob);
    const seen = new Set<string>();
    // Finish every pod as it appears, so each Job completes; wait until 4 Jobs have existed.
    await eventually('4 scheduled Jobs', async () => {
      for (const pod of running(await listPods(clients.admin, ns))) await finishPod(clients.admin, pod, 0).catch(() => undefined);
      for (const job of (await clients.admin.list<Job>(JOB_RESOURCE, { namespace: ns })).items) seen.add(job.metadata.name!);
      return seen.size >= 4;
    }, 60_000, 200);
    for (const name of seen) expect(name).toMatch(/^tick-\d{8}$/);
    await eventually('at most 1 finished Job kept', async () => {
      const jobs = (await clients.admin.list<Job>(JOB_RESOURCE, { namespace: ns })).items;
      const complete = jobs.filter((j) => findCondition(j.status?.conditions, 'Complete')?.status === 'True');
      return complete.length <= 1;
    });
    const cronJob = await clients.admin.get<CronJob>(CRONJOB_RESOURCE, 'tick', { namespace: ns });
    expect(cronJob.status?.lastScheduleTime).toBeDefined();
    expect(cronJob.status?.lastSuccessfulTime).toBeDefined();

    expect(await kubectl('create', 'job', 'manual', '--from=cronjob/tick', '-n', ns)).toContain('job.batch/manual created');
    const manual = await clients.admin.get<Job>(JOB_RESOURCE, 'manual', { namespace: ns });
    expect(manual.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    await eventually('a pod of the manual Job', async () => (await listPods(clients.admin, ns, `${JOB_LABELS.jobName}=manual`)).length === 1);
  });

  it('rejects an invalid schedule with 422 naming spec.schedule', async () => {
    const ns = await createNamespace(clients.admin, 'cron-invalid');
    const error = await clients.admin
      .create<CronJob>(CRONJOB_RESOURCE, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'bad', namespace: ns }, spec: { schedule: '61 * * * *', jobTemplate: { spec: { template: template('Never') } } } } as CronJob)
      .catch((e) => e);
    expect(error.code).toBe(422);
    expect(error.status?.details?.causes?.map((c: { field: string }) => c.field)).toEqual(['spec.schedule']);
  });
});
