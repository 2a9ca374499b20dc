// What the dashboard e2e suites share: the dashboard run by its documented command (as the
// harness runs every app), and Debian's Chromium through playwright-core with a fresh profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { freePort, ManagedProcess, REPO_ROOT, spawnManaged, waitUntil } from '@coxswain/harness';

const DASHBOARD_MAIN = join(REPO_ROOT, 'apps', 'dashboard', 'src', 'main.ts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
export const SHOTS = join(REPO_ROOT, 'test-output', 'dashboard');

const runDashboard = (args: string[], env: Record<string, string> = {}) => spawnManaged(process.execPath, ['-r', '@swc-node/register', DASHBOARD_MAIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });

/** `next build` when stale; returns what happened ("built in 38.2 s" / "build is current"). */
export async function buildDashboard(): Promise<string> {
  const build = runDashboard(['--build-only']);
  const code = await build.exited;
  if (code !== 0) throw new Error(`dashboard build failed (${code}): ${build.output()}`);
  return /dashboard: (built in [\d.]+ s|build is current)/.exec(build.output())?.[1] ?? 'done';
}

export interface Dashboard {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startDashboard(env: { COXSWAIN_API_URL: string } & Record<string, string>): Promise<Dashboard> {
  // freePort leaves a small race with the other suites' components: a port taken between its
  // check and the dashboard's bind is answered by trying another (as the harness' callers do).
  for (let attempt = 1; ; attempt++) {
    const proc = runDashboard(['--mode', 'production'], { COXSWAIN_DASHBOARD_PORT: String(await freePort()), ...env });
    let url: string | undefined;
    await waitUntil(async () => Boolean((url = /^dashboard: (http\S+) \(production\)$/m.exec(proc.output())?.[1])) || proc.child.exitCode !== null, 60_000, () => `dashboard start: ${proc.output()}`, 100);
    if (url) return { url, process: proc, stop: () => proc.stop(10_000) };
    if (attempt < 3 && /EADDRINUSE/.test(proc.output())) continue;
    throw new Error(`dashboard exited: ${proc.output()}`);
  }
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openChromium(colorScheme: 'light' | 'dark' = 'light'): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'cx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 }, colorScheme });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  let networkChanged = false;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A fetch Chromium aborted because another suite added a network interface (see goto()) is
    // the machine's doing, not the dashboard's; the suites' own checks still need the data to
    // arrive, so a dashboard that did not recover from it fails them.
    if (m.text().includes('net::ERR_NETWORK_CHANGED')) {
      networkChanged = true;
      return;
    }
    // Next's own report of such an aborted navigation fetch, after which it loads the page
    // itself: not an error once the network has changed under the page.
    if (networkChanged && /^Failed to fetch RSC payload for .* Falling back to browser navigation\. TypeError: Failed to fetch/.test(m.text())) return;
    errors.push(`console: ${m.text()} @ ${m.location().url}`);
  });
  page.setDefaultTimeout(30_000);
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * page.goto that outlives Chromium's net::ERR_NETWORK_CHANGED: suites beside this one add and
 * remove network interfaces (namespaces, veths, bridges) and Chromium aborts a load in flight
 * when it sees one, even to 127.0.0.1. That says nothing of the dashboard: load it again.
 */
export async function goto(page: Page, url: string, options?: Parameters<Page['goto']>[1]): ReturnType<Page['goto']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.goto(url, options);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('net::ERR_NETWORK_CHANGED')) throw error;
    }
  }
}

export async function logIn(page: Page, url: string, token: string): Promise<void> {
  await goto(page, `${url}/login`);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${url}/`);
}

/** Client-side navigation through the sidebar (no document reload). */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}
