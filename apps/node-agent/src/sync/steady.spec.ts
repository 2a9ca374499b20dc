import { ObservedContainer, ObservedPod, PodView } from './model';
import { fullPassDue, isSteady, observedFingerprint, relistNeeded } from './steady';

const pod = (uid: string, extra: { phase?: string; deleting?: boolean; containers?: string[] } = {}): PodView =>
  ({
    metadata: { uid, namespace: 'default', name: uid, ...(extra.deleting ? { deletionTimestamp: '2026-12-05T00:00:00Z' } : {}) },
    spec: { containers: (extra.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })) },
    status: { phase: extra.phase ?? 'Running' },
  }) as PodView;
const container = (name: string, state: ObservedContainer['state'] = 'running', attempt = 0): ObservedContainer => ({ id: `${name}-${attempt}`, name, attempt, state });
const seen = (uid: string, containers: ObservedContainer[] = [container('app')], ready = true): ObservedPod => ({ uid, namespace: 'default', name: uid, sandbox: { ready, ip: '10.0.0.2' }, containers });
const quiet = { launched: 0, inFlight: 0, statusWrites: 0, vmis: 0 };

describe('isSteady', () => {
  it.each([
    { name: 'every pod running all its containers', pods: [pod('a'), pod('b', { containers: ['x', 'y'] })], observed: [seen('a'), seen('b', [container('x'), container('y')])], pass: quiet, steady: true },
    { name: 'no pods and nothing running', pods: [], observed: [], pass: quiet, steady: true },
    { name: 'a container exited (backoff to wait out)', pods: [pod('a')], observed: [seen('a', [container('app', 'exited')])], pass: quiet, steady: false },
    { name: 'a container created, not started', pods: [pod('a')], observed: [seen('a', [container('app', 'created')])], pass: quiet, steady: false },
    { name: 'a container not there yet', pods: [pod('a', { containers: ['x', 'y'] })], observed: [seen('a', [container('x')])], pass: quiet, steady: false },
    { name: 'a pod with no sandbox yet', pods: [pod('a')], observed: [], pass: quiet, steady: false },
    { name: 'a sandbox not ready', pods: [pod('a')], observed: [seen('a', [container('app')], false)], pass: quiet, steady: false },
    { name: 'a pod being deleted', pods: [pod('a', { deleting: true })], observed: [seen('a')], pass: quiet, steady: false },
    { name: 'something running that is not bound here', pods: [pod('a')], observed: [seen('a'), seen('orphan')], pass: quiet, steady: false },
    { name: 'a finished pod whose containers are gone', pods: [pod('a'), pod('done', { phase: 'Succeeded' })], observed: [seen('a')], pass: quiet, steady: true },
    { name: 'work launched this pass', pods: [pod('a')], observed: [seen('a')], pass: { ...quiet, launched: 1 }, steady: false },
    { name: 'a worker still under way', pods: [pod('a')], observed: [seen('a')], pass: { ...quiet, inFlight: 1 }, steady: false },
    { name: 'a status written this pass', pods: [pod('a')], observed: [seen('a')], pass: { ...quiet, statusWrites: 1 }, steady: false },
    { name: 'VMIs bound here', pods: [pod('a')], observed: [seen('a')], pass: { ...quiet, vmis: 1 }, steady: false },
  ])('$name → $steady', ({ pods, observed, pass, steady }) => {
    expect(isSteady(pods, observed, pass)).toBe(steady);
  });
});

describe('observedFingerprint', () => {
  const base = [seen('a'), seen('b')];
  it('ignores the order of the relist', () => {
    expect(observedFingerprint([...base].reverse())).toBe(observedFingerprint(base));
  });
  it.each([
    { name: 'a container exits', observed: [seen('a', [container('app', 'exited')]), seen('b')] },
    { name: 'a container restarts (new attempt)', observed: [seen('a', [container('app', 'running', 1)]), seen('b')] },
    { name: 'a pod disappears', observed: [seen('a')] },
    { name: 'a sandbox turns unready', observed: [seen('a', [container('app')], false), seen('b')] },
  ])('changes when $name', ({ observed }) => {
    expect(observedFingerprint(observed)).not.toBe(observedFingerprint(base));
  });
});

describe('fullPassDue', () => {
  const last = { steady: true, fingerprint: 'f', at: 1_000 };
  it.each([
    { name: 'no pass yet', last: undefined, fingerprint: 'f', now: 1_500, due: true },
    { name: 'steady, same relist, resync not due', last, fingerprint: 'f', now: 10_999, due: false },
    { name: 'steady but the relist changed', last, fingerprint: 'g', now: 1_500, due: true },
    { name: 'steady, the resync is due', last, fingerprint: 'f', now: 11_000, due: true },
    { name: 'the last pass was not steady', last: { ...last, steady: false }, fingerprint: 'f', now: 1_500, due: true },
  ])('$name → $due', ({ last, fingerprint, now, due }) => {
    expect(fullPassDue(last, fingerprint, now, 10_000)).toBe(due);
  });
});

describe('relistNeeded', () => {
  it.each([
    { name: 'exits watched, none reported, resync not due: skip the relist', reported: false, watched: true, since: 1000, need: false },
    { name: 'an exit reported', reported: true, watched: true, since: 1000, need: true },
    { name: 'exits not all watched (inotify limit): relist every tick', reported: false, watched: false, since: 1000, need: true },
    { name: 'the resync is due (a shim killed outright shows only there)', reported: false, watched: true, since: 10_000, need: true },
    { name: 'just before the resync', reported: false, watched: true, since: 9_999, need: false },
  ])('$name → $need', ({ reported, watched, since, need }) => {
    expect(relistNeeded(reported, watched, since, 10_000)).toBe(need);
  });
});
