// Golden files: expected output kept beside the spec under testdata/. Run the specs with
// UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function expectGolden(dir: string, name: string, actual: string): void {
  const file = join(dir, 'testdata', `${name}.golden`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${file} was missing and has been written; check it and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
