import { computeVmiStatus, ObservedVm, planVmiSync, VmiAction, VmiView } from './vmi-plan';

const vmi = (over: { deleting?: boolean; phase?: string; grace?: number; uid?: string } = {}): VmiView => ({
  metadata: { uid: over.uid ?? 'v1', namespace: 'default', name: 'vm1', ...(over.deleting ? { deletionTimestamp: 't' } : {}) },
  spec: over.grace !== undefined ? { terminationGracePeriodSeconds: over.grace } : {},
  status: over.phase ? { phase: over.phase } : undefined,
});
const vm = (state: ObservedVm['state'], over: Partial<ObservedVm> = {}): ObservedVm => ({ uid: 'v1', namespace: 'default', name: 'vm1', state, ...over });
const brief = (a: VmiAction[]) => a.map((x) => ('uid' in x ? `${x.type} ${x.uid}${'gracePeriodSeconds' in x ? ` grace=${x.gracePeriodSeconds}` : ''}` : `${x.type} ${x.vmi.metadata.uid}`));

describe('planVmiSync', () => {
  it.each([
    ['bound and not running: start', [vmi({ phase: 'Scheduled' })], [], ['startVm v1']],
    ['already starting: nothing', [vmi()], [vm('starting')], []],
    ['running: nothing', [vmi({ phase: 'Running' })], [vm('running')], []],
    ['exited while Running: no restart in place', [vmi({ phase: 'Running' })], [vm('exited', { exitReason: 'shutdown' })], []],
    ['deleting and running: graceful stop with its grace', [vmi({ deleting: true, grace: 5 })], [vm('running')], ['stopVm v1 grace=5']],
    ['deleting and stopped: remove and finalize', [vmi({ deleting: true })], [vm('exited')], ['removeVm v1', 'finalizeDeletion v1']],
    ['deleting, never ran here: finalize', [vmi({ deleting: true })], [], ['finalizeDeletion v1']],
    ['evicted (Failed) while running: stop', [vmi({ phase: 'Failed' })], [vm('running')], ['stopVm v1 grace=30']],
    ['finished: never started again', [vmi({ phase: 'Succeeded' })], [], []],
    ['running but no longer bound: stop', [], [vm('running', { gracePeriodSeconds: 9 })], ['stopVm v1 grace=9']],
    ['exited and no longer bound: remove', [], [vm('exited')], ['removeVm v1']],
  ] as Array<[string, VmiView[], ObservedVm[], string[]]>)('%s', (_n, desired, observed, want) => {
    expect(brief(planVmiSync(desired, observed))).toEqual(want);
  });
});

describe('computeVmiStatus', () => {
  it.each([
    ['not started yet', vmi({ phase: 'Scheduled' }), undefined, 'Scheduled', 'False', undefined],
    ['booting', vmi(), vm('starting'), 'Scheduled', 'False', undefined],
    ['running with a guest IP', vmi(), vm('running', { ip: '10.0.0.9' }), 'Running', 'True', '10.0.0.9'],
    ['guest powered off', vmi({ phase: 'Running' }), vm('exited', { exitReason: 'shutdown' }), 'Succeeded', 'False', undefined],
    ['QEMU crashed', vmi({ phase: 'Running' }), vm('exited', { exitReason: 'crash' }), 'Failed', 'False', undefined],
    ['vanished after running (agent lost it)', vmi({ phase: 'Running' }), undefined, 'Failed', 'False', undefined],
  ] as Array<[string, VmiView, ObservedVm | undefined, string, string, string | undefined]>)('%s', (_n, v, observed, phase, ready, ip) => {
    const s = computeVmiStatus(v, observed);
    expect(s.phase).toBe(phase);
    expect(s.conditions.find((c) => c.type === 'Ready')?.status).toBe(ready);
    expect(s.interfaces[0]?.ipAddress).toBe(ip);
  });
});
