import { Condition, Deployment, Pod, ReplicaSet } from '@coxswain/api';
import { findCondition } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { DeploymentPlan, planDeployment } from './plan';
import { DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY, templateHash } from './util';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

interface DOpts {
  image?: string;
  replicas?: number;
  surge?: number | string;
  unavailable?: number | string;
  strategy?: 'RollingUpdate' | 'Recreate';
  paused?: boolean;
  history?: number;
  deadline?: number;
  generation?: number;
  status?: Deployment['status'];
  revision?: string;
  deleting?: boolean;
}
const deployment = (o: DOpts = {}): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'd-uid',
      generation: o.generation ?? 1,
      annotations: o.revision ? { [REVISION]: o.revision } : undefined,
      ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
    },
    spec: {
      replicas: o.replicas ?? 4,
      selector: { matchLabels: { app: 'web' } },
      template: template(o.image ?? 'v2'),
      strategy: o.strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.surge ?? 1, maxUnavailable: o.unavailable ?? 1 } },
      revisionHistoryLimit: o.history ?? 10,
      progressDeadlineSeconds: o.deadline ?? 600,
      paused: o.paused,
    },
    status: o.status,
  }) as Deployment;

interface RsOpts {
  replicas: number;
  available?: number;
  statusReplicas?: number;
  revision?: number;
  created?: number;
  desired?: number;
  max?: number;
  conditions?: Condition[];
}
/** A ReplicaSet for image `image` (named after it); status follows spec unless told. */
const rs = (image: string, o: RsOpts): ReplicaSet => {
  const hash = templateHash(template(image));
  const t = template(image);
  t.metadata.labels = { ...t.metadata.labels, [POD_TEMPLATE_HASH]: hash } as typeof t.metadata.labels;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: image,
      namespace: 'ns',
      uid: `uid-${image}`,
      generation: 1,
      creationTimestamp: rfc3339(o.created ?? T0),
      annotations: { [REVISION]: String(o.revision ?? 1), [DESIRED_REPLICAS]: String(o.desired ?? 4), [MAX_REPLICAS]: String(o.max ?? 5) },
    },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH]: hash } }, template: t },
    status: { replicas: o.statusReplicas ?? o.replicas, readyReplicas: o.available ?? o.replicas, availableReplicas: o.available ?? o.replicas, observedGeneration: 1, conditions: o.conditions },
  } as ReplicaSet;
};

function summary(d: Deployment, plan: DeploymentPlan) {
  const newName = `web-${templateHash(d.spec.template)}`;
  const label = (name: string | undefined) => (name === newName ? 'new' : name);
  return {
    actions: plan.actions.map((a) => `${a.type.replace('ReplicaSet', '')} ${label(a.rs.metadata.name)}${a.type === 'deleteReplicaSet' ? '' : `=${a.rs.spec.replicas}`}`),
    revision: plan.annotations?.[REVISION],
    progressing: findCondition(plan.status?.conditions, 'Progressing')?.reason,
  };
}

/** A stored status with these counts (ready = available). */
const counts = (replicas: number, updatedReplicas: number, availableReplicas: number) => ({ replicas, updatedReplicas, availableReplicas, readyReplicas: availableReplicas, observedGeneration: 1 });

const run = (d: Deployment, rss: ReplicaSet[], now = T0, pods = new Map<string, Pod[]>()) => planDeployment({ d, rss, podsByRs: pods, now });

