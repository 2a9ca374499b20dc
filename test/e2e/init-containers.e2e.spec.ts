// Init containers on a harness cluster: they run one at a time, in order, each to completion,
// before any app container starts; a failed one fails the pod under restartPolicy Never and is
// restarted with back-off otherwise.
import { join } from 'node:path';
import { CONTAINER_LABELS, ContainerDriver } from '@coxswain/runtime';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, Obj, waitFor } from './support';

jest.setTimeout(180_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1, scheduler: false, controllers: false, vms: false, agentArgs: ['--crash-loop-backoff-initial-ms', '1000'] });
});

afterAll(async () => {
  await cluster?.stop();
});

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
const sh = (script: string) => ({ image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'work', mountPath: '/work' }] });

/** A pod on node-1 with an emptyDir at /work shared by its init containers and its app container. */
async function createPod(name: string, initContainers: Obj[], app: string, restartPolicy = 'Always'): Promise<void> {
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: 'node-1',
      restartPolicy,
      terminationGracePeriodSeconds: 1,
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers,
      containers: [{ name: 'app', ...sh(app) }],
    },
  });
  expect(res.status).toBe(201);
}

const statusOf = async (name: string) => (await getObj(cluster, podPath(name)))?.status as Obj | undefined;
const condition = (status: Obj, type: string) => (status.conditions as Obj[]).find((c) => c.type === type);

it('runs init containers in order, each to completion, before the app container', async () => {
  await createPod('ordered', [
    { name: 'one', ...sh('sleep 3; echo one | tee -a /work/log') },
    { name: 'two', ...sh('echo two | tee -a /work/log') },
  ], 'cat /work/log; exec sleep 3600');

  // While `one` sleeps: Pending, not Initialized, the app waiting for init.
  const during = await waitFor('first init container running', async () => {
    const status = await statusOf('ordered');
    return status?.initContainerStatuses?.[0]?.state?.running && status;
  }, 60_000, 100);
  expect(during.phase).toBe('Pending');
  expect(condition(during, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [one two]' });
  expect(condition(during, 'Ready')?.status).toBe('False');
  expect(during.initContainerStatuses[1].state.waiting.reason).toBe('PodInitializing');
  expect(during.containerStatuses[0]).toMatchObject({ name: 'app', ready: false, state: { waiting: { reason: 'PodInitializing' } } });
  expect(during.containerStatuses[0].containerID).toBeUndefined();
  expect(await k(cluster, 'get', 'pod', 'ordered', '--no-headers')).toMatch(/^ordered\s+0\/1\s+Init:0\/2\s+0\s/);

  const running = await waitFor('pod Running', async () => {
    const status = await statusOf('ordered');
    return status?.phase === 'Running' && status;
  }, 60_000);
  expect(condition(running, 'Initialized')?.status).toBe('True');
  for (const [i, name] of ['one', 'two'].entries()) {
    expect(running.initContainerStatuses[i]).toMatchObject({ name, ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  }
  // `two` started only after `one` finished.
  const [one, two] = running.initContainerStatuses.map((s: Obj) => s.state.terminated);
  expect(Date.parse(two.startedAt)).toBeGreaterThanOrEqual(Date.parse(one.finishedAt));
  const logs = await waitFor('app output', async () => {
    const out = await k(cluster, 'logs', 'ordered', '-c', 'app');
    return out.length > 0 && out;
  });
  expect(logs).toBe('one\ntwo\n');
  // Init containers' logs are kept like any container's.
  expect(await k(cluster, 'logs', 'ordered', '-c', 'one')).toBe('one\n');
  expect(await k(cluster, 'get', 'pod', 'ordered', '--no-headers')).toMatch(/^ordered\s+1\/1\s+Running\s+0\s/);
});

it('fails a restartPolicy Never pod whose init container fails; the app container never starts', async () => {
  await createPod('init-fails', [{ name: 'migrate', ...sh('exit 3') }], 'exec sleep 3600', 'Never');
  const failed = await waitFor('pod Failed', async () => {
    const status = await statusOf('init-fails');
    return status?.phase === 'Failed' && status;
  }, 60_000);
  expect(failed.initContainerStatuses[0]).toMatchObject({ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } });
  expect(failed.containerStatuses[0]).toMatchObject({ name: 'app', ready: false, state: { waiting: { reason: 'PodInitializing' } } });
  expect(failed.containerStatuses[0].containerID).toBeUndefined();
  expect(condition(failed, 'Initialized')?.status).toBe('False');
  expect(await k(cluster, 'get', 'pod', 'init-fails', '--no-headers')).toMatch(/^init-fails\s+0\/1\s+Init:Error\s+0\s/);
  await new Promise((r) => setTimeout(r, 2000)); // a few more passes: still nothing started
  const uid = (await getObj(cluster, podPath('init-fails')))!.metadata.uid;
  const driver = new ContainerDriver({ root: join(cluster.nodes[0].root, 'containers') });
  const names = (await driver.list()).filter((c) => c.labels[CONTAINER_LABELS.podUid] === uid).map((c) => c.labels[CONTAINER_LABELS.containerName]);
  expect(names).toEqual(['migrate']);
});

it('restarts a failed init container under restartPolicy Always, then starts the app', async () => {
  // Fails the first time, succeeds once the file it left is there.
  await createPod('init-retries', [{ name: 'flaky', ...sh('[ -f /work/x ] || { touch /work/x; exit 1; }') }], 'exec sleep 3600');
  const running = await waitFor('pod Running', async () => {
    const status = await statusOf('init-retries');
    return status?.phase === 'Running' && status;
  }, 60_000);
  expect(running.initContainerStatuses[0]).toMatchObject({ name: 'flaky', ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  expect(running.initContainerStatuses[0].restartCount).toBeGreaterThanOrEqual(1);
  expect(running.initContainerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  expect(running.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, restartCount: 0, state: { running: {} } });
});
