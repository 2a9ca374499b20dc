import { daemonSetRolloutStatus, deploymentRolloutStatus, revisions, rolloutStatus, statefulSetRolloutStatus, templateOf, undoTarget } from './rollout';
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

describe('daemonSetRolloutStatus (kubectl DaemonSetStatusViewer)', () => {
  const ds = (status: Record<string, unknown>, strategy: Record<string, unknown> = { type: 'RollingUpdate' }, generation = 2) => ({ metadata: { name: 'agent', generation }, spec: { updateStrategy: strategy }, status });

  it.each([
    ['spec not yet observed', ds({ observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 }), false, 'Waiting for daemon set spec update to be observed...\n'],
    ['pods being updated', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }), false, 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...\n'],
    ['updated pods not yet available', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), false, 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...\n'],
    ['done', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), true, 'daemon set "agent" successfully rolled out\n'],
    ['no eligible node is done', ds({ observedGeneration: 2, desiredNumberScheduled: 0 }), true, 'daemon set "agent" successfully rolled out\n'],
  ])('%s', (_name, obj, done, message) => {
    expect(daemonSetRolloutStatus(obj)).toEqual({ done, message });
    expect(rolloutStatus({ kind: 'DaemonSet' }, obj)).toEqual({ done, message });
  });

  it('refuses OnDelete, as kubectl does', () => {
    expect(() => daemonSetRolloutStatus(ds({ observedGeneration: 2 }, { type: 'OnDelete' }))).toThrow('rollout status is only available for RollingUpdate strategy type');
  });
});

describe('statefulSetRolloutStatus (kubectl StatefulSetStatusViewer)', () => {
  const sts = (status: Record<string, unknown>, strategy: Record<string, unknown> = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, replicas = 3, generation = 2) => ({ metadata: { name: 'db', generation }, spec: { replicas, updateStrategy: strategy }, status });

  it.each([
    ['never observed', sts({}), false, 'Waiting for statefulset spec update to be observed...\n'],
    ['spec not yet observed', sts({ observedGeneration: 1, readyReplicas: 3 }), false, 'Waiting for statefulset spec update to be observed...\n'],
    ['pods not ready', sts({ observedGeneration: 2, readyReplicas: 1, updatedReplicas: 3 }), false, 'Waiting for 2 pods to be ready...\n'],
    ['partition 0: ordinals being updated', sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }), false, 'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n'],
    ['partition 0: done', sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }), true, 'partitioned roll out complete: 3 new pods have been updated...\n'],
    ['partition 2: only the ordinals above it count', sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }), true, 'partitioned roll out complete: 1 new pods have been updated...\n'],
    ['no rollingUpdate block: revisions differ', sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 2, currentRevision: 'db-a', updateRevision: 'db-b' }, { type: 'RollingUpdate' }), false, 'waiting for statefulset rolling update to complete 2 pods at revision db-b...\n'],
    ['no rollingUpdate block: done', sts({ observedGeneration: 2, readyReplicas: 3, currentReplicas: 3, currentRevision: 'db-b', updateRevision: 'db-b' }, { type: 'RollingUpdate' }), true, 'statefulset rolling update complete 3 pods at revision db-b...\n'],
  ])('%s', (_name, obj, done, message) => {
    expect(statefulSetRolloutStatus(obj)).toEqual({ done, message });
    expect(rolloutStatus({ kind: 'StatefulSet' }, obj)).toEqual({ done, message });
  });

  it('refuses OnDelete, as kubectl does', () => {
    expect(() => statefulSetRolloutStatus(sts({ observedGeneration: 2 }, { type: 'OnDelete' }))).toThrow('rollout status is only available for RollingUpdate strategy type');
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
