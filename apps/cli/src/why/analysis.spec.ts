import { containerProblems, nodeViews, parseSchedulerMessage } from './analysis';

describe('parseSchedulerMessage', () => {
  it.each([
    [
      'the issue example',
      '0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.',
      { available: 0, total: 3, reasons: [{ count: 2, reason: 'Insufficient memory' }, { count: 1, reason: 'node(s) had untolerated taint {k: v}' }] },
    ],
    ['a reason with a comma inside', '0/2 nodes are available: 2 node(s) didn\'t match Pod\'s node affinity, selector.', { total: 2, reasons: [{ count: 2, reason: "node(s) didn't match Pod's node affinity, selector" }] }],
    ['a trailing note', '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible.', { reasons: [{ count: 1, reason: 'Insufficient cpu' }], rest: 'preemption: not eligible.' }],
    ['no nodes', '0/0 nodes are available', { total: 0, reasons: [] }],
  ])('%s', (_name, message, want) => {
    expect(parseSchedulerMessage(message)).toMatchObject(want);
  });

  it('leaves other messages alone', () => {
    expect(parseSchedulerMessage('binding rejected')).toBeUndefined();
  });
});

describe('nodeViews', () => {
  const node = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
    metadata: { name, labels },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '2', memory: '4Gi' } },
    ...extra,
  });
  const workload = { kind: 'Pod', metadata: { uid: 'w' }, spec: { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'team', operator: 'Equal', value: 'a', effect: 'NoSchedule' }], containers: [{ resources: { requests: { cpu: '1', memory: '3Gi' } } }] } };

  it('lists each node’s blockers', () => {
    const nodes = [
      node('fits', {}, { disk: 'ssd' }),
      node('full', {}, { disk: 'ssd' }),
      node('cordoned', { spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'vm', effect: 'NoSchedule' }, { key: 'team', value: 'a', effect: 'NoSchedule' }] } }, { disk: 'ssd' }),
      node('down', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
    ];
    const bound = { pods: [{ metadata: { uid: 'x' }, spec: { nodeName: 'full', containers: [{ resources: { requests: { cpu: '1500m', memory: '2Gi' } } }] }, status: { phase: 'Running' } }], vmis: [] };
    expect(nodeViews(workload, nodes, bound).map((v) => [v.name, v.blockers])).toEqual([
      ['fits', []],
      ['full', ['Insufficient cpu: needs 1, 500m free', 'Insufficient memory: needs 3Gi, 2Gi free']],
      ['cordoned', ['node is cordoned', 'untolerated taint {dedicated: vm}']],
      ['down', ['node is not ready', 'node selector disk=ssd does not match']],
    ]);
  });

  it('VM instances need a hypervisor label and count guest memory', () => {
    const vmi = { kind: 'VirtualMachineInstance', metadata: { uid: 'v', annotations: { 'coxswain.io/require-kvm': 'true' } }, spec: { domain: { memory: { guest: '1Gi' }, cpu: { cores: 1 } } } };
    const views = nodeViews(vmi, [node('plain'), node('tcg', {}, { 'coxswain.io/hypervisor': 'tcg' }), node('kvm', {}, { 'coxswain.io/hypervisor': 'kvm' })], { pods: [], vmis: [] });
    expect(views.map((v) => v.blockers)).toEqual([['no hypervisor for virtual machines (label coxswain.io/hypervisor)'], ['no KVM'], []]);
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
