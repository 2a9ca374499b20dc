// securityContext, seccomp and QoS cgroups on a 2-node harness cluster, seen the way a user
// sees them: kubectl apply/get/describe/logs/exec against real runc containers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { memoryBytes } from '@coxswain/api';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { getObj, k, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, scheduler: false, controllers: false });
});

afterAll(async () => {
  await cluster?.stop();
});

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
const field = (out: string, name: string) => out.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1];

async function apply(yaml: string): Promise<void> {
  await k(cluster, 'apply', '-f', await manifest(yaml));
}

async function running(name: string): Promise<Obj> {
  return waitFor(`pod ${name} Running`, async () => {
    const pod = await getObj(cluster, podPath(name));
    return pod?.status?.phase === 'Running' && pod;
  }, 120_000);
}

/** The pod's logs once they contain `marker`. */
async function logsWith(name: string, marker: string): Promise<string> {
  return waitFor(`logs of ${name}`, async () => {
    const out = await kubectl(cluster, ['logs', name]);
    return out.stdout.includes(marker) && out.stdout;
  }, 60_000);
}

describe('securityContext', () => {
  it('the issue\'s pod runs as uid 1000 with no capabilities, cannot write /, no_new_privs and Seccomp: 2', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: restricted}
spec:
  nodeName: node-1
  terminationGracePeriodSeconds: 1
  securityContext: {runAsUser: 1000, runAsNonRoot: true}
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "id -u; grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; touch /probe || echo write-refused; echo done; exec sleep 3600"]
    securityContext:
      capabilities: {drop: [ALL]}
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
`);
    await running('restricted');
    const out = await logsWith('restricted', 'done');
    expect(out.split('\n')[0]).toBe('1000');
    expect(field(out, 'CapEff')).toBe('0000000000000000');
    expect(field(out, 'NoNewPrivs')).toBe('1');
    expect(field(out, 'Seccomp')).toBe('2');
    expect(out).toMatch(/Read-only file system/);
    expect(out).toMatch(/^write-refused$/m);
    // kubectl exec runs under the same confinement.
    const exec = await k(cluster, 'exec', 'restricted', '--', 'sh', '-c', "id -u; grep '^Seccomp:' /proc/self/status; unshare -U true 2>&1 || echo unshare-refused");
    expect(exec).toMatch(/^1000\nSeccomp:\s+2\n/);
    expect(exec).toMatch(/unshare-refused/);
  });

  it('the shipped restricted example runs; fsGroup makes its emptyDir writable by the pod\'s group', async () => {
    const example = (await readFile(join(__dirname, '../../deploy/examples/restricted-pod.yaml'), 'utf8')).replace('spec:\n', 'spec:\n  nodeName: node-2\n  terminationGracePeriodSeconds: 1\n');
    await apply(example.replace('name: restricted', 'name: example'));
    await running('example');
    const out = await logsWith('example', ' f');
    expect(out).toMatch(/^uid=1000 gid=1000 groups=2000$/m);
    expect(field(out, 'Seccomp')).toBe('2');
    // The file uid 1000 wrote into the emptyDir belongs to it and to fsGroup 2000 (setgid directory).
    expect(out).toMatch(/^-rw\S*\s+\d+\s+1000\s+2000\s+\d+ .* f$/m);
  });

  it('runAsNonRoot on a root image: CreateContainerConfigError with Kubernetes\' message in get and describe', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: rootimage}
spec:
  nodeName: node-2
  securityContext: {runAsNonRoot: true}
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"]}
`);
    const want = 'container has runAsNonRoot and image will run as root (pod: "default/rootimage", container: app)';
    const status = await waitFor('CreateContainerConfigError', async () => {
      const cs = (await getObj(cluster, podPath('rootimage')))?.status?.containerStatuses?.[0];
      return cs?.state?.waiting?.reason === 'CreateContainerConfigError' && cs;
    }, 60_000);
    expect(status.state.waiting.message).toBe(want);
    const get = await k(cluster, 'get', 'pod', 'rootimage');
    expect(get).toMatch(/^rootimage\s+0\/1\s+CreateContainerConfigError\s+0\s+/m);
    const describe = await waitFor('the Failed event', async () => {
      const out = await k(cluster, 'describe', 'pod', 'rootimage');
      return out.includes(`Error: ${want}`) && out;
    }, 60_000);
    expect(describe).toMatch(/Reason:\s+CreateContainerConfigError/);
  });

  it('refuses fields it cannot enforce, and hostPorts of the control plane', async () => {
    const selinux = await kubectl(cluster, ['apply', '-f', await manifest(`
apiVersion: v1
kind: Pod
metadata: {name: selinux}
spec:
  securityContext: {seLinuxOptions: {level: "s0:c123,c456"}}
  containers: [{name: app, image: busybox}]
`)]);
    expect(selinux.code).not.toBe(0);
    expect(selinux.stderr).toMatch(/spec\.securityContext\.seLinuxOptions: Forbidden: SELinux is not supported/);
    const port = await kubectl(cluster, ['apply', '-f', await manifest(`
apiVersion: v1
kind: Pod
metadata: {name: apiport}
spec:
  containers: [{name: app, image: busybox, ports: [{containerPort: 80, hostPort: 6443}]}]
`)]);
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/spec\.containers\[0\]\.ports\[0\]\.hostPort: Forbidden: port 6443 is reserved for the API server/);
    expect(await getObj(cluster, podPath('apiport'))).toBeUndefined();
  });
});

