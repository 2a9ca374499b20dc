import { deploymentRolloutStatus, revisions, templateOf, undoTarget } from './rollout';
import { alreadyAt, controllerRevisions, revisionToRestore } from './rollout-revisions';

const deploy = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) => ({ metadata: { name: 'web', generation, uid: 'd1' }, spec, status });

describe('deploymentRolloutStatus (kubectl rollout status)', () => {
  it.each([
    ['spec not yet observed', deploy({ replicas: 3 }, { observedGeneration: 1 }), false, 'Waiting for deployment spec update to be observed...\n'],
    ['new replicas being updated', deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 3 }), false, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'],
    ['old replicas terminating', deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }), false, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'],
    ['updated replicas not yet available', deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), false, 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n'],
    ['done', deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), true, 'deployment "web" successfully rolled out\n'],
    ['zero replicas is done at once', deploy({ replicas: 0 }, { observedGeneration: 2 }), true, 'deployment "web" successfully rolled out\n'],
  ])('%s', (_name, d, done, message) => {
    expect(deploymentRolloutStatus(d)).toEqual({ done, message });
  });

  it('fails past the progress deadline', () => {
    const d = deploy({ replicas: 1 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(() => deploymentRolloutStatus(d)).toThrow('deployment "web" exceeded its progress deadline');
  });

  it('checks a pinned revision', () => {
    const d = { ...deploy({ replicas: 1 }, { observedGeneration: 2 }), metadata: { name: 'web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '3' } } };
    expect(() => deploymentRolloutStatus(d, 2)).toThrow('desired revision (2) is different from the running revision (3)');
  });
});

describe('rollout history and undo', () => {
  const rs = (name: string, revision: string, owner = 'd1', image = name) => ({
    metadata: { name, annotations: { 'deployment.kubernetes.io/revision': revision, ...(revision === '2' ? { 'kubernetes.io/change-cause': 'bump image' } : {}) }, ownerReferences: [{ uid: owner, controller: true }] },
    spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'app', image }] } } },
  });
  const d = { metadata: { name: 'web', uid: 'd1' } };
  const history = revisions(d, [rs('c', '3'), rs('a', '1'), rs('x', '7', 'other'), rs('b', '2')]);

  it('orders the owned replica sets by revision with their change causes', () => {
    expect(history.map((r) => [r.revision, r.changeCause])).toEqual([
      [1, undefined],
      [2, 'bump image'],
      [3, undefined],
    ]);
  });

  it.each([
    ['previous revision by default', 0, 2],
    ['an explicit revision', 1, 1],
  ])('undo picks the %s', (_name, to, want) => {
    expect(undoTarget(history, to, 'web').revision).toBe(want);
  });

  it.each([
    ['a missing revision', history, 9, 'unable to find specified revision 9 in history'],
    ['no history', [], 0, 'no rollout history found for deployment "web"'],
    ['a single revision', history.slice(0, 1), 0, 'no rollout history found for deployment "web"'],
  ])('undo rejects %s', (_name, h, to, message) => {
    expect(() => undoTarget(h, to, 'web')).toThrow(message);
  });

  it('restores the template without the pod-template-hash label', () => {
    expect(templateOf(rs('a', '1'))).toEqual({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'a' }] } });
  });
});

describe('rollout history and undo for DaemonSets and StatefulSets', () => {
  const template = (image: string) => ({ metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }] } });
  const cr = (revision: number, image: string, owner = 'ds1', changeCause?: string) => ({
    metadata: { name: `agent-${image}`, ownerReferences: [{ uid: owner, controller: true }], annotations: changeCause ? { 'kubernetes.io/change-cause': changeCause } : {} },
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
    revision,
  });
  const ds = { metadata: { name: 'agent', uid: 'ds1' }, spec: { template: template('b') } };
  const history = controllerRevisions(ds, [cr(3, 'c'), cr(1, 'a', 'ds1', 'first'), cr(9, 'x', 'other'), cr(2, 'b')]);

  it('orders the revisions the owner controls, with the template each restores and its patch', () => {
    expect(history.map((r) => [r.revision, r.changeCause, r.template.spec.containers[0].image])).toEqual([
      [1, 'first', 'a'],
      [2, undefined, 'b'],
      [3, undefined, 'c'],
    ]);
    expect(history[0].template).toEqual(template('a'));
    expect(history[0].patch).toEqual({ spec: { template: { ...template('a'), $patch: 'replace' } } });
  });

  it.each([
    ['the one before the newest by default', 0, 2],
    ['an explicit revision', 1, 1],
  ])('undo picks %s', (_name, to, want) => {
    expect(revisionToRestore(history, to).revision).toBe(want);
  });

  it.each([
    ['a missing revision', history, 9, 'unable to find specified revision 9 in history'],
    ['a single revision', history.slice(0, 1), 0, 'no last revision to roll back to'],
    ['no history', [], 0, 'no last revision to roll back to'],
  ])('undo rejects %s', (_name, h, to, message) => {
    expect(() => revisionToRestore(h, to)).toThrow(message);
  });

  it('knows when the owner already runs the revision', () => {
    expect(alreadyAt(ds, history[1])).toBe(true);
    expect(alreadyAt(ds, history[0])).toBe(false);
  });
});
