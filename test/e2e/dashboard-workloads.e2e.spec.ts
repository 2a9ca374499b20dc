// The dashboard's workload actions and Service page on a real 2-node harness cluster, driven
// by Debian's Chromium against the production build: a CronJob suspended and resumed and run
// by hand (the Job completes), a DaemonSet and a StatefulSet restarted (new pods carrying the
// restartedAt annotation), a viewer's session refused with the API server's 403 and nothing
// changed, and a Service fronting a Pod and a VMI whose Pod endpoint turns terminating and
// disappears live when the Pod is deleted. One cluster and one build for the file; every
// workload is created before the browser starts so they come up while the first cases run.
// Screenshots go to test-output/dashboard/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { buildDashboard, Chromium, Dashboard, goto, logIn, openChromium, SHOTS, startDashboard } from './dashboard-support';
import { api, getObj, k, manifest, Obj, waitFor } from './support';

jest.setTimeout(180_000);

const NS = `wl${Math.random().toString(36).slice(2, 6)}`;
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

let cluster: RunningCluster;
let dashboard: Dashboard;
let browser: Chromium;
let page: Page;

const small = '{requests: {cpu: 10m, memory: 16Mi}}';
const MANIFESTS = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "0 0 1 1 *"
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers: [{name: tick, image: busybox, command: [sh, -c, "echo tick"], resources: ${small}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: agent, image: busybox, command: [sleep, "3600"], resources: ${small}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: db, image: busybox, command: [sleep, "3600"], resources: ${small}}]
---
apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  selector: {app: front}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: front-pod, labels: {app: front}}
spec:
  # httpd as PID 1 ignores SIGTERM: the Pod stays terminating for its grace period.
  terminationGracePeriodSeconds: 20
  containers:
  - name: httpd
    image: busybox
    command: [httpd, -f, -p, "8080", -h, /tmp]
    ports: [{name: http, containerPort: 8080}]
    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
    resources: ${small}
---
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: front-vm, labels: {app: front}}
spec:
  terminationGracePeriodSeconds: 5
  domain:
    cpu: {cores: 1}
    resources: {requests: {memory: 128Mi}}
    devices:
      interfaces: [{name: default, masquerade: {}, ports: [{name: http, port: 80}]}]
    firmware:
      kernelBoot:
        container: {image: coxswain/tiny-vm:latest, kernelPath: /boot/vmlinuz, initrdPath: /boot/initrd.img}
        kernelArgs: console=ttyS0
  networks: [{name: default, pod: {}}]
`;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
// A document load; the first of a route is server-rendered cold and at load 30+ outlasted
// the default 30 s "load" wait, so wait for the DOM and let the locators wait for content.
const open = (plural: string, name: string) => goto(page, `${dashboard.url}/r/${plural}/${NS}/${name}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
const header = () => page.getByRole('heading', { level: 1 });
/** The value cell of a Summary row. */
const detail = (label: string) => page.getByRole('region', { name: 'Details' }).locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
const toast = (text: string | RegExp) => page.locator('.toast').filter({ hasText: text });

