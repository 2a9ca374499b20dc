import { access, mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pod } from '@coxswain/api';
import { FakeSpawner, SharedRead, setDefaultSpawner } from '@coxswain/runtime';
import { podHostPorts, RuncPodRuntimeOptions, RuncPodRuntime } from './pod-runtime';

describe('RuncPodRuntime hostPort guard', () => {
  const pod = (hostPort: number) => ({
    metadata: { uid: 'u1', name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort }] }] },
  }) as unknown as Pod;
  const view = { metadata: { uid: 'u1', name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

  it('refuses a hostPort the agent listens on before touching the node', async () => {
    const touched: string[] = [];
    const network = new Proxy({}, { get: (_t, name) => () => { touched.push(String(name)); throw new Error('network used'); } });
    const runtime = new RuncPodRuntime({
      root: '/nonexistent/cox-test', logRoot: '/nonexistent/logs', images: {} as never, containers: {} as never, network: network as never,
      podFor: () => pod(12345), reservedHostPorts: [12345, 12346],
    } as RuncPodRuntimeOptions);
    await expect(runtime.createSandbox(view)).rejects.toThrow('hostPort 12345 is reserved: the node agent listens on it');
    expect(touched).toEqual([]);
  });
});

describe('RuncPodRuntime removePod and the Burstable parent', () => {
  it('pods removed together share one update of the Burstable shares, made after their sandboxes went', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    try {
      const pods = { a: 100, b: 200, c: 300, d: 50 };
      for (const [uid, cpu] of Object.entries(pods)) {
        await mkdir(join(root, 'sandboxes', uid), { recursive: true });
        await writeFile(join(root, 'sandboxes', uid, 'sandbox.json'), JSON.stringify({ uid, qos: 'Burstable', cpuRequestMillis: cpu }));
      }
      const updates: number[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const podCgroups = {
        async ensureNode(millis: number) {
          updates.push(millis);
          if (updates.length === 1) await held; // the first update is slow: the others queue behind it
        },
        removePod: async () => undefined,
      };
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: {} as never,
        containers: { list: async () => [], removePodCgroup: async () => undefined } as never,
        network: { teardownPod: async () => undefined } as never,
        podCgroups: podCgroups as never,
        podFor: () => undefined,
      } as unknown as RuncPodRuntimeOptions);
      const asked = jest.spyOn(SharedRead.prototype, 'get');
      const first = runtime.removePod('a', 0);
      while (updates.length === 0) await new Promise((r) => setTimeout(r, 5));
      const rest = Promise.all(['b', 'c'].map((uid) => runtime.removePod(uid, 0)));
      // Wait until b and c have asked for the update (a already did), not for a time.
      while (asked.mock.calls.length < 3) await new Promise((r) => setTimeout(r, 5));
      release();
      await Promise.all([first, rest]);
      // a's update saw b, c and d; b and c, removed while it ran, share the next one, which sees d alone.
      expect(updates).toEqual([550, 50]);
    } finally {
      jest.restoreAllMocks();
      await rm(root, { recursive: true, force: true });
    }
  });
});

/** An image store that records what it is asked; `digest` is what the image's ref names now. */
function fakeImages(steps: string[], digest = { now: 'sha256:a' }) {
  let mounts = 0;
  return {
    async prepareRootfs(_image: string, id: string) {
      steps.push(`prepare ${id}`);
      return { rootfs: `/rootfs/${id}/${++mounts}`, config: {}, image: { manifestDigest: digest.now } };
    },
    releaseRootfs: async (id: string) => void steps.push(`release ${id}`),
    get: async () => ({ manifestDigest: digest.now }),
  };
}