describe('QoS cgroups', () => {
  const cgroupOf = (out: string) => out.match(/^\d+:memory:(\S+)$/m)?.[1];

  it('BestEffort, Burstable and Guaranteed pods land in their kubepods branch with the kubelet\'s oom_score_adj', async () => {
    const pod = (name: string, resources: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: node-2
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "cat /proc/self/cgroup; echo oom=$(cat /proc/1/oom_score_adj); exec sleep 3600"]
    resources: ${resources}
`;
    await apply(pod('besteffort', '{}'));
    await apply(pod('burstable', '{requests: {memory: 16Mi}}'));
    await apply(pod('guaranteed', '{limits: {cpu: 200m, memory: 48Mi}}'));
    const seen: Record<string, { cgroup?: string; oom: number; uid: string; qosClass: string }> = {};
    for (const name of ['besteffort', 'burstable', 'guaranteed']) {
      const obj = await running(name);
      const out = await logsWith(name, 'oom=');
      seen[name] = { cgroup: cgroupOf(out), oom: Number(out.match(/^oom=(-?\d+)$/m)![1]), uid: obj.metadata.uid, qosClass: obj.status.qosClass };
    }
    expect(seen.besteffort.qosClass).toBe('BestEffort');
    expect(seen.besteffort.cgroup).toMatch(new RegExp(`/kubepods/besteffort/pod${seen.besteffort.uid}/[^/]+$`));
    expect(seen.besteffort.oom).toBe(1000);
    expect(seen.burstable.qosClass).toBe('Burstable');
    expect(seen.burstable.cgroup).toMatch(new RegExp(`/kubepods/burstable/pod${seen.burstable.uid}/[^/]+$`));
    expect(seen.burstable.oom).toBeGreaterThanOrEqual(2);
    expect(seen.burstable.oom).toBeLessThan(1000);
    expect(seen.guaranteed.qosClass).toBe('Guaranteed');
    expect(seen.guaranteed.cgroup).toMatch(new RegExp(`/kubepods/pod${seen.guaranteed.uid}/[^/]+$`));
    // -997 where the agent may lower scores (CAP_SYS_RESOURCE); never above a Burstable pod's.
    expect(seen.guaranteed.oom).toBeLessThan(seen.burstable.oom);

    // The pod-level cgroup carries the pod's limits; kubepods carries node allocatable.
    const podDir = seen.guaranteed.cgroup!.replace(/\/[^/]+$/, '');
    expect(Number(await readFile(`/sys/fs/cgroup/memory${podDir}/memory.limit_in_bytes`, 'utf8'))).toBe(48 * 1024 * 1024);
    expect((await readFile(`/sys/fs/cgroup/cpu${podDir}/cpu.cfs_quota_us`, 'utf8')).trim()).toBe('20000');
    expect(Number(await readFile(`/sys/fs/cgroup/pids${podDir}/pids.max`, 'utf8'))).toBe(4096);
    const kubepods = podDir.replace(/\/pod[^/]+$/, '');
    const node = (await getObj(cluster, '/api/v1/nodes/node-2'))!;
    const allocatable = memoryBytes(node.status.allocatable.memory);
    expect(Number(await readFile(`/sys/fs/cgroup/memory${kubepods}/memory.limit_in_bytes`, 'utf8'))).toBe(Math.floor(allocatable / 4096) * 4096);
  });

  it('a VMI\'s QEMU runs in the same hierarchy by its QoS class', async () => {
    const vmi = {
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'tinyqos' },
      spec: {
        nodeName: 'node-2', terminationGracePeriodSeconds: 5,
        domain: {
          cpu: { cores: 1 }, resources: { requests: { memory: '128Mi' } },
          firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
        },
      },
    };
    expect((await kubectl(cluster, ['create', '--validate=false', '-f', await manifest(JSON.stringify(vmi))])).code).toBe(0);
    const running = await waitFor('VMI Running', async () => {
      const obj = await getObj(cluster, '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/tinyqos');
      return obj?.status?.phase === 'Running' && obj;
    }, 180_000, 500);
    // The node's cgroup parent, from a pod of the same node.
    const podCgroup = (await logsWith('burstable', 'oom=')).match(/^\d+:memory:(\S+)$/m)![1];
    const parent = podCgroup.slice(0, podCgroup.indexOf('/kubepods/'));
    const dir = `/sys/fs/cgroup/memory${parent}/kubepods/burstable/pod${running.metadata.uid}`;
    const procs = (await readFile(`${dir}/cgroup.procs`, 'utf8')).split('\n').filter(Boolean);
    expect(procs.length).toBeGreaterThan(0);
    const cmdlines = await Promise.all(procs.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
    expect(cmdlines.some((c) => c.includes('qemu-system'))).toBe(true);
    await k(cluster, 'delete', 'virtualmachineinstance', 'tinyqos', '--wait=false');
  });
});
