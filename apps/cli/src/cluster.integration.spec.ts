// coxctl on a real one-node cluster from the harness (API server, scheduler, controller
// manager, a node agent running runc containers and QEMU VMs): a deployment rolled out by
// the controllers, logs and exec next to kubectl's, top, why with the real scheduler's
// verdict, a VM started, reached over its serial console and stopped, and a drain.
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { clientFromKubeconfig, KubeClient, BUILTIN_RESOURCES as R } from '@coxswain/client';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { run } from './cli/run';
import { captureIo, runCli } from './testing/cli';

jest.setTimeout(120_000);
const exec = promisify(execFile);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let cluster: RunningCluster;
let kubeconfig: string;
let admin: KubeClient;

async function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

const coxctl = (args: string[], stdin?: string) => runCli(['--kubeconfig', kubeconfig, ...args], { stdin });

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1 });
  kubeconfig = cluster.kubeconfigPath('admin');
  admin = clientFromKubeconfig({ path: kubeconfig }).client;
});

afterAll(async () => {
  await admin?.destroy();
  await cluster?.stop();
});

describe('workloads', () => {
  it('create deployment, rollout status until the controllers and the agent have it running', async () => {
    const created = await coxctl(['create', 'deployment', 'web', '--image=busybox', '--replicas=2', '--', 'sh', '-c', 'echo hello from $(hostname); exec sleep 3600']);
    expect(created).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web created\n' });
    const status = await coxctl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    expect(status.code).toBe(0);
    expect(status.stdout.trimEnd().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    const table = await coxctl(['get', 'pods', '-l', 'app=web']);
    expect(table.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb-\S+\s+1\/1\s+Running\s+0\s+\d+s\nweb-\S+\s+1\/1\s+Running\s+0\s+\d+s\n$/);
  });

  it('logs and exec print what kubectl prints', async () => {
    const pod = (await admin.list<Obj>(R.Pod, { namespace: 'default', labelSelector: 'app=web' })).items[0].metadata.name as string;
    const logs = await eventually('a log line', async () => {
      const c = await coxctl(['logs', pod]);
      return c.stdout.includes('hello from') && c;
    });
    expect(logs).toEqual({ code: 0, stderr: '', stdout: `hello from ${pod}\n` });
    expect(await kubectl(['logs', pod])).toEqual(logs);
    expect((await coxctl(['logs', `pod/${pod}`, '--tail=1', '--timestamps'])).stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+ hello from ${pod}\\n$`));

    // -f keeps streaming what the container writes until interrupted.
    const controller = new AbortController();
    const follow = captureIo({ signal: controller.signal });
    const following = run(['--kubeconfig', kubeconfig, 'logs', '-f', pod], follow.io);
    await eventually('the first line while following', async () => follow.out().includes('hello from'));
    await coxctl(['exec', pod, '--', 'sh', '-c', 'echo later-line > /proc/1/fd/1']);
    await eventually('a line written after -f started', async () => follow.out().includes('later-line'));
    controller.abort();
    expect(await following).toBe(0);
    expect(follow.out()).toBe(`hello from ${pod}\nlater-line\n`);

    const script = ['sh', '-c', 'echo $((6*7)); cat /etc/hostname; echo oops >&2'];
    const c = await coxctl(['exec', pod, '--', ...script]);
    const k = await kubectl(['exec', pod, '--', ...script]);
    expect(c).toEqual({ code: 0, stdout: `42\n${pod}\n`, stderr: 'oops\n' });
    expect(k).toEqual(c);
    const failing = await coxctl(['exec', pod, '--', 'sh', '-c', 'exit 3']);
    expect(failing).toEqual({ code: 3, stdout: '', stderr: 'command terminated with exit code 3\n' });
    expect((await kubectl(['exec', pod, '--', 'sh', '-c', 'exit 3'])).code).toBe(3);
    // stdin reaches the command (it reads one line and exits).
    expect(await coxctl(['exec', '-i', 'deploy/web', '--', 'sh', '-c', 'read line; echo "got $line"'], 'piped through\n')).toEqual({ code: 0, stdout: 'got piped through\n', stderr: '' });
  });

  it('top reads the metrics API', async () => {
    const nodes = await eventually('node metrics', async () => {
      const res = await coxctl(['top', 'nodes']);
      return res.code === 0 && res;
    });
    expect(nodes.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$/);
    const pods = await eventually('pod metrics', async () => {
      const res = await coxctl(['top', 'pods', '-l', 'app=web']);
      return res.code === 0 && res.stdout.split('\n').length === 4 && res;
    });
    expect(pods.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nweb-\S+\s+\d+m\s+\d+Mi\s*\n/);
  });

  it('why tells what the scheduler said about a pod that cannot fit', async () => {
    await admin.create(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'default' }, spec: { containers: [{ name: 'a', image: 'busybox', resources: { requests: { memory: '4Ti' } } }] } } as Obj);
    const why = await eventually('the scheduler’s verdict', async () => {
      const res = await coxctl(['why', 'pod/huge']);
      return res.stdout.includes('Scheduler: 0/1 nodes are available') && res.stdout.includes('FailedScheduling') && res;
    });
    expect(why.stdout).toMatch(/^pod\/huge is Pending and not scheduled\.\n\nScheduler: 0\/1 nodes are available: 1 Insufficient memory\.\n {2}1 node\s+Insufficient memory\n/);
    expect(why.stdout).toMatch(/node-1\s+True\s+yes\s+Insufficient memory: needs 4Ti, \S+ free/);
    expect(why.stdout).toMatch(/Warning\s+FailedScheduling\s+default-scheduler\s+0\/1 nodes are available: 1 Insufficient memory\./);
    expect((await coxctl(['delete', 'pod', 'huge'])).stdout).toBe('pod "huge" deleted\n');
  });
});

describe('virtual machines', () => {
  const VM = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: tiny}
spec:
  runStrategy: Halted
  template:
    metadata: {labels: {kubevirt.io/vm: tiny}}
    spec:
      terminationGracePeriodSeconds: 5
      domain:
        cpu: {cores: 1}
        resources: {requests: {memory: 128Mi}}
        firmware:
          kernelBoot:
            container: {image: "coxswain/tiny-vm:latest", kernelPath: /boot/vmlinuz, initrdPath: /boot/initrd.img}
            kernelArgs: console=ttyS0
`;

  it('vm start boots the VM; console reaches its shell; Ctrl-] detaches; vm stop ends it', async () => {
    expect((await coxctl(['apply', '-f', '-'], VM)).stdout).toBe('virtualmachine.kubevirt.io/tiny created\n');
    expect((await coxctl(['vm', 'start', 'tiny'])).stdout).toBe('VM tiny was scheduled to start\n');
    // The VM controller creates the instance a moment later.
    expect(await coxctl(['wait', '--for=create', 'vmi/tiny', '--timeout=60s'])).toEqual({ code: 0, stderr: '', stdout: 'virtualmachineinstance.kubevirt.io/tiny condition met\n' });
    expect(await coxctl(['wait', '--for=jsonpath={.status.phase}=Running', 'vmi/tiny', '--timeout=90s'])).toEqual({ code: 0, stderr: '', stdout: 'virtualmachineinstance.kubevirt.io/tiny condition met\n' });
    const list = await coxctl(['vm', 'list']);
    expect(list.stdout).toMatch(/virtualmachine\.kubevirt\.io\/tiny\s+\d+s\s+\S+/);
    expect(list.stdout).toMatch(/virtualmachineinstance\.kubevirt\.io\/tiny\s+\d+s\s+Running\s+[\d.]+\s+node-1\s+/);
    expect((await coxctl(['why', 'vmi/tiny'])).stdout).toMatch(/^vmi\/tiny is scheduled on node node-1 \(phase Running\)\.\nIt is running\.\n/);

    const stdin = new PassThrough();
    const { io, out, err } = captureIo({ stdinStream: stdin });
    const attached = run(['--kubeconfig', kubeconfig, 'console', 'tiny', '--timeout=60s'], io);
    await eventually('the guest shell answers', async () => {
      stdin.write('echo cox-$((40+2))\n');
      await new Promise((r) => setTimeout(r, 400));
      return out().includes('cox-42');
    });
    stdin.write(Buffer.from([0x1d]));
    expect(await attached).toBe(0);
    expect(err()).toContain('Successfully connected to tiny console. The escape sequence is ^]');

    expect((await coxctl(['vm', 'stop', 'tiny'])).stdout).toBe('VM tiny was scheduled to stop\n');
    expect(await coxctl(['wait', '--for=delete', 'vmi/tiny', '--timeout=60s'])).toEqual({ code: 0, stderr: '', stdout: 'virtualmachineinstance.kubevirt.io/tiny condition met\n' });
  });
});

describe('nodes', () => {
  it('drain evicts the deployment’s pods and refuses an unmanaged one without --force', async () => {
    await admin.create(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loner', namespace: 'default' }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }] } } as Obj);
    const refused = await coxctl(['drain', 'node-1', '--timeout=60s']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('node/node-1 cordoned\n');
    expect(refused.stderr).toBe('error: unable to drain node "node-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/loner, continuing command...\n');
    const before = (await admin.list<Obj>(R.Pod, { namespace: 'default', fieldSelector: 'spec.nodeName=node-1' })).items.map((p) => p.metadata.name as string).sort();
    const drained = await coxctl(['drain', 'node-1', '--force', '--grace-period=1', '--timeout=90s']);
    expect(drained.code).toBe(0);
    expect(drained.stderr).toBe('Warning: deleting Pods that declare no controller: default/loner\n');
    const lines = drained.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('node/node-1 already cordoned');
    expect(lines.filter((l) => l.startsWith('evicting pod ')).map((l) => l.slice('evicting pod default/'.length)).sort()).toEqual(before);
    expect(lines.filter((l) => l.endsWith(' evicted')).map((l) => l.slice('pod/'.length, -' evicted'.length)).sort()).toEqual(before);
    expect(lines[lines.length - 1]).toBe('node/node-1 drained');
    // The replacements wait: the only node is cordoned.
    const pending = await eventually('replacement pods', async () => {
      const pods = (await admin.list<Obj>(R.Pod, { namespace: 'default', labelSelector: 'app=web' })).items;
      return pods.length === 2 && pods.every((p) => !p.spec.nodeName) && pods;
    });
    const why = await eventually('scheduler verdict on a replacement', async () => {
      const res = await coxctl(['why', `pod/${pending[0].metadata.name}`]);
      return res.stdout.includes('Scheduler:') && res;
    });
    expect(why.stdout).toMatch(/node-1\s+True\s+no\s+node\(s\) were unschedulable/);
    expect((await coxctl(['uncordon', 'node-1'])).stdout).toBe('node/node-1 uncordoned\n');
    expect((await coxctl(['rollout', 'status', 'deploy/web', '--timeout=90s'])).code).toBe(0);
  });
});
