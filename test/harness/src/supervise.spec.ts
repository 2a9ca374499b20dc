import { ChildProcess } from 'node:child_process';
import { ManagedProcess } from './process';
import { restartDelay, supervise } from './supervise';

/** A process stand-in that exits when told to. */
function fakeProcess(log: string[], id: number) {
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  const proc: ManagedProcess = {
    child: { pid: id, exitCode: null, signalCode: null } as unknown as ChildProcess,
    output: () => `output of ${id}`,
    exited,
    async stop() {
      log.push(`stop ${id}`);
      exit(0);
    },
    async freeze() {
      log.push(`freeze ${id}`);
    },
  };
  return { proc, crash: (code = 137) => exit(code) };
}

describe('restartDelay', () => {
  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 5000],
    [4, 10_000],
    [40, 10_000],
  ])('after %p quick deaths → %p ms', (deaths, ms) => expect(restartDelay(deaths)).toBe(ms));
});

describe('supervise', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts a crashed process again with back-off, resets after a healthy run, and stops for good', async () => {
    const log: string[] = [];
    const spawned: Array<ReturnType<typeof fakeProcess>> = [];
    let clock = 0;
    const restarts: number[] = [];
    const sup = supervise(
      () => {
        const p = fakeProcess(log, spawned.length + 1);
        spawned.push(p);
        return p.proc;
      },
      { now: () => clock, onRestart: (info) => restarts.push(info.delayMs) },
    );
    expect(sup.child.pid).toBe(1);
    spawned[0].crash();
    await jest.advanceTimersByTimeAsync(499);
    expect(spawned).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sup.child.pid).toBe(2);
    spawned[1].crash(); // dies again at once: longer back-off
    await jest.advanceTimersByTimeAsync(1000);
    expect(sup.child.pid).toBe(3);
    clock += 120_000; // a long healthy run
    spawned[2].crash();
    await jest.advanceTimersByTimeAsync(500);
    expect(sup.child.pid).toBe(4);
    expect(restarts).toEqual([500, 1000, 500]);
    expect(sup.restarts()).toBe(3);
    await sup.stop();
    expect(log).toEqual(['stop 4']);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(spawned).toHaveLength(4);
  });

  it('does not start again when stopped during the back-off', async () => {
    const spawned: Array<ReturnType<typeof fakeProcess>> = [];
    const sup = supervise(() => {
      const p = fakeProcess([], spawned.length + 1);
      spawned.push(p);
      return p.proc;
    });
    spawned[0].crash();
    await jest.advanceTimersByTimeAsync(100);
    await sup.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(spawned).toHaveLength(1);
  });
});
