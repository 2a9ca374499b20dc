// Streams on a 2-node harness cluster (issue 21, port-forward, attach): kubectl port-forward
// (SPDY upgrade and the websocket tunnel of newer kubectls) and coxctl port-forward fetch a page
// from a busybox httpd pod; kubectl attach shows a container's live output; and exec, attach,
// logs, port-forward and the VMI console against workloads that cannot stream return their
// Status — each call must come back (a hang fails the outer timeout), and kubectl prints
// Kubernetes' message.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { request } from 'undici';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, KUBECTL, kubectl, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, scheduler: false, controllers: false, agentArgs: ['--crash-loop-backoff-initial-ms', '1000'] });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await cluster?.stop();
});

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
/** kubectl 1.31+ tunnels port-forward's SPDY through a websocket; the dispatcher picks 1.30 (SPDY) for our server version. */
const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const COXCTL = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'coxctl');

async function createPod(name: string, spec: Obj): Promise<void> {
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { terminationGracePeriodSeconds: 2, ...spec } });
  expect(res.status).toBe(201);
}

const busybox = (command: string, extra: Obj = {}) => ({ name: 'app', image: 'busybox', command: ['sh', '-c', command], ...extra });
const podStatus = async (name: string) => (await getObj(cluster, podPath(name)))?.status;

/** Starts a long-running CLI and resolves with the first stdout match. */
function startForward(bin: string, args: string[], pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = out.match(pattern);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${bin} exited ${code}: ${out}`)));
  });
}

async function fetchText(url: string): Promise<string> {
  const res = await request(url);
  return res.body.text();
}

/** Answer to a websocket upgrade that the server refuses: the HTTP code and the Status it carries. */
function refusedUpgrade(path: string, protocols: string[]): Promise<{ code: number; status: Obj }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${cluster.api.url.replace('https', 'wss')}${path}`, protocols, { headers: { authorization: `Bearer ${cluster.api.tokens.admin}` }, ca: cluster.api.ca });
    ws.on('open', () => {
      ws.close();
      reject(new Error(`${path} was upgraded`));
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, status: JSON.parse(body) }));
    });
    ws.on('error', reject);
  });
}

const execPath = (pod: string, container = 'app') => `${podPath(pod)}/exec?command=true&stdout=1&stderr=1&container=${container}`;
const attachPath = (pod: string) => `${podPath(pod)}/attach?stdout=1&stderr=1`;

describe('port-forward', () => {
  beforeAll(async () => {
    await createPod('web', { nodeName: 'node-2', containers: [busybox('mkdir -p /www && echo hello-through-the-tunnel > /www/index.html && exec httpd -f -p 8080 -h /www', { ports: [{ name: 'http', containerPort: 8080 }] })] });
    await waitFor('web Running', async () => (await podStatus('web'))?.phase === 'Running', 90_000);
  });

  it.each([
    ['kubectl (SPDY upgrade)', KUBECTL],
    ['kubectl 1.33 (SPDY tunneled in a websocket)', KUBECTL_133],
  ])('%s fetches a page from the pod', async (_name, bin) => {
    const { child, match } = await startForward(bin, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'port-forward', 'pod/web', ':8080'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
    try {
      const url = `http://127.0.0.1:${match[1]}/index.html`;
      expect(await fetchText(url)).toBe('hello-through-the-tunnel\n');
      expect(await fetchText(url)).toBe('hello-through-the-tunnel\n'); // a second connection on the same session
    } finally {
      child.kill();
    }
  });

  it('reports a refused port on the error stream as kubectl prints it', async () => {
    const { child, match } = await startForward(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'port-forward', 'pod/web', ':9999'], /Forwarding from 127\.0\.0\.1:(\d+) -> 9999/);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    await request(`http://127.0.0.1:${match[1]}/`).catch(() => undefined);
    await waitFor('kubectl reports the error', async () => /an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod web, uid .*connection refused/.test(stderr), 30_000);
    child.kill();
  });

  it('coxctl port-forward reaches the pod', async () => {
    const { child, match } = await startForward(COXCTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'port-forward', 'pod/web', ':8080'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
    try {
      expect(await fetchText(`http://127.0.0.1:${match[1]}/index.html`)).toBe('hello-through-the-tunnel\n');
    } finally {
      child.kill();
    }
  });
});

describe('attach', () => {
  it('kubectl attach shows the running container’s own output', async () => {
    await createPod('talker', { nodeName: 'node-1', containers: [busybox('i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.5; done')] });
    await waitFor('talker Running', async () => (await podStatus('talker'))?.phase === 'Running', 90_000);
    const { child, match } = await startForward(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'attach', 'talker'], /tick-(\d+)\n/);
    child.kill();
    expect(Number(match[1])).toBeGreaterThanOrEqual(0);
  });
});

