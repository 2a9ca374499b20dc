// The dashboard at 1,000 nodes and 10,000 Pods, in Chromium. The cluster is the client
// library's in-memory API server (real HTTP and watch semantics, no etcd or nodes), because
// what is under test is the browser side: lists stay virtualised, watch events keep flowing
// into a 10k-row list, the overview stays bounded. Load and update times are printed as
// figures, never asserted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { FakeApiServer } from '@coxswain/client';
import { buildDashboard, Chromium, Dashboard, logIn, nav, openChromium, SHOTS, startDashboard } from './dashboard-support';

jest.setTimeout(120_000);

const NODES = 1000;
const PODS = 10_000;
const TOKEN = 'scale-test-token';

let api: FakeApiServer;
let dashboard: Dashboard;
let browser: Chromium;
let page: Page;
const figures: Record<string, number> = {};

const node = (i: number) => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name: `node-${String(i).padStart(4, '0')}`, labels: { 'coxswain.io/hypervisor': 'tcg' }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {},
  status: { allocatable: { cpu: '8', memory: '32Gi', pods: '110' }, conditions: [{ type: 'Ready', status: i % 97 === 0 ? 'False' : 'True' }], addresses: [{ type: 'InternalIP', address: `10.${(i >> 8) & 255}.${i & 255}.1` }] },
});
const pod = (i: number, phase = 'Running') => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `pod-${String(i).padStart(5, '0')}`, namespace: 'load', uid: `uid-${i}`, labels: { app: `app-${i % 50}` }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { nodeName: `node-${String(i % NODES).padStart(4, '0')}`, containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  status: { phase, podIP: `10.200.${(i >> 8) & 255}.${i & 255}`, containerStatuses: [{ name: 'main', ready: phase === 'Running', restartCount: 0, state: phase === 'Running' ? { running: {} } : { waiting: { reason: phase } } }] },
});

const renderedRows = (p: Page) => p.getByRole('grid').locator('[role=row][data-key]').count();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  api = await FakeApiServer.start({ token: TOKEN });
  api.put('/api/v1/namespaces', { metadata: { name: 'load' } } as never);
  for (let i = 0; i < NODES; i++) api.put('/api/v1/nodes', node(i) as never);
  for (let i = 0; i < PODS; i++) api.put('/api/v1/namespaces/load/pods', pod(i) as never);
  console.log(`dashboard: ${await buildDashboard()}`);
  dashboard = await startDashboard({ COXSWAIN_API_URL: api.url });
  browser = await openChromium();
  page = browser.page;
  await logIn(page, dashboard.url, TOKEN);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await api?.stop();
  console.log(`dashboard scale figures: ${JSON.stringify(figures)}`);
}, 60_000);

describe('dashboard at 1,000 nodes and 10,000 pods', () => {
  it('lists 10,000 pods with only the visible rows in the DOM', async () => {
    const started = Date.now();
    await nav(page, 'Pods');
    await page.getByText('10,000 rows').waitFor();
    figures.podListLoadMs = Date.now() - started;
    const rows = await renderedRows(page);
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(100);
    // Keyboard to the very end: the last pod is reachable and still only a window is rendered.
    await page.getByRole('grid').focus();
    await page.keyboard.press('End');
    await page.getByRole('grid').locator('[data-key="load/pod-09999"]').waitFor();
    expect(await renderedRows(page)).toBeLessThan(100);
    await page.screenshot({ path: join(SHOTS, 'scale-pods.png') });
  });

  it('applies a burst of watch events to the 10k list', async () => {
    const started = Date.now();
    for (let i = 0; i < 500; i++) api.put('/api/v1/namespaces/load/pods', pod(i * 20, 'CrashLoopBackOff') as never);
    await page.getByRole('searchbox', { name: 'Filter' }).fill('CrashLoopBackOff');
    await page.getByText('500 rows').waitFor();
    figures.watchBurst500Ms = Date.now() - started;
    api.remove('/api/v1/namespaces/load/pods/pod-00020');
    await page.getByText('499 rows').waitFor();
    await page.getByRole('searchbox', { name: 'Filter' }).fill('');
    await page.getByText('9,999 rows').waitFor();
  });

  it('sorts 10,000 rows by a column', async () => {
    const started = Date.now();
    await page.getByRole('button', { name: 'Status' }).click();
    await page.getByRole('columnheader', { name: 'Status' }).and(page.locator('[aria-sort=ascending]')).waitFor();
    figures.sortMs = Date.now() - started;
    // CrashLoopBackOff sorts before Running.
    const first = await page.getByRole('grid').locator('[role=row][data-key]').first().textContent();
    expect(first).toContain('CrashLoopBackOff');
  });

  it('lists 1,000 nodes and keeps the overview to the nodes that need attention', async () => {
    await nav(page, 'Nodes');
    await page.getByText('1,000 rows').waitFor();
    expect(await renderedRows(page)).toBeLessThan(100);
    const started = Date.now();
    await nav(page, 'Overview');
    await page.getByRole('link', { name: 'All 1,000 nodes →' }).waitFor();
    await page.getByRole('article').nth(23).waitFor();
    figures.overviewLoadMs = Date.now() - started;
    expect(await page.getByRole('article').count()).toBe(24);
    // NotReady nodes come first.
    await page.getByRole('article').first().getByText('NotReady').waitFor();
    await page.getByRole('region', { name: 'Pods' }).getByText('9,999', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Pods' }).getByText('CrashLoopBackOff 499').waitFor();
    await page.screenshot({ path: join(SHOTS, 'scale-overview.png') });
  });

  it('ran without JavaScript errors', () => {
    // Chromium drops requests when parallel suites change host network interfaces.
    expect(browser.errors.filter((e) => !e.includes('net::ERR_NETWORK_CHANGED'))).toEqual([]);
  });
});
