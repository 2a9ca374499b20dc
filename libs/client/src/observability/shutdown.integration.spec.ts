import { spawn } from 'node:child_process';
import { join } from 'node:path';

// A real process: SIGTERM runs the registered handler, the health server closes, exit code 0.
const root = join(__dirname, '..', '..', '..', '..');

it('a component started with onShutdown exits cleanly on SIGTERM', async () => {
  const script = join(__dirname, 'testdata', 'shutdown-component.ts');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (!out.includes('listening') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /listening (\S+)/.exec(out)?.[1];
    if (!url) throw new Error(`component did not start:\n${out}`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('closed');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 90_000);
