// coxctl next to the real kubectl on the same API server (etcd + apiserver from the harness,
// TLS, the same admin kubeconfig): the same commands must print the same thing and leave the
// cluster in the same state — apply, get in every shape, scale, rollout, edit, describe,
// delete, errors, explain, api-resources, config — plus what kubectl has no word for
// (vm start/stop/restart/list, why) and the shipped launcher script itself.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { clientFromKubeconfig, KubeClient, BUILTIN_RESOURCES as R, ResourceDescriptor } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { DIAGNOSIS_ANNOTATION } from '@coxswain/scheduling';
import { captureIo, runCli } from './testing/cli';
import { run } from './cli/run';

jest.setTimeout(90_000);
const exec = promisify(execFile);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let kubeconfig: string;
let dir: string;
let admin: KubeClient;
const tag = randomBytes(3).toString('hex');
const nsK = `ktl-${tag}`;
const nsC = `cox-${tag}`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function kubectl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await exec('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000, cwd: dir, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

const coxctl = (args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string) => runCli(['--kubeconfig', kubeconfig, ...args], { cwd: dir, env: { ...env }, stdin });

/** Both tools, same arguments. */
async function both(args: string[]): Promise<{ k: Result; c: Result }> {
  const k = await kubectl(args);
  const c = await coxctl(args);
  return { k, c };
}

/**
 * Table cells without the AGE column (the two runs happen a moment apart). Several kinds print
 * one table each, separated by a blank line, each with its own header and AGE position.
 */
function cellsWithoutAge(output: string): string[][] {
  return output.trimEnd().split(/\n\s*\n/).flatMap((table) => {
    const rows = table.split('\n').map((l) => l.trim().split(/\s{2,}/));
    const age = rows[0].indexOf('AGE');
    return rows.map((r) => (age < 0 ? r : r.filter((_c, i) => i !== age)));
  });
}

/** An object as two namespaces' copies can be compared. */
function normalized(obj: Obj): Obj {
  const o = structuredClone(obj);
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'namespace', 'managedFields', 'generation']) delete o.metadata[f];
  const ann = o.metadata.annotations ?? {};
  if (ann['kubectl.kubernetes.io/last-applied-configuration']) {
    const last = JSON.parse(ann['kubectl.kubernetes.io/last-applied-configuration']);
    delete last.metadata.namespace;
    ann['kubectl.kubernetes.io/last-applied-configuration'] = last;
  }
  return o;
}