describe('planDeployment: rolling update', () => {
  it.each([
    {
      name: 'first rollout creates the new ReplicaSet at full size',
      d: deployment(),
      rss: [],
      want: { actions: ['create new=4'], revision: '1', progressing: 'NewReplicaSetCreated' },
    },
    {
      name: 'template change creates the new ReplicaSet within maxSurge and scales old down within maxUnavailable',
      d: deployment({ revision: '1', status: counts(4, 4, 4) }),
      rss: [rs('v1', { replicas: 4 })],
      want: { actions: ['create new=1', 'update v1=3'], revision: '2', progressing: 'NewReplicaSetCreated' },
    },
    {
      name: 'while the new pod is not available, old scales down only to keep minAvailable',
      d: deployment({ revision: '2', status: counts(5, 1, 4) }),
      rss: [rs('v1', { replicas: 4, revision: 1 }), rs('v2', { replicas: 1, available: 0, revision: 2 })],
      want: { actions: ['update v1=3'], revision: undefined, progressing: 'FoundNewReplicaSet' },
    },
    {
      name: 'new grows again once old shrank',
      d: deployment({ revision: '2', status: counts(4, 1, 4) }),
      rss: [rs('v1', { replicas: 3, revision: 1 }), rs('v2', { replicas: 1, available: 1, revision: 2 })],
      want: { actions: ['update v2=2'], revision: undefined, progressing: 'FoundNewReplicaSet' },
    },
    {
      name: 'unavailable old replicas go first without counting against availability',
      d: deployment({ revision: '2', status: counts(5, 1, 3) }),
      rss: [rs('v1', { replicas: 4, available: 2, revision: 1 }), rs('v2', { replicas: 1, available: 1, revision: 2 })],
      want: { actions: ['update v1=2'], revision: undefined, progressing: 'FoundNewReplicaSet' },
    },
    {
      name: 'an old ReplicaSet whose status still counts the pods its scale-down removes counts no more than its spec',
      d: deployment({ revision: '2', status: counts(5, 2, 5) }),
      rss: [rs('v1', { replicas: 3, available: 4, revision: 1 }), rs('v2', { replicas: 2, available: 1, revision: 2 })],
      want: { actions: ['update v1=2'], revision: undefined, progressing: 'FoundNewReplicaSet' },
    },
    {
      name: 'complete rollout keeps sizes and reports NewReplicaSetAvailable',
      d: deployment({ revision: '2' }),
      rss: [rs('v1', { replicas: 0, revision: 1 }), rs('v2', { replicas: 4, revision: 2 })],
      want: { actions: [], revision: undefined, progressing: 'NewReplicaSetAvailable' },
    },
  ])('$name', ({ d, rss, want }) => {
    const newRs = rss.find((r) => r.metadata.name === 'v2');
    if (newRs) newRs.metadata.name = `web-${templateHash(d.spec.template)}`;
    const plan = run(d, rss);
    const s = summary(d, plan);
    expect(s).toEqual({ ...want, actions: want.actions.map((a) => a.replace('v2', 'new')) });
  });

  it('never plans below minAvailable or above maxSurge along a whole rollout', () => {
    // Simulate: apply each plan, let the ReplicaSet controller make every pod available at once.
    const d = deployment({ replicas: 4, surge: 1, unavailable: 1, revision: '1' });
    let rss = [rs('v1', { replicas: 4 })];
    for (let step = 0; step < 20; step++) {
      const plan = run(d, rss, T0 + step * 1000);
      for (const a of plan.actions) {
        if (a.type === 'createReplicaSet') rss.push({ ...a.rs, metadata: { ...a.rs.metadata, uid: 'new-uid' }, status: { replicas: 0 } });
        if (a.type === 'updateReplicaSet') rss = rss.map((x) => (x.metadata.name === a.rs.metadata.name ? { ...a.rs, status: x.status } : x));
        if (a.type === 'deleteReplicaSet') rss = rss.filter((x) => x.metadata.name !== a.rs.metadata.name);
      }
      const total = rss.reduce((n, x) => n + (x.spec.replicas ?? 0), 0);
      const available = rss.reduce((n, x) => n + Math.min(x.status?.availableReplicas ?? 0, x.spec.replicas ?? 0), 0);
      expect(total).toBeLessThanOrEqual(5);
      expect(available).toBeGreaterThanOrEqual(3);
      // Pods of every ReplicaSet become available right after the step.
      rss = rss.map((x) => ({ ...x, status: { replicas: x.spec.replicas!, availableReplicas: x.spec.replicas!, readyReplicas: x.spec.replicas!, observedGeneration: 1 } }));
      if (plan.actions.length === 0 && plan.status === undefined) break;
    }
    const newName = `web-${templateHash(d.spec.template)}`;
    expect(rss.map((x) => [x.metadata.name, x.spec.replicas])).toEqual([
      ['v1', 0],
      [newName, 4],
    ]);
  });
});