describe('streams that cannot start answer with a Status', () => {
  beforeAll(async () => {
    await createPod('noimg', { nodeName: 'node-1', containers: [{ name: 'app', image: 'does-not-exist/nothing:1' }] });
    await createPod('unbound', { nodeSelector: { 'no-such-label': 'true' }, containers: [busybox('sleep 3600')] });
    await createPod('done', { nodeName: 'node-2', restartPolicy: 'Never', containers: [busybox('echo finished')] });
    await waitFor('noimg backing off', async () => (await podStatus('noimg'))?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', 90_000);
    await waitFor('done Succeeded', async () => (await podStatus('done'))?.phase === 'Succeeded', 90_000);
  });

  const run = (...args: string[]) => kubectl(cluster, args, { timeoutMs: 30_000 });

  it('a pod stuck in ImagePullBackOff', async () => {
    const exec = await run('exec', 'noimg', '--', 'true');
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toContain('container not found ("app")');
    const logs = await run('logs', 'noimg');
    expect(logs.code).not.toBe(0);
    expect(logs.stderr).toContain('Error from server (BadRequest): container "app" in pod "noimg" is waiting to start: trying and failing to pull image');
    const follow = await run('logs', '-f', 'noimg');
    expect(follow.stderr).toContain('is waiting to start: trying and failing to pull image');
    const attach = await run('attach', 'noimg');
    expect(attach.stderr).toContain('container not found ("app")');
    expect(await refusedUpgrade(execPath('noimg'), ['v5.channel.k8s.io'])).toMatchObject({ code: 400, status: { kind: 'Status', reason: 'BadRequest', message: 'container not found ("app")' } });
    expect(await refusedUpgrade(`${podPath('noimg')}/portforward?ports=80`, ['SPDY/3.1+portforward.k8s.io'])).toMatchObject({ code: 400, status: { message: 'unable to forward port because pod is not running. Current status=Pending' } });
  });

  it('a Pending pod that no node can take', async () => {
    const exec = await run('exec', 'unbound', '--', 'true');
    expect(exec.stderr).toContain('pod unbound does not have a host assigned');
    const logs = await run('logs', 'unbound');
    expect(logs.stderr).toContain('pod unbound does not have a host assigned');
    const attach = await run('attach', 'unbound');
    expect(attach.stderr).toContain('pod unbound does not have a host assigned');
    expect(await refusedUpgrade(attachPath('unbound'), ['v5.channel.k8s.io'])).toMatchObject({ code: 400, status: { message: 'pod unbound does not have a host assigned' } });
  });

  it('a completed pod', async () => {
    const exec = await run('exec', 'done', '--', 'true');
    expect(exec.stderr).toContain('cannot exec into a container in a completed pod; current phase is Succeeded');
    const attach = await run('attach', 'done');
    expect(attach.stderr).toContain('cannot attach a container in a completed pod; current phase is Succeeded');
    expect((await run('logs', 'done')).stdout).toBe('finished\n');
    // What other clients (coxctl, the dashboard) get from the server itself.
    expect(await refusedUpgrade(execPath('done'), ['v5.channel.k8s.io'])).toMatchObject({ code: 400, status: { message: 'cannot exec into a container in a completed pod; current phase is Succeeded' } });
  });

  it('a container name the pod does not have', async () => {
    const exec = await run('exec', 'web', '-c', 'nope', '--', 'true');
    expect(exec.stderr).toContain('container nope is not valid for pod web');
    const logs = await run('logs', 'web', '-c', 'nope');
    expect(logs.stderr).toContain('Error from server (BadRequest): container nope is not valid for pod web');
  });

  it('the console of a VMI that is not running', async () => {
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'idle' }, spec: { nodeSelector: { 'no-such-label': 'true' }, domain: { resources: { requests: { memory: '64Mi' } }, devices: {} } } };
    const created = await api(cluster, 'POST', '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances', vmi);
    expect(created.status).toBe(201);
    const refused = await refusedUpgrade('/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/idle/console', []);
    expect(refused).toMatchObject({ code: 409, status: { reason: 'Conflict', message: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "idle": VMI is not running' } });
  });

  it('a pod whose node agent was killed, and again once it is back', async () => {
    await createPod('orphan', { nodeName: 'node-2', containers: [busybox('echo still-here; exec sleep 3600')] });
    await waitFor('orphan Running', async () => (await podStatus('orphan'))?.phase === 'Running', 90_000);
    expect((await run('exec', 'orphan', '--', 'true')).code).toBe(0); // a channel to node-2's agent exists
    const node = cluster.nodes[1];
    await node.kill9();
    try {
      const exec = await run('exec', 'orphan', '--', 'true');
      expect(exec.stderr).toMatch(/Error from server \(ServiceUnavailable\): error dialing backend: the node agent of node "node-2" at \S+ is (refusing connections|not answering)/);
      const logs = await run('logs', 'orphan');
      expect(logs.stderr).toContain('error dialing backend');
      expect(await refusedUpgrade(attachPath('orphan'), ['v5.channel.k8s.io'])).toMatchObject({ code: 503, status: { reason: 'ServiceUnavailable' } });
    } finally {
      await node.start();
    }
    const back = await waitFor('exec works again', async () => {
      const r = await run('exec', 'orphan', '--', 'echo', 'back');
      return r.code === 0 && r.stdout;
    }, 60_000, 500);
    expect(back).toBe('back\n');
  });
});
