import { buildFramework, failureMessage, NodeInfo, snapshotOf } from '@coxswain/scheduling';
import { nodeInfo, place, pod, vmi } from '@coxswain/scheduling/testing';
import { findNode, numFeasibleNodesToFind, selectHost } from './find-node';

const spread = buildFramework({ schedulerName: 'default-scheduler' });
const pack = buildFramework({ schedulerName: 'binpack', scores: { MostAllocated: 1 } });
const all = (nodes: NodeInfo[]) => ({ start: 0, numToFind: nodes.length, random: () => 0.5 });

describe('numFeasibleNodesToFind', () => {
  it.each([
    { total: 10, pct: 0, want: 10 },
    { total: 99, pct: 0, want: 99 },
    { total: 1000, pct: 0, want: 420 }, // 50 − 1000/125 = 42 %
    { total: 5000, pct: 0, want: 500 }, // adaptive 10 %
    { total: 10000, pct: 0, want: 500 }, // floor of 5 %
    { total: 1000, pct: 5, want: 100 }, // never below 100
    { total: 1000, pct: 100, want: 1000 },
  ])('$total nodes at $pct % → $want', ({ total, pct, want }) => expect(numFeasibleNodesToFind(total, pct)).toBe(want));
});

describe('selectHost', () => {
  it('takes the highest total', () => expect(selectHost(Float64Array.from([1, 5, 3]), 3, () => 0.9)).toBe(1));
  it('breaks ties with the random source', () => {
    const totals = Float64Array.from([5, 5, 5]);
    expect(selectHost(totals, 3, () => 0)).toBe(2); // always replaces
    expect(selectHost(totals, 3, () => 0.99)).toBe(0); // never replaces
  });
  it('ignores entries past count', () => expect(selectHost(Float64Array.from([1, 2, 9]), 2, () => 0.9)).toBe(1));
});

describe('findNode', () => {
  it('spreading picks the emptiest node, bin packing the fullest that fits', () => {
    const nodes = [place(nodeInfo('busy'), pod('a', { cpu: '2', memory: '4Gi' })), nodeInfo('idle')];
    const w = pod('p', { cpu: '1', memory: '1Gi' });
    expect(findNode(spread, w, snapshotOf(nodes), all(nodes))).toMatchObject({ kind: 'placed', node: { name: 'idle' } });
    expect(findNode(pack, w, snapshotOf(nodes), all(nodes))).toMatchObject({ kind: 'placed', node: { name: 'busy' } });
  });

  it('explains a rejection per node, with the first failing filter', () => {
    const nodes = [
      nodeInfo('small-1', { memory: '1Gi' }),
      nodeInfo('small-2', { memory: '1Gi' }),
      nodeInfo('tainted', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    ];
    const decision = findNode(spread, vmi('big', { guest: '4Gi' }), snapshotOf(nodes), all(nodes));
    expect(decision.kind).toBe('unschedulable');
    if (decision.kind !== 'unschedulable') return;
    expect(failureMessage(decision.diagnosis)).toBe('0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.');
    expect([...decision.diagnosis.rejectedBy].sort()).toEqual(['NodeResourcesFit', 'TaintToleration']);
  });

  it('never picks a cordoned, not-ready or tainted node', () => {
    const nodes = [nodeInfo('cordoned', { unschedulable: true }), nodeInfo('down', { ready: false }), nodeInfo('tainted', { taints: [{ key: 'x', effect: 'NoExecute' }] }), nodeInfo('ok', { memory: '1Gi' })];
    for (let start = 0; start < 4; start++) {
      expect(findNode(spread, pod('p'), snapshotOf(nodes), { ...all(nodes), start })).toMatchObject({ kind: 'placed', node: { name: 'ok' } });
    }
  });

  it('stops filtering after numToFind feasible nodes, starting at start', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => nodeInfo(`n${i}`));
    const decision = findNode(spread, pod('p'), snapshotOf(nodes), { start: 7, numToFind: 2, random: () => 0.99 });
    expect(decision).toMatchObject({ kind: 'placed', feasible: 2, evaluated: 2, node: { name: 'n7' } });
  });

  it('reports no nodes at all', () => {
    const decision = findNode(spread, pod('p'), snapshotOf([]), { start: 0, numToFind: 0, random: Math.random });
    expect(decision.kind === 'unschedulable' && failureMessage(decision.diagnosis)).toBe('no nodes available to schedule pods');
  });

  it('turns a filter Error into an error decision', () => {
    const broken = buildFramework({ schedulerName: 'x' });
    (broken.filters as unknown as Array<{ name: string; filter: () => unknown; events: [] }>).unshift({ name: 'Broken', filter: () => ({ code: 'Error', reasons: ['boom'] }), events: [] });
    const nodes = [nodeInfo('n')];
    expect(findNode(broken, pod('p'), snapshotOf(nodes), all(nodes))).toEqual({ kind: 'error', plugin: 'Broken', message: 'boom' });
  });
});
