import type { Pod } from '@coxswain/api/browser';
import { DRIFT_CASES, nodeObject, podObject, vmiObject } from '../testing';
import { buildFramework } from '../framework/registry';
import { explain } from './explain';

describe('explain: the drift cases (contract)', () => {
  it.each(DRIFT_CASES)('$name', ({ workload, nodes, bound, want, wantMilliCpu }) => {
    const got = explain(workload, nodes, bound);
    expect(Object.fromEntries(got.nodes.map((n) => [n.node, n.rejections[0]?.reasons[0]]))).toEqual(want);
    if (wantMilliCpu !== undefined) expect(got.workload.requests.milliCpu).toBe(wantMilliCpu);
  });
});

describe('explain', () => {
  const nodes = [
    nodeObject('cordoned', { unschedulable: true, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
    nodeObject('full', { cpu: '2' }),
    nodeObject('ok', { cpu: '4' }),
  ];
  const bound = { pods: [podObject('big', { cpu: '1500m', nodeName: 'full' }), { ...podObject('done', { cpu: '4', nodeName: 'ok' }), status: { phase: 'Succeeded' } } as Pod], vmis: [] };

  it('lists every rejecting filter per node, the first being what the scheduler counts', () => {
    const got = explain(podObject('p', { cpu: '1' }), nodes, bound);
    expect(got.nodes.map((n) => [n.node, n.rejections.map((r) => `${r.plugin}: ${r.reasons.join(', ')}`)])).toEqual([
      ['cordoned', ['NodeUnschedulable: node(s) were unschedulable', 'TaintToleration: node(s) had untolerated taint {k: v}']],
      ['full', ['NodeResourcesFit: Insufficient cpu']],
      ['ok', []],
    ]);
    expect(got.nodes[1]).toMatchObject({ allocatable: { milliCpu: 2000 }, requested: { milliCpu: 1500, pods: 1 } });
    expect(got.nodes[2].requested).toEqual({ milliCpu: 0, memory: 0, pods: 0 }); // a finished pod holds nothing
    expect(got.message).toBeUndefined();
  });

  it('says what the scheduler would say when nothing fits', () => {
    const got = explain(podObject('p', { cpu: '8' }), nodes, bound);
    expect(got.message).toBe('0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.');
    expect([...got.diagnosis.rejectedBy].sort()).toEqual(['NodeResourcesFit', 'NodeUnschedulable']);
  });

  it('does not count the explained workload against its own node', () => {
    const self = podObject('p', { cpu: '3', nodeName: 'ok' });
    expect(explain(self, nodes, { pods: [self] }).nodes[2].fits).toBe(true);
  });

  it('runs the filters of the profile it is given', () => {
    const onlyAffinity = buildFramework({ schedulerName: 'x', filters: ['NodeAffinity'] });
    expect(explain(podObject('p', { cpu: '64' }), nodes, bound, onlyAffinity).nodes.every((n) => n.fits)).toBe(true);
    expect(explain(vmiObject('v'), [nodeObject('plain', { hypervisor: 'none' })], {}, { schedulerName: 'x', filters: ['VMCapable'] }).nodes[0].rejections[0].reasons).toEqual(['node(s) had no hypervisor for virtual machines']);
  });

  it('reads namespace labels for a namespaceSelector when given the namespaces', () => {
    const follower = podObject('f', {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchLabels: { team: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } } as Pod['spec']['affinity'],
    });
    const placed = { pods: [podObject('web', { namespace: 'team-x', labels: { app: 'web' }, nodeName: 'a' })] };
    const nodes = [nodeObject('a'), nodeObject('b')];
    const namespaces = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { team: 'x' } } }] as never;
    expect(explain(follower, nodes, placed, undefined, { namespaces }).nodes.map((n) => n.fits)).toEqual([true, false]);
    // Without them the selector matches no namespace, and nothing matches.
    expect(explain(follower, nodes, placed).nodes.map((n) => n.fits)).toEqual([false, false]);
  });
});
