// The adapter with V8's real last-resort GC, in a child process run with --expose-gc: a burst
// of garbage leaves RSS high; once idle, the release runs and gives the pages back.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { startMemoryRelease } from './memory-release';

const CHILD = `
const { startMemoryRelease } = require(${JSON.stringify(join(__dirname, 'memory-release.ts'))});
const { Registry } = require('prom-client');
const registry = new Registry();
const releases = [];
const handle = startMemoryRelease({ registry, intervalMs: 200, onRelease: (r) => releases.push(r) });
let keep = [];
for (let i = 0; i < 400000; i++) keep.push({ a: 'x' + i, b: [i, i + 1] });
keep = null;
const before = process.memoryUsage.rss();
setTimeout(async () => {
  handle.stop();
  const text = await registry.metrics();
  const count = Number(/^nodejs_memory_releases_total (\\S+)$/m.exec(text)[1]);
  process.stdout.write(JSON.stringify({ enabled: handle.enabled, before, after: process.memoryUsage.rss(), releases, count }));
}, 2500);
`;

describe('startMemoryRelease', () => {
  it('is inert without --expose-gc', () => {
    const handle = startMemoryRelease({ registry: new Registry(), gc: undefined });
    expect(handle.enabled).toBe(typeof (globalThis as { gc?: unknown }).gc === 'function');
    handle.stop();
  });

  it('gives a burst back once the process is idle (real V8, --expose-gc)', () => {
    const result = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=4', '-r', '@swc-node/register', '-e', CHILD], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { enabled: boolean; before: number; after: number; releases: Array<{ rssBeforeBytes: number; rssAfterBytes: number }>; count: number };
    expect(out.enabled).toBe(true);
    expect(out.releases).toHaveLength(1);
    expect(out.count).toBe(1);
    // The burst's pages went back: well over the 8 MB that triggers a release.
    expect(out.releases[0].rssBeforeBytes - out.releases[0].rssAfterBytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(out.after).toBeLessThan(out.before);
  });
});
