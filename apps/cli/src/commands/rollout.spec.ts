import { deploymentRolloutStatus, revisions, templateOf, undoTarget } from './rollout';

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
