// Line diff (LCS) for the dry-run preview before apply, folded into hunks with context.
export type DiffLine = { type: 'same' | 'add' | 'del'; text: string; oldLine?: number; newLine?: number };
export type Hunk = { lines: DiffLine[] };

const MAX_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  // Trim the common head and tail first: most edits are small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ type: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
  if (midA.length * midB.length > MAX_CELLS) {
    midA.forEach((text, i) => out.push({ type: 'del', text, oldLine: head + i + 1 }));
    midB.forEach((text, i) => out.push({ type: 'add', text, newLine: head + i + 1 }));
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ type: 'same', text: midA[i], oldLine: head + i + 1, newLine: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // Deletions before additions, as unified diffs print them.
        out.push({ type: 'del', text: midA[i], oldLine: head + i + 1 });
        i++;
      } else {
        out.push({ type: 'add', text: midB[j], newLine: head + j + 1 });
        j++;
      }
    }
  }
  const offA = a.length - tail;
  const offB = b.length - tail;
  for (let k = 0; k < tail; k++) out.push({ type: 'same', text: a[offA + k], oldLine: offA + k + 1, newLine: offB + k + 1 });
  return out;
}

/** Changed lines with `context` unchanged lines around them; no hunks when nothing changed. */
export function hunks(lines: DiffLine[], context = 3): Hunk[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.type === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: Hunk[] = [];
  let current: DiffLine[] | undefined;
  lines.forEach((l, i) => {
    if (!keep[i]) {
      current = undefined;
      return;
    }
    if (!current) out.push({ lines: (current = []) });
    current.push(l);
  });
  return out;
}

export const diffStats = (lines: DiffLine[]) => ({ added: lines.filter((l) => l.type === 'add').length, removed: lines.filter((l) => l.type === 'del').length });
