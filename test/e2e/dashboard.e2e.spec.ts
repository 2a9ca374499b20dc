// The web dashboard on a real 2-node harness cluster, driven by Debian's Chromium through
// playwright-core: log in with a token, see both nodes, apply a Deployment and a
// VirtualMachine through the editor and watch them turn Running without a reload, scale to
// 3 Pods, read a Pod's log, type into a VM's serial console, see why an oversized Pod is
// Pending, cordon a node. Screenshots of each main page go to test-output/dashboard/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { buildDashboard, Chromium, Dashboard, goto, openChromium, SHOTS, startDashboard } from './dashboard-support';
import { getObj, k, waitFor } from './support';

jest.setTimeout(120_000);

const NS = `dash${Math.random().toString(36).slice(2, 6)}`;

let cluster: RunningCluster;
let dashboard: Dashboard;
let browser: Chromium;
let page: Page;

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: httpd
          image: busybox
          command: ["sh", "-c", "echo dashboard-log-line from $(hostname); exec httpd -f -p 8080 -h /tmp"]
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: tiny
spec:
  runStrategy: Always
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

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Client-side navigation through a link of the sidebar or page (no document reload). */
async function follow(name: string | RegExp, scope = page.locator('body')): Promise<void> {
  await scope.getByRole('link', { name, exact: typeof name === 'string' }).first().click();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The production build and the cluster start in parallel; the build is skipped when current.
  const [built, started] = await Promise.all([buildDashboard(), startCluster({ nodes: 2 })]);
  cluster = started;
  console.log(`dashboard: ${built}`);
  const caFile = join(cluster.dir, 'dashboard-ca.pem');
  writeFileSync(caFile, cluster.api.ca!);
  await k(cluster, 'create', 'namespace', NS);
  dashboard = await startDashboard({ COXSWAIN_API_URL: cluster.api.url, COXSWAIN_API_CA: caFile, COXSWAIN_DASHBOARD_SAMPLE_MS: '1000' });
  browser = await openChromium();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await cluster?.stop();
}, 120_000);

