// Streams on a 2-node harness cluster (issue 21, port-forward, attach): kubectl port-forward
// (SPDY upgrade and the websocket tunnel of newer kubectls) and coxctl port-forward fetch a page
// from a busybox httpd pod; kubectl attach shows a container's live output; and exec, attach,
// logs, port-forward and the VMI console against workloads that cannot stream return their
// Status — each call must come back (a hang fails the outer timeout), and kubectl prints
// Kubernetes' message.
import { ChildProcess, spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { request } from 'undici';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, KUBECTL, kubectl, Obj, spawnUntilOutput, waitFor } from './support';

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
const startForward = (bin: string, args: string[], pattern: RegExp) => spawnUntilOutput(children, bin, args, pattern);

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

/** A raw upgrade request (any protocol): the status line, headers and, when refused, the Status. */
function rawUpgrade(path: string, headers: Record<string, string>): Promise<{ code: number; headers: Record<string, unknown>; status?: Obj }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${cluster.api.url}${path}`);
    const req = httpsRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'GET', ca: cluster.api.ca, headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, connection: 'Upgrade', ...headers } });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ code: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, status: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const TUNNEL_HEADERS = { upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'SPDY/3.1+portforward.k8s.io' };

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
    // -v=4 makes client-go say so if it had to fall back from the websocket to plain SPDY.
    const { child, match } = await startForward(bin, ['--kubeconfig', cluster.kubeconfigPath('admin'), '-v=4', 'port-forward', 'pod/web', ':8080'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
    let output = match.input ?? '';
    child.stderr!.on('data', (d: Buffer) => (output += d));
    try {
      const url = `http://127.0.0.1:${match[1]}/index.html`;
      expect(await fetchText(url)).toBe('hello-through-the-tunnel\n');
      expect(await fetchText(url)).toBe('hello-through-the-tunnel\n'); // a second connection on the same session
      expect(output).not.toMatch(/fallback to secondary dialer/);
    } finally {
      child.kill();
    }
  });

  it('answers the websocket tunnel handshake with kubectl’s exact subprotocol', async () => {
    const res = await rawUpgrade(`${podPath('web')}/portforward`, TUNNEL_HEADERS);
    expect(res.code).toBe(101);
    expect(res.headers['sec-websocket-protocol']).toBe('SPDY/3.1+portforward.k8s.io');
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

  it('kubectl attach -i feeds a container that has stdin: true', async () => {
    await createPod('listener', { nodeName: 'node-2', containers: [busybox('echo ready; while read line; do echo heard:$line; done', { stdin: true })] });
    await waitFor('listener Running', async () => (await podStatus('listener'))?.phase === 'Running', 90_000);
    const child = spawn(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'attach', '-i', 'listener'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    // Lines typed until one comes back (the first may be written before the session is up).
    const heard = await waitFor('the container echoes what kubectl sends', async () => {
      child.stdin!.write('hello\n');
      return out.includes('heard:hello') && out;
    }, 60_000, 500);
    child.kill();
    expect(heard).toContain('heard:hello');
  });
});

describe('streams whose container dies', () => {
  const exited = (child: ChildProcess) => new Promise<number>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code ?? -1))));

  it('exec, attach and logs -f end when the container exits, exec with the code kubectl reports', async () => {
    await createPod('brief', { nodeName: 'node-1', restartPolicy: 'Never', containers: [busybox('echo up; while [ ! -f /tmp/stop ]; do echo tick; sleep 0.5; done; echo bye; exit 3')] });
    await waitFor('brief Running', async () => (await podStatus('brief'))?.phase === 'Running', 90_000);
    const args = (...rest: string[]) => ['--kubeconfig', cluster.kubeconfigPath('admin'), ...rest];
    const exec = await startForward(KUBECTL, args('exec', 'brief', '--', 'sh', '-c', 'echo started; exec sleep 600'), /started/);
    const attach = await startForward(KUBECTL, args('attach', 'brief'), /tick/);
    const follow = await startForward(KUBECTL, args('logs', '-f', 'brief'), /up\n/);
    let execErr = '';
    exec.child.stderr!.on('data', (d: Buffer) => (execErr += d));
    let attachOut = '';
    attach.child.stdout!.on('data', (d: Buffer) => (attachOut += d));
    expect((await kubectl(cluster, ['exec', 'brief', '--', 'touch', '/tmp/stop'])).code).toBe(0);
    // All three come back on their own once the container is gone (jest's timeout catches a hang).
    const [execCode, , followCode] = await Promise.all([exited(exec.child), exited(attach.child), exited(follow.child)]);
    expect(execCode).toBe(137); // the exec'd process is killed with the container (SIGKILL)
    expect(execErr).toContain('command terminated with exit code 137');
    expect(attachOut).toContain('bye');
    expect(followCode).toBe(0);
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
  const coxctl = (...args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(COXCTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => (clearTimeout(timer), resolve({ code: code ?? -1, stderr })));
    });

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
    expect(await coxctl('exec', 'noimg', '--', 'true')).toEqual({ code: 1, stderr: 'Error from server (BadRequest): container not found ("app")\n' });
    expect(await coxctl('attach', 'noimg')).toMatchObject({ code: 1, stderr: expect.stringContaining('Error from server (BadRequest): container not found ("app")\n') });
    expect(await coxctl('logs', 'noimg')).toMatchObject({ code: 1, stderr: 'Error from server (BadRequest): container "app" in pod "noimg" is waiting to start: trying and failing to pull image\n' });
    expect(await rawUpgrade(`${podPath('noimg')}/portforward`, TUNNEL_HEADERS)).toMatchObject({ code: 400, status: { message: 'unable to forward port because pod is not running. Current status=Pending' } });
    expect(await rawUpgrade(`${podPath('noimg')}/portforward`, { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' })).toMatchObject({ code: 400, status: { reason: 'BadRequest' } });
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
    const logs = await run('logs', 'web', '-c', 'nope'); // kubectl checks the name itself
    expect(logs.stderr).toContain('container nope is not valid for pod web');
    expect(await api(cluster, 'GET', `${podPath('web')}/log?container=nope`)).toMatchObject({ status: 400, body: { reason: 'BadRequest', message: 'container nope is not valid for pod web' } });
    expect(await refusedUpgrade(execPath('web', 'nope'), ['v5.channel.k8s.io'])).toMatchObject({ code: 400, status: { message: 'container nope is not valid for pod web' } });
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
