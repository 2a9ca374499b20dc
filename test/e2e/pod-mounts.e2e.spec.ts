// Pod fields the node agent enforces on a real 1-node harness cluster: the UTS hostname from
// spec.hostname, hostPath types (FileOrCreate makes the file; a wrong type is FailedMount),
// subPathExpr with the downward API, HostToContainer mount propagation (a mount made on the host
// after the start shows in the container, a None mount does not), and hostNetwork (the node's
// interfaces, status.podIP = hostIP), and local storage limits (emptyDir sizeLimit on disk, a
// container's ephemeral-storage: over one, the pod is evicted).
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, Obj, waitFor } from './support';

jest.setTimeout(240_000);

const sh = promisify(execFile);
let cluster: RunningCluster;
let hostDir: string;

beforeAll(async () => {
  hostDir = await mkdtemp(join(tmpdir(), 'cox-pod-mounts-'));
  cluster = await startCluster({ nodes: 1, vms: false, scheduler: false, controllers: false });
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
  for (const target of [join(hostDir, 'shared', 'late'), join(hostDir, 'shared')]) await sh('umount', ['-l', target]).catch(() => undefined);
  await rm(hostDir, { recursive: true, force: true });
}, 120_000);

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
const isRunning = async (name: string) => (await getObj(cluster, podPath(name)))?.status?.phase === 'Running';
const exec = (pod: string, script: string, container?: string) => k(cluster, 'exec', pod, ...(container ? ['-c', container] : []), '--', 'sh', '-c', script);

