// logs, exec and console against a small stand-in for the API server's node proxy: the
// pods/log stream, the pods/exec channel WebSocket (v5 and v4) and the VMI console socket.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { run } from '../cli/run';
import { captureIo, runCli } from '../testing/cli';
import { buildQuery, exitCodeFromStatus, websocketUrl } from '../stream/websocket';
import { linePrefixer, logQuery } from './logs';
import { chooseContainer, pickPod } from './pods';

const TOKEN = 'streams-token';
let server: Server;
let url: string;
let dir: string;
let kubeconfig: string;
const seen: Array<{ path: string; query: URLSearchParams; protocol?: string; auth?: string }> = [];
let execProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', annotations: {} },
  spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] },
  status: { phase: 'Running' },
};

function json(res: import('node:http').ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The exec side: echo stdin (upper-cased) to stdout, report `exit N` commands as exit codes. */
function serveExec(ws: WebSocket, query: URLSearchParams) {
  const command = query.getAll('command');
  const send = (channel: number, text: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  const finish = (code: number) => {
    send(3, JSON.stringify(code === 0 ? { status: 'Success' } : { status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } }));
    ws.close();
  };
  if (command[0] === 'exit') return finish(Number(command[1]));
  if (command[0] === 'fail') {
    send(3, JSON.stringify({ status: 'Failure', message: 'container not found ("nope")' }));
    return ws.close();
  }
  send(1, `ran ${command.join(' ')} in ${query.get('container')}\n`);
  send(2, 'a warning\n');
  let input = '';
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0) input += data.subarray(1).toString();
    if (data[0] === 4) send(1, `resize ${data.subarray(1).toString()}\n`);
    if (data[0] === 255) {
      send(1, input.toUpperCase());
      finish(0);
    }
  });
  if (query.get('stdin') !== 'true') finish(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coxctl-streams-'));
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols].find((p) => execProtocols.includes(p) || p === 'plain.kubevirt.io') ?? false });
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: u.pathname, query: u.searchParams, auth: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { kind: 'Status', status: 'Failure', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
    if (u.pathname === '/api/v1/namespaces/default/pods/web-0') return json(res, 200, POD);
    if (u.pathname === '/api/v1/namespaces/default/pods/web-0/log') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`line 1 of ${u.searchParams.get('container')}\nline 2`);
      setTimeout(() => res.end(' end\n'), 20);
      return;
    }
    if (u.pathname === '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/vm1') return json(res, 200, { kind: 'VirtualMachineInstance', metadata: { name: 'vm1' }, status: { phase: 'Running' } });
    json(res, 404, { kind: 'Status', status: 'Failure', reason: 'NotFound', message: `${u.pathname} not found`, code: 404 });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: u.pathname, query: u.searchParams, protocol: String(req.headers['sec-websocket-protocol']), auth: req.headers.authorization });
    if (u.pathname.endsWith('/pods/missing/exec')) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{"kind":"Status","status":"Failure","reason":"NotFound","message":"pods \\"missing\\" not found","code":404}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (u.pathname.endsWith('/exec')) return serveExec(ws, u.searchParams);
      // Console: greet, then echo bytes back until the client leaves.
      ws.send(Buffer.from('login: '));
      ws.on('message', (data: Buffer) => ws.send(data));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, `current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u, namespace: default}}]\nclusters: [{name: k, cluster: {server: "${url}"}}]\nusers: [{name: u, user: {token: ${TOKEN}}}]\n`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], stdin?: string) => runCli(['--kubeconfig', kubeconfig, ...args], { stdin });

describe('logs', () => {
  it('streams the default container, saying which it picked', async () => {
    const res = await cli(['logs', 'web-0']);
    expect(res).toEqual({ code: 0, stdout: 'line 1 of app\nline 2 end\n', stderr: 'Defaulted container "app" out of: app, sidecar\n' });
  });

  it('sends kubectl’s query parameters', async () => {
    await cli(['logs', 'web-0', '-c', 'sidecar', '-f', '--tail=20', '--since=2m', '--timestamps', '--previous']);
    const q = seen.filter((s) => s.path.endsWith('/log')).pop()!.query;
    expect(Object.fromEntries(q)).toEqual({ container: 'sidecar', follow: 'true', tailLines: '20', sinceSeconds: '120', timestamps: 'true', previous: 'true' });
  });

  it('--all-containers prefixes lines with pod and container', async () => {
    const res = await cli(['logs', 'web-0', '--all-containers', '--prefix']);
    expect(res.stdout).toBe('[pod/web-0/app] line 1 of app\n[pod/web-0/app] line 2 end\n[pod/web-0/sidecar] line 1 of sidecar\n[pod/web-0/sidecar] line 2 end\n');
  });

  it('an unknown container is an error', async () => {
    expect(await cli(['logs', 'web-0', '-c', 'nope'])).toMatchObject({ code: 1, stderr: 'error: container nope is not valid for pod web-0\n' });
  });
});