describe('planDeployment: Recreate', () => {
  const d = deployment({ strategy: 'Recreate', revision: '1' });
  it('scales old ReplicaSets to zero first', () => {
    expect(summary(d, run(d, [rs('v1', { replicas: 4 })])).actions).toEqual(['update v1=0']);
  });
  it('waits while old pods still run', () => {
    const pods = new Map([['uid-v1', [{ metadata: { name: 'p' }, status: { phase: 'Running' } } as Pod]]]);
    expect(summary(d, run(d, [rs('v1', { replicas: 0, statusReplicas: 0 })], T0, pods)).actions).toEqual([]);
  });
  it('creates the new ReplicaSet at full size once old pods are gone', () => {
    const pods = new Map([['uid-v1', [{ metadata: { name: 'p' }, status: { phase: 'Failed' } } as Pod]]]);
    const s = summary(d, run(d, [rs('v1', { replicas: 0, statusReplicas: 0 })], T0, pods));
    expect(s.actions).toEqual(['create new=4']);
    expect(s.revision).toBe('2');
  });
});

describe('planDeployment: rollback, pause, scaling, history, deletion', () => {
  it('rolling back to an old template reuses its ReplicaSet with the next revision', () => {
    const d = deployment({ image: 'v1', revision: '2' });
    const plan = run(d, [rs('v1', { replicas: 0, revision: 1 }), rs('v2', { replicas: 4, revision: 2, created: T0 + 1000 })]);
    const old = plan.actions.find((a) => a.rs.metadata.name === 'v1')!;
    expect(old.type).toBe('updateReplicaSet');
    expect(old.rs.metadata.annotations).toMatchObject({ [REVISION]: '3', [REVISION_HISTORY]: '1' });
    expect(old.rs.spec.replicas).toBe(1);
    expect(plan.annotations).toEqual({ [REVISION]: '3' });
  });

  it('paused: no new ReplicaSet, Progressing Unknown DeploymentPaused', () => {
    const d = deployment({ paused: true, revision: '1' });
    const plan = run(d, [rs('v1', { replicas: 4 })]);
    expect(summary(d, plan)).toEqual({ actions: [], revision: undefined, progressing: 'DeploymentPaused' });
  });

  it('resuming marks DeploymentResumed before rolling', () => {
    const paused = { type: 'Progressing', status: 'Unknown' as const, reason: 'DeploymentPaused', lastUpdateTime: rfc3339(T0), lastTransitionTime: rfc3339(T0) };
    const d = deployment({ revision: '1', status: { ...counts(4, 4, 4), conditions: [paused] } });
    const plan = run(d, [rs('v1', { replicas: 4 })]);
    // The new ReplicaSet's creation then replaces the condition.
    expect(summary(d, plan)).toEqual({ actions: ['create new=1', 'update v1=3'], revision: '2', progressing: 'NewReplicaSetCreated' });
  });

  it('scaling mid-rollout spreads new replicas proportionally', () => {
    const d = deployment({ replicas: 8, surge: '25%', unavailable: '25%', revision: '2' });
    const rss = [rs('v1', { replicas: 3, revision: 1 }), rs('v2', { replicas: 2, revision: 2, created: T0 + 1000, available: 0 })];
    const plan = run(d, rss);
    const sizes = Object.fromEntries(plan.actions.map((a) => [a.rs.metadata.name, a.rs.spec.replicas]));
    // 8 + surge 2 = 10 allowed: 3×10/5 = 6 and 2×10/5 = 4.
    expect(sizes).toEqual({ v1: 6, v2: 4 });
    expect(plan.actions.every((a) => a.rs.metadata.annotations?.[DESIRED_REPLICAS] === '8' && a.rs.metadata.annotations?.[MAX_REPLICAS] === '10')).toBe(true);
  });

  it('deletes the oldest empty ReplicaSets beyond revisionHistoryLimit', () => {
    const d = deployment({ history: 1, revision: '4', status: { replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 1 } });
    const rss = [rs('v0', { replicas: 0, revision: 1 }), rs('v1', { replicas: 0, revision: 3 }), rs('vx', { replicas: 0, revision: 2 }), rs('v2', { replicas: 4, revision: 4 })];
    rss[3].metadata.name = `web-${templateHash(d.spec.template)}`;
    expect(summary(d, run(d, rss)).actions).toEqual(['delete v0', 'delete vx']);
  });

  it('a Deployment being deleted only refreshes its status', () => {
    const d = deployment({ deleting: true });
    const plan = run(d, [rs('v1', { replicas: 4 })]);
    expect(plan.actions).toEqual([]);
    expect(plan.status).toMatchObject({ replicas: 4, updatedReplicas: 0, availableReplicas: 4 });
  });
});