async function createPod(name: string, spec: Obj): Promise<void> {
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, ...spec, containers: spec.containers.map((c: Obj) => ({ image: 'busybox', command: ['sleep', '3600'], ...c })) },
  });
  if (res.status !== 201) throw new Error(`create pod ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

describe('hostname', () => {
  it('is spec.hostname in the UTS namespace, HOSTNAME and /etc/hostname (an Indexed Job pod\'s <job>-<index>)', async () => {
    await createPod('train-3-x7k2p', { hostname: 'train-3', subdomain: 'train', containers: [{ name: 'c' }] });
    await waitFor('train Running', () => isRunning('train-3-x7k2p'), 90_000);
    expect(await exec('train-3-x7k2p', 'hostname; echo $HOSTNAME; cat /etc/hostname')).toBe('train-3\ntrain-3\ntrain-3\n');
    expect(await exec('train-3-x7k2p', 'grep train-3 /etc/hosts | cut -f2-')).toBe('train-3.train.default.svc.cluster.local\ttrain-3\n');
  });
});

describe('hostPath types', () => {
  it('FileOrCreate makes an empty 0644 file on the host, which the container writes through', async () => {
    const lock = join(hostDir, 'xtables.lock');
    await createPod('lock', { containers: [{ name: 'c', command: ['sh', '-c', 'echo held > /run/xtables.lock; exec sleep 3600'], volumeMounts: [{ name: 'lock', mountPath: '/run/xtables.lock' }] }],
      volumes: [{ name: 'lock', hostPath: { path: lock, type: 'FileOrCreate' } }] });
    await waitFor('lock Running', () => isRunning('lock'), 90_000);
    expect(((await stat(lock)).mode & 0o777).toString(8)).toBe('644');
    await waitFor('written through', async () => (await readFile(lock, 'utf8')) === 'held\n', 30_000);
  });

  it('a wrong type keeps the container in ContainerCreating with a FailedMount event', async () => {
    const file = join(hostDir, 'plain-file');
    await writeFile(file, 'x');
    await createPod('wrong-type', { containers: [{ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/h' }] }], volumes: [{ name: 'h', hostPath: { path: file, type: 'Directory' } }] });
    const message = `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${file} is not a directory`;
    await waitFor('FailedMount event', async () => {
      const events = await api(cluster, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dwrong-type');
      return events.body.items.some((e: Obj) => e.reason === 'FailedMount' && e.message === message);
    }, 90_000);
    // The kubelet shows ContainerCreating without a message; the Event says why.
    const status = (await getObj(cluster, podPath('wrong-type')))!.status;
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
  });
});

describe('subPathExpr', () => {
  it('mounts the volume\'s $(POD_NAME) directory', async () => {
    await createPod('logger', {
      containers: [
        { name: 'app', command: ['sh', '-c', 'echo line > /logs/app.log; exec sleep 3600'], env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'logs', mountPath: '/logs', subPathExpr: '$(POD_NAME)' }] },
        { name: 'shipper', volumeMounts: [{ name: 'logs', mountPath: '/all' }] },
      ],
      volumes: [{ name: 'logs', emptyDir: {} }],
    });
    await waitFor('logger Running', () => isRunning('logger'), 90_000);
    await waitFor('log in the pod\'s directory', async () => (await exec('logger', 'cat /all/logger/app.log', 'shipper')) === 'line\n', 30_000);
    expect(await exec('logger', 'ls /all', 'shipper')).toBe('logger\n');
  });
});

describe('mountPropagation', () => {
  it('HostToContainer: a mount made on the host under the source after the start shows in the container; None: it does not', async () => {
    // A host whose / is shared (systemd's default) has this already; this test host's / is private.
    const shared = join(hostDir, 'shared');
    await mkdir(join(shared, 'late'), { recursive: true });
    await sh('mount', ['--bind', shared, shared]);
    await sh('mount', ['--make-shared', shared]);
    await createPod('watcher', {
      containers: [{ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/from-host', mountPropagation: 'HostToContainer' }, { name: 'h', mountPath: '/private' }] }],
      volumes: [{ name: 'h', hostPath: { path: shared, type: 'Directory' } }],
    });
    await waitFor('watcher Running', () => isRunning('watcher'), 90_000);
    await sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(shared, 'late')]);
    await writeFile(join(shared, 'late', 'hello'), 'mounted later\n');
    await waitFor('seen through HostToContainer', async () => (await exec('watcher', 'cat /from-host/late/hello 2>/dev/null || true')) === 'mounted later\n', 30_000);
    expect(await exec('watcher', 'ls /private/late')).toBe('');
  });
});

describe('hostNetwork', () => {
  it('runs in the node\'s network namespace: its interfaces, status.podIP = hostIP, the node\'s hostname', async () => {
    await createPod('on-host', { hostNetwork: true, containers: [{ name: 'c' }] });
    await waitFor('on-host Running', () => isRunning('on-host'), 90_000);
    const pod = (await getObj(cluster, podPath('on-host')))!;
    const address = cluster.nodes[0].host.address;
    expect(pod.status.hostIP).toBe(address);
    expect(pod.status.podIP).toBe(address);
    expect(await exec('on-host', 'ip -4 -o addr show dev eth0 | awk "{print \\$4}"')).toBe(`${address}/24\n`);
    expect(await exec('on-host', 'hostname')).toBe(`${hostname()}\n`);
  });
});

describe('local storage limits', () => {
  it('a pod writing past its disk emptyDir\'s limit is evicted (Failed, Evicted, an Event); one under it keeps running', async () => {
    const writer = (bytes: string) => ({
      containers: [{ name: 'c', command: ['sh', '-c', `dd if=/dev/zero of=/scratch/fill bs=1024 count=${bytes} && sleep 3600`], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }],
    });
    await createPod('filler', writer('3072'));
    await createPod('modest', writer('256'));
    const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
    await waitFor('filler Failed, Evicted', async () => {
      const status = (await getObj(cluster, podPath('filler')))?.status;
      return status?.phase === 'Failed' && status.reason === 'Evicted' && status.message === message;
    }, 90_000);
    // Stopped, and not restarted (restartPolicy Always).
    await waitFor('filler\'s container terminated', async () => (await getObj(cluster, podPath('filler')))?.status?.containerStatuses?.[0]?.state?.terminated !== undefined, 30_000);
    const events = await api(cluster, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dfiller');
    expect(events.body.items.some((e: Obj) => e.reason === 'Evicted' && e.type === 'Warning' && e.message === message)).toBe(true);
    // Checked at least once since modest's write too (the agent measures every 10 s).
    await new Promise((r) => setTimeout(r, 11_000));
    expect((await getObj(cluster, podPath('modest')))!.status.phase).toBe('Running');
    const after = (await getObj(cluster, podPath('filler')))!.status;
    expect(after).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(after.containerStatuses[0]).toMatchObject({ restartCount: 0, state: { terminated: expect.anything() } });
  });

  it('a container writing past its ephemeral-storage limit into its own filesystem is evicted', async () => {
    await createPod('layer-filler', {
      containers: [{ name: 'c', command: ['sh', '-c', 'dd if=/dev/zero of=/fill bs=1024 count=3072 && sleep 3600'], resources: { limits: { 'ephemeral-storage': '1Mi' } } }],
    });
    await waitFor('layer-filler Failed, Evicted', async () => {
      const status = (await getObj(cluster, podPath('layer-filler')))?.status;
      return status?.phase === 'Failed' && status.reason === 'Evicted';
    }, 90_000);
    // One container: the pod's total limit is its limit, which the kubelet checks first.
    expect((await getObj(cluster, podPath('layer-filler')))!.status.message).toBe('Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ');
  });
});
