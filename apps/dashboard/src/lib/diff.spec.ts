import { diffLines, diffStats, hunks } from './diff';

const types = (before: string, after: string) => diffLines(before, after).map((l) => `${l.type === 'same' ? ' ' : l.type === 'add' ? '+' : '-'}${l.text}`);

describe('diffLines', () => {
  it.each([
    { name: 'identical', before: 'a\nb\n', after: 'a\nb\n', want: [' a', ' b'] },
    { name: 'created from nothing', before: '', after: 'a\nb\n', want: ['+a', '+b'] },
    { name: 'deleted to nothing', before: 'a\n', after: '', want: ['-a'] },
    { name: 'one changed line', before: 'a\nb\nc\n', after: 'a\nB\nc\n', want: [' a', '-b', '+B', ' c'] },
    { name: 'insert in the middle', before: 'a\nc\n', after: 'a\nb\nc\n', want: [' a', '+b', ' c'] },
    { name: 'reordered', before: 'x\ny\nz\n', after: 'y\nz\nx\n', want: ['-x', ' y', ' z', '+x'] },
  ])('$name', ({ before, after, want }) => expect(types(before, after)).toEqual(want));

  it('numbers lines on both sides', () => {
    const lines = diffLines('a\nb\nc\n', 'a\nx\nb\nc\n');
    expect(lines.find((l) => l.text === 'c')).toMatchObject({ oldLine: 3, newLine: 4 });
    expect(diffStats(lines)).toEqual({ added: 1, removed: 0 });
  });
});

describe('hunks', () => {
  const before = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n');
  it('keeps context around changes and splits distant ones', () => {
    const after = before.replace('l2\n', 'L2\n').replace('l25', 'L25');
    const parts = hunks(diffLines(before, after), 2);
    expect(parts).toHaveLength(2);
    expect(parts[0].lines.map((l) => l.text)).toEqual(['l0', 'l1', 'l2', 'L2', 'l3', 'l4']);
    expect(parts[1].lines.map((l) => l.text)).toEqual(['l23', 'l24', 'l25', 'L25', 'l26', 'l27']);
  });
  it('no hunks when nothing changed', () => expect(hunks(diffLines(before, before))).toEqual([]));
});