describe('planDeployment: status and progress', () => {
  const progressing = (reason: string, at: number) => ({ type: 'Progressing', status: 'True' as const, reason, lastUpdateTime: rfc3339(at), lastTransitionTime: rfc3339(at) });

  it('reports counts that kubectl rollout status reads', () => {
    const d = deployment({ revision: '2', generation: 3 });
    const rss = [rs('v1', { replicas: 3, revision: 1 }), rs('v2', { replicas: 2, available: 1, revision: 2 })];
    rss[1].metadata.name = `web-${templateHash(d.spec.template)}`;
    const plan = run(d, rss);
    // The pass also scales v1 to 2, so the spec total is 4 with 4 available.
    expect(plan.actions.map((a) => `${a.rs.metadata.name}=${a.rs.spec.replicas}`)).toEqual(['v1=2']);
    expect(plan.status).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 0 });
    expect(findCondition(plan.status!.conditions, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
  });

  it('progress refreshes lastUpdateTime but keeps lastTransitionTime', () => {
    const d = deployment({ revision: '2', status: { replicas: 5, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3, conditions: [progressing('ReplicaSetUpdated', T0)] } });
    const rss = [rs('v1', { replicas: 3, revision: 1 }), rs('v2', { replicas: 2, available: 1, revision: 2 })];
    rss[1].metadata.name = `web-${templateHash(d.spec.template)}`;
    const cond = findCondition(run(d, rss, T0 + 60_000).status!.conditions, 'Progressing')!;
    expect(cond).toMatchObject({ reason: 'ReplicaSetUpdated', lastUpdateTime: rfc3339(T0 + 60_000), lastTransitionTime: rfc3339(T0) });
  });

  it('no progress past the deadline: ProgressDeadlineExceeded', () => {
    const status = { replicas: 5, updatedReplicas: 2, availableReplicas: 3, readyReplicas: 3, observedGeneration: 1, conditions: [progressing('ReplicaSetUpdated', T0)] };
    const d = deployment({ revision: '2', deadline: 30, status });
    const rss = [rs('v1', { replicas: 3, revision: 1 }), rs('v2', { replicas: 2, available: 0, statusReplicas: 2, revision: 2 })];
    rss[1].metadata.name = `web-${templateHash(d.spec.template)}`;
    rss[1].status!.readyReplicas = 0;
    rss[0].status!.readyReplicas = 3;
    const before = run(d, rss, T0 + 10_000);
    expect(before.requeueAfterMs).toBe(20_001);
    const after = run(d, rss, T0 + 31_000);
    expect(findCondition(after.status!.conditions, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('copies a ReplicaSet failure into the Deployment', () => {
    const d = deployment({ revision: '1' });
    const failure = { type: 'ReplicaFailure', status: 'True' as const, reason: 'FailedCreate', message: 'quota', lastTransitionTime: rfc3339(T0) };
    const rss = [rs('v2', { replicas: 4, available: 0, conditions: [failure] })];
    rss[0].metadata.name = `web-${templateHash(d.spec.template)}`;
    expect(findCondition(run(d, rss).status!.conditions, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'quota' });
  });
});
