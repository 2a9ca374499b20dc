// ContainerDriver with a FakeSpawner: what it asks runc and the shim, without running them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCall, FakeSpawner } from '../proc/fake-spawner';
import { ContainerDriver } from './driver';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'cox-driver-unit-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const driverWith = (answer: (call: FakeCall) => Promise<object> | object) => {
  const spawner = new FakeSpawner(answer);
  const driver = new ContainerDriver({ root: dir, runcPath: '/fake/runc', shimPath: '/fake/coxshim', cgroupParent: '/cox-unit', spawner });
  return { spawner, driver };
};

describe('ContainerDriver (fake spawner)', () => {
  it('a relist while `runc create` runs sees the container as created, not unknown or gone', async () => {
    let finishCreate!: () => void;
    const created = new Promise<void>((r) => (finishCreate = r));
    const { spawner, driver } = driverWith(async (call) => {
      if (call.file === '/fake/coxshim') {
        await created;
        return { stdout: 'ok 4242\n' };
      }
      if (call.args.includes('list')) return { stdout: '[]' }; // runc does not know it yet
      return {};
    });
    const creating = driver.createContainer({ id: 'c1', rootfs: join(dir, 'rootfs'), args: ['sleep', '1'], podUid: 'p1' });
    for (let i = 0; i < 100 && !spawner.calls.some((c) => c.file === '/fake/coxshim'); i++) await new Promise((r) => setTimeout(r, 10));
    expect((await driver.list()).map((s) => [s.id, s.status])).toEqual([['c1', 'created']]);
    finishCreate();
    await creating;
    // Once the create is done, runc's word counts again (here: it still lists nothing).
    expect((await driver.list()).map((s) => [s.id, s.status])).toEqual([['c1', 'unknown']]);
    expect(spawner.calls.find((c) => c.file === '/fake/coxshim')?.args.slice(0, 7)).toEqual(['run', '--runc', '/fake/runc', '--root', join(dir, 'runc'), '--id', 'c1']);
  });

  it('reports the shim\'s complaint when the create fails, and cleans up through runc', async () => {
    const { spawner, driver } = driverWith((call) => (call.file === '/fake/coxshim' ? { code: 1, stdout: 'error runc create: bad rootfs\n' } : {}));
    await expect(driver.createContainer({ id: 'c2', rootfs: join(dir, 'nope'), args: ['true'] })).rejects.toThrow('create c2: error runc create: bad rootfs');
    expect(spawner.commands).toContain(`/fake/runc --root ${join(dir, 'runc')} delete --force c2`);
    expect(await driver.list()).toEqual([]);
  });

  it('execCapture runs `runc exec` through the spawner and maps a kill to 128+signal', async () => {
    const { spawner, driver } = driverWith((call) => {
      if (call.file === '/fake/coxshim') return { stdout: 'ok 1\n' };
      if (call.args.includes('exec')) return { code: null, signal: 'SIGKILL', killed: true, stdout: 'partial' };
      return {};
    });
    await driver.createContainer({ id: 'c3', rootfs: join(dir, 'rootfs'), args: ['sleep', '9'] });
    expect(await driver.execCapture('c3', ['cat', '/x'], 1234)).toEqual({ exitCode: 137, stdout: 'partial', stderr: '' });
    const call = spawner.calls.find((c) => c.args.includes('exec'))!;
    expect([call.file, ...call.args]).toEqual(['/fake/runc', '--root', join(dir, 'runc'), 'exec', 'c3', 'cat', '/x']);
    expect(call.options.timeoutMs).toBe(1234);
  });
});
