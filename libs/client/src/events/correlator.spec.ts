import { COMBINED_PREFIX, EventCorrelator } from './correlator';

const base = { component: 'node-agent', host: 'n1', target: { kind: 'Pod', apiVersion: 'v1', namespace: 'ns', name: 'web', uid: 'u1' }, type: 'Warning', reason: 'BackOff' };

describe('EventCorrelator (client-go events_cache)', () => {
  it('counts the same event under one key', () => {
    const c = new EventCorrelator();
    const a = c.correlate({ ...base, message: 'm' }, 0);
    const b = c.correlate({ ...base, message: 'm' }, 1000);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ skip: false, combined: false, message: 'm' });
  });

  it.each([
    ['another object', { target: { ...base.target, name: 'db' } }],
    ['another reason', { reason: 'Failed' }],
    ['another type', { type: 'Normal' }],
    ['another message', { message: 'n' }],
    ['another node', { host: 'n2' }],
  ])('keeps %s apart', (_name, change) => {
    const c = new EventCorrelator();
    const a = c.correlate({ ...base, message: 'm' }, 0);
    const b = c.correlate({ ...base, message: 'm', ...change }, 0);
    expect(a.skip || b.skip).toBe(false);
    expect((a as { key: string }).key).not.toBe((b as { key: string }).key);
  });

  it('combines similar events from the maxSimilar-th distinct message on', () => {
    const c = new EventCorrelator({ maxSimilar: 3 });
    const r = [1, 2, 3, 4].map((i) => c.correlate({ ...base, message: `failed attempt ${i}` }, i * 1000));
    expect(r.map((x) => !x.skip && x.combined)).toEqual([false, false, true, true]);
    expect(r[2]).toMatchObject({ message: `${COMBINED_PREFIX}failed attempt 3` });
    expect((r[2] as { key: string }).key).toBe((r[3] as { key: string }).key);
  });

  it('forgets similar messages after the interval', () => {
    const c = new EventCorrelator({ maxSimilar: 2, similarIntervalMs: 10_000 });
    c.correlate({ ...base, message: 'a' }, 0);
    expect(c.correlate({ ...base, message: 'b' }, 20_000)).toMatchObject({ combined: false });
  });

  it('drops past the burst per object and refills one token per interval', () => {
    const c = new EventCorrelator({ spamBurst: 3, spamRefillMs: 60_000 });
    const at = (t: number, target = base.target) => c.correlate({ ...base, target, message: 'm' }, t).skip;
    expect([at(0), at(1), at(2), at(3)]).toEqual([false, false, false, true]);
    expect(at(4, { ...base.target, name: 'other' })).toBe(false); // per object
    expect(at(59_000)).toBe(true);
    expect(at(63_000)).toBe(false);
    expect(at(64_000)).toBe(true);
  });
});
