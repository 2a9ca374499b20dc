// Whether the production build in apps/dashboard/.next is current: newer than every source
// file, config and the installed Next.js. Decides `--mode auto` (production when current).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_DIR = join(__dirname, '..', '..');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The workspace libraries the bundle compiles in (browser-safe entries of libs/api and libs/scheduling). */
export const BUNDLED_LIBS = ['libs/api/src', 'libs/scheduling/src'];

/** Milliseconds of the newest input; sources, the bundled libraries, config and the next package. */
export function newestInput(dir = DASHBOARD_DIR): number {
  const root = join(dir, '..', '..');
  const inputs = [
    join(dir, 'src'),
    join(dir, 'next.config.ts'),
    join(dir, 'tsconfig.json'),
    join(root, 'tsconfig.base.json'),
    ...BUNDLED_LIBS.map((lib) => join(root, lib)),
    join(root, 'node_modules', 'next', 'package.json'),
  ];
  return Math.max(...inputs.filter((p) => existsSync(p)).map(newestMtime));
}

export function buildIsCurrent(dir = DASHBOARD_DIR): boolean {
  const id = join(dir, '.next', 'BUILD_ID');
  if (!existsSync(id)) return false;
  return statSync(id).mtimeMs > newestInput(dir);
}

export type Mode = 'auto' | 'dev' | 'production';

export function resolveMode(mode: Mode, current: boolean): 'dev' | 'production' {
  if (mode === 'auto') return current ? 'production' : 'dev';
  return mode;
}
