// The launcher's parent dies (npm forwarded SIGTERM to its sh, which does not pass it on): the
// launcher notices and stops. Real processes: sh -c 'node …; true' keeps sh as the parent.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

it('runs the callback once the parent is gone, not before', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parent-watch-'));
  const out = join(dir, 'out');
  const child = `
    const { writeFileSync, appendFileSync } = require('node:fs');
    const { onParentExit } = require(${JSON.stringify(join(__dirname, '..', '..', 'deploy', 'parent-watch.ts'))});
    writeFileSync(${JSON.stringify(out)}, 'started\\n');
    onParentExit(() => { appendFileSync(${JSON.stringify(out)}, 'parent gone\\n'); process.exit(0); }, 100);
    setInterval(() => {}, 1000);
  `;
  const sh = spawn('sh', ['-c', `"${process.execPath}" -r @swc-node/register -e "$CHILD"; true`], { env: { ...process.env, CHILD: child }, stdio: 'ignore' });
  try {
    const read = () => readFile(out, 'utf8').catch(() => '');
    expect(await waitFor(async () => (await read()).includes('started'), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await read()).toBe('started\n');
    sh.kill('SIGTERM');
    expect(await waitFor(async () => (await read()).includes('parent gone'), 10_000)).toBe(true);
  } finally {
    sh.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 40_000);
