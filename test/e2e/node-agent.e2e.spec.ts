// Node agents on a 2-node harness cluster: containers and VMs run for real, kubectl logs and
// exec reach them, restarts follow policy, probes and postStart hooks, deletion is graceful, and an agent
// killed with -9 adopts what runs instead of starting duplicates.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { ContainerDriver } from '@coxswain/runtime';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, kubectl, manifest, Obj, waitFor } from './support';

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
    spec: { nodeName: node, terminationGracePeriodSeconds: 5, containers: [{ name: 'app', image: 'busybox', ...container }], ...extra },
  });
  expect(res.status).toBe(201);
}

const phaseOf = async (name: string) => (await getObj(cluster, podPath(name)))?.status?.phase;

describe('pods', () => {
  it('runs a busybox pod; kubectl logs and exec reach it', async () => {
    await createPod('hello', 'node-1', { command: ['sh', '-c', 'echo hello-from-pod; exec sleep 3600'] });
    await waitFor('pod Running', async () => (await phaseOf('hello')) === 'Running');
    const pod = (await getObj(cluster, podPath('hello')))!;
    expect(pod.status.podIP).toMatch(/^10\.\d+\.1\.\d+$/);
    expect(pod.status.hostIP).toBe(cluster.nodes[0].host.address);
    expect(pod.status.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, restartCount: 0, state: { running: {} } });
    const logs = await waitFor('log line', async () => {
      const out = await kubectl(cluster, ['logs', 'hello']);
      return out.stdout.includes('hello-from-pod') && out.stdout;
    });
    expect(logs).toBe('hello-from-pod\n');
    expect((await k(cluster, 'exec', 'hello', '--', 'sh', '-c', 'echo $((6*7)); cat /etc/hostname')).split('\n')).toEqual(['42', 'hello', '']);
    const failing = await kubectl(cluster, ['exec', 'hello', '--', 'sh', '-c', 'exit 3']);
    expect(failing.code).toBe(3);
    // stdin reaches the command and its end is passed on (wc would wait for ever otherwise).
    const counted = await kubectl(cluster, ['exec', '-i', 'hello', '--', 'wc', '-l'], { input: 'a\nb\nc\n', timeoutMs: 20_000 });
    expect(counted.stdout.trim()).toBe('3');
  });

  it('restarts a crashing container with rising restartCount and CrashLoopBackOff', async () => {
    await createPod('crasher', 'node-2', { command: ['sh', '-c', 'echo boom; exit 1'] });
    const seen = new Set<string>();
    const status = await waitFor(
      'restartCount ≥ 2 and CrashLoopBackOff',
      async () => {
        const cs = (await getObj(cluster, podPath('crasher')))?.status?.containerStatuses?.[0];
        if (cs?.state?.waiting?.reason) seen.add(cs.state.waiting.reason);
        return cs && cs.restartCount >= 2 && seen.has('CrashLoopBackOff') && cs;
      },
      90_000,
    );
    expect(status.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('runs postStart before the container counts as Running; a failing hook kills it (FailedPostStartHook)', async () => {
    // The hook takes 3 s and leaves a file: the first time the pod reads Running, the file is there.
    await createPod('hooked', 'node-1', {
      command: ['sh', '-c', 'exec sleep 3600'],
      lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 3; echo hooked > /tmp/hook'] } } },
    });
    const running = await waitFor('hooked Running', async () => {
      const pod = await getObj(cluster, podPath('hooked'));
      return pod?.status?.phase === 'Running' && pod;
    }, 90_000, 100);
    expect(running.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0, state: { running: {} } });
    expect(await k(cluster, 'exec', 'hooked', '--', 'cat', '/tmp/hook')).toBe('hooked\n');

    await createPod('badhook', 'node-2', { command: ['sh', '-c', 'exec sleep 3600'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }, { terminationGracePeriodSeconds: 1 });
    const status = await waitFor('badhook killed and restarted', async () => {
      const cs = (await getObj(cluster, podPath('badhook')))?.status?.containerStatuses?.[0];
      return cs && cs.restartCount >= 1 && cs;
    }, 90_000);
    expect(status.ready).toBe(false);
    expect(status.lastState.terminated).toBeDefined();
    const events = await api(cluster, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dbadhook');
    expect(events.body.items.filter((e: Obj) => e.reason === 'FailedPostStartHook').map((e: Obj) => [e.type, e.message])).toEqual([['Warning', 'PostStartHook failed']]);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await createPod('sick', 'node-1', {
      command: ['sh', '-c', 'touch /tmp/healthy; sleep 4; rm /tmp/healthy; exec sleep 3600'],
      livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
    });
    await waitFor('liveness restart', async () => ((await getObj(cluster, podPath('sick')))?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 60_000);
    const events = await api(cluster, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dsick');
    expect(events.body.items.map((e: Obj) => e.reason)).toEqual(expect.arrayContaining(['Unhealthy', 'Killing']));
  });

  it('deletes a pod gracefully and frees its IP', async () => {
    await createPod('doomed', 'node-2', { command: ['sh', '-c', 'trap "echo got-term; exit 0" TERM; while true; do sleep 1; done'] });
    await waitFor('pod Running', async () => (await phaseOf('doomed')) === 'Running');
    const uid = (await getObj(cluster, podPath('doomed')))!.metadata.uid;
    const ipamDir = join(cluster.nodes[1].root, 'network', 'ipam');
    const owners = async () => {
      const out: string[] = [];
      for (const dir of await readdir(ipamDir).catch(() => [] as string[])) {
        for (const file of await readdir(join(ipamDir, dir)).catch(() => [] as string[])) out.push(await readFile(join(ipamDir, dir, file), 'utf8').catch(() => ''));
      }
      return out.join('\n');
    };
    expect(await owners()).toContain(uid);
    expect((await kubectl(cluster, ['delete', 'pod', 'doomed', '--wait=true', '--timeout=60s'])).code).toBe(0);
    expect(await getObj(cluster, podPath('doomed'))).toBeUndefined();
    expect(await owners()).not.toContain(uid);
  });

  it('reports an image the mirror lacks as ErrImagePull/ImagePullBackOff with a clear message', async () => {
    await createPod('nosuch', 'node-2', { image: 'example/does-not-exist:1.0' });
    const waiting = await waitFor('pull back-off', async () => {
      const w = (await getObj(cluster, podPath('nosuch')))?.status?.containerStatuses?.[0]?.state?.waiting;
      return (w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff') && w;
    });
    expect(waiting.message).toContain('example/does-not-exist:1.0');
    expect(waiting.message).toMatch(/not found/i);
    expect((await getObj(cluster, podPath('nosuch')))!.status.phase).toBe('Pending');
  });

  it('reports a command that does not exist as RunContainerError with runc\'s message, and leaves no rootfs behind once deleted', async () => {
    await createPod('nocmd', 'node-1', { command: ['/no/such/command'] });
    const waiting = await waitFor('RunContainerError', async () => {
      const w = (await getObj(cluster, podPath('nocmd')))?.status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'RunContainerError' && w;
    });
    expect(waiting.message).toMatch(/^runc run failed: .*\/no\/such\/command.*no such file or directory/);
    expect((await getObj(cluster, podPath('nocmd')))!.status.phase).toBe('Pending');
    const events = await k(cluster, 'get', 'events', '--field-selector', 'involvedObject.name=nocmd', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
    expect(events).toMatch(/^Failed: Error: runc run failed: .*\/no\/such\/command/m);
    const uid = (await getObj(cluster, podPath('nocmd')))!.metadata.uid;
    expect((await kubectl(cluster, ['delete', 'pod', 'nocmd', '--wait=true', '--timeout=60s'])).code).toBe(0);
    // Every failed attempt mounted the container's rootfs: none of them is left mounted.
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mounts.split('\n').filter((line) => line.includes(uid))).toEqual([]);
  });

  it('fails a restartPolicy Never pod whose command does not exist: terminated StartError, exit 128, runc\'s message', async () => {
    await createPod('nostart', 'node-2', { command: ['/nope'] }, { restartPolicy: 'Never' });
    await waitFor('pod Failed', async () => (await phaseOf('nostart')) === 'Failed');
    const pod = (await getObj(cluster, podPath('nostart')))!;
    expect(pod.status.containerStatuses[0]).toMatchObject({ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 128, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' } } });
    expect(pod.status.containerStatuses[0].state.terminated.message).toMatch(/^runc run failed: .*\/nope.*no such file or directory/);
    expect(await k(cluster, 'get', 'pod', 'nostart', '--no-headers')).toMatch(/^nostart\s+0\/1\s+StartError\s+0\s/);
    const events = await k(cluster, 'get', 'events', '--field-selector', 'involvedObject.name=nostart', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
    expect(events).toMatch(/^Failed: Error: runc run failed: .*\/nope/m);
    // The failed start left no rootfs mounted (the sandbox's namespaces stay until the pod is deleted).
    const mounted = async () => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => line.includes(pod.metadata.uid));
    expect((await mounted()).filter((line) => !line.includes(`/sandboxes/${pod.metadata.uid}/ns/`))).toEqual([]);
    expect((await kubectl(cluster, ['delete', 'pod', 'nostart', '--wait=true', '--timeout=60s'])).code).toBe(0);
    // A Failed pod is deleted at once; the agent then removes what it left here.
    await waitFor('sandbox removed', async () => (await mounted()).length === 0);
  });

  it('serves resource usage to kubectl top', async () => {
    const nodes = await waitFor('node metrics', async () => {
      const out = await kubectl(cluster, ['top', 'nodes']);
      return out.code === 0 && out.stdout;
    });
    expect(nodes).toMatch(/^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%/);
    expect(nodes).toMatch(/^node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
    const pods = await waitFor('pod metrics', async () => {
      const out = await kubectl(cluster, ['top', 'pods']);
      return out.code === 0 && out.stdout.includes('hello') && out.stdout;
    });
    expect(pods).toMatch(/^hello\s+\d+m\s+\d+Mi/m);
    const scrape = await (await fetch(`http://${cluster.nodes[0].host.address}:10255/metrics`)).text();
    expect(scrape).toMatch(/container_cpu_usage_seconds_total\{namespace="default",pod="hello",container="app"\} [\d.e-]+/);
    expect(scrape).toMatch(/container_memory_working_set_bytes\{namespace="default",pod="hello",container="app"\} \d+/);
    expect(scrape).toMatch(/node_agent_running_workloads\{kind="container"\} [1-9]/);
    expect(scrape).toMatch(/node_agent_image_pull_duration_seconds_count [1-9]/);
  });

  it('adopts running containers after the agent is killed with -9', async () => {
    await createPod('survivor', 'node-1', { command: ['sh', '-c', 'exec sleep 3600'] });
    await waitFor('pod Running', async () => (await phaseOf('survivor')) === 'Running');
    const node = cluster.nodes[0];
    await node.kill9();
    await node.start();
    await waitFor('agent back', async () => {
      const lease = await getObj(cluster, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1');
      return lease && Date.now() - Date.parse(lease.spec.renewTime) < 3000;
    });
    await new Promise((r) => setTimeout(r, 3000)); // a few sync passes
    const driver = new ContainerDriver({ root: join(node.root, 'containers') });
    const uid = (await getObj(cluster, podPath('survivor')))!.metadata.uid;
    const running = (await driver.list()).filter((c) => c.labels['io.kubernetes.pod.uid'] === uid && c.status === 'running');
    expect(running).toHaveLength(1);
    const status = (await getObj(cluster, podPath('survivor')))!.status;
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses[0].restartCount).toBe(0);
  });
});

describe('virtual machines', () => {
  it('boots a VMI to Running with a guest IP, serves its console, and stops it on delete', async () => {
    const vmi = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name: 'tiny' },
      spec: {
        nodeName: 'node-2',
        terminationGracePeriodSeconds: 20,
        domain: {
          cpu: { cores: 1 },
          resources: { requests: { memory: '128Mi' } },
          firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
        },
      },
    };
    const path = await manifest(JSON.stringify(vmi));
    expect((await kubectl(cluster, ['create', '--validate=false', '-f', path])).code).toBe(0);
    const vmiPath = '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/tiny';
    const running = await waitFor('VMI Running', async () => {
      const obj = await getObj(cluster, vmiPath);
      return obj?.status?.phase === 'Running' && obj;
    }, 120_000, 500);
    const ip = running.status.interfaces[0].ipAddress;
    expect(ip).toMatch(/^10\.\d+\.2\.\d+$/);
    expect(running.status.nodeName).toBe('node-2');

    // The serial console through the API server: the guest answers a command.
    const ws = new WebSocket(`${cluster.api.url.replace('https', 'wss')}${vmiPath}/console`, { headers: { authorization: `Bearer ${cluster.api.tokens.admin}` }, ca: cluster.api.ca });
    let output = '';
    ws.on('message', (data: Buffer) => (output += data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor('guest shell answers', async () => {
      ws.send(Buffer.from('echo e2e-$((40+2))\n'));
      await new Promise((r) => setTimeout(r, 500));
      return output.includes('e2e-42');
    }, 30_000, 100);
    ws.close();
    const consoleLog = await waitFor('console log', async () => {
      const dir = join(cluster.nodes[1].root, 'v', 'vms', running.metadata.uid);
      const text = await readFile(join(dir, 'console.log'), 'utf8').catch(() => '');
      return text.includes('coxswain-guest: init started') && text;
    });
    expect(consoleLog).toContain('Linux version');

    expect((await kubectl(cluster, ['delete', 'vmi', 'tiny', '--wait=true', '--timeout=90s'])).code).toBe(0);
    expect(await getObj(cluster, vmiPath)).toBeUndefined();
    const after = await readFile(join(cluster.nodes[1].root, 'v', 'vms', running.metadata.uid, 'console.log'), 'utf8').catch(() => 'removed');
    expect(after === 'removed' || /reboot: Power down/.test(after)).toBe(true);
  });
});
