import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { compareForDeletion, isActive, isAvailable, msUntilAvailable, podView, vmiView, WorkloadView } from './workloads';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const view = (name: string, over: Partial<WorkloadView> = {}): WorkloadView => ({ name, phase: 'Running', ready: true, readySince: T0, restarts: 0, created: T0, deleting: false, nodeName: 'n1', ...over });

describe('podView', () => {
  it('reads phase, readiness, restarts and node', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: at(0) },
      spec: { nodeName: 'n1', containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(5) }], containerStatuses: [{ restartCount: 2 }, { restartCount: 1 }] },
    } as unknown as Pod;
    expect(podView(pod)).toEqual({ name: 'p', uid: undefined, nodeName: 'n1', phase: 'Running', ready: true, readySince: T0 + 5000, restarts: 3, created: T0, deleting: false });
  });
  it('defaults to Pending, not ready', () => {
    const v = podView({ metadata: { name: 'p' }, spec: { containers: [] } } as unknown as Pod);
    expect([v.phase, v.ready, v.nodeName]).toEqual(['Pending', false, undefined]);
  });
});

describe('vmiView', () => {
  it.each([
    { name: 'Scheduled folds to Pending', status: { phase: 'Scheduled', nodeName: 'n1' }, want: { phase: 'Pending', ready: false } },
    { name: 'Running without Ready condition is ready', status: { phase: 'Running' }, want: { phase: 'Running', ready: true } },
    { name: 'Running with Ready False is not', status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }, want: { phase: 'Running', ready: false } },
    { name: 'Succeeded', status: { phase: 'Succeeded' }, want: { phase: 'Succeeded', ready: false } },
  ])('$name', ({ status, want }) => {
    const v = vmiView({ metadata: { name: 'v' }, spec: { domain: {} }, status } as unknown as VirtualMachineInstance);
    expect({ phase: v.phase, ready: v.ready }).toEqual(want);
  });
});

describe('activity and availability', () => {
  it.each([
    { name: 'running', w: view('a'), active: true },
    { name: 'deleting', w: view('a', { deleting: true }), active: false },
    { name: 'failed', w: view('a', { phase: 'Failed' }), active: false },
    { name: 'succeeded', w: view('a', { phase: 'Succeeded' }), active: false },
    { name: 'pending', w: view('a', { phase: 'Pending', ready: false }), active: true },
  ])('isActive: $name → $active', ({ w, active }) => expect(isActive(w)).toBe(active));

  it.each([
    { name: 'ready, no minReadySeconds', w: view('a'), min: 0, now: T0, want: true },
    { name: 'ready for 5 s of 10', w: view('a'), min: 10, now: T0 + 5000, want: false },
    { name: 'ready for 10 s of 10', w: view('a'), min: 10, now: T0 + 10_000, want: true },
    { name: 'not ready', w: view('a', { ready: false }), min: 0, now: T0, want: false },
  ])('isAvailable: $name', ({ w, min, now, want }) => expect(isAvailable(w, min, now)).toBe(want));

  it('msUntilAvailable counts down to minReadySeconds', () => {
    expect(msUntilAvailable(view('a'), 10, T0 + 4000)).toBe(6000);
    expect(msUntilAvailable(view('a'), 10, T0 + 10_000)).toBeUndefined();
  });
});

describe('compareForDeletion', () => {
  it.each([
    { name: 'unscheduled first', a: view('a', { nodeName: undefined }), b: view('b') },
    { name: 'pending before running', a: view('a', { phase: 'Pending', ready: false }), b: view('b') },
    { name: 'unknown before running', a: view('a', { phase: 'Unknown' }), b: view('b') },
    { name: 'not ready before ready', a: view('a', { ready: false }), b: view('b') },
    { name: 'ready more recently first', a: view('a', { readySince: T0 + 10 }), b: view('b') },
    { name: 'more restarts first', a: view('a', { restarts: 3 }), b: view('b') },
    { name: 'newer first', a: view('a', { created: T0 + 1 }), b: view('b') },
  ])('$name', ({ a, b }) => {
    expect(compareForDeletion(a, b)).toBeLessThan(0);
    expect(compareForDeletion(b, a)).toBeGreaterThan(0);
  });
});
