import { NodeMemory, ObservedPod } from '../sync/model';
import { Prober, ProbedPod } from './prober';

function setup(pod: ProbedPod, outcomes: Record<string, boolean[]>) {
  let now = 0;
  const memory: NodeMemory = { pods: {}, images: new Set() };
  const observed: ObservedPod = { uid: pod.uid, namespace: 'ns', name: 'p', sandbox: { ready: true, ip: '10.0.0.2' },
    containers: [{ id: 'c1', name: 'app', attempt: 0, state: 'running', startedAt: 0 }] };
  const runs: string[] = [];
  const prober = new Prober({
    now: () => now,
    exec: async () => 0,
    // Each probe kind answers from its own script of outcomes.
    check: async (spec) => {
      const kind = spec.periodSeconds === 1 ? 'startup' : spec.periodSeconds === 2 ? 'readiness' : 'liveness';
      runs.push(kind);
      return { ok: outcomes[kind].shift() ?? true, message: '' };
    },
  });
  const tick = async (ms: number) => {
    now += ms;
    return prober.tick([{ pod, observed }], memory);
  };
  return { memory, runs, tick, observed };
}

const probe = (periodSeconds: number, failureThreshold = 1) => ({ periodSeconds, failureThreshold, exec: { command: ['true'] } });

describe('Prober', () => {
  it('readiness flips the container ready flag both ways', async () => {
    const t = setup({ uid: 'u', containers: [{ name: 'app', readinessProbe: probe(2) }] }, { readiness: [true, false] });
    expect(await t.tick(0)).toBe(true);
    expect(t.memory.pods.u.app.ready).toBe(true);
    expect(await t.tick(1_000)).toBe(false); // not due yet
    expect(await t.tick(1_000)).toBe(true);
    expect(t.memory.pods.u.app.ready).toBe(false);
  });

  it('liveness failure at the threshold marks the container for restart', async () => {
    const t = setup({ uid: 'u', containers: [{ name: 'app', livenessProbe: probe(5, 2) }] }, { liveness: [false, false] });
    await t.tick(0);
    expect(t.memory.pods.u?.app?.livenessFailed).toBeUndefined();
    await t.tick(5_000);
    expect(t.memory.pods.u.app.livenessFailed).toBe(true);
    expect(t.memory.pods.u.app.failedProbe).toBe('liveness');
  });

  it('a startup probe failing at its threshold marks the container, naming the startup probe', async () => {
    const t = setup({ uid: 'u', containers: [{ name: 'app', startupProbe: probe(1, 2) }] }, { startup: [false, false] });
    await t.tick(0);
    expect(t.memory.pods.u?.app?.livenessFailed).toBeUndefined();
    await t.tick(1_000);
    expect(t.memory.pods.u.app).toMatchObject({ livenessFailed: true, failedProbe: 'startup' });
  });

  it('startup probe gates liveness and readiness until it succeeds', async () => {
    const t = setup({ uid: 'u', containers: [{ name: 'app', startupProbe: probe(1, 5), livenessProbe: probe(5), readinessProbe: probe(2) }] },
      { startup: [false, true], liveness: [true], readiness: [true] });
    await t.tick(0);
    await t.tick(1_000);
    expect(t.runs).toEqual(['startup', 'startup']);
    await t.tick(1_000);
    expect(t.runs.slice(2).sort()).toEqual(['liveness', 'readiness']);
  });

  it('a restarted container (new instance) starts with fresh probe state', async () => {
    const t = setup({ uid: 'u', containers: [{ name: 'app', livenessProbe: probe(5, 2) }] }, { liveness: [false, false] });
    await t.tick(0);
    t.observed.containers = [{ id: 'c2', name: 'app', attempt: 1, state: 'running', startedAt: 1_000 }];
    await t.tick(5_000); // first failure of the new instance only
    expect(t.memory.pods.u?.app?.livenessFailed).toBeUndefined();
  });
});
