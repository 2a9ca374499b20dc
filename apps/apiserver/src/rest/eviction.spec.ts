import { KubeObject, PodDisruptionBudget } from '@coxswain/api';
import { decideEviction, DISRUPTION_VIOLATION } from './eviction';

const NOW = new Date('2026-01-01T00:00:00Z');
const pod = (o: { phase?: string; ready?: boolean; deleting?: boolean; kind?: string } = {}): KubeObject =>
  ({ kind: o.kind ?? 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'db' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) }, status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] } }) as KubeObject;
const pdb = (status: Partial<NonNullable<PodDisruptionBudget['status']>> | undefined, spec: Partial<PodDisruptionBudget['spec']> = {}, name = 'db'): PodDisruptionBudget =>
  ({ metadata: { name, namespace: 'ns', generation: 1, resourceVersion: '7' }, spec: { selector: { matchLabels: { app: 'db' } }, minAvailable: 2, ...spec }, status: status && { observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, ...status } }) as PodDisruptionBudget;

describe('decideEviction', () => {
  it.each([
    ['no budget', pod(), []],
    ['a finished pod', pod({ phase: 'Succeeded' }), [pdb({ disruptionsAllowed: 0 })]],
    ['a pending pod', pod({ phase: 'Pending' }), [pdb({ disruptionsAllowed: 0 })]],
    ['a pod already terminating', pod({ deleting: true }), [pdb({ disruptionsAllowed: 0 })]],
    ['an unready pod while the budget holds', pod({ ready: false }), [pdb({ disruptionsAllowed: 0, currentHealthy: 2 })]],
    ['an unready pod with AlwaysAllow', pod({ ready: false }), [pdb({ disruptionsAllowed: 0, currentHealthy: 1 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' })]],
    ['a budget that selects something else', pod(), [pdb({ disruptionsAllowed: 0 }, { selector: { matchLabels: { app: 'web' } } })]],
  ])('deletes without spending: %s', (_name, target, budgets) => {
    expect(decideEviction(target, budgets, NOW)).toEqual({ kind: 'delete' });
  });

  it('spends one disruption and records the pod', () => {
    const decision = decideEviction(pod(), [pdb({})], NOW);
    expect(decision).toMatchObject({ kind: 'spend', status: { disruptionsAllowed: 0, disruptedPods: { p: '2026-01-01T00:00:00Z' } } });
  });

  it("answers 429 with the DisruptionBudget cause when the budget allows none", () => {
    const decision = decideEviction(pod({ kind: 'VirtualMachineInstance' }), [pdb({ disruptionsAllowed: 0, currentHealthy: 2 })], NOW);
    expect(decision.kind).toBe('reject');
    const status = (decision as { error: { status: object } }).error.status;
    expect(status).toMatchObject({ code: 429, reason: 'TooManyRequests', message: DISRUPTION_VIOLATION, details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 2 healthy pods and has 2 currently' }] } });
  });

  it('waits for a budget the controller has not processed yet', () => {
    const decision = decideEviction(pod(), [pdb(undefined)], NOW);
    expect((decision as { error: { status: { code: number; details: object } } }).error.status).toMatchObject({ code: 429, details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db is still being processed by the server.' }] } });
  });

  it('refuses a pod under two budgets with 500', () => {
    const decision = decideEviction(pod(), [pdb({}), pdb({}, {}, 'other')], NOW);
    expect((decision as { error: { status: { code: number; message: string } } }).error.status).toMatchObject({ code: 500, message: expect.stringContaining('more than one PodDisruptionBudget') });
  });
});
