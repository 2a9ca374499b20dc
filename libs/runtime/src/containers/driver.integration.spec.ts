// Real runc containers under coxshim. Needs root; builds its own busybox rootfs.
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroup } from '../cgroups/remove';
import { ContainerDriver, ContainerDriverOptions, ContainerStartError } from './driver';
import { findRunc, Runc } from './runc';
import { FULL_RELIST_MS } from './state-cache';
import { buildBusyboxRootfs } from './testing';
import { ContainerSpec } from './types';

jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
let dir: string;
let rootfs: string;
let opts: ContainerDriverOptions;
let driver: ContainerDriver;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = (name: string) => `${name}-${tag}`;
const spec = (name: string, script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  id: id(name), rootfs, args: ['sh', '-c', script], podUid: `pod-${tag}`, ...extra,
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A runc that logs each call's arguments (a line per call): the calls so far, and a reset. */
async function countingRunc(name: string): Promise<{ path: string; calls: () => Promise<string[]>; reset: () => Promise<void> }> {
  const log = join(dir, `runc-${name}-calls-${tag}`);
  const path = join(dir, `runc-${name}-counting-${tag}`);
  await writeFile(path, `#!/bin/sh\necho "$*" >> ${log}\nexec ${await findRunc()} "$@"\n`, { mode: 0o755 });
  return { path, calls: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean), reset: () => writeFile(log, '') };
}

async function run(s: ContainerSpec) {
  await driver.create(s);
  return driver.start(s.id);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-runc-'));
  rootfs = await buildBusyboxRootfs(join(dir, 'rootfs'));
  opts = { root: join(dir, 'state'), cgroupParent: `/coxtest-${tag}`, logMaxBytes: 64 * 1024 };
  driver = new ContainerDriver(opts);
  await driver.init();
});