describe('dashboard', () => {
  it('refuses a wrong token, logs in with the admin token and shows both nodes', async () => {
    await goto(page, `${dashboard.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not accept this token' }).waitFor();
    await shot('login');
    await page.getByLabel('Bearer token').fill(cluster.api.tokens.admin);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${dashboard.url}/`);
    for (const name of ['node-1', 'node-2']) {
      await page.getByRole('article', { name: `Node ${name}` }).getByText('Ready', { exact: true }).waitFor();
    }
    // The token never reaches page scripts: the session cookie is httpOnly.
    expect(await page.evaluate('document.cookie')).toBe('');
    // Usage bars fill in from the metrics stream.
    await page.getByRole('article', { name: 'Node node-1' }).locator('[role=meter][aria-valuetext*="used"]').first().waitFor();
    await shot('overview');
    // Marks this document; a reload later would lose it.
    await page.evaluate('window.__noReload = true');
  });

  it('applies a Deployment and a VirtualMachine through the editor; both turn Running without a reload', async () => {
    await follow('Apply YAML');
    await page.getByLabel('Default namespace').selectOption(NS);
    await page.getByRole('textbox', { name: 'Manifest YAML' }).fill(MANIFESTS);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByText('will be created').nth(1).waitFor();
    await shot('apply-preview');
    await page.getByRole('button', { name: 'Apply 2 objects' }).click();
    await page.locator('[data-outcome="deployment.apps/web"]').getByText('created', { exact: true }).waitFor();
    await page.locator('[data-outcome="virtualmachine.kubevirt.io/tiny"]').getByText('created', { exact: true }).waitFor();

    await follow('Deployments');
    const row = page.getByRole('row').filter({ hasText: 'web' }).filter({ hasText: NS });
    await row.getByText('1/1').waitFor({ timeout: 90_000 });
    await shot('deployments');

    await follow('VM instances');
    await page.getByRole('row').filter({ hasText: 'tiny' }).getByText('Running', { exact: true }).waitFor({ timeout: 90_000 });
    await shot('vm-instances');
    expect(await page.evaluate('window.__noReload')).toBe(true);
  });

  it('scales the Deployment to 3 and lists 3 Pods', async () => {
    await follow('Deployments');
    await page.getByRole('row').filter({ hasText: NS }).getByRole('link', { name: 'web' }).click();
    await page.getByRole('button', { name: 'Scale' }).click();
    await page.getByRole('dialog').getByLabel('Replicas').fill('3');
    await page.getByRole('dialog').getByRole('button', { name: 'Scale' }).click();
    await page.getByRole('tab', { name: 'Related' }).click();
    const pods = page.getByTestId('children-pods').locator('tbody tr');
    await waitFor('3 Running pods in the Related tab', async () => (await pods.count()) === 3 && (await pods.filter({ hasText: 'Running' }).count()) === 3, 90_000, 500);
    await shot('deployment-related');
    const scale = await getObj(cluster, `/apis/apps/v1/namespaces/${NS}/deployments/web`);
    expect(scale?.spec.replicas).toBe(3);
  });

  it("streams a Pod's log", async () => {
    await page.getByTestId('children-pods').getByRole('link').first().click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('pod-logs').filter({ hasText: 'dashboard-log-line from web-' }).waitFor();
    await shot('pod-logs');
  });

  it("opens the VM's serial console and runs a command in the guest", async () => {
    await follow('VM instances');
    await page.getByRole('row').filter({ hasText: NS }).getByRole('link', { name: 'tiny' }).click();
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByTestId('console-state').filter({ hasText: 'Connected' }).waitFor();
    await page.getByTestId('console').click();
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo cx-console-$((6*7))\n');
    // The guest computed it: the typed line only contains $((6*7)).
    await page.locator('.xterm-rows').filter({ hasText: 'cx-console-42' }).waitFor({ timeout: 60_000 });
    await shot('vm-console');
  });

  it('charts CPU and memory for a node, a Pod and a VM', async () => {
    const targets = [
      { kind: 'Nodes', name: 'node-1', shot: 'node-metrics' },
      { kind: 'Pods', name: /^web-/, shot: 'pod-metrics' },
      { kind: 'Virtual machines', name: 'tiny', shot: 'vm-metrics' },
    ];
    for (const t of targets) {
      await follow(t.kind);
      await page.getByRole('grid').getByRole('link', { name: t.name }).first().click();
      await page.getByRole('tab', { name: 'Metrics' }).click();
      await page.getByRole('img', { name: /^CPU over the last \d+ samples, now/ }).waitFor({ timeout: 60_000 });
      await page.getByRole('img', { name: /^Memory over the last \d+ samples, now/ }).waitFor();
      await shot(t.shot);
    }
  });

  it('stops and starts the VM', async () => {
    await follow('Virtual machines');
    await page.getByRole('grid').getByRole('link', { name: 'tiny' }).click();
    const title = page.getByRole('heading', { level: 1 });
    await title.getByText('Running').waitFor();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await title.getByText('Stopped').waitFor({ timeout: 60_000 });
    await waitFor('the VMI to be gone', async () => !(await getObj(cluster, `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/tiny`)), 60_000);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await title.getByText('Running').waitFor({ timeout: 90_000 });
    await shot('vm');
  });

  it('restarts the rollout and rolls it back', async () => {
    await follow('Deployments');
    await page.getByRole('row').filter({ hasText: NS }).getByRole('link', { name: 'web' }).click();
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await page.getByText('deployment.apps/web restarted').waitFor();
    const deployment = () => getObj(cluster, `/apis/apps/v1/namespaces/${NS}/deployments/web`);
    await waitFor('revision 2', async () => (await deployment())?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 60_000);
    await page.getByRole('button', { name: 'Roll back…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Revision').selectOption('1');
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.getByText('deployment.apps/web rolled back to revision 1').waitFor();
    const restored = await waitFor('the template without the restart annotation', async () => {
      const d = await deployment();
      return d && !d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] && d;
    }, 30_000);
    expect(restored.spec.replicas).toBe(3);
    await page.getByRole('tab', { name: 'Related' }).click();
    await page.getByTestId('children-replicasets').locator('tbody tr').nth(1).waitFor();
    await shot('deployment-rolled-back');
  });

  it('shows why an oversized Pod is Pending, node by node', async () => {
    await k(cluster, 'run', 'huge', '-n', NS, '--image=busybox', '--restart=Never', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '64', memory: '16Mi' } } }] } }));
    await follow('Pods');
    await page.getByRole('searchbox', { name: 'Filter' }).fill('huge');
    await page.getByRole('grid').getByRole('link', { name: 'huge' }).click();
    const placement = page.getByTestId('placement');
    await placement.getByText(/nodes are available: 2 Insufficient cpu/).waitFor({ timeout: 60_000 });
    const perNode = placement.getByRole('table', { name: 'Per-node reasons' });
    for (const node of ['node-1', 'node-2']) await perNode.getByRole('row').filter({ hasText: node }).getByText(/Insufficient cpu \(requests 64/).waitFor();
    await shot('pending-pod');
    await follow('Events');
    await page.getByRole('grid').getByText('FailedScheduling').first().waitFor();
    await shot('events');
  });

  it('cordons a node from its page', async () => {
    await follow('Nodes');
    await page.getByRole('grid').getByRole('link', { name: 'node-2' }).click();
    await page.getByRole('button', { name: 'Cordon' }).click();
    await page.getByRole('button', { name: 'Uncordon' }).waitFor();
    await waitFor('node-2 unschedulable in the API', async () => (await getObj(cluster, '/api/v1/nodes/node-2'))?.spec?.unschedulable === true, 10_000);
    await follow('Overview');
    await page.getByRole('article', { name: 'Node node-2' }).getByText('Cordoned').waitFor();
    await shot('nodes-cordoned');
  });

  it('is keyboard-navigable and has a dark theme', async () => {
    await follow('Pods');
    await page.getByRole('grid', { name: 'Pods' }).waitFor();
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.id')).toBe('filter');
    await page.getByRole('searchbox', { name: 'Filter' }).fill('web');
    const grid = page.getByRole('grid', { name: 'Pods' });
    await grid.locator('[role=row][data-key*="/web-"]').nth(1).waitFor();
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    const key = await grid.locator('[role=row][aria-selected=true]').getAttribute('data-key');
    expect(key).toMatch(new RegExp(`^${NS}/web-`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: key!.split('/')[1] }).waitFor();
    expect(page.url()).toContain(`/r/pods/${key}`);
    await page.getByLabel('Colour theme').selectOption('dark');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await follow('Overview');
    await page.getByRole('article', { name: 'Node node-1' }).waitFor();
    await shot('overview-dark');
  });

  it('ran without JavaScript errors', () => {
    // Allowed: the wrong token's 401 we provoked, and requests Chromium drops when parallel
    // suites add or remove host network interfaces (bridges, veths) mid-request.
    const unexpected = browser.errors.filter((e) => !/status of 401 .*\/api\/session$/.test(e) && !e.includes('net::ERR_NETWORK_CHANGED'));
    expect(unexpected).toEqual([]);
  });
});
