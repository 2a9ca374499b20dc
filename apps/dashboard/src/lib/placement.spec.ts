import { DIAGNOSIS_ANNOTATION } from '@coxswain/scheduling';
import { DRIFT_CASES } from '@coxswain/scheduling/testing';
import { explainPlacement, isPending, nodeVerdicts } from './placement';

const node = (name: string, opts: { cpu?: string; memory?: string; ready?: boolean; unschedulable?: boolean; labels?: Record<string, string>; taints?: object[]; pods?: string } = {}) => ({
  metadata: { name, labels: { 'coxswain.io/hypervisor': 'tcg', ...opts.labels } },
  spec: { unschedulable: opts.unschedulable, taints: opts.taints },
  status: { allocatable: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '4Gi', pods: opts.pods ?? '110' }, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});
const pod = (cpu: string, memory = '16Mi', spec: object = {}, nodeName?: string) => ({
  kind: 'Pod',
  metadata: { name: `p-${cpu}-${nodeName ?? 'x'}`, namespace: 'default', uid: `uid-${cpu}-${nodeName ?? 'pending'}` },
  spec: { nodeName, containers: [{ resources: { requests: { cpu, memory } } }], ...spec },
  status: { phase: nodeName ? 'Running' : 'Pending' },
});

describe('dashboard: the drift cases (contract)', () => {
  it.each(DRIFT_CASES)('$name', ({ workload, nodes, bound, want }) => {
    const verdicts = nodeVerdicts(workload, nodes, bound.pods, bound.vmis);
    expect(Object.fromEntries(verdicts.map((v) => [v.node, v.reasons[0]?.split(' (')[0]]))).toEqual(want);
    expect(verdicts.map((v) => v.fits)).toEqual(Object.values(want).map((r) => r === undefined));
  });
});

describe('nodeVerdicts', () => {
  it.each([
    { name: 'fits', workload: pod('500m'), nodes: [node('a')], want: [[]] },
    { name: 'too much cpu everywhere', workload: pod('64'), nodes: [node('a'), node('b')], want: [['Insufficient cpu (requests 64, free 2 of 2)'], ['Insufficient cpu (requests 64, free 2 of 2)']] },
    { name: 'memory', workload: pod('100m', '8Gi'), nodes: [node('a')], want: [['Insufficient memory (requests 8Gi, free 4Gi of 4Gi)']] },
    { name: 'not ready and cordoned come first', workload: pod('64'), nodes: [node('a', { ready: false }), node('b', { unschedulable: true })], want: [['node(s) were not ready', 'Insufficient cpu (requests 64, free 2 of 2)'], ['node(s) were unschedulable', 'Insufficient cpu (requests 64, free 2 of 2)']] },
    { name: 'node selector', workload: pod('1m', '1Mi', { nodeSelector: { disk: 'ssd' } }), nodes: [node('a'), node('b', { labels: { disk: 'ssd' } })], want: [["node(s) didn't match Pod's node affinity/selector"], []] },
    { name: 'required affinity NotIn', workload: pod('1m', '1Mi', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1'] }] }] } } } }), nodes: [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } })], want: [["node(s) didn't match Pod's node affinity/selector"], []] },
    { name: 'untolerated taint', workload: pod('1m'), nodes: [node('a', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })], want: [['node(s) had untolerated taint {k: v}']] },
    { name: 'tolerated taint', workload: pod('1m', '1Mi', { tolerations: [{ key: 'k', operator: 'Exists' }] }), nodes: [node('a', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })], want: [[]] },
    { name: 'PreferNoSchedule does not block', workload: pod('1m'), nodes: [node('a', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })], want: [[]] },
    { name: 'pod count', workload: pod('1m'), nodes: [node('a', { pods: '0' })], want: [['Too many pods']] },
  ])('$name', ({ workload, nodes, want }) => expect(nodeVerdicts(workload, nodes, [], []).map((v) => v.reasons)).toEqual(want));

  it('counts what is already placed on the node', () => {
    const placed = [pod('1500m', '16Mi', {}, 'a')];
    expect(nodeVerdicts(pod('1'), [node('a')], placed, [])[0].reasons).toEqual(['Insufficient cpu (requests 1, free 500m of 2)']);
  });

  it('VMIs need a hypervisor', () => {
    const vmi = { kind: 'VirtualMachineInstance', metadata: { uid: 'v' }, spec: { domain: { resources: { requests: { memory: '64Mi' } } } }, status: { phase: 'Pending' } };
    expect(nodeVerdicts(vmi, [node('a', { labels: { 'coxswain.io/hypervisor': 'none' } })], [], [])[0].reasons).toEqual(['node(s) had no hypervisor for virtual machines']);
  });
});

describe('explainPlacement', () => {
  it('combines the condition, events and per-node verdicts for a pending pod', () => {
    const p = { ...pod('64'), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] } };
    const diagnosis = JSON.stringify({ nodeCount: 1, nodes: [{ node: 'a', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] }], omitted: 0 });
    const events = [
      { reason: 'FailedScheduling', message: 'older', lastTimestamp: '2026-01-01T00:00:00Z', involvedObject: { uid: p.metadata.uid }, metadata: { annotations: { [DIAGNOSIS_ANNOTATION]: diagnosis } } },
      { reason: 'FailedScheduling', message: 'newer', count: 3, lastTimestamp: '2026-01-01T00:05:00Z', involvedObject: { uid: p.metadata.uid } },
      { reason: 'FailedScheduling', message: 'other pod', lastTimestamp: '2026-01-01T00:09:00Z', involvedObject: { uid: 'someone-else' } },
    ];
    const got = explainPlacement(p, [node('a')], [], [], events);
    expect(got.pending).toBe(true);
    expect(got.schedulerMessage).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(got.summary).toEqual([{ count: 1, reason: 'Insufficient cpu' }]);
    expect(got.events.map((e) => e.message)).toEqual(['newer', 'older']);
    expect(got.perNode).toEqual([{ node: 'a', fits: false, reasons: ['Insufficient cpu (requests 64, free 2 of 2)'] }]);
  });

  it('a bound or deleting workload is not pending', () => {
    expect(isPending(pod('1', '1Mi', {}, 'a'))).toBe(false);
    expect(isPending({ metadata: { deletionTimestamp: 'x' }, status: { phase: 'Pending' } })).toBe(false);
    expect(explainPlacement(pod('1', '1Mi', {}, 'a'), [node('a')], [], [], []).perNode).toEqual([]);
  });
});
