// How the harness and `npm run up` start components: from dist/ JS compiled on demand
// (incremental, ~0.1 s), not through an in-process TypeScript transpiler.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from source or from dist/. */
export function findRepoRoot(from = __dirname): string {
  let dir = from;
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'nx.json')))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();

let built: Promise<void> | undefined;

/** Compiles changed sources to dist/ once per process. */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    process.env.BUILD_QUIET = '1';
    const { build } = require(join(REPO_ROOT, 'scripts', 'build.js')) as { build(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-require-imports
    await build();
  })();
  return built;
}

export function hasApp(app: string): boolean {
  return existsSync(join(REPO_ROOT, 'apps', app, 'src', 'main.ts'));
}

/**
 * V8 heap bounds per component: small young generations and an old-space cap make V8 collect
 * before growing, which keeps RSS near the live data (the apiserver's RSS at 4,000 pods went
 * from ~360 MB to ~150 MB with no loss of throughput).
 */
const OLD_SPACE_MB: Record<string, number> = { apiserver: 256, scheduler: 256, 'controller-manager': 192, 'node-agent': 128 };

/**
 * Environment per component. The node agent's glibc keeps at most two malloc arenas: V8's
 * worker threads otherwise each grow their own: ~2 MB of the agent's RSS at 110 pods (bench
 * density, two A/B pairs: 129.3 → 127.2 MB idle, anonymous 73 → 71 MB), no speed change seen.
 * It also gives freed memory back above 64 KiB free at the heap's top, with no extra padding
 * kept (glibc's defaults: 128 KiB, and a threshold that grows with every large free): a start
 * burst's buffers stayed resident otherwise. Two A/B pairs at 110 pods: 119.3/115.2 → 110.9/
 * 109.4 MB idle RSS, anonymous 65/61 → 56.5/55.1 MB, the agent's CPU over the stop no higher.
 */
const APP_ENV: Record<string, Record<string, string>> = {
  'node-agent': { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '65536', MALLOC_TOP_PAD_: '0' },
};

export function appEnv(app: string): Record<string, string> {
  return APP_ENV[app] ?? {};
}

/**
 * The node agent trades CPU for footprint: a node's memory is its pods'. `--jitless` runs its JS
 * in V8's interpreter with no executable memory (no optimizing compilers' code or their pages
 * of the Node binary; the agent runs as root, so no writable-executable pages either), and
 * `--memory-saver-mode` makes V8 compact and give memory back once a burst is over. Node 24's
 * V8 otherwise judges an idle agent's allocation rate "high" on every check (its cppgc heap
 * allocates nothing, which reads as no headroom) and returns a start burst's pages only by the
 * memory reducer's 100 s watchdog. Two A/B pairs, 110 pods (bench density): idle RSS 99.7/99.2
 * → 73.2/74.1 MB, peak 99.9/99.2 → 82.5/83.9 MB; idle CPU unchanged (0.35–0.45 %); the agent's
 * CPU over the 110-pod stop 1.89/2.16 → 2.30/2.37 s; all Running 8.59/6.77 → 6.96/7.2 s. Where JS
 * is the work it costs more: the agent's DNS server saturates at ~35 k q/s, not ~53 k (bench services).
 */
const V8_FLAGS: Record<string, string[]> = {
  'node-agent': ['--jitless', '--memory-saver-mode'],
  // The control plane keeps the JIT and V8's ordinary GC; `gc` lets @coxswain/metrics'
  // startMemoryRelease give a burst's pages back once the process is idle (memory-release.ts).
  apiserver: ['--expose-gc'],
  scheduler: ['--expose-gc'],
  'controller-manager': ['--expose-gc'],
};

/** The V8 flags an app runs with, here and in deploy/systemd (test/workspace checks they agree). */
export function nodeFlags(app: string): string[] {
  return ['--max-semi-space-size=4', ...(V8_FLAGS[app] ?? []), `--max-old-space-size=${OLD_SPACE_MB[app] ?? 192}`];
}

/** node arguments that run an app's main. */
export async function appArgs(app: string): Promise<string[]> {
  await ensureBuilt();
  return [...nodeFlags(app), join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js')];
}
