// Pod fields the node agent used to accept and ignore, on a real 2-node harness: service
// environment variables (enableServiceLinks), activeDeadlineSeconds, readinessGates,
// termination messages (the file at terminationMessagePath, FallbackToLogsOnError), resourceFieldRef on ephemeral-storage.
// grpc probes are covered against a real HTTP/2 health server at unit level
// (apps/node-agent/src/probes/grpc-health.integration.spec.ts): no test image serves grpc.health.v1.
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, Obj, waitFor } from './support';

jest.setTimeout(240_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, scheduler: false, controllers: false, agentArgs: ['--crash-loop-backoff-initial-ms', '1000'] });
});

afterAll(async () => {
  await cluster?.stop();
});

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;

async function createPod(name: string, node: string, container: Obj, extra: Obj = {}): Promise<void> {
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: node, terminationGracePeriodSeconds: 2, containers: [{ name: 'app', image: 'busybox', ...container }], ...extra },
  });
  expect(res.status).toBe(201);
}

const phaseOf = async (name: string) => (await getObj(cluster, podPath(name)))?.status?.phase;
const envOf = async (name: string) => Object.fromEntries((await k(cluster, 'exec', name, '--', 'env')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('service environment variables', () => {
  it('a pod sees KUBERNETES_SERVICE_* and its namespace\'s Services; with enableServiceLinks false only the former', async () => {
    const svc = await api(cluster, 'POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'back-end' },
      spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    });
    expect(svc.status).toBe(201);
    const clusterIP = svc.body.spec.clusterIP as string;
    const master = (await getObj(cluster, '/api/v1/namespaces/default/services/kubernetes'))!;
    const env = { env: [{ name: 'URL', value: 'http://$(BACK_END_SERVICE_HOST):$(BACK_END_SERVICE_PORT_HTTP)' }, { name: 'EPH', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1Mi' } } }] };
    await createPod('linked', 'node-1', { command: ['sh', '-c', 'exec sleep 3600'], resources: { limits: { 'ephemeral-storage': '64Mi' } }, ...env });
    await createPod('unlinked', 'node-2', { command: ['sh', '-c', 'exec sleep 3600'], ...env }, { enableServiceLinks: false });
    await waitFor('both Running', async () => (await phaseOf('linked')) === 'Running' && (await phaseOf('unlinked')) === 'Running', 120_000);

    const linked = await envOf('linked');
    expect(linked).toMatchObject({
      KUBERNETES_SERVICE_HOST: master.spec.clusterIP,
      KUBERNETES_SERVICE_PORT: String(master.spec.ports[0].port),
      BACK_END_SERVICE_HOST: clusterIP,
      BACK_END_SERVICE_PORT: '8080',
      BACK_END_SERVICE_PORT_HTTP: '8080',
      BACK_END_SERVICE_PORT_DNS: '53',
      BACK_END_PORT: `tcp://${clusterIP}:8080`,
      BACK_END_PORT_53_UDP: `udp://${clusterIP}:53`,
      BACK_END_PORT_8080_TCP_ADDR: clusterIP,
      URL: `http://${clusterIP}:8080`,
      EPH: '64',
    });
    const unlinked = await envOf('unlinked');
    expect(unlinked.KUBERNETES_SERVICE_HOST).toBe(master.spec.clusterIP);
    expect(unlinked.BACK_END_SERVICE_HOST).toBeUndefined();
    // Not expanded without the variable, as in Kubernetes; the limit defaults to the node's allocatable.
    expect(unlinked.URL).toBe('http://$(BACK_END_SERVICE_HOST):$(BACK_END_SERVICE_PORT_HTTP)');
    expect(Number(unlinked.EPH)).toBeGreaterThan(64);
  });
});

describe('activeDeadlineSeconds', () => {
  it('kills the pod and fails it with DeadlineExceeded; it is not restarted', async () => {
    await createPod('deadline', 'node-1', { command: ['sleep', '600'] }, { activeDeadlineSeconds: 3, restartPolicy: 'Always' });
    const pod = await waitFor('pod Failed', async () => {
      const p = await getObj(cluster, podPath('deadline'));
      return p?.status?.phase === 'Failed' && p;
    }, 120_000);
    expect(pod.status).toMatchObject({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    const terminated = await waitFor('container terminated', async () => (await getObj(cluster, podPath('deadline')))?.status?.containerStatuses?.[0]?.state?.terminated, 60_000);
    expect(terminated.exitCode).not.toBe(0);
    const events = await api(cluster, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Ddeadline');
    expect(events.body.items.map((e: Obj) => e.reason)).toContain('DeadlineExceeded');
    await new Promise((r) => setTimeout(r, 3000));
    const after = (await getObj(cluster, podPath('deadline')))!;
    expect(after.status.phase).toBe('Failed');
    expect(after.status.containerStatuses[0].restartCount).toBe(0);
  });
});

describe('readinessGates', () => {
  it('keeps the pod not Ready until the gate\'s condition is True, and keeps that condition', async () => {
    await createPod('gated', 'node-2', { command: ['sh', '-c', 'exec sleep 3600'] }, { readinessGates: [{ conditionType: 'example.com/load-balancer' }] });
    const ready = await waitFor('Running, Ready False for the gate', async () => {
      const p = await getObj(cluster, podPath('gated'));
      const r = p?.status?.conditions?.find((c: Obj) => c.type === 'Ready');
      return p?.status?.phase === 'Running' && r?.reason === 'ReadinessGatesNotReady' && r;
    }, 120_000);
    expect(ready).toMatchObject({ status: 'False', message: 'corresponding condition of pod readiness gate "example.com/load-balancer" does not exist.' });
    const containersReady = (await getObj(cluster, podPath('gated')))!.status.conditions.find((c: Obj) => c.type === 'ContainersReady');
    expect(containersReady.status).toBe('True');

    // What a load-balancer controller does: add its condition through the status subresource.
    const current = (await getObj(cluster, podPath('gated')))!;
    const conditions = [...current.status.conditions, { type: 'example.com/load-balancer', status: 'True', lastTransitionTime: new Date().toISOString() }];
    const patched = await api(cluster, 'PATCH', `${podPath('gated')}/status`, { metadata: { resourceVersion: current.metadata.resourceVersion }, status: { conditions } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    await waitFor('Ready True', async () => (await getObj(cluster, podPath('gated')))?.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.status === 'True', 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const after = (await getObj(cluster, podPath('gated')))!;
    expect(after.status.conditions.find((c: Obj) => c.type === 'example.com/load-balancer')?.status).toBe('True');
    expect(after.status.conditions.find((c: Obj) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('terminationMessagePolicy', () => {
  it('FallbackToLogsOnError: a failed container with no message file reports its log tail', async () => {
    await createPod('lastwords', 'node-1', { command: ['sh', '-c', 'echo starting; echo "fatal: no config"; exit 3'], terminationMessagePolicy: 'FallbackToLogsOnError' }, { restartPolicy: 'Never' });
    const terminated = await waitFor('terminated with a message', async () => {
      const t = (await getObj(cluster, podPath('lastwords')))?.status?.containerStatuses?.[0]?.state?.terminated;
      return t?.message && t;
    }, 120_000);
    expect(terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'starting\nfatal: no config\n' });
  });

  const terminatedOf = (name: string) => waitFor(`${name} terminated`, async () => {
    const t = (await getObj(cluster, podPath(name)))?.status?.containerStatuses?.[0]?.state?.terminated;
    return t?.finishedAt && t;
  }, 120_000);

  it('the file a container writes at /dev/termination-log (its own /dev tmpfs) outlives it as state.terminated.message', async () => {
    await createPod('lastfile', 'node-1', { command: ['sh', '-c', 'echo "bye: disk full" > /dev/termination-log; exit 3'] }, { restartPolicy: 'Never' });
    expect(await terminatedOf('lastfile')).toMatchObject({ exitCode: 3, reason: 'Error', message: 'bye: disk full\n' });
  });

  it('a custom terminationMessagePath, written by a non-root user (the file is 0666); with FallbackToLogsOnError the file wins over the log', async () => {
    await Promise.all([
      createPod('custompath', 'node-2', { command: ['sh', '-c', 'echo done > /tmp/msg'], terminationMessagePath: '/tmp/msg', securityContext: { runAsUser: 1000, runAsGroup: 1000 } }, { restartPolicy: 'Never' }),
      createPod('filewins', 'node-2', { command: ['sh', '-c', 'echo "log line"; printf "from the file" > /dev/termination-log; exit 1'], terminationMessagePolicy: 'FallbackToLogsOnError' }, { restartPolicy: 'Never' }),
    ]);
    expect(await terminatedOf('custompath')).toMatchObject({ exitCode: 0, reason: 'Completed', message: 'done\n' });
    expect(await terminatedOf('filewins')).toMatchObject({ exitCode: 1, reason: 'Error', message: 'from the file' });
  });
});
