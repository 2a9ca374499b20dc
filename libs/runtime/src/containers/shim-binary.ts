// Builds coxshim from its C source on first use and caches the binary under the runtime
// root, keyed by a hash of the source so an updated shim is rebuilt while running
// containers keep the old binary they were started with.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

// Apps run from source (swc-node), so the C file sits beside this library; a bundled build
// points COXSWAIN_SHIM_SOURCE at wherever it ships the file.
export const DEFAULT_SHIM_SOURCE = process.env.COXSWAIN_SHIM_SOURCE ?? join(__dirname, '..', '..', 'shim', 'coxshim.c');

const building = new Map<string, Promise<string>>();

/** Path of a compiled shim for `source`, compiling into `binDir` if needed (concurrency-safe). */
export function ensureShimBinary(binDir: string, source = DEFAULT_SHIM_SOURCE, compiler = 'cc'): Promise<string> {
  const key = `${binDir}\0${source}`;
  let pending = building.get(key);
  if (!pending) {
    pending = build(binDir, source, compiler);
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}

async function build(binDir: string, source: string, compiler: string): Promise<string> {
  const code = await readFile(source);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const target = join(binDir, `coxshim-${hash}`);
  if (await access(target).then(() => true, () => false)) return target;
  await mkdir(binDir, { recursive: true });
  // Another process may build the same binary at once: compile privately, rename atomically.
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // Static keeps the shim immune to libc upgrades under long-running containers; fall back
    // to a dynamic build where no static libc is installed.
    await exec(compiler, ['-O2', '-static', '-o', tmp, source]).catch(() => exec(compiler, ['-O2', '-o', tmp, source]));
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
  return target;
}
