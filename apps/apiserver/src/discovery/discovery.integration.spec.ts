// Real kubectl binaries against a loopback server serving this module's documents: proves
// kubectl 1.27 (OpenAPI v2 protobuf, legacy-style explain) and 1.33 (aggregated discovery,
// OpenAPI v3) accept them for version, api-resources, explain, apply --validate=strict and get.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DiscoveryServer, startDiscoveryServer } from './testing/discovery-server';

const run = promisify(execFile);

/** The machine image ships one binary per minor next to a dispatcher; fall back to whatever kubectl there is. */
function kubectlBinary(minor: string): string {
  const versioned = `/usr/lib/google-cloud-sdk/bin/kubectl.${minor}`;
  return existsSync(versioned) ? versioned : '/usr/bin/kubectl';
}

const CLIENTS = ['1.27', '1.33'];

describe('kubectl against the discovery documents', () => {
  let server: DiscoveryServer;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    server = await startDiscoveryServer();
    dir = await mkdtemp(join(tmpdir(), 'coxswain-discovery-'));
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "${server.url}"}}]`,
        'users: [{name: u, user: {token: test}}]',
        'contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]',
        'current-context: c',
      ].join('\n'),
    );
    // `bogus` is unknown: kubectl would reject it itself unless it leaves validation to the server.
    await writeFile(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  bogus: true\n  containers:\n  - name: app\n    image: busybox\n');
    await writeFile(
      join(dir, 'vm.yaml'),
      'apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: vm1}\nspec:\n  runStrategy: Always\n  template:\n    spec:\n      domain:\n        resources: {requests: {memory: 128Mi}}\n',
    );
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs kubectl with its own discovery cache so versions do not share one. */
  async function kubectlWithStderr(minor: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(kubectlBinary(minor), ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, `cache-${minor}`), ...args], { timeout: 30_000 });
  }

  async function kubectl(minor: string, ...args: string[]): Promise<string> {
    return (await kubectlWithStderr(minor, ...args)).stdout;
  }

  it.each(CLIENTS)('kubectl %s reads /version', async (minor) => {
    const out = JSON.parse(await kubectl(minor, 'version', '-o', 'json'));
    expect(out.serverVersion).toMatchObject({ major: '1', minor: '30', gitVersion: 'v1.30.0-coxswain' });
  }, 60_000);

  it.each(CLIENTS)('kubectl %s lists every resource with short names', async (minor) => {
    const lines = (await kubectl(minor, 'api-resources', '--no-headers')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    const byName = (name: string, apiVersion: string) => lines.find((l) => l[0] === name && l.includes(apiVersion));
    expect(byName('pods', 'v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(byName('deployments', 'apps/v1')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(byName('virtualmachines', 'kubevirt.io/v1')).toEqual(['virtualmachines', 'vm,vms', 'kubevirt.io/v1', 'true', 'VirtualMachine']);
    expect(byName('nodes', 'metrics.k8s.io/v1beta1')).toEqual(['nodes', 'metrics.k8s.io/v1beta1', 'false', 'NodeMetrics']);
    // Aggregated discovery from 1.26 on: /api and /apis answer everything, no per-group fetches.
    const aggregated = server.requests.filter((r) => r.url.startsWith('/apis?') && r.accept?.includes('as=APIGroupDiscoveryList'));
    expect(aggregated.length).toBeGreaterThan(0);
  }, 60_000);

  it.each(CLIENTS)('kubectl %s explains pod.spec.containers', async (minor) => {
    const out = await kubectl(minor, 'explain', 'pod.spec.containers');
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/FIELD:\s+containers\s+<\[\]Container>/);
    expect(out).toMatch(/name\s+<string> -required-/);
    expect(out).toMatch(/ports\s+<\[\]ContainerPort>/);
  }, 60_000);

  it.each(CLIENTS)('kubectl %s explains vm.spec', async (minor) => {
    const out = await kubectl(minor, 'explain', 'vm.spec');
    expect(out).toMatch(/KIND:\s+VirtualMachine/);
    expect(out).toMatch(/runStrategy\s+<string>/);
    expect(out).toMatch(/template\s+<VirtualMachineInstanceTemplateSpec> -required-/);
  }, 60_000);

  it.each(CLIENTS)('kubectl %s leaves --validate=strict to the server and prints our Table', async (minor) => {
    server.requests.length = 0;
    const ns = `client-${minor.replace('.', '-')}`;
    const applied = await kubectl(minor, 'apply', '-n', ns, '--validate=strict', '-f', join(dir, 'pod.yaml'), '-f', join(dir, 'vm.yaml'));
    expect(applied).toMatch(/pod\/web created/);
    expect(applied).toMatch(/virtualmachine.kubevirt.io\/vm1 created/);
    // kubectl found fieldValidation on our PATCH operations, so it skipped its own schema check
    // (which would have refused `bogus`) and asked the server to be strict instead.
    const posts = server.requests.filter((r) => r.method === 'POST').map((r) => r.url);
    expect(server.requests.find((r) => r.method === 'POST' && r.url.includes('/pods'))?.body).toContain('"bogus":true');
    expect(posts).toEqual([
      expect.stringMatching(new RegExp(`^/api/v1/namespaces/${ns}/pods\\?.*fieldValidation=Strict`)),
      expect.stringMatching(new RegExp(`^/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines\\?.*fieldValidation=Strict`)),
    ]);
    const table = (await kubectl(minor, 'get', '-n', ns, 'pods')).trim().split('\n');
    expect(table[0].split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(table[1].split(/\s+/).slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);
    const wide = (await kubectl(minor, 'get', '-n', ns, 'vm', '-o', 'wide')).trim().split('\n');
    expect(wide[0].split(/\s+/)).toEqual(['NAME', 'AGE', 'STATUS', 'READY']);
    expect(wide[1].split(/\s+/)[0]).toBe('vm1');
  }, 90_000);

  it.each(CLIENTS)('kubectl %s re-applies with its own merge keys for built-in kinds and JSON merge patches for KubeVirt', async (minor) => {
    const ns = `reapply-${minor.replace('.', '-')}`;
    // Nested free-form fields used to send kubectl's OpenAPI patch walker into warnings and a panic.
    const deployment = (command: string, replicas: number) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: d}',
        'spec:',
        `  replicas: ${replicas}`,
        '  selector: {matchLabels: {app: d}}',
        '  template:',
        '    metadata: {labels: {app: d}}',
        '    spec:',
        '      securityContext: {seLinuxOptions: {level: "s0"}}',
        '      volumes: [{name: cfg, configMap: {name: cfg, items: [{key: a, path: a}]}}]',
        '      containers:',
        '      - name: app',
        '        image: busybox',
        '        env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]',
        `        lifecycle: {preStop: {exec: {command: [${command}]}}}`,
      ].join('\n');
    const vm = (strategy: string) => `apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: v}\nspec:\n  runStrategy: ${strategy}\n  template: {spec: {domain: {devices: {}}}}\n`;
    await writeFile(join(dir, `${ns}-1.yaml`), `${deployment('sleep, "1"', 1)}\n---\n${vm('Always')}`);
    await writeFile(join(dir, `${ns}-2.yaml`), `${deployment('sleep, "2"', 2)}\n---\n${vm('Halted')}`);
    await kubectl(minor, 'apply', '-n', ns, '-f', join(dir, `${ns}-1.yaml`));
    server.requests.length = 0;
    const { stdout, stderr } = await kubectlWithStderr(minor, 'apply', '-n', ns, '-f', join(dir, `${ns}-2.yaml`));
    expect(stdout).toMatch(/deployment.apps\/d configured/);
    expect(stdout).toMatch(/virtualmachine.kubevirt.io\/v configured/);
    expect(stderr).not.toMatch(/warning|panic/i);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => [p.url.split('?')[0], p.contentType])).toEqual([
      [`/apis/apps/v1/namespaces/${ns}/deployments/d`, 'application/strategic-merge-patch+json'],
      [`/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines/v`, 'application/merge-patch+json'],
    ]);
    expect(patches[0].body).toContain('"$setElementOrder/containers":[{"name":"app"}]');
  }, 90_000);
});
