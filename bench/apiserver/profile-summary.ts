// Summarises a V8 .cpuprofile (from APISERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR"):
// self time by package, file and function, inclusive time by package and function.
//   node -r @swc-node/register bench/apiserver/profile-summary.ts FILE [TOP] [FILTER]
// WINDOW=create@resource-service keeps only the samples between the first and last whose stack
// holds that function of that file (the bench's create phase); SPAN=FROM-TO keeps the samples
// between FROM and TO seconds after the profile began (e.g. a bench's idle phase); CALLERS=fn
// lists fn's callers.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const [file, top = '40', filter] = process.argv.slice(2);
const N = Number(top);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const times: number[] = [];
let t = p.startTime;
for (const d of p.timeDeltas) times.push((t += d));

const short = (u: string) => u.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\//, 'dist/');
const pkg = (n: ProfileNode) => {
  const s = short(n.callFrame.url);
  if (!s) return n.callFrame.functionName;
  if (!s.startsWith('nm:')) return s;
  const parts = s.slice(3).split('/');
  return `nm:${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
};
const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const chain = (id: number) => {
  const out: ProfileNode[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur)!);
  return out;
};

let lo = -Infinity;
let hi = Infinity;
if (process.env.WINDOW) {
  const [fn, where] = process.env.WINDOW.split('@');
  const hits = p.samples.flatMap((s, i) => (chain(s).some((n) => n.callFrame.functionName === fn && n.callFrame.url.includes(where)) ? [times[i]] : []));
  lo = Math.min(...hits);
  hi = Math.max(...hits);
  console.log(`window: ${((hi - lo) / 1e6).toFixed(1)} s`);
}
if (process.env.SPAN) {
  const [from, to] = process.env.SPAN.split('-').map(Number);
  lo = p.startTime + from * 1e6;
  hi = to ? p.startTime + to * 1e6 : Infinity;
}
const counts = new Map<number, number>();
p.samples.forEach((s, i) => times[i] >= lo && times[i] <= hi && counts.set(s, (counts.get(s) ?? 0) + 1));
const total = [...counts.values()].reduce((a, b) => a + b, 0);

const tables = { selfPackage: new Map<string, number>(), selfFile: new Map<string, number>(), selfFunction: new Map<string, number>(), inclusivePackage: new Map<string, number>(), inclusiveFunction: new Map<string, number>(), callers: new Map<string, number>() };
const add = (m: Map<string, number>, k: string, c: number) => m.set(k, (m.get(k) ?? 0) + c);
for (const [id, c] of counts) {
  const stack = chain(id);
  add(tables.selfPackage, pkg(stack[0]), c);
  add(tables.selfFile, short(stack[0].callFrame.url) || stack[0].callFrame.functionName, c);
  add(tables.selfFunction, key(stack[0]), c);
  for (const k of new Set(stack.map(pkg))) add(tables.inclusivePackage, k, c);
  for (const k of new Set(stack.map(key))) add(tables.inclusiveFunction, k, c);
  const at = process.env.CALLERS ? stack.findIndex((n) => key(n).startsWith(process.env.CALLERS!)) : -1;
  if (at >= 0) add(tables.callers, stack.slice(at + 1, at + 4).map(key).join(' < '), c);
}
for (const [title, m] of Object.entries(tables)) {
  if (!m.size) continue;
  console.log(`\n== ${title} (% of ${total} samples; "(idle)" included)`);
  const rows = [...m].filter(([k]) => !filter || k.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, N);
  for (const [k, v] of rows) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
