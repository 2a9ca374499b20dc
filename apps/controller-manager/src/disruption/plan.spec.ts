import { KubeObject, PodDisruptionBudget } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { DISRUPTION_TIMEOUT_MS, planDisruption } from './plan';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const pdb = (spec: Partial<PodDisruptionBudget['spec']>, status?: Partial<PodDisruptionBudget['status']>): PodDisruptionBudget =>
  ({ metadata: { name: 'db', namespace: 'ns', generation: 2 }, spec: { selector: { matchLabels: { app: 'db' } }, ...spec }, status }) as PodDisruptionBudget;

const workload = (name: string, o: { ready?: boolean; kind?: string; owner?: string; deleting?: boolean; labels?: Record<string, string> } = {}): KubeObject =>
  ({
    kind: o.kind ?? 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      labels: o.labels ?? { app: 'db' },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
    },
    status: o.kind === 'VirtualMachineInstance' ? { phase: o.ready === false ? 'Scheduled' : 'Running' } : { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  }) as KubeObject;

const three = [workload('a', { owner: 'db' }), workload('b', { owner: 'db' }), workload('c', { owner: 'db' })];
const plan = (p: PodDisruptionBudget, workloads: KubeObject[], replicas = 3, now = T0) => planDisruption({ pdb: p, workloads, scaleOf: (_ns, ref) => (ref.kind === 'StatefulSet' ? replicas : undefined), now });

describe('planDisruption', () => {
  it.each([
    ['minAvailable 2 of 3 healthy', { minAvailable: 2 }, three, { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 }],
    ['minAvailable 2 with one not ready', { minAvailable: 2 }, [workload('a'), workload('b'), workload('c', { ready: false })], { currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0 }],
    ['minAvailable 50% rounds up against the controller scale', { minAvailable: '50%' }, three, { desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 }],
    ['maxUnavailable 1 against a scale of 5 with 3 pods', { maxUnavailable: 1 }, three, { desiredHealthy: 4, expectedPods: 5, disruptionsAllowed: 0 }, 5],
    ['maxUnavailable 34% rounds up', { maxUnavailable: '34%' }, three, { desiredHealthy: 1, expectedPods: 3, disruptionsAllowed: 2 }],
    ['pods being deleted and non-matching pods do not count', { minAvailable: 1 }, [workload('a', { deleting: true }), workload('b'), workload('x', { labels: { app: 'web' } })], { currentHealthy: 1, expectedPods: 2, disruptionsAllowed: 0 }],
    ['VMIs count: running ones are healthy', { minAvailable: 1 }, [workload('vm1', { kind: 'VirtualMachineInstance' }), workload('vm2', { kind: 'VirtualMachineInstance', ready: false })], { currentHealthy: 1, disruptionsAllowed: 0 }],
  ])('%s', (_name, spec, workloads, want, replicas = 3) => {
    expect(plan(pdb(spec), workloads, replicas).status).toMatchObject({ ...want, observedGeneration: 2 });
  });

  it('a pod evicted moments ago stays out of the healthy count until deleted or the entry expires', () => {
    const evicted = pdb({ minAvailable: 1 }, { disruptedPods: { a: rfc3339(T0 - 1000) }, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 1, expectedPods: 3 });
    const fresh = plan(evicted, three);
    expect(fresh.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { a: rfc3339(T0 - 1000) } });
    expect(fresh.requeueAfterMs).toBe(DISRUPTION_TIMEOUT_MS - 1000 + 1);
    const expired = plan(evicted, three, 3, T0 + DISRUPTION_TIMEOUT_MS);
    expect(expired.status.disruptedPods).toBeUndefined();
    expect(expired.status.currentHealthy).toBe(3);
  });

  it('sets DisruptionAllowed with Kubernetes reasons', () => {
    expect(plan(pdb({ minAvailable: 2 }), three).status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' })]);
    expect(plan(pdb({ minAvailable: 3 }), three).status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);
  });
});
