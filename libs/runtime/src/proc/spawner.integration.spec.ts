// The Spawner contract, run against coxspawn (HelperSpawner) and Node's child_process
// (DirectSpawner) alike, with real processes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSpawner } from './direct-spawner';
import { runCommand } from './run-command';
import { HelperSpawner } from './spawn-helper';
import { CommandError, Spawner } from './spawner';

// Real processes on a loaded machine: generous limits, nothing asserted about time.
jest.setTimeout(60_000);

let dir: string;
let helper: HelperSpawner;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-spawner-'));
  helper = new HelperSpawner({ binDir: join(dir, 'bin') });
  expect(await helper.mode()).toBe('helper');
}, 120_000);

afterAll(async () => {
  helper?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitFor = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

describe.each([
  ['coxspawn', () => helper as Spawner],
  ['child_process', () => new DirectSpawner() as Spawner],
])('Spawner over %s', (_name, make) => {
  let spawner: Spawner;
  beforeAll(() => (spawner = make()));

  it.each([
    ['stdout and exit 0', 'sh', ['-c', 'echo out; echo err >&2'], {}, { code: 0, stdout: 'out\n', stderr: 'err\n' }],
    ['a non-zero exit code', 'sh', ['-c', 'exit 7'], {}, { code: 7, stdout: '', stderr: '' }],
    ['arguments as given (quotes, spaces, $)', 'printf', ['%s|', "a b", "'q'", '$HOME', ''], {}, { code: 0, stdout: "a b|'q'|$HOME||" }],
    ['stdin', 'cat', [], { input: 'line 1\nline 2\n' }, { code: 0, stdout: 'line 1\nline 2\n' }],
    ['no stdin: /dev/null', 'cat', [], {}, { code: 0, stdout: '' }],
    ['a working directory', 'pwd', [], { cwd: '/usr' }, { code: 0, stdout: '/usr\n' }],
    ['a whole environment', 'sh', ['-c', 'echo "$A,${HOME:-none}"'], { env: { A: 'x', PATH: process.env.PATH } }, { code: 0, stdout: 'x,none\n' }],
    ['killed by a signal', 'sh', ['-c', 'kill -TERM $$'], {}, { code: null, signal: 'SIGTERM' }],
  ])('%s', async (_case, file, args, options, want) => {
    expect(await spawner.run(file, args, options)).toMatchObject({ killed: false, ...want });
  });

  it('carries large input and output intact', async () => {
    const input = Buffer.alloc(3 << 20, 'abcdefgh');
    const result = await spawner.run('sh', ['-c', 'cat; head -c 2000000 /dev/zero | tr "\\0" z >&2'], { input });
    expect(result.stdout).toBe(input.toString());
    expect(result.stderr).toBe('z'.repeat(2_000_000));
  });

  it('reads the whole output of a command that exited as its timeout struck', async () => {
    // The command writes less than the pipe holds and exits at once, while the caller's loop is
    // busy past the timeout, so the timer runs before the output is read. execFile then cut the
    // output short and reported a success (a `runc list` of 500 containers parsed as 292 KB).
    const size = 100_000;
    const pending = spawner.run('sh', ['-c', `head -c ${size} /dev/zero | tr '\\0' x`], { timeoutMs: 100 });
    await new Promise((r) => setImmediate(r)); // the request is on its way to the helper
    for (const end = Date.now() + 3000; Date.now() < end;) {
      // busy, as an agent collecting garbage or parsing a large list
    }
    const result = await pending;
    // Killed (still running at its timeout, or its output not read to the end in time: cut short
    // counts as killed whatever its exit code) or finished with all it wrote; never a success
    // with part of the output.
    const outcome = result.killed
      ? 'killed'
      : (result.code === 0 && result.stdout === 'x'.repeat(size) ? 'whole' : `exit code ${result.code} with ${result.stdout.length} of ${size} bytes`);
    expect(outcome).toMatch(/^(killed|whole)$/);
  });

  it('rejects a command that does not exist with its errno', async () => {
    await expect(spawner.run('/nonexistent/cox-cmd', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills on timeout, whatever the command started', async () => {
    const marker = join(dir, `grandchild-${_name}`);
    // Long enough for sh to start its grandchild even on a loaded machine.
    const result = await spawner.run('sh', ['-c', `sleep 60 & echo $! > ${marker}; wait`], { timeoutMs: 5000 });
    expect(result).toMatchObject({ killed: true, signal: 'SIGKILL', code: null });
    if (_name === 'coxspawn') {
      // The helper signals the command's process group: the grandchild goes too.
      const pid = Number(await readFile(marker, 'utf8'));
      expect(await waitFor(() => !alive(pid))).toBe(true);
    }
  });

  it('ends the wait at the timeout when the command exited but a process it left in a session of its own holds its output open', async () => {
    const marker = join(dir, `daemon-${_name}`);
    // sh exits at once; the daemon keeps sh's stdout and stderr, so they never reach EOF.
    const pending = spawner.run('sh', ['-c', `setsid sh -c 'echo $$ > ${marker}; exec sleep 60' & echo started`], { timeoutMs: 500 });
    try {
      // Before the fix this never settled (the test's own timeout failed it).
      const result = await pending;
      expect(result).toMatchObject({ killed: true });
    } finally {
      await waitFor(async () => Boolean(await readFile(marker, 'utf8').catch(() => '')));
      const pid = Number(await readFile(marker, 'utf8').catch(() => '0'));
      if (pid) process.kill(pid, 'SIGKILL');
    }
  });

  it('kills output beyond maxBuffer', async () => {
    expect(await spawner.run('head', ['-c', '100000', '/dev/zero'], { maxBuffer: 1000 })).toMatchObject({ killed: true });
  });

  it('runs commands concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => spawner.run('sh', ['-c', 'sleep 0.3; echo $0', String(i)])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
  });

  it('launches a long-running command in a session of its own and reports its exit', async () => {
    const launched = await spawner.launch('sh', ['-c', 'sleep 0.3; exit 4'], { newSession: true });
    const stat = await readFile(`/proc/${launched.pid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3])).toBe(launched.pid); // session id
    expect(await launched.exited).toEqual({ code: 4, signal: null });
  });

  it('runCommand: stdout on success, CommandError with stderr and stdout otherwise', async () => {
    expect(await runCommand('echo', ['hi'], { spawner })).toBe('hi\n');
    const error = await runCommand('sh', ['-c', 'echo partial; echo boom >&2; exit 3'], { spawner }).catch((e) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({ stderr: 'boom\n', stdout: 'partial\n', exitCode: 3, message: "sh -c echo partial; echo boom >&2; exit 3: boom" });
    await expect(runCommand('sleep', ['5'], { spawner, timeoutMs: 100 })).rejects.toThrow(/no exit within 100 ms/);
    await expect(runCommand('/nonexistent/x', [], { spawner })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the coxspawn helper', () => {
  it('is one process for many commands, started again when it dies', async () => {
    await helper.run('true', []);
    const first = helper.pid!;
    for (let i = 0; i < 5; i++) await helper.run('true', []);
    expect(helper.pid).toBe(first);
    const inFlight = helper.run('sleep', ['30']);
    await waitFor(() => true, 100);
    process.kill(first, 'SIGKILL');
    await expect(inFlight).rejects.toThrow(/spawn helper exited \(SIGKILL\) while running sleep 30 \(it may have run\)/);
    expect((await helper.run('echo', ['again'])).stdout).toBe('again\n');
    expect(helper.pid).not.toBe(first);
  });

  it('never keeps its parent alive when idle; its children outlive it', async () => {
    const own = new HelperSpawner({ binDir: join(dir, 'bin') });
    const launched = await own.launch('sleep', ['30'], { newSession: true });
    const helperPid = own.pid!;
    own.close();
    expect(await waitFor(() => !alive(helperPid))).toBe(true);
    expect(alive(launched.pid)).toBe(true);
    process.kill(launched.pid, 'SIGKILL');
    expect(await launched.exited).toBeUndefined();
  });

  it('keeps a process that only launches alive until the pid is known', async () => {
    // Like an agent that dies right after starting a VM: nothing else holds its event loop.
    const script = `const { HelperSpawner } = require('./spawn-helper');
      new HelperSpawner({ binDir: ${JSON.stringify(join(dir, 'bin'))} }).launch('sleep', ['30'], { newSession: true }).then((l) => process.stdout.write(String(l.pid)));`;
    const out = await runCommand(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: __dirname, spawner: new DirectSpawner(), timeoutMs: 60_000 });
    const pid = Number(out);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  }, 90_000);

  it('keeps a process that only runs a command alive until its exit', async () => {
    const script = `const { HelperSpawner } = require('./spawn-helper');
      new HelperSpawner({ binDir: ${JSON.stringify(join(dir, 'bin'))} }).run('sh', ['-c', 'sleep 0.5; echo finished']).then((r) => process.stdout.write(r.stdout));`;
    expect(await runCommand(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: __dirname, spawner: new DirectSpawner(), timeoutMs: 60_000 })).toBe('finished\n');
  }, 90_000);

  it('falls back to child_process when it cannot be built', async () => {
    const events: string[] = [];
    const spawner = new HelperSpawner({ binDir: join(dir, 'bin2'), source: join(dir, 'missing.c'), onEvent: (e) => events.push(e.kind) });
    expect(await spawner.mode()).toMatch(/^direct \(coxspawn not built: /);
    expect((await spawner.run('echo', ['still runs'])).stdout).toBe('still runs\n');
    expect(events).toEqual(['fallback']);
  });
});
