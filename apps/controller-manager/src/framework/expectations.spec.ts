import { FakeClock } from '@coxswain/client';
import { Expectations } from './expectations';

describe('Expectations', () => {
  it.each([
    { name: 'nothing expected', steps: [], want: true },
    { name: 'waits for creations', steps: [['expect', 2, []], ['add']], want: false },
    { name: 'all creations seen', steps: [['expect', 2, []], ['add'], ['add']], want: true },
    { name: 'failed creations count as seen', steps: [['expect', 2, []], ['add'], ['failed']], want: true },
    { name: 'waits for named deletions', steps: [['expect', 0, ['a', 'b']], ['del', 'a']], want: false },
    { name: 'deletion seen twice is harmless', steps: [['expect', 0, ['a']], ['del', 'a'], ['del', 'a']], want: true },
    { name: 'an unrelated deletion does not count', steps: [['expect', 0, ['a']], ['del', 'z']], want: false },
    { name: 'expect replaces earlier expectations', steps: [['expect', 3, []], ['expect', 0, []]], want: true },
  ] as Array<{ name: string; steps: Array<[string, ...unknown[]]>; want: boolean }>)('$name', ({ steps, want }) => {
    const e = new Expectations(new FakeClock(0));
    for (const [op, ...args] of steps) {
      if (op === 'expect') e.expect('k', args[0] as number, args[1] as string[]);
      if (op === 'add') e.creationObserved('k');
      if (op === 'failed') e.creationFailed('k');
      if (op === 'del') e.deletionObserved('k', args[0] as string);
    }
    expect(e.satisfied('k')).toBe(want);
  });

  it('gives up waiting after the ttl', () => {
    const clock = new FakeClock(0);
    const e = new Expectations(clock, 1000);
    e.expect('k', 1);
    expect(e.satisfied('k')).toBe(false);
    clock.advance(1001);
    expect(e.satisfied('k')).toBe(true);
  });
});
