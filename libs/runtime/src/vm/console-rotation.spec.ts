// Console log rotation through the driver, on plain files (no QEMU): concurrent rotations of
// one VM (the periodic check and a forced one) run one after the other.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { VmDriver } from './driver';

const LIMIT = 64 * 1024;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'console-rotation-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

it('keeps the last part of an oversized log when rotations race', async () => {
  const driver = new VmDriver({ root, accel: 'tcg', consoleLogMaxBytes: LIMIT });
  const paths = driver.paths('vm-1');
  await mkdir(dirname(paths.consoleLog), { recursive: true });
  const lines = Array.from({ length: 5000 }, (_, i) => `line-${i}-${'x'.repeat(40)}`).join('\n');
  await writeFile(paths.consoleLog, lines);
  const results = await Promise.all([driver.rotateConsoleLog('vm-1'), driver.rotateConsoleLog('vm-1'), driver.rotateConsoleLog('vm-1')]);
  // The first rotates; the others find the truncated file under the limit.
  expect(results).toEqual([true, false, false]);
  const previous = await readFile(paths.previousConsoleLog, 'utf8');
  expect(previous.length).toBe(LIMIT);
  expect(previous.endsWith('line-4999-' + 'x'.repeat(40))).toBe(true);
  expect((await stat(paths.consoleLog)).size).toBe(0);
});