describe('exec', () => {
  it('runs the command after -- and relays stdout and stderr', async () => {
    const res = await cli(['exec', 'web-0', '-c', 'sidecar', '--', 'ls', '-l', '/']);
    expect(res).toEqual({ code: 0, stdout: 'ran ls -l / in sidecar\n', stderr: 'a warning\n' });
    const upgrade = seen.filter((s) => s.path.endsWith('/exec')).pop()!;
    expect({ protocol: upgrade.protocol, auth: upgrade.auth, command: upgrade.query.getAll('command'), stdout: upgrade.query.get('stdout') }).toEqual({ protocol: 'v5.channel.k8s.io,v4.channel.k8s.io', auth: `Bearer ${TOKEN}`, command: ['ls', '-l', '/'], stdout: 'true' });
  });

  it('-i sends stdin and closes it (v5) so the command can finish', async () => {
    const res = await cli(['exec', '-i', 'web-0', '-c', 'app', '--', 'cat'], 'hello\n');
    expect(res.stdout).toBe('ran cat in app\nHELLO\n');
  });

  it('exits with the remote exit code', async () => {
    expect(await cli(['exec', 'web-0', '-c', 'app', '--', 'exit', '3'])).toEqual({ code: 3, stdout: '', stderr: 'command terminated with exit code 3\n' });
  });

  it('a failure status is an error', async () => {
    expect(await cli(['exec', 'web-0', '-c', 'app', '--', 'fail'])).toMatchObject({ code: 1, stderr: 'error: container not found ("nope")\n' });
  });

  it('works on v4 servers (no stdin close frame: the command ends on its own)', async () => {
    execProtocols = ['v4.channel.k8s.io'];
    try {
      expect(await cli(['exec', 'web-0', '-c', 'app', '--', 'exit', '0'])).toEqual({ code: 0, stdout: '', stderr: '' });
    } finally {
      execProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
    }
  });

  it('-it without a terminal falls back to plain streams, as kubectl does', async () => {
    const res = await cli(['exec', '-it', 'web-0', '-c', 'app', '--', 'cat'], 'x');
    expect(res).toEqual({ code: 0, stdout: 'ran cat in app\nX', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\na warning\n' });
    expect(seen.filter((s) => s.path.endsWith('/exec')).pop()!.query.get('tty')).toBeNull();
  });

  it('needs a command after --', async () => {
    expect(await cli(['exec', 'web-0'])).toMatchObject({ code: 1, stderr: expect.stringContaining('you must specify at least one command for the container') });
    expect(await cli(['exec', 'web-0', 'ls'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Use exec [POD] -- [COMMAND] instead') });
  });
});

describe('console', () => {
  it('relays bytes both ways and detaches on Ctrl-]', async () => {
    const stdin = new PassThrough();
    const { io, out, err } = captureIo({ stdinStream: stdin });
    const done = run(['--kubeconfig', kubeconfig, 'console', 'vm1'], io);
    await waitFor(() => out().includes('login: '));
    stdin.write('root\n');
    await waitFor(() => out().includes('root\n'));
    stdin.write(Buffer.from([0x6c, 0x73, 0x1d, 0x78])); // "ls", Ctrl-], "x" (never sent)
    expect(await done).toBe(0);
    expect(out()).toBe('login: root\nls');
    expect(err()).toContain('Successfully connected to vm1 console. The escape sequence is ^]');
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached');
}

describe('stream helpers', () => {
  it.each([
    ['{"status":"Success"}', { code: 0 }],
    ['{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"42"}]}}', { code: 42 }],
    ['{"status":"Failure","message":"boom"}', { message: 'boom' }],
    ['not json', { message: 'not json' }],
  ])('exitCodeFromStatus(%s)', (text, want) => {
    expect(exitCodeFromStatus(text)).toEqual(want);
  });

  it('keeps repeated query keys in order and maps schemes', () => {
    expect(buildQuery([['command', 'a'], ['command', 'b c'], ['tty', undefined], ['stdin', true]])).toBe('?command=a&command=b+c&stdin=true');
    expect(websocketUrl('https://h:6443/prefix/', '/api/v1/x?y=1')).toBe('wss://h:6443/prefix/api/v1/x?y=1');
    expect(websocketUrl('http://h', '/a')).toBe('ws://h/a');
  });

  it('logQuery drops unset options', () => {
    expect(logQuery({ container: 'c', follow: false, previous: false, timestamps: false })).toEqual({ container: 'c', follow: undefined, previous: undefined, tailLines: undefined, sinceSeconds: undefined, sinceTime: undefined, timestamps: undefined, limitBytes: undefined });
  });

  it('linePrefixer keeps partial lines until they complete', () => {
    const got: string[] = [];
    const p = linePrefixer('> ', (t) => got.push(t));
    p.push('a\nb');
    p.push('c\n');
    p.push('d');
    p.end();
    expect(got).toEqual(['> a\n', '> bc\n', '> d\n']);
  });

  it('pickPod prefers running and ready, then newest; chooseContainer honours the annotation', () => {
    const p = (name: string, phase: string, ready: boolean, created: string) => ({ metadata: { name, creationTimestamp: created }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    expect(pickPod([p('old-ready', 'Running', true, '2025-01-01T00:00:00Z'), p('pending', 'Pending', false, '2025-06-01T00:00:00Z'), p('new-ready', 'Running', true, '2025-02-01T00:00:00Z')])?.metadata.name).toBe('new-ready');
    const notes: string[] = [];
    expect(chooseContainer({ ...POD, metadata: { ...POD.metadata, annotations: { 'kubectl.kubernetes.io/default-container': 'sidecar' } } }, '', (t) => notes.push(t))).toBe('sidecar');
    expect(notes).toEqual([]);
  });
});
