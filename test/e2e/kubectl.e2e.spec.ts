// The real kubectl (/usr/bin/kubectl) against the API server with a generated kubeconfig:
// apply a multi-document file, get in every common shape, re-apply after an edit, scale,
// watch, delete -f. And the npm @kubernetes/client-node: list, watch, create, patch.
import { spawn, execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';

const run = promisify(execFile);
jest.setTimeout(120_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let kubeconfig: string;

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
        env:
        - name: MODE
          value: "first"
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: shop
  labels:
    app: solo
spec:
  containers:
  - name: app
    image: busybox
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: tiny
  namespace: shop
spec:
  runStrategy: Halted
  template:
    metadata:
      labels:
        kubevirt.io/vm: tiny
    spec:
      domain:
        cpu:
          cores: 1
        resources:
          requests:
            memory: 128Mi
        firmware:
          kernelBoot:
            container:
              image: coxswain/tiny-vm:latest
              kernelPath: /boot/vmlinuz
              initrdPath: /boot/initrd.img
            kernelArgs: console=ttyS0
`;

let manifestPath: string;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, tls: true });
  kubeconfig = api.kubeconfigPath('admin');
  manifestPath = join(tmpdir(), `cox-kubectl-${process.pid}.yaml`);
  await writeFile(manifestPath, MANIFEST);
});

afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

describe('kubectl', () => {
  it('applies a multi-document file and reports each object', async () => {
    const res = await kubectl('apply', '-f', manifestPath);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual(['namespace/shop created', 'deployment.apps/web created', 'pod/solo created', 'virtualmachine.kubevirt.io/tiny created']);
  });

  it('gets tables, yaml, json, by label and across namespaces', async () => {
    const table = await kubectl('get', 'pods', '-n', 'shop');
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(table.stdout).toMatch(/^solo\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const deploy = await kubectl('get', 'deploy', '-n', 'shop');
    expect(deploy.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    const yaml = (await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml')).stdout;
    const doc = parseAllDocuments(yaml)[0].toJS();
    expect(doc).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', generation: 1 }, spec: { replicas: 2 } });
    const json = JSON.parse((await kubectl('get', 'vm', 'tiny', '-n', 'shop', '-o', 'json')).stdout);
    expect(json.spec.runStrategy).toBe('Halted');
    const byLabel = await kubectl('get', 'pods', '-A', '-l', 'app=solo', '-o', 'name');
    expect(byLabel.stdout.trim()).toBe('pod/solo');
    const all = await kubectl('get', 'ns');
    expect(all.stdout).toMatch(/^shop\s+Active\s+\d+s$/m);
    const wide = await kubectl('get', 'pods', '-A', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    const missing = await kubectl('get', 'pod', 'ghost', '-n', 'shop');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "ghost" not found');
  });

  it('re-applies an edited file as an update, and unchanged objects as unchanged', async () => {
    await writeFile(manifestPath, MANIFEST.replace('value: "first"', 'value: "second"'));
    const res = await kubectl('apply', '-f', manifestPath);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual(['namespace/shop unchanged', 'deployment.apps/web configured', 'pod/solo unchanged', 'virtualmachine.kubevirt.io/tiny unchanged']);
    const env = JSON.parse((await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].env}')).stdout);
    expect(env).toEqual([{ name: 'MODE', value: 'second' }]);
    expect((await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.generation}')).stdout).toBe('2');
  });

  it('scales a deployment', async () => {
    const res = await kubectl('scale', 'deploy', 'web', '-n', 'shop', '--replicas=5');
    expect(res.stdout.trim()).toBe('deployment.apps/web scaled');
    expect((await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
  });

  it('autoscales through autoscaling/v1 and reads the HPA as v2', async () => {
    const res = await kubectl('autoscale', 'deploy', 'web', '-n', 'shop', '--min=1', '--max=4', '--cpu-percent=60');
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
    const v2 = JSON.parse((await kubectl('get', 'hpa', 'web', '-n', 'shop', '-o', 'json')).stdout);
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    const v1 = JSON.parse((await kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', 'shop', '-o', 'json')).stdout);
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 60 } });
    const patched = await kubectl('patch', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"targetCPUUtilizationPercentage":75}}');
    expect(patched.code).toBe(0);
    expect((await kubectl('get', 'hpa', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.metrics[0].resource.target.averageUtilization}')).stdout).toBe('75');
    expect((await kubectl('get', 'hpa', '-n', 'shop')).stdout).toMatch(/^web\s+Deployment\/web\s+<unknown>\/75%\s+1\s+4\s+0\s+\d+s$/m);
  });

  it('rejects invalid objects with the server’s field errors', async () => {
    const bad = join(tmpdir(), `cox-bad-${process.pid}.yaml`);
    await writeFile(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  restartPolicy: Sometimes\n  containers:\n  - name: app\n    image: busybox\n');
    const res = await kubectl('apply', '-f', bad, '-n', 'shop');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('is invalid');
    expect(res.stderr).toContain('spec.restartPolicy: Unsupported value: "Sometimes"');
  });

  it('watches with -w and sees new pods', async () => {
    const child = spawn('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'shop', '-w', '--output-watch-events']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes('solo'));
      await kubectl('run', 'watched', '-n', 'shop', '--image=busybox', '--restart=Never');
      await waitFor(() => /ADDED\s+watched/.test(out));
      await kubectl('delete', 'pod', 'watched', '-n', 'shop', '--wait=false');
      await waitFor(() => /DELETED\s+watched/.test(out));
    } finally {
      child.kill();
    }
  });

  it('deletes everything in the file', async () => {
    const res = await kubectl('delete', '-f', manifestPath, '--wait=false');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('deployment.apps "web" deleted');
    expect(res.stdout).toContain('virtualmachine.kubevirt.io "tiny" deleted');
    await waitFor(async () => (await kubectl('get', 'ns', 'shop')).code !== 0, 30_000);
  });

  it('serves api-resources and explain', async () => {
    const resources = (await kubectl('api-resources')).stdout;
    expect(resources).toMatch(/^virtualmachineinstances\s+vmi,vmis\s+kubevirt.io\/v1\s+true\s+VirtualMachineInstance$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    const explain = (await kubectl('explain', 'pod.spec.restartPolicy')).stdout;
    expect(explain).toContain('FIELD: restartPolicy');
  });
});

describe('@kubernetes/client-node', () => {
  it('lists, watches, creates and patches', async () => {
    const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures', 'client-node-check.mjs'), kubeconfig], { timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.labels).toEqual({ a: 'c' });
    expect(result.listed).toEqual(['p1']);
    expect(result.seen.slice(0, 2)).toEqual(['ADDED p1', 'MODIFIED p1']);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
