// The dashboard's Containers vs VMs page on a real 2-node harness cluster running a Pod and a
// VMI, driven by Debian's Chromium: the figures come live from the metrics API and, once
// Debian's Prometheus (started against the cluster's generated config) has scraped the agents,
// from their start-latency histogram and runtime-overhead gauges. Screenshot:
// test-output/dashboard/compare.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { freePort, ManagedProcess, RunningCluster, spawnManaged, startCluster } from '@coxswain/harness';
import { buildDashboard, Chromium, Dashboard, logIn, nav, openChromium, SHOTS, startDashboard } from './dashboard-support';
import { api, getObj, waitFor } from './support';

jest.setTimeout(180_000);

const NS = `cmp${Math.random().toString(36).slice(2, 6)}`;

let cluster: RunningCluster;
let prometheus: ManagedProcess | undefined;
let promData: string | undefined;
let dashboard: Dashboard;
let browser: Chromium;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const [built, started] = await Promise.all([buildDashboard(), startCluster({ nodes: 2 })]);
  cluster = started;
  console.log(`dashboard: ${built}`);
  promData = await mkdtemp(join(tmpdir(), 'prom-compare-'));
  const promPort = await freePort();
  prometheus = spawnManaged('prometheus', [`--config.file=${join(cluster.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${promData}`, `--web.listen-address=127.0.0.1:${promPort}`], {});
  const caFile = join(cluster.dir, 'dashboard-ca.pem');
  writeFileSync(caFile, cluster.api.ca!);
  expect((await api(cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
  dashboard = await startDashboard({ COXSWAIN_API_URL: cluster.api.url, COXSWAIN_API_CA: caFile, COXSWAIN_DASHBOARD_SAMPLE_MS: '1000', COXSWAIN_PROMETHEUS_URL: `http://127.0.0.1:${promPort}` });
  browser = await openChromium();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await prometheus?.stop(10_000);
  if (promData) await rm(promData, { recursive: true, force: true });
  await cluster?.stop();
}, 120_000);

const listItem = (region: string, name: RegExp) => page.getByRole('region', { name: region }).getByRole('listitem', { name });

it('shows a real Pod and VMI side by side: start times, memory, CPU and density', async () => {
  const pod = await api(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'box' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  });
  expect(pod.status).toBe(201);
  const vmi = await api(cluster, 'POST', `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`, {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: 'tiny' },
    spec: {
      terminationGracePeriodSeconds: 1,
      domain: {
        cpu: { cores: 1 },
        resources: { requests: { memory: '128Mi' } },
        firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
      },
    },
  });
  expect(vmi.status).toBe(201);
  await waitFor('the Pod Running', async () => (await getObj(cluster, `/api/v1/namespaces/${NS}/pods/box`))?.status?.phase === 'Running', 90_000, 500);
  await waitFor('the VMI Running', async () => (await getObj(cluster, `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/tiny`))?.status?.phase === 'Running', 120_000, 500);
  const vmNode = (await getObj(cluster, `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/tiny`))!.status.nodeName as string;
  const podNode = (await getObj(cluster, `/api/v1/namespaces/${NS}/pods/box`))!.spec.nodeName as string;

  await logIn(page, dashboard.url, cluster.api.tokens.admin);
  await nav(page, 'Containers vs VMs');
  await page.getByRole('heading', { name: 'Containers vs VMs', level: 1 }).waitFor();

  // Both kinds running, each with a start time.
  for (const [kind, region] of [['container', 'Containers start time'], ['vm', 'VMs start time']] as const) {
    await page.locator(`[data-running=${kind}]`).filter({ hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: region }).locator('[data-figure=p50]').filter({ hasText: /^\d+(\.\d+)? (ms|s)$/ }).waitFor();
  }
  // Memory from the metrics API: the container's working set, QEMU's, and the guest's RAM.
  await listItem('Memory per workload', /^Container: working set: [\d.]+(Ki|Mi)$/).waitFor({ timeout: 60_000 });
  await listItem('Memory per workload', /^VM: QEMU working set: [\d.]+(Mi|Gi)$/).waitFor();
  await listItem('Memory per workload', /^VM: guest RAM: 128Mi$/).waitFor();
  await listItem('CPU per workload', /^Container: (\d+m|0|[\d.]+)$/).waitFor();
  await listItem('CPU per workload', /^VM \(whole QEMU process\): (\d+m|0|[\d.]+)$/).waitFor();
  // Density: both nodes listed, each workload on the node it runs on.
  const density = page.getByRole('region', { name: 'Density per node' });
  await density.getByRole('listitem', { name: new RegExp(`^${vmNode}: \\d+ containers?, 1 VM$`) }).waitFor();
  await density.getByRole('listitem', { name: new RegExp(`^${podNode}: [1-9]\\d* containers?, \\d+ VMs?$`) }).waitFor();
  expect(await density.getByRole('listitem').count()).toBe(2);

  // Once Prometheus has scraped the agents: their millisecond start histogram and the runtime overhead.
  for (const region of ['Containers start time', 'VMs start time']) {
    await page.getByRole('region', { name: region }).getByText('agent histogram (Prometheus)').waitFor({ timeout: 90_000 });
  }
  await listItem('Memory per workload', /^VM: QEMU beyond guest RAM: [\d.]+(Ki|Mi)$/).waitFor({ timeout: 60_000 });
  await listItem('Memory per workload', /^Container: shim overhead: [\d.]+(Ki|Mi)$/).waitFor();
  await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  expect(browser.errors).toEqual([]);
});