afterAll(async () => {
  const cleaner = new ContainerDriver(opts);
  for (const c of await cleaner.list().catch(() => [])) await cleaner.remove(c.id).catch(() => undefined);
  await removeCgroup(`/coxtest-${tag}`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('ContainerDriver on runc', () => {
  it('writes stdout and stderr to a CRI log and reports created → running → exited', async () => {
    const s = spec('hello', 'echo hello; echo oops >&2; sleep 0.3; exit 3', { labels: { 'io.coxswain.pod.uid': 'u1', attempt: '0' } });
    const created = await driver.create(s);
    expect(created.status).toBe('created');
    expect(created.pid).toBeGreaterThan(0);
    const started = await driver.start(s.id);
    expect(['running', 'exited']).toContain(started.status);
    expect(started.startedAt).toBeDefined();
    await driver.waitForExit(s.id, 10_000);
    const done = await driver.state(s.id);
    expect(done).toMatchObject({ status: 'exited', exitCode: 3, oomKilled: false, labels: { 'io.coxswain.pod.uid': 'u1', attempt: '0' } });
    const log = await readFile(await driver.logPath(s.id), 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hello$/m);
    expect(log).toMatch(/ stderr F oops$/m);
  });

  it('gives a container created with stdin a FIFO that openStdin writes into, across writers', async () => {
    const s = spec('stdin', 'read a; echo got:$a; read b; echo got:$b');
    await driver.create(s, { stdin: true });
    await driver.start(s.id);
    const first = await driver.openStdin(s.id);
    expect(first).toBeDefined();
    first!.end('one\n');
    const second = await driver.openStdin(s.id); // a later attach session
    second!.end('two\n');
    await driver.waitForExit(s.id, 10_000);
    const log = await readFile(await driver.logPath(s.id), 'utf8');
    expect(log.split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' '))).toEqual(['got:one', 'got:two']);
    expect(await driver.openStdin(id('hello'))).toBeUndefined(); // created without stdin
  });

  it('splits long lines into 16 KiB partial records and rotates the log past its size limit', async () => {
    // 40000 bytes on one line, then enough lines to pass the 64 KiB limit.
    const s = spec('long', "head -c 40000 /dev/zero | tr '\\0' a; echo; i=0; while [ $i -lt 800 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done");
    await run(s);
    await driver.waitForExit(s.id, 10_000);
    const path = await driver.logPath(s.id);
    const rotated = await readFile(`${path}.1`, 'utf8');
    const current = await readFile(path, 'utf8');
    expect(rotated).toMatch(/ stdout P a{16384}\n/);
    expect(current).toMatch(/ stdout F line-799-x+\n$/);
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(64 * 1024);
  });

  it('isolates processes: the container sees only its own pids', async () => {
    const s = spec('pidns', 'sleep 30');
    await run(s);
    const r = await driver.execCapture(s.id, ['sh', '-c', 'ls -d /proc/[0-9]* | wc -l; ps']);
    expect(r.exitCode).toBe(0);
    const count = Number(r.stdout.split('\n')[0]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(4); // sleep (pid 1), the exec'd sh, ls, maybe wc
    expect(r.stdout).toMatch(/^\s*1 .*sleep 30/m);
    await driver.stop(s.id, 0);
  });

  it('exec returns output and exit code; hostname comes from the spec', async () => {
    const s = spec('exec', 'sleep 30', { hostname: 'web-0' });
    await run(s);
    await expect(driver.execCapture(s.id, ['cat', '/etc/hostname'])).resolves.toMatchObject({ exitCode: 0, stdout: 'web-0\n' });
    await expect(driver.execCapture(s.id, ['hostname'])).resolves.toMatchObject({ stdout: 'web-0\n' });
    await expect(driver.execCapture(s.id, ['sh', '-c', 'echo to-err >&2; exit 7'])).resolves.toEqual({ exitCode: 7, stdout: '', stderr: 'to-err\n' });
    const withEnv = await driver.exec(s.id, { command: ['sh', '-c', 'read line; echo "$GREETING $line"'], env: ['GREETING=hi'] });
    withEnv.stdin.end('there\n');
    const chunks: Buffer[] = [];
    withEnv.stdout.on('data', (b: Buffer) => chunks.push(b));
    await expect(withEnv.exitCode).resolves.toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('hi there\n');
    await driver.stop(s.id, 0);
  });

  it('exec with a tty gives the command a terminal that can be resized', async () => {
    const s = spec('tty', 'sleep 30');
    await run(s);
    const session = await driver.exec(s.id, { command: ['sh'], tty: true });
    let out = '';
    session.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    session.resize(33, 101);
    await sleep(100);
    session.stdin.write('tty; stty size; exit 4\n');
    await expect(session.exitCode).resolves.toBe(4);
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    expect(out).toMatch(/33 101/);
    await driver.stop(s.id, 0);
  });

  it('kills a container over its 16Mi memory limit and reports OOMKilled with 137', async () => {
    const s = spec('oom', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done', { resources: { memoryLimitBytes: 16 << 20 } });
    await run(s);
    expect(await driver.waitForExit(s.id, 30_000)).toBe(true);
    expect(await driver.state(s.id)).toMatchObject({ status: 'exited', exitCode: 137, signal: 9, oomKilled: true });
  });

  it('throttles a busy loop to its 200m CPU limit', async () => {
    const s = spec('cpu', 'while :; do :; done', { resources: { cpuLimitMillis: 200 } });
    await run(s);
    const t0 = Date.now();
    await sleep(2000);
    const stats = await driver.stats(s.id);
    const elapsed = (Date.now() - t0) / 1000;
    await driver.stop(s.id, 0);
    expect(stats.cpuThrottledPeriods).toBeGreaterThan(0);
    expect(stats.cpuThrottledSeconds).toBeGreaterThan(0);
    // Quota is 0.2 CPU-seconds per second; allow one period of slack plus the start-up.
    expect(stats.cpuUsageSeconds).toBeGreaterThan(0);
    expect(stats.cpuUsageSeconds).toBeLessThan(0.2 * (elapsed + 1) + 0.1);
    expect(stats.memoryUsageBytes).toBeGreaterThan(0);
  });

  it('stops with grace: a TERM-trapping container exits cleanly, a TERM-ignoring one is killed', async () => {
    const polite = spec('polite', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done');
    const stubborn = spec('stubborn', 'trap "" TERM; while true; do sleep 0.1; done');
    await Promise.all([run(polite), run(stubborn)]);
    const [p, st] = await Promise.all([driver.stop(polite.id, 10), driver.stop(stubborn.id, 1)]);
    expect(p).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(st).toMatchObject({ status: 'exited', exitCode: 137, signal: 9, oomKilled: false });
    expect(await readFile(await driver.logPath(polite.id), 'utf8')).toMatch(/stdout F bye/);
  });

  it('stopping a container a relist saw running signals its init directly: no runc state or kill', async () => {
    const polite = spec('direct-polite', 'trap "exit 0" TERM; while true; do sleep 0.1; done');
    const stubborn = spec('direct-stubborn', 'trap "" TERM; while true; do sleep 0.1; done');
    const logged = await countingRunc('stop');
    const counted = new ContainerDriver({ ...opts, runcPath: logged.path });
    for (const s of [polite, stubborn]) {
      await counted.create(s);
      await counted.start(s.id);
    }
    expect((await counted.list()).filter((c) => c.id === polite.id || c.id === stubborn.id).map((c) => c.status)).toEqual(['running', 'running']);
    await logged.reset();
    const [p, st] = await Promise.all([counted.stop(polite.id, 10), counted.stop(stubborn.id, 1)]);
    expect(p).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(st).toMatchObject({ status: 'exited', exitCode: 137, signal: 9 });
    expect((await logged.calls()).filter((l) => / (state|kill) /.test(l))).toEqual([]);
    await counted.remove(polite.id);
    await counted.remove(stubborn.id);
  });

  it('a new driver object adopts running containers and sees exits that happened while none existed', async () => {
    // pid 1 of a pid namespace ignores TERM unless it installs a handler.
    const long = spec('adopt-long', 'trap "exit 42" TERM; while :; do sleep 0.1; done');
    const short = spec('adopt-short', 'sleep 0.5; exit 5');
    const first = new ContainerDriver(opts);
    await first.create(long);
    await first.start(long.id);
    await first.create(short);
    await first.start(short.id);
    // No driver looks at the containers now; only the shims do.
    const exitFile = join(opts.root, 'containers', short.id, 'exit.json');
    await until('the short container to exit', () => access(exitFile).then(() => true, () => false));

    const second = new ContainerDriver(opts);
    const listed = await second.list();
    expect(listed.find((c) => c.id === long.id)).toMatchObject({ status: 'running' });
    expect(listed.find((c) => c.id === short.id)).toMatchObject({ status: 'exited', exitCode: 5 });
    expect(await second.stop(long.id, 5)).toMatchObject({ status: 'exited', exitCode: 42 });
  });

  it('the periodic full relist of a running container spawns no runc, and still sees it exit', async () => {
    const s = spec('full-relist', 'sleep 1000');
    await run(s);
    // A runc that logs its calls, and a clock the driver's full-relist interval follows.
    const logged = await countingRunc('full');
    let now = Date.now();
    const counted = new ContainerDriver({ ...opts, runcPath: logged.path, clock: () => now });
    const listOf = async () => (await counted.list()).find((c) => c.id === s.id);
    const runcLists = async () => (await logged.calls()).filter((l) => / list( |$)/.test(l)).length;
    expect(await listOf()).toMatchObject({ status: 'running' }); // new to this driver: observed with runc
    expect(await runcLists()).toBe(1);
    now += FULL_RELIST_MS;
    expect(await listOf()).toMatchObject({ status: 'running' }); // due in full: its shim is checked, no runc
    expect(await runcLists()).toBe(1);
    process.kill(Number((await readFile(join(opts.root, 'containers', s.id, 'init.pid'), 'utf8')).trim()), 'SIGKILL');
    await until('the exit record', () => access(join(opts.root, 'containers', s.id, 'exit.json')).then(() => true, () => false));
    now += FULL_RELIST_MS;
    expect(await listOf()).toMatchObject({ status: 'exited', exitCode: 137 });
    await counted.remove(s.id);
  });

  it('a container this driver has just started is listed running with no `runc list`, and its exit is still seen', async () => {
    const s = spec('started-here', 'sleep 1000');
    const logged = await countingRunc('started');
    // A root of its own: containers other tests left behind would be new to it, and listed with runc.
    const counted = new ContainerDriver({ ...opts, root: join(dir, `state-started-${tag}`), runcPath: logged.path });
    await counted.init();
    const runcLists = async () => (await logged.calls()).filter((l) => / list( |$)/.test(l)).length;
    await counted.createContainer(s);
    await counted.startContainer(s.id);
    const pid = Number((await readFile(join(dir, `state-started-${tag}`, 'containers', s.id, 'init.pid'), 'utf8')).trim());
    expect((await counted.list()).find((c) => c.id === s.id)).toMatchObject({ status: 'running', pid });
    expect(await runcLists()).toBe(0);
    process.kill(pid, 'SIGKILL');
    await until('the exit record', () => access(join(dir, `state-started-${tag}`, 'containers', s.id, 'exit.json')).then(() => true, () => false));
    expect((await counted.list()).find((c) => c.id === s.id)).toMatchObject({ status: 'exited', exitCode: 137 });
    await counted.remove(s.id);
  });

  it('createContainer with start creates and starts in one runc process (`runc run --detach`), with its output logged and its exit seen', async () => {
    const s = spec('run-detached', 'echo hello; echo oops >&2; read line; exit 7');
    const logged = await countingRunc('run');
    const counted = new ContainerDriver({ ...opts, runcPath: logged.path });
    await counted.createContainer(s, { start: true, stdin: true });
    const verbs = (await logged.calls()).map((l) => l.replace(/^--root \S+ (--log \S+ --log-format json )?/, '').split(' ').slice(0, 2).join(' '));
    expect(verbs).toEqual(['run --detach']);
    const state = (await counted.list()).find((c) => c.id === s.id);
    expect(state).toMatchObject({ status: 'running' });
    expect(state?.startedAt).toBeDefined();
    const log = await until('the output', async () => {
      const text = await readFile(await counted.logPath(s.id), 'utf8').catch(() => '');
      return / stderr F oops$/m.test(text) && text;
    });
    expect(log).toMatch(/ stdout F hello$/m);
    const stdin = await counted.openStdin(s.id);
    stdin!.end('go\n');
    expect(await counted.waitForExit(s.id, 10_000)).toBe(true);
    expect(await counted.state(s.id)).toMatchObject({ status: 'exited', exitCode: 7 });
    await counted.remove(s.id);
  });

  it('a cached running container is seen to exit when killed behind the driver, and when its shim dies', async () => {
    const victim = spec('cached-victim', 'sleep 1000');
    const orphan = spec('cached-orphan', 'sleep 1000');
    await run(victim);
    await run(orphan);
    const listOf = async (cid: string) => (await driver.list()).find((c) => c.id === cid);
    // Two passes: the second one answers from the cache.
    expect(await listOf(victim.id)).toMatchObject({ status: 'running' });
    const running = await listOf(victim.id);
    expect(running).toMatchObject({ status: 'running' });
    // Killed from outside the driver: the shim writes the exit record, the cache must notice.
    process.kill(running!.pid ?? (await driver.state(victim.id)).pid!, 'SIGKILL');
    expect(await until('the killed container to be listed as exited', async () => {
      const c = await listOf(victim.id);
      return c?.status === 'exited' ? c : undefined;
    }, 5_000)).toMatchObject({ exitCode: 137 }); // well inside the 10 s full relist: the cheap check saw it
    // The shim is killed: runc still reports the container running, so it stays running, and a
    // stop afterwards still ends it.
    expect(await listOf(orphan.id)).toMatchObject({ status: 'running' });
    const shimPid = Number((await readFile(join(opts.root, 'containers', orphan.id, 'shim.pid'), 'utf8')).trim());
    process.kill(shimPid, 'SIGKILL');
    await sleep(200);
    expect(await listOf(orphan.id)).toMatchObject({ status: 'running' });
    expect((await driver.stop(orphan.id, 0)).status).toBe('exited');
    expect(await listOf(orphan.id)).toMatchObject({ status: 'exited' });
    await driver.remove(victim.id);
    await driver.remove(orphan.id);
  });

  it('tells onExit listeners when a container it listed as running exits, killed from outside', async () => {
    const s = spec('exit-event', 'sleep 1000');
    await run(s);
    const heard: string[] = [];
    const off = driver.onExit((cid) => heard.push(cid));
    try {
      expect((await driver.list()).find((c) => c.id === s.id)).toMatchObject({ status: 'running' });
      expect(driver.exitsWatched()).toBe(true);
      expect(heard).toEqual([]);
      process.kill((await driver.state(s.id)).pid!, 'SIGKILL');
      // No list() in between: the event alone says it exited.
      await until('the exit event', async () => heard.includes(s.id), 5_000);
      expect((await driver.list()).find((c) => c.id === s.id)).toMatchObject({ status: 'exited', exitCode: 137 });
    } finally {
      off();
      await driver.remove(s.id);
    }
  });

  it('remove deletes the runc container, cgroup, bundle and log', async () => {
    const s = spec('rm', 'sleep 1000');
    await run(s);
    const cgroup = await driver.cgroupsPath(s.id);
    const log = await driver.logPath(s.id);
    await driver.remove(s.id);
    await expect(driver.state(s.id)).rejects.toThrow(/not found/);
    expect((await driver.list()).map((c) => c.id)).not.toContain(s.id);
    await expect(access(`/sys/fs/cgroup/memory${cgroup}`)).rejects.toThrow();
    await expect(access(log)).rejects.toThrow();
    await expect(access(join(opts.root, 'containers', s.id))).rejects.toThrow();
  });

  it('removing an exited container runs no runc, and leaves nothing of it to runc or the cgroups', async () => {
    const s = spec('rm-exited', 'exit 3');
    const logged = await countingRunc('rm');
    const counted = new ContainerDriver({ ...opts, runcPath: logged.path });
    await counted.create(s);
    await counted.start(s.id);
    expect(await counted.waitForExit(s.id, 10_000)).toBe(true);
    const cgroup = await counted.cgroupsPath(s.id);
    await logged.reset();
    await counted.remove(s.id);
    expect(await logged.calls()).toEqual([]);
    // runc itself no longer knows it; its cgroup and bundle are gone.
    const runc = new Runc(await findRunc(), join(opts.root, 'runc'));
    expect(await runc.state(s.id)).toBeUndefined();
    expect((await runc.list()).map((c) => c.id)).not.toContain(s.id);
    await expect(access(`/sys/fs/cgroup/memory${cgroup}`)).rejects.toThrow();
    await expect(access(join(opts.root, 'containers', s.id))).rejects.toThrow();
    await expect(counted.remove('../escape')).rejects.toThrow(/invalid container id/);
  });

  it('refuses a duplicate id and reports runc errors from create', async () => {
    const s = spec('dup', 'sleep 1000');
    await driver.create(s);
    await expect(driver.create(s)).rejects.toThrow(/EEXIST/);
    await driver.remove(s.id);
    await expect(driver.create({ ...spec('bad', 'true'), args: ['/no/such/binary'] }).then((c) => driver.start(c.id)))
      .rejects.toThrow(/no such file|not found|executable/i);
  });

  it('a process runc cannot start fails with ContainerStartError in runc\'s words, and leaves no container behind', async () => {
    for (const start of [false, true]) {
      const s = { ...spec(`nocmd-${start}`, 'true'), args: ['/no/such/binary'] };
      const failure = await driver.createContainer(s, { start }).then(() => undefined, (error: Error) => error);
      expect(failure).toBeInstanceOf(ContainerStartError);
      expect(failure?.message).toMatch(new RegExp(`^runc ${start ? 'run' : 'create'} failed: .*/no/such/binary.*no such file or directory`));
      expect((await driver.list()).map((c) => c.id)).not.toContain(s.id);
      await expect(access(join(opts.root, 'containers', s.id))).rejects.toThrow('ENOENT');
    }
  });
});