const apps = (plural: string, name: string) => getObj(cluster, `/apis/apps/v1/namespaces/${NS}/${plural}/${name}`);
const podsOf = async (app: string): Promise<Obj[]> => (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`)).body.items ?? [];
const running = (pods: Obj[]) => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp && p.status.containerStatuses?.every((c: Obj) => c.ready));
const jobs = async (): Promise<Obj[]> => (await api(cluster, 'GET', `/apis/batch/v1/namespaces/${NS}/jobs`)).body.items ?? [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const started = Date.now();
  // The production build (skipped when current) and the cluster start in parallel.
  const [built, c] = await Promise.all([buildDashboard(), startCluster({ nodes: 2 })]);
  cluster = c;
  console.log(`dashboard: ${built}; cluster and build ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const caFile = join(cluster.dir, 'dashboard-ca.pem');
  writeFileSync(caFile, cluster.api.ca!);
  const workloads = (async () => {
    await k(cluster, 'create', 'namespace', NS);
    await k(cluster, 'apply', '-n', NS, '-f', await manifest(MANIFESTS));
  })();
  const timed = async <T>(what: string, p: Promise<T>): Promise<T> => {
    const t = Date.now();
    const value = await p;
    phases.push(`${what} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return value;
  };
  const phases: string[] = [];
  [dashboard, browser] = await Promise.all([timed('dashboard', startDashboard({ COXSWAIN_API_URL: cluster.api.url, COXSWAIN_API_CA: caFile })), timed('chromium', openChromium()), timed('workloads', workloads)]);
  page = browser.page;
  await timed('login', logIn(page, dashboard.url, cluster.api.tokens.admin));
  console.log(`setup done after ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.join(', ')}; load ${loadavg()[0].toFixed(1)})`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await cluster?.stop();
}, 120_000);

describe('CronJob actions', () => {
  it('suspends and resumes the CronJob; the API object and the page follow live', async () => {
    await open('cronjobs', 'tick');
    await header().getByText('Active', { exact: true }).waitFor({ timeout: 90_000 });
    await detail('Suspend').getByText('False', { exact: true }).waitFor();
    await page.evaluate('window.__noReload = true');

    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await toast('cronjob.batch/tick suspended').waitFor();
    await header().getByText('Suspended', { exact: true }).waitFor();
    await detail('Suspend').getByText('True', { exact: true }).waitFor();
    expect((await getObj(cluster, `/apis/batch/v1/namespaces/${NS}/cronjobs/tick`))?.spec.suspend).toBe(true);
    await shot('cronjob-suspended');

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await toast('cronjob.batch/tick resumed').waitFor();
    await header().getByText('Active', { exact: true }).waitFor();
    await detail('Suspend').getByText('False', { exact: true }).waitFor();
    expect((await getObj(cluster, `/apis/batch/v1/namespaces/${NS}/cronjobs/tick`))?.spec.suspend).toBe(false);
    expect(await page.evaluate('window.__noReload')).toBe(true);
  });

  it('"Run now" creates the Job kubectl create job --from=cronjob makes; it shows up and completes', async () => {
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    const created = toast(/^job\.batch\/tick-manual-[a-z0-9]{5} created$/);
    await created.waitFor();
    const name = (await created.textContent())!.split(' ')[0].split('/')[1];
    await page.getByRole('tab', { name: 'Related' }).click();
    const row = page.getByTestId('children-jobs').getByRole('row').filter({ hasText: name });
    await row.getByText('Complete', { exact: true }).waitFor({ timeout: 180_000 });
    await page.getByTestId('children-pods').getByRole('row').filter({ hasText: `${name}-` }).getByText('Completed', { exact: true }).waitFor();
    await shot('cronjob-run-now');

    const cronJob = (await getObj(cluster, `/apis/batch/v1/namespaces/${NS}/cronjobs/tick`))!;
    const job = (await getObj(cluster, `/apis/batch/v1/namespaces/${NS}/jobs/${name}`))!;
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'CronJob', name: 'tick', uid: cronJob.metadata.uid, controller: true })]);
    expect(job.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(job.status.succeeded).toBe(1);

    // The Job's own page says the same.
    await row.getByRole('link', { name }).click();
    await header().getByText('Complete', { exact: true }).waitFor();
    await detail('Completions').getByText('1/1', { exact: true }).waitFor();
    await shot('job-complete');
  }, 300_000);
});

describe('Restart', () => {
  it.each([
    { plural: 'daemonsets', name: 'agent', kind: 'daemonset.apps', replicas: 2 },
    { plural: 'statefulsets', name: 'db', kind: 'statefulset.apps', replicas: 2 },
  ])('restarts the $kind: new pods with the restartedAt annotation, live on the page', async ({ plural, name, kind, replicas }) => {
    const before = await waitFor(`${replicas} ready ${name} pods`, async () => {
      const pods = running(await podsOf(name));
      return pods.length === replicas && pods;
    }, 150_000, 1000);
    if (plural === 'daemonsets') expect(new Set(before.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2']));
    await open(plural, name);
    await header().getByText('Available', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await toast(`${kind}/${name} restarted`).waitFor();
    await detail('Restarted').waitFor();

    const object = (await apps(plural, name))!;
    const stamp = object.spec.template.metadata.annotations[RESTARTED_AT];
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const old = new Set(before.map((p) => p.metadata.uid));
    const after = await waitFor(`${replicas} new ready ${name} pods`, async () => {
      const pods = await podsOf(name);
      const fresh = running(pods).filter((p) => !old.has(p.metadata.uid));
      return fresh.length === replicas && pods.length === replicas && fresh;
    }, 150_000, 1000);
    for (const pod of after) expect(pod.metadata.annotations?.[RESTARTED_AT]).toBe(stamp);
    // A StatefulSet keeps its ordinals; a DaemonSet's pods get new names.
    if (plural === 'statefulsets') expect(after.map((p) => p.metadata.name).sort()).toEqual(['db-0', 'db-1']);
    else expect(after.filter((p) => before.some((b) => b.metadata.name === p.metadata.name))).toEqual([]);

    await header().getByText('Available', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Related' }).click();
    const rows = page.getByTestId('children-pods').locator('tbody tr');
    for (const pod of after) await rows.filter({ hasText: pod.metadata.name }).getByText('Running', { exact: true }).waitFor();
    await waitFor('only the new pods listed', async () => (await rows.count()) === replicas, 60_000, 500);
    await shot(`${plural}-restarted`);
  });
});

describe('a viewer session', () => {
  it("sees every action refused with the API server's 403 message, and nothing changes", async () => {
    const forbidden = (verb: string, resource: string, group: string, name?: string) =>
      `${resource}.${group}${name ? ` "${name}"` : ''} is forbidden: User "viewer" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${NS}": viewers have read-only access`;
    const snapshot = async () => ({
      cronJob: (await getObj(cluster, `/apis/batch/v1/namespaces/${NS}/cronjobs/tick`))!.metadata.resourceVersion,
      ds: (await apps('daemonsets', 'agent'))!.metadata.resourceVersion,
      sts: (await apps('statefulsets', 'db'))!.metadata.resourceVersion,
      jobs: (await jobs()).map((j) => j.metadata.name).sort(),
    });
    const before = await snapshot();

    await page.context().clearCookies();
    await logIn(page, dashboard.url, cluster.api.tokens.viewer);
    await open('cronjobs', 'tick');
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await toast(forbidden('patch', 'cronjobs', 'batch', 'tick')).waitFor();
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    await toast(forbidden('create', 'jobs', 'batch')).waitFor();
    await shot('viewer-refused');
    await open('daemonsets', 'agent');
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await toast(forbidden('patch', 'daemonsets', 'apps', 'agent')).waitFor();
    await open('statefulsets', 'db');
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await toast(forbidden('patch', 'statefulsets', 'apps', 'db')).waitFor();

    expect(await snapshot()).toEqual(before);
    // The viewer still reads: the page stays live and the button did not flip.
    await header().getByText('Available', { exact: true }).waitFor();
    await page.context().clearCookies();
    await logIn(page, dashboard.url, cluster.api.tokens.admin);
  });
});

