import { mkdtempSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIsCurrent, resolveMode } from './build-state';

describe('build state', () => {
  it.each([
    ['auto', true, 'production'],
    ['auto', false, 'dev'],
    ['dev', true, 'dev'],
    ['production', false, 'production'],
  ] as const)('%p with current=%p runs %p', (mode, current, want) => expect(resolveMode(mode, current)).toBe(want));

  it('a build is current only when newer than every source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-build-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), 'x');
    expect(buildIsCurrent(dir)).toBe(false);
    mkdirSync(join(dir, '.next'));
    writeFileSync(join(dir, '.next', 'BUILD_ID'), 'id');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'src', 'a.ts'), past, past);
    utimesSync(join(dir, 'src'), past, past);
    expect(buildIsCurrent(dir)).toBe(true);
    writeFileSync(join(dir, 'src', 'b.ts'), 'y');
    expect(buildIsCurrent(dir)).toBe(false);
  });

  it('a change in a bundled workspace library makes the build stale', () => {
    const root = mkdtempSync(join(tmpdir(), 'dash-root-'));
    const dir = join(root, 'apps', 'dashboard');
    const lib = join(root, 'libs', 'scheduling', 'src');
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(lib, { recursive: true });
    const past = new Date(Date.now() - 60_000);
    for (const p of [join(dir, 'src'), lib, join(root, 'libs', 'scheduling')]) utimesSync(p, past, past);
    mkdirSync(join(dir, '.next'));
    writeFileSync(join(dir, '.next', 'BUILD_ID'), 'id');
    expect(buildIsCurrent(dir)).toBe(true);
    writeFileSync(join(lib, 'explain.ts'), 'z');
    expect(buildIsCurrent(dir)).toBe(false);
  });
});
