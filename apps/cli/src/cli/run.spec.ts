// coxctl commands end to end in-process against the client library's FakeApiServer:
// argument handling, output and exit codes as users see them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@coxswain/client';
import { captureIo, runCli } from '../testing/cli';
import { run } from './run';
import { ROOT } from './commands';
import { CommandSpec } from './spec';

let server: FakeApiServer;
let dir: string;
let kubeconfig: string;
const NOW = new Date('2025-06-01T12:00:00Z');

const cli = (args: string[], extra: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) => runCli(['--kubeconfig', kubeconfig, ...args], { now: NOW, cwd: dir, ...extra });

beforeAll(async () => {
  server = await FakeApiServer.start({ token: 't0k' });
  dir = mkdtempSync(join(tmpdir(), 'coxctl-run-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: dev
clusters: [{name: fake, cluster: {server: "${server.url}"}}, {name: other, cluster: {server: "https://other:6443"}}]
users: [{name: me, user: {token: t0k}}, {name: admin, user: {token: s3cret, client-key-data: S0VZ}}]
contexts: [{name: dev, context: {cluster: fake, user: me, namespace: default}}, {name: prod, context: {cluster: other, user: admin}}]
`,
  );
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const pod = (name: string, namespace = 'default', labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels, creationTimestamp: '2025-06-01T11:58:00Z' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
});

describe('get', () => {
  beforeAll(() => {
    server.put('/api/v1/namespaces/default/pods/web-0', pod('web-0', 'default', { app: 'web' }));
    server.put('/api/v1/namespaces/default/pods/web-1', pod('web-1', 'default', { app: 'web' }));
    server.put('/api/v1/namespaces/team-a/pods/db-0', pod('db-0', 'team-a', { app: 'db' }));
  });

  it('prints the namespace’s pods as a kubectl table', async () => {
    expect(await cli(['get', 'pods'])).toEqual({ code: 0, stderr: '', stdout: 'NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          2m\nweb-1   1/1     Running   0          2m\n' });
  });

  it('-A adds NAMESPACE; -l filters', async () => {
    expect((await cli(['get', 'po', '-A', '-l', 'app=db'])).stdout).toBe('NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE\nteam-a      db-0   1/1     Running   0          2m\n');
  });

  it('-n switches namespace; -o name', async () => {
    expect((await cli(['-n', 'team-a', 'get', 'pods', '-o', 'name'])).stdout).toBe('pod/db-0\n');
  });

  it('one named object as JSON is the object itself', async () => {
    const res = await cli(['get', 'pod', 'web-0', '-o', 'json']);
    expect(JSON.parse(res.stdout)).toMatchObject({ kind: 'Pod', metadata: { name: 'web-0' } });
  });

  it('a missing object: kubectl’s error text and exit code 1, found ones still printed', async () => {
    const res = await cli(['get', 'pods', 'web-0', 'nope', '-o', 'name']);
    expect(res).toEqual({ code: 1, stdout: 'pod/web-0\n', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });

  it('--ignore-not-found', async () => {
    expect(await cli(['get', 'pod', 'nope', '--ignore-not-found'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('an empty namespace says so on stderr', async () => {
    expect(await cli(['get', 'pods', '-n', 'empty'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in empty namespace.\n' });
  });

  it('an unknown type', async () => {
    expect(await cli(['get', 'widgets'])).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "widgets"\n' });
  });

  it('jsonpath over the list', async () => {
    expect((await cli(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout).toBe('web-0 web-1');
  });

  it('wrong credentials read like kubectl', async () => {
    const res = await cli(['--token', 'wrong', 'get', 'pods']);
    expect(res).toMatchObject({ code: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' });
  });
});

describe('apply, scale, delete', () => {
  const manifest = (replicas: number, image = 'busybox:1.36') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: "${image}"}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
`;

  it('creates, then reports unchanged, then configured', async () => {
    writeFileSync(join(dir, 'web.yaml'), manifest(2));
    expect(await cli(['apply', '-f', 'web.yaml'])).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web created\nnamespace/team-b created\n' });
    expect((await cli(['apply', '-f', 'web.yaml'])).stdout).toBe('deployment.apps/web unchanged\nnamespace/team-b unchanged\n');
    expect((await cli(['apply', '-f', '-'], { stdin: manifest(3) })).stdout).toBe('deployment.apps/web configured\nnamespace/team-b unchanged\n');
    const live = JSON.parse((await cli(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    expect(live.spec.replicas).toBe(3);
    expect(JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toMatchObject({ spec: { replicas: 3 }, metadata: { namespace: 'default' } });
  });

  it('create of an existing object names the file', async () => {
    expect(await cli(['create', '-f', 'web.yaml'])).toMatchObject({
      code: 1,
      stderr: 'Error from server (AlreadyExists): error when creating "web.yaml": deployments "web" already exists\nError from server (AlreadyExists): error when creating "web.yaml": namespaces "team-b" already exists\n',
    });
  });

  it('scale through the scale subresource, with a failed precondition', async () => {
    expect((await cli(['scale', 'deploy/web', '--replicas=5'])).stdout).toBe('deployment.apps/web scaled\n');
    expect(await cli(['scale', 'deploy/web', '--replicas=1', '--current-replicas=2'])).toMatchObject({ code: 1, stderr: 'error: Expected replicas to be 2, was 5\n' });
    expect(await cli(['scale', 'deploy/web'])).toMatchObject({ code: 1, stderr: expect.stringContaining('The --replicas=COUNT flag is required') });
  });

  it('delete by file, then a missing object', async () => {
    expect(await cli(['delete', '-f', 'web.yaml'])).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps "web" deleted\nnamespace "team-b" deleted\n' });
    expect(await cli(['delete', 'deploy', 'web'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments "web" not found\n' });
    expect(await cli(['delete', 'deploy', 'web', '--ignore-not-found'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('delete by selector', async () => {
    server.put('/api/v1/namespaces/default/pods/tmp-0', pod('tmp-0', 'default', { tmp: 'yes' }));
    expect((await cli(['delete', 'pods', '-l', 'tmp=yes'])).stdout).toBe('pod "tmp-0" deleted\n');
    expect(await cli(['delete', 'pods'])).toMatchObject({ code: 1, stderr: 'error: resource(s) were provided, but no name was specified\n' });
  });
});

describe('waiting', () => {
  beforeAll(() => {
    server.put('/apis/apps/v1/namespaces/default/deployments/slow', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'slow', generation: 2 }, spec: { replicas: 1 }, status: { observedGeneration: 1 } } as never);
  });

  it('rollout status gives up at --timeout', async () => {
    expect(await cli(['rollout', 'status', 'deploy/slow', '--timeout=300ms'])).toEqual({ code: 1, stdout: 'Waiting for deployment spec update to be observed...\n', stderr: 'error: timed out waiting for the condition\n' });
  });

  it('rollout status --watch=false reports once', async () => {
    expect(await cli(['rollout', 'status', 'deploy/slow', '--watch=false'])).toEqual({ code: 0, stdout: 'Waiting for deployment spec update to be observed...\n', stderr: '' });
  });

  it('wait --for=delete returns when the object goes', async () => {
    server.put('/api/v1/namespaces/default/pods/doomed', pod('doomed'));
    const waiting = cli(['wait', '--for=delete', 'pod/doomed', '--timeout=10s']);
    setTimeout(() => server.remove('/api/v1/namespaces/default/pods/doomed'), 200);
    expect(await waiting).toEqual({ code: 0, stdout: 'pod/doomed condition met\n', stderr: '' });
  });

  it('wait on a missing object reports the server’s NotFound; --for=create waits for it', async () => {
    expect(await cli(['wait', '--for=condition=Ready', 'pod/later', '--timeout=1s'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "later" not found\n' });
    const waiting = cli(['wait', '--for=create', 'pod/later', '--timeout=10s']);
    setTimeout(() => server.put('/api/v1/namespaces/default/pods/later', pod('later')), 200);
    expect(await waiting).toEqual({ code: 0, stdout: 'pod/later condition met\n', stderr: '' });
  });

  it('wait with a selector that matches nothing', async () => {
    expect(await cli(['wait', '--for=condition=Ready', 'pods', '-l', 'app=none'])).toEqual({ code: 1, stdout: '', stderr: 'error: no matching resources found\n' });
  });
});

describe('config', () => {
  it('get-contexts marks the current one', async () => {
    expect((await cli(['config', 'get-contexts'])).stdout).toBe('CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n*         dev    fake      me         default\n          prod   other     admin      \n');
  });

  it('set-context --current --namespace then use-context, written back to the file', async () => {
    expect((await cli(['config', 'set-context', '--current', '--namespace=team-a'])).stdout).toBe('Context "dev" modified.\n');
    expect((await cli(['get', 'pods', '-o', 'name'])).stdout).toBe('pod/db-0\n');
    expect((await cli(['config', 'use-context', 'prod'])).stdout).toBe('Switched to context "prod".\n');
    expect((await cli(['config', 'current-context'])).stdout).toBe('prod\n');
    expect(readFileSync(kubeconfig, 'utf8')).toMatch(/current-context: prod/);
    expect(await cli(['config', 'use-context', 'nope'])).toMatchObject({ code: 1, stderr: 'error: no context exists with the name: "nope"\n' });
    await cli(['config', 'use-context', 'dev']);
    await cli(['config', 'set-context', '--current', '--namespace=default']);
  });

  it('view redacts secrets unless --raw; --minify keeps the current context only', async () => {
    const view = (await cli(['config', 'view', '-o', 'json'])).stdout;
    expect(JSON.parse(view).users).toEqual([
      { name: 'me', user: { token: 'REDACTED' } },
      { name: 'admin', user: { token: 'REDACTED', 'client-key-data': 'DATA+OMITTED' } },
    ]);
    const minified = JSON.parse((await cli(['config', 'view', '--minify', '--raw', '-o', 'json'])).stdout);
    expect({ contexts: minified.contexts.map((c: { name: string }) => c.name), users: minified.users }).toEqual({ contexts: ['dev'], users: [{ name: 'me', user: { token: 't0k' } }] });
  });
});

describe('usage', () => {
  it('--help shows usage and examples for every command', async () => {
    const walk = (cmd: CommandSpec, path: string[]): string[][] => [...(cmd.run && !cmd.hidden ? [path] : []), ...(cmd.subcommands ?? []).filter((c) => !c.hidden).flatMap((c) => walk(c, [...path, c.name]))];
    const commands = walk(ROOT, []);
    expect(commands.length).toBeGreaterThan(40);
    for (const path of commands) {
      const res = await runCli([...path, '--help']);
      expect({ path, code: res.code, usage: res.stdout.includes('Usage:\n  coxctl'), examples: res.stdout.includes('Examples:\n  ') }).toEqual({ path, code: 0, usage: true, examples: true });
    }
  });

  it('unknown commands and flags', async () => {
    expect(await runCli(['frobnicate'])).toEqual({ code: 1, stdout: '', stderr: 'error: unknown command "frobnicate" for "coxctl"\nSee \'coxctl --help\' for usage.\n' });
    expect(await runCli(['get', 'pods', '--bogus'])).toEqual({ code: 1, stdout: '', stderr: "error: unknown flag: --bogus\nSee 'coxctl get --help' for usage.\n" });
  });

  it('completion scripts', async () => {
    expect((await runCli(['completion', 'bash'])).stdout).toContain('complete -o default -F __coxctl_complete coxctl');
    expect((await runCli(['completion', 'zsh'])).stdout).toContain('compdef _coxctl coxctl');
    expect(await runCli(['completion', 'fish'])).toMatchObject({ code: 1, stderr: expect.stringContaining('unsupported shell type "fish"') });
  });
});

describe('colour', () => {
  it('errors are red on a terminal only', async () => {
    const tty = captureIo();
    (tty.io.stderr as { isTTY?: boolean }).isTTY = true;
    expect(await run(['frobnicate'], tty.io)).toBe(1);
    expect(tty.err()).toBe('\x1b[31merror: unknown command "frobnicate" for "coxctl"\nSee \'coxctl --help\' for usage.\x1b[0m\n');
    const noColor = captureIo({ env: { NO_COLOR: '1' } });
    (noColor.io.stderr as { isTTY?: boolean }).isTTY = true;
    await run(['frobnicate'], noColor.io);
    expect(noColor.err()).not.toContain('\x1b[');
  });
});