describe('Service page', () => {
  it('shows the ClusterIP and the Pod and VMI endpoints; the Pod endpoint turns terminating and goes when the Pod is deleted', async () => {
    const svc = (await getObj(cluster, `/api/v1/namespaces/${NS}/services/front`))!;
    const [pod, vmi] = await waitFor('the Pod and the VMI with addresses', async () => {
      const p = await getObj(cluster, `/api/v1/namespaces/${NS}/pods/front-pod`);
      const v = await getObj(cluster, `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/front-vm`);
      return p?.status?.podIP && v?.status?.interfaces?.[0]?.ipAddress && [p, v];
    }, 180_000, 1000);
    await open('services', 'front');
    await detail('Cluster IP').getByText(svc.spec.clusterIP, { exact: true }).waitFor();
    await detail('Ports').getByText('http 80:http/TCP', { exact: true }).waitFor();
    const endpoints = page.getByRole('region', { name: 'Endpoints' });
    const podRow = endpoints.getByRole('row').filter({ has: page.getByRole('link', { name: 'Pod/front-pod' }) });
    const vmiRow = endpoints.getByRole('row').filter({ has: page.getByRole('link', { name: 'VMI/front-vm' }) });
    await podRow.getByText('ready', { exact: true }).waitFor({ timeout: 120_000 });
    await vmiRow.getByText('ready', { exact: true }).waitFor({ timeout: 180_000 });
    await endpoints.getByText('2 ready of 2').waitFor();
    await podRow.getByText(pod.status.podIP, { exact: true }).waitFor();
    await vmiRow.getByText(vmi.status.interfaces[0].ipAddress, { exact: true }).waitFor();
    await podRow.getByText('8080', { exact: false }).waitFor();
    await vmiRow.getByText(vmi.status.nodeName, { exact: true }).waitFor();
    await shot('service');
    await page.evaluate('window.__noReload = true');

    await k(cluster, 'delete', 'pod', '-n', NS, 'front-pod', '--wait=false');
    await podRow.getByText('terminating', { exact: true }).waitFor({ timeout: 60_000 });
    await podRow.getByText('not ready', { exact: true }).waitFor();
    await endpoints.getByText('1 ready of 2').waitFor();
    await shot('service-terminating');
    await podRow.waitFor({ state: 'detached', timeout: 90_000 });
    await endpoints.getByText('1 ready of 1').waitFor();
    await vmiRow.getByText('ready', { exact: true }).waitFor();
    expect(await page.evaluate('window.__noReload')).toBe(true);
    await shot('service-pod-gone');
  });
});

describe('the browser', () => {
  it('ran without JavaScript errors', () => {
    // Allowed: the viewer's 403s we provoked (Chromium logs each refused fetch), and requests
    // Chromium drops when parallel suites add or remove host network interfaces mid-request.
    const unexpected = browser.errors.filter((e) => !/status of 403 .*\/api\/k8s\//.test(e) && !e.includes('net::ERR_NETWORK_CHANGED'));
    expect(unexpected).toEqual([]);
  });
});