describe('RuncPodRuntime createSandbox', () => {
  const pod = { metadata: { uid: 'u2', name: 'web-0', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } } as unknown as Pod;
  const view = { metadata: { uid: 'u2', name: 'web-0', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

  it('makes the cgroup, the network and the namespaces together, and undoes all three when one fails', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    const spawner = new FakeSpawner();
    setDefaultSpawner(spawner);
    try {
      const steps: string[] = [];
      let releaseNetwork!: () => void;
      const networkHeld = new Promise<void>((r) => (releaseNetwork = r));
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: fakeImages(steps) as never, containers: {} as never,
        network: {
          async setupPod() {
            steps.push('network started');
            await networkHeld;
            throw new Error('no address left in 10.88.0.0/24');
          },
          teardownPod: async (uid: string) => void steps.push(`teardown ${uid}`),
        } as never,
        podCgroups: {
          podPidsLimit: undefined,
          ensureNode: async () => void steps.push('node cgroups'),
          ensurePod: async () => { steps.push('pod cgroup'); return 'burstable/podu2'; },
          removePod: async (uid: string) => void steps.push(`remove cgroup ${uid}`),
        } as never,
        podFor: () => pod,
      } as unknown as RuncPodRuntimeOptions);
      const created = runtime.createSandbox(view);
      // The cgroup and the namespaces are made while the network is still being set up.
      while (!spawner.commands.some((c) => c.startsWith('unshare')) || !steps.includes('pod cgroup')) await new Promise((r) => setTimeout(r, 5));
      expect(steps).toEqual(['prepare u2-c-0', 'network started', 'node cgroups', 'pod cgroup']);
      releaseNetwork();
      await expect(created).rejects.toThrow('no address left in 10.88.0.0/24');
      const ns = join(root, 'sandboxes', 'u2', 'ns');
      expect(spawner.commands).toEqual([`unshare --ipc=${ns}/ipc --uts=${ns}/uts hostname web-0`, `umount ${ns}/ipc ${ns}/uts`]);
      // The rootfs mounted for its container goes with the rest.
      expect(steps.slice(4)).toEqual(['release u2-c-0', 'teardown u2', 'remove cgroup u2']);
      await expect(access(join(root, 'sandboxes', 'u2'))).rejects.toThrow('ENOENT');
    } finally {
      setDefaultSpawner(undefined);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('RuncPodRuntime container rootfs made with the sandbox', () => {
  const pod = {
    metadata: { uid: 'u3', name: 'web-1', namespace: 'ns' },
    spec: { containers: [{ name: 'app', image: 'busybox:1', imagePullPolicy: 'IfNotPresent' }, { name: 'side', image: 'busybox:latest', imagePullPolicy: 'Always' }] },
  } as unknown as Pod;
  const view = { metadata: { uid: 'u3', name: 'web-1', namespace: 'ns' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } };

  async function withRuntime(test: (t: { runtime: RuncPodRuntime; steps: string[]; rootfsOf: string[]; digest: { now: string }; releaseNetwork: () => void }) => Promise<void>, podOf = pod) {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    const spawner = new FakeSpawner();
    setDefaultSpawner(spawner);
    try {
      const steps: string[] = [];
      const rootfsOf: string[] = [];
      const digest = { now: 'sha256:a' };
      let releaseNetwork!: () => void;
      const networkHeld = new Promise<void>((r) => (releaseNetwork = r));
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: fakeImages(steps, digest) as never,
        containers: {
          async createContainer(spec: { rootfs: string }) {
            rootfsOf.push(spec.rootfs);
          },
          list: async () => [],
          removePodCgroup: async () => undefined,
        } as never,
        network: {
          async setupPod() {
            steps.push('network');
            await networkHeld;
            return { ip: '10.88.0.7' };
          },
          names: () => ({ netns: 'cox-u3' }),
          teardownPod: async () => undefined,
        } as never,
        podFor: () => podOf,
      } as unknown as RuncPodRuntimeOptions);
      await test({ runtime, steps, rootfsOf, digest, releaseNetwork });
    } finally {
      setDefaultSpawner(undefined);
      await rm(root, { recursive: true, force: true });
    }
  }

  it('mounts a first attempt\'s rootfs while the network is made, for images not pulled again, and starts the container on it', () => withRuntime(async ({ runtime, steps, rootfsOf, releaseNetwork }) => {
    const created = runtime.createSandbox(view);
    while (!steps.includes('network')) await new Promise((r) => setTimeout(r, 5));
    // `side` (Always) is pulled before it starts: its mount waits for the pull.
    expect(steps).toEqual(['prepare u3-app-0', 'network']);
    releaseNetwork();
    await created;
    await runtime.startContainer(view, 'app', 0);
    expect(rootfsOf).toEqual(['/rootfs/u3-app-0/1']);
    expect(steps).toEqual(['prepare u3-app-0', 'network']);
  }));

  it('mounts again when the tag moved between the sandbox and the start (a pull in between)', () => withRuntime(async ({ runtime, steps, rootfsOf, digest, releaseNetwork }) => {
    releaseNetwork();
    await runtime.createSandbox(view);
    digest.now = 'sha256:b';
    await runtime.startContainer(view, 'app', 0);
    expect(steps).toEqual(['prepare u3-app-0', 'network', 'release u3-app-0', 'prepare u3-app-0']);
    expect(rootfsOf).toEqual(['/rootfs/u3-app-0/2']);
  }));

  it('with init containers, mounts the first init container\'s ahead (it starts first), not the app\'s; startContainer finds init containers', () => {
    const withInit = { ...pod, spec: { ...pod.spec, initContainers: [{ name: 'wait', image: 'busybox:1' }, { name: 'migrate', image: 'busybox:1' }] } } as unknown as Pod;
    return withRuntime(async ({ runtime, steps, rootfsOf, releaseNetwork }) => {
      releaseNetwork();
      await runtime.createSandbox(view);
      expect(steps).toEqual(['prepare u3-wait-0', 'network']);
      await runtime.startContainer(view, 'wait', 0);
      await runtime.startContainer(view, 'migrate', 0);
      expect(rootfsOf).toEqual(['/rootfs/u3-wait-0/1', '/rootfs/u3-migrate-0/2']);
      await expect(runtime.startContainer(view, 'nope', 0)).rejects.toThrow('no spec for container nope of pod u3');
    }, withInit);
  });

  it('releases a mount no container took when the pod goes, and mounts nothing ahead for a sandbox made again', () => withRuntime(async ({ runtime, steps, releaseNetwork }) => {
    releaseNetwork();
    await runtime.createSandbox(view);
    await runtime.removePod('u3', 0);
    expect(steps).toEqual(['prepare u3-app-0', 'network', 'release u3-app-0']);
    steps.length = 0;
    await runtime.createSandbox(view);
    await rm(join((runtime as unknown as { opts: { root: string } }).opts.root, 'sandboxes', 'u3', 'sandbox.json'));
    await runtime.createSandbox(view);
    expect(steps).toEqual(['prepare u3-app-0', 'network', 'network']);
  }));
});

describe('podHostPorts', () => {
  const podWith = (ports: object[]) => ({ metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox', ports }] } }) as unknown as Pod;
  it.each([
    { name: 'ports without hostPort are not mapped', ports: [{ containerPort: 80 }], want: [] },
    { name: 'a hostPort on every address', ports: [{ containerPort: 80, hostPort: 8080 }], want: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] },
    { name: 'hostIP is passed on (only that address is DNATed)', ports: [{ containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '10.0.0.2' }], want: [{ hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '10.0.0.2' }] },
  ])('$name', ({ ports, want }) => {
    expect(podHostPorts(podWith(ports))).toEqual(want);
  });
});

describe('RuncPodRuntime pod hostname', () => {
  async function started(spec: object, name = 'train-3-x7k2p') {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    const spawner = new FakeSpawner();
    setDefaultSpawner(spawner);
    const pod = { metadata: { uid: 'u4', name, namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } } as unknown as Pod;
    const view = { metadata: { uid: 'u4', name, namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    try {
      const specs: Array<{ hostname?: string; env?: string[] }> = [];
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: fakeImages([]) as never,
        containers: { createContainer: async (s: { hostname?: string; env?: string[] }) => void specs.push(s) } as never,
        network: { setupPod: async () => ({ ip: '10.88.0.9' }), names: () => ({ netns: 'cox-u4' }), teardownPod: async () => undefined } as never,
        podFor: () => pod,
      } as unknown as RuncPodRuntimeOptions);
      await runtime.createSandbox(view);
      await runtime.startContainer(view, 'c', 0);
      const unshare = spawner.commands.find((c) => c.startsWith('unshare'));
      return { uts: unshare?.split(' ').pop(), hostname: specs[0]?.hostname, env: specs[0]?.env?.find((e) => e.startsWith('HOSTNAME=')) };
    } finally {
      setDefaultSpawner(undefined);
      await rm(root, { recursive: true, force: true });
    }
  }

  it.each([
    { name: 'the pod name without spec.hostname', spec: {}, want: 'train-3-x7k2p' },
    { name: 'spec.hostname (Indexed Job pods get <job>-<index>)', spec: { hostname: 'train-3', subdomain: 'train' }, want: 'train-3' },
    { name: 'the FQDN with setHostnameAsFQDN and a subdomain', spec: { hostname: 'train-3', subdomain: 'train', setHostnameAsFQDN: true }, want: 'train-3.train.ml.svc.cluster.local' },
  ])('$name: the UTS namespace, the spec and HOSTNAME agree', async ({ spec, want }) => {
    expect(await started(spec)).toEqual({ uts: want, hostname: want, env: `HOSTNAME=${want}` });
  });

  it('an FQDN over 64 characters fails the sandbox before anything is made', async () => {
    await expect(started({ hostname: 'h'.repeat(40), subdomain: 'train', setHostnameAsFQDN: true })).rejects.toThrow('is too long (64 characters is the max, 67 characters requested)');
  });
});

describe('RuncPodRuntime hostNetwork pods', () => {
  it('join the node\'s network and UTS namespaces: no pod network, the node\'s IP as the sandbox\'s, the node\'s hostname', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    const spawner = new FakeSpawner();
    setDefaultSpawner(spawner);
    const pod = { metadata: { uid: 'u5', name: 'exporter', namespace: 'mon' }, spec: { hostNetwork: true, hostname: 'ignored', containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 9100, hostPort: 9100 }] }] } } as unknown as Pod;
    const view = { metadata: { uid: 'u5', name: 'exporter', namespace: 'mon' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    try {
      const specs: Array<{ hostname?: string; env?: string[]; namespaces?: unknown }> = [];
      const network: string[] = [];
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: fakeImages([]) as never,
        containers: { createContainer: async (s: (typeof specs)[0]) => void specs.push(s), list: async () => [] } as never,
        network: { setupPod: async () => void network.push('setupPod'), names: () => ({ netns: 'cox-u5' }), teardownPod: async () => undefined } as never,
        podFor: () => pod,
        hostIP: () => '10.0.0.2',
      } as unknown as RuncPodRuntimeOptions);
      await runtime.createSandbox(view);
      await runtime.startContainer(view, 'c', 0);
      expect(network).toEqual([]);
      const ns = join(root, 'sandboxes', 'u5', 'ns');
      expect(spawner.commands).toEqual([`unshare --ipc=${ns}/ipc true`]);
      expect(specs[0].namespaces).toEqual({ network: 'host', ipc: { path: `${ns}/ipc` }, uts: 'host' });
      expect(specs[0].hostname).toBe(hostname());
      expect(specs[0].env).toContain(`HOSTNAME=${hostname()}`);
      expect((await runtime.listPods())[0].sandbox).toEqual({ ready: true, ip: '10.0.0.2' });
    } finally {
      setDefaultSpawner(undefined);
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('RuncPodRuntime termination message file', () => {
  async function withRuntime(podSpec: object, test: (t: { runtime: RuncPodRuntime; root: string; specs: Array<{ id: string; mounts?: Array<{ source: string; destination: string }> }>; removed: string[] }) => Promise<void>) {
    const root = await mkdtemp(join(tmpdir(), 'cox-pod-runtime-'));
    const spawner = new FakeSpawner();
    setDefaultSpawner(spawner);
    const pod = { metadata: { uid: 'u6', name: 'job-x', namespace: 'ns' }, spec: podSpec } as unknown as Pod;
    try {
      const specs: Array<{ id: string; mounts?: Array<{ source: string; destination: string }> }> = [];
      const removed: string[] = [];
      const runtime = new RuncPodRuntime({
        root, logRoot: join(root, 'logs'), images: fakeImages([]) as never,
        containers: {
          createContainer: async (s: (typeof specs)[0]) => void specs.push(s),
          remove: async (id: string) => void removed.push(id),
          list: async () => specs.map((s) => ({ id: s.id, status: 'exited', labels: { 'io.kubernetes.pod.uid': 'u6' } })),
          removePodCgroup: async () => undefined,
        } as never,
        network: { setupPod: async () => ({ ip: '10.88.0.10' }), names: () => ({ netns: 'cox-u6' }), teardownPod: async () => undefined } as never,
        podFor: () => pod,
      } as unknown as RuncPodRuntimeOptions);
      await runtime.createSandbox({ metadata: { uid: 'u6', name: 'job-x', namespace: 'ns' }, spec: { containers: [] } });
      await test({ runtime, root, specs, removed });
    } finally {
      setDefaultSpawner(undefined);
      await rm(root, { recursive: true, force: true });
    }
  }
  const fileOf = (root: string, id: string) => join(root, 'sandboxes', 'u6', 'termination', id);

  it('binds an empty 0666 host file per instance at /dev/termination-log, last of the mounts; reads it back; removeContainer deletes it', () =>
    withRuntime({ containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/data' }] }], volumes: [{ name: 'v', emptyDir: {} }] }, async ({ runtime, root, specs, removed }) => {
      await runtime.startContainer({ metadata: { uid: 'u6', name: 'job-x', namespace: 'ns' }, spec: { containers: [] } }, 'c', 0);
      await runtime.startContainer({ metadata: { uid: 'u6', name: 'job-x', namespace: 'ns' }, spec: { containers: [] } }, 'c', 1);
      for (const [i, id] of ['u6-c-0', 'u6-c-1'].entries()) {
        expect(specs[i].mounts?.at(-1)).toEqual({ source: fileOf(root, id), destination: '/dev/termination-log' });
        const st = await stat(fileOf(root, id));
        expect({ size: st.size, mode: st.mode & 0o777 }).toEqual({ size: 0, mode: 0o666 });
      }
      expect(specs[0].mounts?.map((m) => m.destination)).toContain('/data');
      // What the container wrote (through the bind) is read back, its last 4096 bytes.
      await writeFile(fileOf(root, 'u6-c-0'), `${'x'.repeat(5000)}bye: disk full\n`);
      const read = await runtime.readTerminationMessage('u6-c-0');
      expect(read?.length).toBe(4096);
      expect(read?.toString().endsWith('x' + 'bye: disk full\n')).toBe(true);
      expect((await runtime.readTerminationMessage('u6-c-1'))?.toString()).toBe('');
      await runtime.removeContainer('u6-c-0');
      expect(removed).toEqual(['u6-c-0']);
      await expect(access(fileOf(root, 'u6-c-0'))).rejects.toThrow();
      expect(await runtime.readTerminationMessage('u6-c-0')).toBeUndefined();
      await access(fileOf(root, 'u6-c-1'));
      await runtime.removePod('u6', 0);
      expect(await runtime.readTerminationMessage('u6-c-1')).toBeUndefined();
      expect(await runtime.readTerminationMessage('other-c-0')).toBeUndefined();
    }));

  it('a custom absolute path is the destination; an empty one mounts nothing; a relative one is a config error before anything runs', () =>
    withRuntime({ containers: [{ name: 'a', image: 'busybox', terminationMessagePath: '/tmp/msg' }, { name: 'b', image: 'busybox', terminationMessagePath: '' }, { name: 'r', image: 'busybox', terminationMessagePath: 'msg' }] }, async ({ runtime, root, specs }) => {
      const view = { metadata: { uid: 'u6', name: 'job-x', namespace: 'ns' }, spec: { containers: [] } };
      await runtime.startContainer(view, 'a', 0);
      await runtime.startContainer(view, 'b', 0);
      expect(specs[0].mounts?.at(-1)).toEqual({ source: fileOf(root, 'u6-a-0'), destination: '/tmp/msg' });
      expect(specs[1].mounts?.some((m) => m.source.includes('termination'))).toBe(false);
      await expect(runtime.startContainer(view, 'r', 0)).rejects.toMatchObject({ reason: 'CreateContainerConfigError', message: 'terminationMessagePath "msg" must be an absolute path' });
      expect(specs).toHaveLength(2);
    }));
});
