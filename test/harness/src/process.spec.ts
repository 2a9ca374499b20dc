import { allThreadsStopped, spawnManaged } from './process';

describe('ManagedProcess.freeze', () => {
  it('resolves once every thread of a multi-threaded process is stopped, and SIGCONT runs it again', async () => {
    // Node runs several threads (V8 platform workers, libuv pool): a group stop must cover all.
    const proc = spawnManaged(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      expect(await allThreadsStopped(proc.child.pid!)).toBe(false);
      await proc.freeze();
      expect(await allThreadsStopped(proc.child.pid!)).toBe(true);
      proc.child.kill('SIGCONT');
      for (let i = 0; i < 200 && (await allThreadsStopped(proc.child.pid!)); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await allThreadsStopped(proc.child.pid!)).toBe(false);
    } finally {
      await proc.stop(1000);
    }
  });

  it('refuses a process that has exited', async () => {
    const proc = spawnManaged('true', []);
    await proc.exited;
    await expect(proc.freeze()).rejects.toThrow(/not running/);
    expect(await allThreadsStopped(proc.child.pid!)).toBe(false);
  });
});
