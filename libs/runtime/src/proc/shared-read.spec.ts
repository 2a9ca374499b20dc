import { SharedRead } from './shared-read';

describe('SharedRead', () => {
  /** Reads that finish only when told; each sees `state` as it was when the read began. */
  function controlled() {
    const state = { value: 0 };
    const reads: Array<{ saw: number; finish: () => void; fail: (e: Error) => void }> = [];
    const shared = new SharedRead(() => {
      const saw = state.value;
      return new Promise<number>((resolve, reject) => reads.push({ saw, finish: () => resolve(saw), fail: reject }));
    });
    const ticks = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { state, reads, shared, ticks };
  }

  it('one read for callers that come while a read runs, whatever their number', async () => {
    const { reads, shared, ticks } = controlled();
    const first = shared.get();
    const rest = Array.from({ length: 500 }, () => shared.get());
    expect(reads).toHaveLength(1);
    reads[0].finish();
    await ticks();
    expect(reads).toHaveLength(2);
    reads[1].finish();
    await Promise.all([first, ...rest]);
    expect(reads).toHaveLength(2);
  });

  it('never gives a caller a read that began before its call', async () => {
    const { state, reads, shared, ticks } = controlled();
    const before = shared.get();
    state.value = 1; // changed by the caller below just before it asks
    const after = shared.get();
    reads[0].finish();
    expect(await before).toBe(0);
    await ticks();
    reads[1].finish();
    expect(await after).toBe(1);
  });

  it('reads afresh once idle, and after a failed read', async () => {
    const { state, reads, shared, ticks } = controlled();
    const failed = shared.get();
    reads[0].fail(new Error('EMFILE'));
    await expect(failed).rejects.toThrow('EMFILE');
    await ticks();
    state.value = 2;
    const again = shared.get();
    expect(reads).toHaveLength(2);
    reads[1].finish();
    expect(await again).toBe(2);
  });
});
