// The web dashboard on a real 2-node harness cluster, driven by Debian's Chromium through
// playwright-core: log in with a token, see both nodes, apply a Deployment and a
// VirtualMachine through the editor and watch them turn Running without a reload, scale to
// 3 Pods, read a Pod's log, type into a VM's serial console, see why an oversized Pod is
// Pending, cordon a node. Screenshots of each main page go to test-output/dashboard/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { freePort, ManagedProcess, REPO_ROOT, RunningCluster, spawnManaged, startCluster, waitUntil } from '@coxswain/harness';
import { getObj, k, waitFor } from './support';

jest.setTimeout(120_000);

const SHOTS = join(REPO_ROOT, 'test-output', 'dashboard');
const NS = `dash${Math.random().toString(36).slice(2, 6)}`;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let cluster: RunningCluster;
let dashboard: { url: string; process: ManagedProcess };
let browser: BrowserContext;
let page: Page;
let profileDir: string;
const pageErrors: string[] = [];

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

// The dashboard's documented command (apps/dashboard/README.md), run like the harness runs apps.
const DASHBOARD_MAIN = join(REPO_ROOT, 'apps', 'dashboard', 'src', 'main.ts');
const runDashboard = (args: string[], env: Record<string, string> = {}) => spawnManaged(process.execPath, ['-r', '@swc-node/register', DASHBOARD_MAIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });

async function buildDashboard(): Promise<string> {
  const build = runDashboard(['--build-only']);
  const code = await build.exited;
  if (code !== 0) throw new Error(`dashboard build failed (${code}): ${build.output()}`);
  return /dashboard: (built in [\d.]+ s|build is current)/.exec(build.output())?.[1] ?? 'done';
}

async function startDashboard(apiUrl: string, caFile: string): Promise<{ url: string; process: ManagedProcess }> {
  const proc = runDashboard(['--mode', 'production'], { COXSWAIN_API_URL: apiUrl, COXSWAIN_API_CA: caFile, COXSWAIN_DASHBOARD_PORT: String(await freePort()), COXSWAIN_DASHBOARD_SAMPLE_MS: '1000' });
  let url: string | undefined;
  await waitUntil(async () => Boolean((url = /^dashboard: (http\S+) \(production\)$/m.exec(proc.output())?.[1])) || proc.child.exitCode !== null, 60_000, () => `dashboard start: ${proc.output()}`, 100);
  if (!url) throw new Error(`dashboard exited: ${proc.output()}`);
  return { url, process: proc };
}

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
  dashboard = await startDashboard(cluster.api.url, caFile);
  profileDir = mkdtempSync(join(tmpdir(), 'cx-chromium-'));
  // A fresh profile per run (Playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()} @ ${m.location().url}`);
  });
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await dashboard?.process.stop(10_000);
  await cluster?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
}, 120_000);

describe('dashboard', () => {
  it('refuses a wrong token, logs in with the admin token and shows both nodes', async () => {
    await page.goto(`${dashboard.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not accept this token' }).waitFor();
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
    await page.getByRole('grid').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/r/pods/${NS}/web-`));
    await page.getByLabel('Colour theme').selectOption('dark');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await follow('Overview');
    await page.getByRole('article', { name: 'Node node-1' }).waitFor();
    await shot('overview-dark');
  });

  it('ran without JavaScript errors', () => {
    // The one failure we provoked: the wrong token's 401 from /api/session.
    const unexpected = pageErrors.filter((e) => !/status of 401 .*\/api\/session$/.test(e));
    expect(unexpected).toEqual([]);
  });
});
