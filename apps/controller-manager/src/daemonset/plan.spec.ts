import { DaemonSet, Node, Pod } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { nodeFit } from './eligibility';
import { planDaemonSet, podForNode } from './plan';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HASH = 'newhash';

const ds = (spec: Partial<DaemonSet['spec']> = {}, podSpec: Partial<Pod['spec']> = {}): DaemonSet =>
  ({
    metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...podSpec } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...spec,
    },
  }) as DaemonSet;

const node = (name: string, labels: Record<string, string> = {}, taints: NonNullable<Node['spec']>['taints'] = []): Node => ({ metadata: { name, labels }, spec: { taints } }) as Node;

const pod = (name: string, nodeName: string, o: { hash?: string; ready?: boolean; phase?: string; created?: number } = {}): Pod =>
  ({
    metadata: { name, namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': o.hash ?? HASH }, creationTimestamp: rfc3339(o.created ?? T0) },
    spec: { nodeName, containers: [] },
    status: { phase: o.phase ?? 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(T0) }] },
  }) as Pod;

const plan = (d: DaemonSet, nodes: Node[], pods: Pod[]) => planDaemonSet({ ds: d, nodes, pods, hash: HASH, now: T0 + 60_000, expectationsSatisfied: true });
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).sort();

describe('nodeFit', () => {
  it.each([
    ['a plain node', {}, node('n'), true, true],
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, node('n', { disk: 'ssd' }), true, true],
    ['nodeSelector misses', { nodeSelector: { disk: 'ssd' } }, node('n', { disk: 'hdd' }), false, false],
    ['required affinity by name', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] }] } } } }, node('n'), false, false],
    ['untolerated NoSchedule: no new pod, an existing one stays', {}, node('n', {}, [{ key: 'gpu', effect: 'NoSchedule' }]), false, true],
    ['untolerated NoExecute: must go', {}, node('n', {}, [{ key: 'gpu', effect: 'NoExecute' }]), false, false],
    ['cordoned (unschedulable taint) is tolerated by default', {}, node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), true, true],
    ['not-ready NoExecute is tolerated by default', {}, node('n', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), true, true],
    ['a toleration in the template', { tolerations: [{ key: 'gpu', operator: 'Exists' }] }, node('n', {}, [{ key: 'gpu', effect: 'NoExecute' }]), true, true],
  ])('%s', (_name, podSpec, n, shouldRun, shouldContinueRunning) => {
    expect(nodeFit({ containers: [], ...podSpec } as Pod['spec'], n)).toEqual({ shouldRun, shouldContinueRunning });
  });
});

describe('planDaemonSet', () => {
  it('creates one pod per eligible node and counts status', () => {
    const p = plan(ds({}, { nodeSelector: { role: 'worker' } }), [node('a', { role: 'worker' }), node('b', { role: 'worker' }), node('c')], [pod('pa', 'a')]);
    expect(p.create).toEqual(['b']);
    expect(p.delete).toEqual([]);
    expect(p.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1, numberUnavailable: 1, numberMisscheduled: 0, observedGeneration: 2 });
  });

  it('deletes pods of nodes that left or no longer match, extra copies, and failed pods', () => {
    const p = plan(ds({}, { nodeSelector: { role: 'worker' } }), [node('a', { role: 'worker' }), node('b')], [pod('pa', 'a'), pod('pa2', 'a', { created: T0 + 1 }), pod('pb', 'b'), pod('gone', 'vanished')]);
    expect(names(p.delete)).toEqual(['gone', 'pa2', 'pb']);
    expect(p.status.numberMisscheduled).toBe(1);
    const failed = plan(ds(), [node('a')], [pod('f', 'a', { phase: 'Failed' })]);
    expect(names(failed.delete)).toEqual(['f']);
    expect(failed.create).toEqual(['a']);
  });

  it('an unscheduled pod counts for the node its affinity pins it to', () => {
    const pending = podForNode(ds(), 'a', HASH);
    pending.metadata.name = 'pending';
    expect(plan(ds(), [node('a')], [pending as Pod]).create).toEqual([]);
  });

  it('RollingUpdate replaces at most maxUnavailable available old pods; unavailable old pods go at once', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const p = plan(ds(), nodes, [pod('oa', 'a', { hash: 'old' }), pod('ob', 'b', { hash: 'old' }), pod('oc', 'c', { hash: 'old', ready: false })]);
    expect(names(p.delete)).toEqual(['oc']);
    const healthy = plan(ds(), nodes, [pod('oa', 'a', { hash: 'old' }), pod('ob', 'b', { hash: 'old' }), pod('nc', 'c')]);
    expect(names(healthy.delete)).toEqual(['oa']);
  });

  it('RollingUpdate with maxSurge starts the new pod beside the old one, then drops the old one', () => {
    const surge = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const start = plan(surge, [node('a'), node('b')], [pod('oa', 'a', { hash: 'old' }), pod('ob', 'b', { hash: 'old' })]);
    expect(start.create).toEqual(['a']);
    expect(start.delete).toEqual([]);
    const swap = plan(surge, [node('a'), node('b')], [pod('oa', 'a', { hash: 'old' }), pod('na', 'a', { created: T0 + 5 }), pod('ob', 'b', { hash: 'old' })]);
    expect(names(swap.delete)).toEqual(['oa']);
    expect(swap.create).toEqual([]);
  });

  it('OnDelete leaves old pods alone', () => {
    const p = plan(ds({ updateStrategy: { type: 'OnDelete' } }), [node('a')], [pod('oa', 'a', { hash: 'old' })]);
    expect(p.delete).toEqual([]);
    expect(p.status.updatedNumberScheduled).toBe(0);
  });

  it('pods are pinned to their node through required node affinity and carry the daemon tolerations', () => {
    const p = podForNode(ds({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] } } } }), 'node-2', HASH);
    expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }]);
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.spec.tolerations?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(p.metadata.labels).toMatchObject({ app: 'agent', 'controller-revision-hash': HASH, 'pod-template-generation': '2' });
  });
});
