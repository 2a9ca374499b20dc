import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIsCurrent, inputHash, INPUTS_STAMP, resolveMode } from './build-state';

/** A fake workspace: <root>/apps/dashboard/src and a bundled library. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'dash-root-'));
  const dir = join(root, 'apps', 'dashboard');
  const lib = join(root, 'libs', 'scheduling', 'src');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(dir, 'src', 'a.ts'), 'x');
  writeFileSync(join(lib, 'explain.ts'), 'e');
  /** What buildDashboard leaves behind: BUILD_ID and the hash of the inputs it built. */
  const build = () => {
    mkdirSync(join(dir, '.next'), { recursive: true });
    writeFileSync(join(dir, '.next', 'BUILD_ID'), 'id');
    writeFileSync(join(dir, INPUTS_STAMP), `${inputHash(dir)}\n`);
  };
  return { root, dir, lib, build };
}

describe('build state', () => {
  it.each([
    ['auto', true, 'production'],
    ['auto', false, 'dev'],
    ['dev', true, 'dev'],
    ['production', false, 'production'],
  ] as const)('%p with current=%p runs %p', (mode, current, want) => expect(resolveMode(mode, current)).toBe(want));

  it('no build, or a build without the inputs stamp, is not current', () => {
    const { dir } = workspace();
    expect(buildIsCurrent(dir)).toBe(false);
    mkdirSync(join(dir, '.next'));
    writeFileSync(join(dir, '.next', 'BUILD_ID'), 'id');
    expect(buildIsCurrent(dir)).toBe(false);
  });

  it('is current for the same content, whatever the mtimes say', () => {
    const { dir, build } = workspace();
    build();
    expect(buildIsCurrent(dir)).toBe(true);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src', 'a.ts'), future, future); // a checkout or touch
    expect(buildIsCurrent(dir)).toBe(true);
  });

  it.each([
    ['a changed source', (w: ReturnType<typeof workspace>) => writeFileSync(join(w.dir, 'src', 'a.ts'), 'y')],
    ['a new source', (w: ReturnType<typeof workspace>) => writeFileSync(join(w.dir, 'src', 'b.tsx'), 'z')],
    ['a change in a bundled workspace library', (w: ReturnType<typeof workspace>) => writeFileSync(join(w.lib, 'explain.ts'), 'f')],
    ['another lockfile', (w: ReturnType<typeof workspace>) => writeFileSync(join(w.root, 'package-lock.json'), '{}')],
  ])('%s makes the build stale', (_name, change) => {
    const w = workspace();
    w.build();
    change(w);
    expect(buildIsCurrent(w.dir)).toBe(false);
  });

  it('a spec file is not an input', () => {
    const w = workspace();
    w.build();
    writeFileSync(join(w.dir, 'src', 'a.spec.ts'), 'test');
    expect(buildIsCurrent(w.dir)).toBe(true);
  });
});
