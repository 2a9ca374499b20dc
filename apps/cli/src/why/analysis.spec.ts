import { DIAGNOSIS_ANNOTATION } from '@coxswain/scheduling';
import { DRIFT_CASES } from '@coxswain/scheduling/testing';
import { containerProblems, nodeViews, schedulerSummary } from './analysis';

describe('schedulerSummary', () => {
  const diagnosis = (at: string, nodes: Array<{ node: string; reasons: string[] }>, omitted = 0) => ({
    reason: 'FailedScheduling',
    lastTimestamp: at,
    metadata: { annotations: { [DIAGNOSIS_ANNOTATION]: JSON.stringify({ nodeCount: nodes.length + omitted, nodes: nodes.map((n) => ({ plugin: 'X', ...n })), omitted }) } },
  });

  it('counts reasons from the newest annotated event, most frequent first', () => {
    const events = [
      diagnosis('2026-01-01T00:00:00Z', [{ node: 'a', reasons: ['Insufficient cpu'] }]),
      diagnosis('2026-01-01T00:01:00Z', [{ node: 'a', reasons: ['node(s) had untolerated taint {k: v}'] }, { node: 'b', reasons: ['Insufficient memory'] }, { node: 'c', reasons: ['Insufficient memory'] }], 4),
      { reason: 'FailedScheduling', lastTimestamp: '2026-01-01T00:02:00Z', message: 'Binding rejected: boom' },
    ];
    expect(schedulerSummary(events)).toEqual({ total: 7, omitted: 4, reasons: [{ count: 2, reason: 'Insufficient memory' }, { count: 1, reason: 'node(s) had untolerated taint {k: v}' }] });
  });

  it('says nothing without the scheduler\'s annotation (no parsing of prose)', () => {
    expect(schedulerSummary([{ reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.' }])).toBeUndefined();
  });
});

describe('coxctl why: the drift cases (contract)', () => {
  it.each(DRIFT_CASES)('$name', ({ workload, nodes, bound, want }) => {
    const views = nodeViews(workload, nodes, bound);
    expect(Object.fromEntries(views.map((v) => [v.name, v.blockers[0]?.split(':')[0]]))).toEqual(
      Object.fromEntries(Object.entries(want).map(([node, reason]) => [node, reason?.split(':')[0]])),
    );
  });
});

describe('nodeViews', () => {
  const node = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
    metadata: { name, labels },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    ...extra,
  });
  const workload = { kind: 'Pod', metadata: { uid: 'w' }, spec: { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'team', operator: 'Equal', value: 'a', effect: 'NoSchedule' }], containers: [{ resources: { requests: { cpu: '1', memory: '3Gi' } } }] } };

  it('lists each node’s blockers', () => {
    const nodes = [
      node('fits', {}, { disk: 'ssd' }),
      node('full', {}, { disk: 'ssd' }),
      node('cordoned', { spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'vm', effect: 'NoSchedule' }, { key: 'team', value: 'a', effect: 'NoSchedule' }] } }, { disk: 'ssd' }),
      node('down', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }], allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } }),
    ];
    const bound = { pods: [{ metadata: { uid: 'x' }, spec: { nodeName: 'full', containers: [{ resources: { requests: { cpu: '1500m', memory: '2Gi' } } }] }, status: { phase: 'Running' } }], vmis: [] };
    expect(nodeViews(workload, nodes, bound).map((v) => [v.name, v.blockers])).toEqual([
      ['fits', []],
      ['full', ['Insufficient cpu: needs 1, 500m free', 'Insufficient memory: needs 3Gi, 2Gi free']],
      ['cordoned', ['node(s) were unschedulable', 'node(s) had untolerated taint {dedicated: vm}']],
      ['down', ['node(s) were not ready', "node(s) didn't match Pod's node affinity/selector"]],
    ]);
  });

  it('VM instances need a hypervisor label and count guest memory', () => {
    const vmi = { kind: 'VirtualMachineInstance', metadata: { uid: 'v', annotations: { 'coxswain.io/require-kvm': 'true' } }, spec: { domain: { memory: { guest: '1Gi' }, cpu: { cores: 1 } } } };
    const views = nodeViews(vmi, [node('plain'), node('tcg', {}, { 'coxswain.io/hypervisor': 'tcg' }), node('kvm', {}, { 'coxswain.io/hypervisor': 'kvm' })], { pods: [], vmis: [] });
    expect(views.map((v) => v.blockers)).toEqual([['node(s) had no hypervisor for virtual machines'], ["node(s) didn't have KVM"], []]);
  });
});

describe('containerProblems', () => {
  it('names waiting reasons and failed exits, not normal start-up', () => {
    const pod = {
      status: {
        containerStatuses: [
          { name: 'a', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"' } } },
          { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } },
          { name: 'c', state: { terminated: { exitCode: 2, reason: 'Error' } } },
        ],
      },
    };
    expect(containerProblems(pod)).toEqual(['container a: ImagePullBackOff (Back-off pulling image "nope")', 'container c: terminated with exit code 2 (Error)']);
  });
});