const MANIFEST = (replicas: number, image = 'busybox:1.36') => `# two workloads and a VM
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: "yes"}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: ${image}
        command: [sleep, "3600"]
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: "0644"}]
---
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo", "labels": {"app": "solo"}}, "spec": {"containers": [{"name": "app", "image": "busybox"}]}}
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm1
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        cpu: {cores: 1}
        resources: {requests: {memory: 128Mi}}
        firmware:
          kernelBoot:
            container: {image: "coxswain/tiny-vm:latest", kernelPath: /boot/vmlinuz, initrdPath: /boot/initrd.img}
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coxctl-parity-'));
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, tls: true, nodes: ['node-1'] });
  // A copy: config tests edit it.
  kubeconfig = join(dir, 'kubeconfig');
  copyFileSync(api.kubeconfigPath('admin'), kubeconfig);
  admin = clientFromKubeconfig({ path: api.kubeconfigPath('admin') }).client;
  writeFileSync(join(dir, 'app.yaml'), MANIFEST(2));
  for (const ns of [nsK, nsC]) await admin.create(R.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  await admin?.destroy();
  await api?.stop();
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('apply', () => {
  it('prints the same lines as kubectl and creates the same objects', async () => {
    const k = await kubectl(['apply', '-f', 'app.yaml', '-n', nsK]);
    const c = await coxctl(['apply', '-f', 'app.yaml', '-n', nsC]);
    expect(k).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web created\npod/solo created\nvirtualmachine.kubevirt.io/vm1 created\n' });
    expect(c).toEqual(k);
    for (const [resource, name] of [
      [R.Deployment, 'web'],
      [R.Pod, 'solo'],
      [R.VirtualMachine, 'vm1'],
    ] as const) {
      const fromKubectl = await admin.get<Obj>(resource, name, { namespace: nsK });
      const fromCoxctl = await admin.get<Obj>(resource, name, { namespace: nsC });
      expect(normalized(fromCoxctl)).toEqual(normalized(fromKubectl));
    }
  });

  it('unchanged and configured agree across tools (the last-applied annotation is shared)', async () => {
    expect((await coxctl(['apply', '-f', 'app.yaml', '-n', nsK])).stdout).toBe('deployment.apps/web unchanged\npod/solo unchanged\nvirtualmachine.kubevirt.io/vm1 unchanged\n');
    writeFileSync(join(dir, 'app3.yaml'), MANIFEST(3, 'busybox:1.37'));
    const c = await coxctl(['apply', '-f', 'app3.yaml', '-n', nsK]);
    expect(c.stdout).toBe('deployment.apps/web configured\npod/solo unchanged\nvirtualmachine.kubevirt.io/vm1 unchanged\n');
    expect((await kubectl(['apply', '-f', 'app3.yaml', '-n', nsK])).stdout).toBe('deployment.apps/web unchanged\npod/solo unchanged\nvirtualmachine.kubevirt.io/vm1 unchanged\n');
    const k = await kubectl(['apply', '-f', 'app3.yaml', '-n', nsC]);
    expect(k.stdout).toBe('deployment.apps/web configured\npod/solo unchanged\nvirtualmachine.kubevirt.io/vm1 unchanged\n');
    expect((await coxctl(['apply', '-f', 'app3.yaml', '-n', nsC])).stdout).toBe('deployment.apps/web unchanged\npod/solo unchanged\nvirtualmachine.kubevirt.io/vm1 unchanged\n');
    const live = await admin.get<Obj>(R.Deployment, 'web', { namespace: nsK });
    expect(live.spec).toMatchObject({ replicas: 3, template: { spec: { containers: [{ image: 'busybox:1.37', imagePullPolicy: 'IfNotPresent' }] } } });
    // Removing a field from the file removes it from the object (the three-way part).
    writeFileSync(join(dir, 'nolabel.yaml'), MANIFEST(3, 'busybox:1.37').replace(', tier: "yes"', ''));
    expect((await coxctl(['apply', '-f', 'nolabel.yaml', '-n', nsK])).stdout).toContain('deployment.apps/web configured');
    expect((await admin.get<Obj>(R.Deployment, 'web', { namespace: nsK })).metadata.labels).toEqual({ app: 'web' });
    expect((await kubectl(['apply', '-f', 'nolabel.yaml', '-n', nsK])).stdout).toContain('deployment.apps/web unchanged');
  });

  it('server errors read the same', async () => {
    writeFileSync(join(dir, 'bad.yaml'), MANIFEST(-1).split('---')[0].replace('name: web', 'name: bad'));
    const { k, c } = await both(['apply', '-f', 'bad.yaml', '-n', nsC]);
    expect(k.code).not.toBe(0);
    expect(c.code).toBe(1);
    expect(c.stderr).toBe(k.stderr);
  });
});

describe('get', () => {
  it.each([
    ['one object as json', ['get', 'deploy', 'web', '-o', 'json']],
    ['one object as yaml', ['get', 'deploy', 'web', '-o', 'yaml']],
    ['a list as json', ['get', 'pods,deploy,vm', '-o', 'json']],
    ['a list as yaml', ['get', 'all', '-o', 'yaml']],
    ['names', ['get', 'all', '-o', 'name']],
    ['jsonpath', ['get', 'deploy', '-o', 'jsonpath={range .items[*]}{.metadata.name}:{.spec.template.spec.containers[0].env[0].value}{"\\n"}{end}']],
    ['custom columns', ['get', 'pods,deploy', '-o', 'custom-columns=NAME:.metadata.name,KIND:.kind,LABELS:.metadata.labels']],
    ['selector and field selector', ['get', 'pods', '-l', 'app=solo', '--field-selector', 'status.phase=Pending', '-o', 'name']],
    ['a missing object', ['get', 'pod', 'ghost']],
    ['an unknown type', ['get', 'gadgets']],
    ['missing names mixed with found ones', ['get', 'pod', 'solo', 'ghost', '-o', 'name']],
  ])('%s: byte-identical to kubectl', async (_name, args) => {
    const { k, c } = await both([...args, '-n', nsK]);
    expect(c).toEqual(k);
  });

  it.each([
    ['pods and deployments', ['get', 'pods,deploy', '-n', nsK]],
    ['wide', ['get', 'pods', '-o', 'wide', '-n', nsK]],
    ['all namespaces with labels', ['get', 'deploy', '-A', '--show-labels']],
    ['VMs', ['get', 'vm', '-n', nsK]],
    ['namespaces', ['get', 'ns']],
    ['label columns', ['get', 'pods', '-L', 'app', '-n', nsK]],
    ['the server’s own columns', ['get', 'pods,deploy,vm', '--server-print', '-o', 'wide', '-n', nsK]],
    ['a named object with the server’s columns', ['get', 'deploy', 'web', '--server-print', '--show-labels', '-n', nsK]],
  ])('%s: the same table as kubectl (AGE aside)', async (_name, args) => {
    const { k, c } = await both(args);
    expect(cellsWithoutAge(c.stdout)).toEqual(cellsWithoutAge(k.stdout));
    expect(c.code).toBe(k.code);
  });

  it('-w prints the table, then each change', async () => {
    const controller = new AbortController();
    const { io, out } = captureIo({ signal: controller.signal, env: {} });
    const watching = run(['--kubeconfig', kubeconfig, 'get', 'pods', '-w', '-n', nsK], io);
    await waitFor(() => out().includes('solo'));
    await admin.create(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'watched', namespace: nsK }, spec: { containers: [{ name: 'a', image: 'busybox' }] } });
    await waitFor(() => out().includes('watched'));
    controller.abort();
    expect(await watching).toBe(0);
    const lines = out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.some((l) => /^watched\s+0\/1\s+Pending\s+0\s+\d+s$/.test(l))).toBe(true);
    await admin.delete(R.Pod, 'watched', { namespace: nsK, gracePeriodSeconds: 0 });
  });
});

describe('scale, rollout, edit, describe, delete', () => {
  it('scale', async () => {
    const k = await kubectl(['scale', 'deploy/web', '--replicas=4', '-n', nsK]);
    const c = await coxctl(['scale', 'deploy/web', '--replicas=4', '-n', nsC]);
    expect(c).toEqual(k);
    expect((await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC })).spec.replicas).toBe(4);
  });

  it('autoscale creates an autoscaling/v2 HPA (kubectl 1.30 asks for autoscaling/v1, which Coxswain does not serve)', async () => {
    const c = await coxctl(['autoscale', 'deploy', 'web', '--min=2', '--max=5', '--cpu-percent=60', '-n', nsC]);
    expect(c).toEqual({ code: 0, stderr: '', stdout: 'horizontalpodautoscaler.autoscaling/web autoscaled\n' });
    expect((await admin.get<Obj>(R.HorizontalPodAutoscaler, 'web', { namespace: nsC })).spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    const { k, c: table } = await both(['get', 'hpa', '-n', nsC]);
    expect(cellsWithoutAge(table.stdout)).toEqual(cellsWithoutAge(k.stdout));
  });

  it('rollout status follows the deployment controller’s status writes', async () => {
    const { io, out } = captureIo();
    const status = run(['--kubeconfig', kubeconfig, 'rollout', 'status', 'deploy/web', '-n', nsC, '--timeout=30s'], io);
    // Play the deployment controller, one step per message seen: observe the spec, then bring replicas up.
    await waitFor(() => out().includes('Waiting for deployment spec update to be observed...'));
    const d = await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC });
    await admin.updateStatus<Obj>(R.Deployment, { ...d, status: { observedGeneration: d.metadata.generation, replicas: 4, updatedReplicas: 4, readyReplicas: 2, availableReplicas: 2 } });
    await waitFor(() => out().includes('2 of 4 updated replicas are available'));
    const d2 = await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC });
    await admin.updateStatus<Obj>(R.Deployment, { ...d2, status: { ...d2.status, readyReplicas: 4, availableReplicas: 4 } });
    expect(await status).toBe(0);
    expect(out()).toBe('Waiting for deployment spec update to be observed...\nWaiting for deployment "web" rollout to finish: 2 of 4 updated replicas are available...\ndeployment "web" successfully rolled out\n');
    expect((await kubectl(['rollout', 'status', 'deploy/web', '-n', nsC])).stdout).toBe('deployment "web" successfully rolled out\n');
  });

  it('rollout status for a DaemonSet and a StatefulSet prints what kubectl prints at every step', async () => {
    const labels = { app: 'agent' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
    await admin.create(R.DaemonSet, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: nsC }, spec: { selector: { matchLabels: labels }, template } } as Obj);
    await admin.create(R.StatefulSet, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: nsC }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: labels }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } } } as Obj);
    // Play the controllers: each status below is one step of a rollout.
    const steps: Array<[ResourceDescriptor, string, Obj, string]> = [
      [R.DaemonSet, 'ds/agent', {}, 'Waiting for daemon set spec update to be observed...\n'],
      [R.DaemonSet, 'ds/agent', { observedGeneration: 1, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2 }, 'Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...\n'],
      [R.DaemonSet, 'ds/agent', { observedGeneration: 1, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 }, 'Waiting for daemon set "agent" rollout to finish: 1 of 2 updated pods are available...\n'],
      [R.DaemonSet, 'ds/agent', { observedGeneration: 1, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2 }, 'daemon set "agent" successfully rolled out\n'],
      [R.StatefulSet, 'sts/db', {}, 'Waiting for statefulset spec update to be observed...\n'],
      [R.StatefulSet, 'sts/db', { observedGeneration: 1, replicas: 3, readyReplicas: 1, updatedReplicas: 0, currentRevision: 'db-a', updateRevision: 'db-b' }, 'Waiting for 2 pods to be ready...\n'],
      [R.StatefulSet, 'sts/db', { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-a', updateRevision: 'db-b' }, 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n'],
      [R.StatefulSet, 'sts/db', { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 2, currentRevision: 'db-a', updateRevision: 'db-b' }, 'partitioned roll out complete: 2 new pods have been updated...\n'],
    ];
    for (const [resource, ref, status, message] of steps) {
      const [, name] = ref.split('/');
      const current = await admin.get<Obj>(resource, name, { namespace: nsC });
      await admin.updateStatus<Obj>(resource, { ...current, status });
      const k = await kubectl(['rollout', 'status', ref, '-n', nsC, '--watch=false']);
      const c = await coxctl(['rollout', 'status', ref, '-n', nsC, '--watch=false']);
      expect({ ref, ...c }).toEqual({ ref, code: 0, stderr: '', stdout: message });
      expect(k.stdout).toBe(message);
    }
    // OnDelete has no rollout to follow: the same error from both.
    await admin.patch(R.StatefulSet, 'db', { spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } } }, { namespace: nsC });
    const { k, c } = await both(['rollout', 'status', 'sts/db', '-n', nsC]);
    expect(k.stderr).toContain('rollout status is only available for RollingUpdate strategy type');
    expect(c).toEqual({ code: 1, stdout: '', stderr: 'error: rollout status is only available for RollingUpdate strategy type\n' });
  });

  it('rollout history and undo read the replica sets like kubectl', async () => {
    const d = await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC });
    for (const [rev, image, cause] of [
      ['1', 'busybox:1.35', undefined],
      ['2', 'busybox:1.36', 'coxctl set image'],
    ] as const) {
      await admin.create(R.ReplicaSet, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-r${rev}`, namespace: nsC, labels: { app: 'web', 'pod-template-hash': `r${rev}` }, annotations: { 'deployment.kubernetes.io/revision': rev, ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true }] },
        spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': `r${rev}` } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': `r${rev}` } }, spec: { containers: [{ name: 'app', image }] } } },
      } as Obj);
    }
    const { k, c } = await both(['rollout', 'history', 'deploy/web', '-n', nsC]);
    expect(c).toEqual(k);
    const undo = await coxctl(['rollout', 'undo', 'deploy/web', '--to-revision=1', '-n', nsC]);
    expect(undo).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web rolled back\n' });
    expect((await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC })).spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'app', image: 'busybox:1.35' })]);
  });

  it('rollout restart, pause, resume and their errors', async () => {
    for (const args of [['restart'], ['pause'], ['pause'], ['restart'], ['resume'], ['resume']]) {
      const k = await kubectl(['rollout', ...args, 'deploy/web', '-n', nsK]);
      const c = await coxctl(['rollout', ...args, 'deploy/web', '-n', nsC]);
      expect({ args, ...c, code: c.code !== 0 }).toEqual({ args, ...k, code: k.code !== 0 });
    }
    expect((await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC })).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('edit with $EDITOR', async () => {
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 6/" "$1"\n');
    chmodSync(editor, 0o755);
    const k = await kubectl(['edit', 'deploy/web', '-n', nsK], { EDITOR: editor });
    const c = await coxctl(['edit', 'deploy/web', '-n', nsC], { EDITOR: editor });
    expect(c).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web edited\n' });
    expect(k.stdout).toBe(c.stdout);
    expect((await admin.get<Obj>(R.Deployment, 'web', { namespace: nsC })).spec.replicas).toBe(6);
    // An edit the server rejects reopens with the error on top; saving it unchanged gives up.
    const rejecting = join(dir, 'reject.sh');
    writeFileSync(rejecting, '#!/bin/sh\ngrep -q "was not valid" "$1" || sed -i "s/replicas: 6/replicas: -2/" "$1"\n');
    chmodSync(rejecting, 0o755);
    const failed = await coxctl(['edit', 'deploy/web', '-n', nsC], { EDITOR: rejecting });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: Edit cancelled, no valid changes were saved\./);
  });

  it('describe a pod and a namespace exactly like kubectl', async () => {
    for (const args of [['describe', 'pod', 'solo', '-n', nsK], ['describe', 'ns', nsK]]) {
      const { k, c } = await both(args);
      expect(c).toEqual(k);
    }
  });

  it('describe the batch, per-node and stateful kinds exactly like kubectl', async () => {
    const pod = (app: string, restart: string) =>
      `{metadata: {labels: {app: ${app}}, annotations: {kubectl.kubernetes.io/restartedAt: "2025-06-01T11:50:00Z"}}, spec: {restartPolicy: ${restart}, containers: [{name: main, image: busybox, command: [sleep, "60"]}]}}`;
    writeFileSync(
      join(dir, 'workloads.yaml'),
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, labels: {tier: node}}
spec: {selector: {matchLabels: {app: agent}}, template: ${pod('agent', 'Always')}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1}}
  template: ${pod('db', 'Always')}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec: {completions: 3, parallelism: 2, completionMode: Indexed, activeDeadlineSeconds: 600, template: ${pod('once', 'Never')}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec: {schedule: "*/5 * * * *", startingDeadlineSeconds: 30, jobTemplate: {spec: {template: ${pod('tick', 'Never')}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec: {minAvailable: 1, selector: {matchLabels: {app: db}}}
`,
    );
    expect(await kubectl(['apply', '-f', 'workloads.yaml', '-n', nsK])).toMatchObject({ code: 0 });
    for (const target of ['daemonset/agent', 'statefulset/db', 'job/once', 'cronjob/tick', 'pdb/db']) {
      const { k, c } = await both(['describe', target, '-n', nsK]);
      expect({ target, ...c }).toEqual({ target, ...k });
    }
  });

  it('wait for a condition the server reports', async () => {
    const waiting = coxctl(['wait', '--for=condition=Ready', 'pod/solo', '-n', nsK, '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 300));
    const pod = await admin.get<Obj>(R.Pod, 'solo', { namespace: nsK });
    await admin.updateStatus<Obj>(R.Pod, { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'True' }] } });
    expect(await waiting).toEqual({ code: 0, stderr: '', stdout: 'pod/solo condition met\n' });
    expect(await coxctl(['wait', '--for=condition=Ready=false', 'pod/solo', '-n', nsK, '--timeout=1s'])).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition on pods/solo\n' });
  });

  it('delete prints and removes the same', async () => {
    for (const args of [['delete', 'deploy', 'web'], ['delete', 'pod', 'ghost'], ['delete', '-f', 'app3.yaml']]) {
      const k = await kubectl([...args, '-n', nsK]);
      const c = await coxctl([...args, '-n', nsC]);
      expect({ args, ...c }).toEqual({ args, ...k });
    }
    expect((await admin.list(R.Pod, { namespace: nsC })).items).toEqual([]);
  });
});

describe('VM verbs and why', () => {
  it('vm start / stop / restart drive the VirtualMachine like virtctl', async () => {
    writeFileSync(join(dir, 'vm.yaml'), MANIFEST(1).split('---')[2]);
    await coxctl(['apply', '-f', 'vm.yaml', '-n', nsC]);
    const strategy = async () => (await admin.get<Obj>(R.VirtualMachine, 'vm1', { namespace: nsC })).spec.runStrategy;
    expect(await coxctl(['vm', 'start', 'vm1', '-n', nsC])).toEqual({ code: 0, stderr: '', stdout: 'VM vm1 was scheduled to start\n' });
    expect(await strategy()).toBe('Always');
    expect(await coxctl(['vm', 'stop', 'vm1', '-n', nsC])).toEqual({ code: 0, stderr: '', stdout: 'VM vm1 was scheduled to stop\n' });
    expect(await strategy()).toBe('Halted');
    const restart = await coxctl(['vm', 'restart', 'vm1', '-n', nsC]);
    expect(restart).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error from server \(Conflict\): .*VM is not running/) });
    expect(await coxctl(['vm', 'start', 'ghost', '-n', nsC])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): virtualmachines.kubevirt.io "ghost" not found\n' });
    const list = await coxctl(['vm', 'list', '-n', nsC]);
    expect(list.stdout).toMatch(/^NAME\s+AGE\s+STATUS\s+READY\nvirtualmachine.kubevirt.io\/vm1\s+\d+s\s+\n$/);
  });

  it('why: the scheduler’s reasons, per-node blockers and events for a pending pod', async () => {
    for (const [name, extra] of [
      ['big-1', {}],
      ['big-2', { spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }],
    ] as const) {
      await admin.create(R.Node, { apiVersion: 'v1', kind: 'Node', metadata: { name: `${name}-${tag}` }, ...extra } as Obj);
      const node = await admin.get<Obj>(R.Node, `${name}-${tag}`);
      await admin.updateStatus<Obj>(R.Node, { ...node, status: { allocatable: { cpu: '2', memory: '2Gi', pods: '110' }, capacity: { cpu: '2', memory: '2Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    }
    await admin.create(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hungry', namespace: nsC }, spec: { containers: [{ name: 'a', image: 'busybox', resources: { requests: { memory: '8Gi' } } }] } } as Obj);
    // What the scheduler writes when nothing fits.
    const pod = await admin.get<Obj>(R.Pod, 'hungry', { namespace: nsC });
    const message = '0/2 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {dedicated: db}.';
    await admin.updateStatus<Obj>(R.Pod, { ...pod, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] } });
    const diagnosis = {
      nodeCount: 2,
      nodes: [
        { node: `big-1-${tag}`, plugin: 'NodeResourcesFit', reasons: ['Insufficient memory'] },
        { node: `big-2-${tag}`, plugin: 'NodeUnschedulable', reasons: ['Insufficient memory', 'node(s) had untolerated taint {dedicated: db}'] },
      ],
      omitted: 0,
    };
    const now = new Date().toISOString();
    await admin.create(R.Event, { apiVersion: 'v1', kind: 'Event', metadata: { name: `hungry.${tag}`, namespace: nsC, annotations: { [DIAGNOSIS_ANNOTATION]: JSON.stringify(diagnosis) } }, involvedObject: { kind: 'Pod', name: 'hungry', namespace: nsC, uid: pod.metadata.uid }, reason: 'FailedScheduling', type: 'Warning', message, source: { component: 'default-scheduler' }, firstTimestamp: now, lastTimestamp: now, count: 3 } as Obj);
    const why = await coxctl(['why', 'pod/hungry', '-n', nsC]);
    expect({ code: why.code, stderr: why.stderr }).toEqual({ code: 0, stderr: '' });
    expect(why.stdout).toContain(`pod/hungry is Pending and not scheduled.\n\nScheduler: ${message}\n`);
    expect(why.stdout).toMatch(/ {2}2 nodes {3}Insufficient memory\n {2}1 node {4}node\(s\) had untolerated taint \{dedicated: db\}\n/);
    expect(why.stdout).toMatch(new RegExp(`big-1-${tag}\\s+True\\s+yes\\s+Insufficient memory: needs 8Gi, 2Gi free`));
    expect(why.stdout).toMatch(new RegExp(`big-2-${tag}\\s+True\\s+no\\s+node\\(s\\) were unschedulable; node\\(s\\) had untolerated taint \\{dedicated: db\\}; Insufficient memory`));
    expect(why.stdout).toMatch(/Recent events:\n {2}LAST SEEN\s+TYPE\s+REASON\s+FROM\s+MESSAGE\n {2}\d+s \(x3\)\s+Warning\s+FailedScheduling\s+default-scheduler\s+0\/2 nodes are available/);
  });

  it('cordon and uncordon print what kubectl prints', async () => {
    for (const name of ['k', 'c']) await admin.create(R.Node, { apiVersion: 'v1', kind: 'Node', metadata: { name: `plain-${name}-${tag}` } });
    for (const verb of ['cordon', 'cordon', 'uncordon', 'uncordon']) {
      const k = await kubectl([verb, `plain-k-${tag}`]);
      const c = await coxctl([verb, `plain-c-${tag}`]);
      k.stdout = k.stdout.replace('plain-k-', 'plain-c-');
      expect({ verb, ...c }).toEqual({ verb, ...k });
    }
  });
});

describe('discovery, docs and config', () => {
  it.each([
    ['api-resources', ['api-resources']],
    ['api-resources wide, namespaced only', ['api-resources', '-o', 'wide', '--namespaced=true']],
    ['api-resources names', ['api-resources', '-o', 'name']],
    ['api-versions', ['api-versions']],
    ['explain a field', ['explain', 'deployment.spec.strategy']],
    ['explain recursively', ['explain', 'vmi.spec.domain', '--recursive']],
    ['config get-contexts', ['config', 'get-contexts']],
    ['config current-context', ['config', 'current-context']],
    ['config view', ['config', 'view']],
  ])('%s: byte-identical to kubectl', async (_name, args) => {
    const { k, c } = await both(args);
    expect(c).toEqual(k);
  });

  it('config set-context --current --namespace is visible to kubectl', async () => {
    const c = await coxctl(['config', 'set-context', '--current', `--namespace=${nsK}`]);
    expect(c.stdout).toBe('Context "coxswain" modified.\n');
    expect((await kubectl(['config', 'view', '--minify', '-o', 'jsonpath={..namespace}'])).stdout).toBe(nsK);
    await coxctl(['config', 'set-context', '--current', '--namespace=default']);
  });

  it('version reports the server kubectl sees', async () => {
    const k = await kubectl(['version']);
    const c = await coxctl(['version']);
    expect(c.stdout.split('\n')[1]).toBe(k.stdout.split('\n').find((l) => l.startsWith('Server Version:')));
  });
});

describe('bash completion', () => {
  it('completes commands, types, flags and live object names through the real launcher', async () => {
    const bin = resolve(__dirname, '../bin');
    const script = `source <(coxctl completion bash)
t() { COMP_LINE="$1"; COMP_POINT=\${#1}; read -ra COMP_WORDS <<< "$1"; [[ $1 == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); __coxctl_complete; echo "\${COMPREPLY[*]}"; }
t "coxctl rollout und"
t "coxctl get deploym"
t "coxctl get vm -n ${nsC} "
t "coxctl -n ${nsC} describe virtualmachines/"
t "coxctl get pods --show-l"`;
    const { stdout } = await exec('bash', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: kubeconfig } });
    expect(stdout.split('\n')).toEqual(['undo', 'deployments', 'vm1', 'virtualmachines/vm1', '--show-labels', '']);
  });
});

describe('the coxctl launcher', () => {
  it('runs from any directory on Node 24 and talks to the server', async () => {
    const bin = resolve(__dirname, '../bin/coxctl');
    const { stdout } = await exec(bin, ['--kubeconfig', kubeconfig, 'get', 'ns', nsK, '-o', 'name'], { cwd: tmpdir(), env: { PATH: '/usr/bin:/bin', HOME: dir } });
    expect(stdout).toBe(`namespace/${nsK}\n`);
    const failed = await exec(bin, ['--kubeconfig', kubeconfig, 'get', 'pod', 'ghost', '-n', nsK], { cwd: tmpdir() }).catch((e) => e);
    expect({ code: failed.code, stderr: failed.stderr }).toEqual({ code: 1, stderr: 'Error from server (NotFound): pods "ghost" not found\n' });
    // The TypeScript sources through @swc-node/register, as when dist/ is stale.
    const fromSource = await exec(bin, ['--kubeconfig', kubeconfig, 'get', 'ns', nsK, '-o', 'name'], { cwd: tmpdir(), env: { ...process.env, COXCTL_FROM_SOURCE: '1' } });
    expect(fromSource.stdout).toBe(`namespace/${nsK}\n`);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}
