// Whether the production build in apps/dashboard/.next is current: built from exactly the
// content now on disk. The build records a sha256 over every input file (sources, config,
// the bundled workspace libraries, the installed Next.js and the lockfile) in
// .next/coxswain-inputs.sha256; a checkout or `touch` that changes mtimes but not content
// keeps the build, any changed byte makes it stale. Decides `--mode auto` and `--build`.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const DASHBOARD_DIR = join(__dirname, '..', '..');

/** The workspace libraries the bundle compiles in (browser-safe entries of libs/api and libs/scheduling). */
export const BUNDLED_LIBS = ['libs/api/src', 'libs/scheduling/src'];

/** Where a build records the hash of the inputs it was built from. */
export const INPUTS_STAMP = join('.next', 'coxswain-inputs.sha256');

// Specs are not bundled: editing one does not make the build stale.
const SKIP = /(^|\/)(node_modules|\.next)(\/|$)|\.spec\.tsx?$/;

function files(path: string, out: string[]): void {
  if (SKIP.test(path) || !existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path).sort()) files(join(path, entry), out);
}

/** sha256 over the paths and contents of every input of the production build. */
export function inputHash(dir = DASHBOARD_DIR): string {
  const root = join(dir, '..', '..');
  const inputs = [
    join(dir, 'src'),
    join(dir, 'next.config.ts'),
    join(dir, 'tsconfig.json'),
    join(root, 'tsconfig.base.json'),
    ...BUNDLED_LIBS.map((lib) => join(root, lib)),
    join(root, 'node_modules', 'next', 'package.json'),
    join(root, 'package-lock.json'),
  ];
  const list: string[] = [];
  for (const input of inputs) files(input, list);
  const hash = createHash('sha256');
  for (const file of list) hash.update(`${relative(root, file)}\0`).update(createHash('sha256').update(readFileSync(file)).digest('hex')).update('\n');
  return hash.digest('hex');
}

export function buildIsCurrent(dir = DASHBOARD_DIR): boolean {
  const stamp = join(dir, INPUTS_STAMP);
  if (!existsSync(join(dir, '.next', 'BUILD_ID')) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === inputHash(dir);
}

export type Mode = 'auto' | 'dev' | 'production';

export function resolveMode(mode: Mode, current: boolean): 'dev' | 'production' {
  if (mode === 'auto') return current ? 'production' : 'dev';
  return mode;
}
