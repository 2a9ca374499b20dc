import { ContainerStartError } from '@coxswain/runtime';
import { ContainerConfigError } from '../runtime-port';
import { FakeRuntime } from '../testing/fake-runtime';
import { applyPodActions, ApplyHooks, POST_START_TIMEOUT_MS } from './applier';
import { BackoffSettings, ContainerView, NodeMemory, PodView, SANDBOX_RETRY_MS } from './model';
import { planSync } from './plan';
import { computePodStatus } from './status';
import { VolumeSetupError } from '../volumes/payload';

const backoff: BackoffSettings = { initialMs: 1_000, maxMs: 8_000, resetAfterMs: 60_000 };

function setup(image = 'busybox', restartPolicy: PodView['spec']['restartPolicy'] = 'Always', initContainers?: ContainerView[]) {
  let now = 100_000;
  const runtime = new FakeRuntime(() => now);
  const memory: NodeMemory = { pods: {}, images: new Set() };
  const events: string[] = [];
  const detailedEvents: string[] = [];
  const finalized: string[] = [];
  const hooks: ApplyHooks = {
    finalizePod: async (a) => void finalized.push(a.pod.metadata.uid),
    finalizeVmi: async () => undefined,
    event: (_uid, type, reason, message) => {
      events.push(`${type} ${reason}`);
      detailedEvents.push(`${type} ${reason} ${message}`);
    },
    now: () => now,
  };
  const pod: PodView = { metadata: { uid: 'u1', namespace: 'ns', name: 'p' }, spec: { restartPolicy, ...(initContainers ? { initContainers } : {}), containers: [{ name: 'app', image }] } };
  const sync = async (desired: PodView[] = [pod]) => {
    await applyPodActions(planSync(desired, await runtime.listPods(), memory, now, backoff), runtime, memory, hooks, { initialMs: 1_000, maxMs: 4_000 });
  };
  const status = async () => computePodStatus(pod, (await runtime.listPods())[0], memory.pods.u1 ?? {}, '10.9.0.1', now, backoff);
  return { runtime, memory, events, detailedEvents, hooks, finalized, pod, sync, status, advance: (ms: number) => { now += ms; } };
}

describe('sync passes through the applier (plan → apply → observe)', () => {
  it('starts a pod: sandbox, pull, start, then reports Running and Ready', async () => {
    const t = setup();
    await t.sync();
    expect(t.runtime.calls).toEqual(['createSandbox u1', 'pullImage busybox', 'startContainer u1/app#0']);
    const s = await t.status();
    expect(s.phase).toBe('Running');
    expect(s.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    await t.sync();
    expect(t.runtime.calls).toHaveLength(3); // steady state: nothing more to do
  });

  it('a missing ConfigMap key waits as CreateContainerConfigError (one Event per cause), then starts once it exists', async () => {
    const t = setup();
    const missing = new ContainerConfigError("couldn't find key k in ConfigMap ns/cfg");
    t.runtime.failNext.set('startContainer', missing);
    await t.sync();
    const waiting = (await t.status()).containerStatuses[0].state.waiting;
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key k in ConfigMap ns/cfg" });
    expect((await t.status()).phase).toBe('Pending');
    t.advance(1_000); // past the back-off: retried, still missing
    t.runtime.failNext.set('startContainer', missing);
    await t.sync();
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(2);
    expect(t.memory.pods.u1.app.configError?.backoffMs).toBe(2_000);
    expect(t.events.filter((e) => e === 'Warning Failed')).toHaveLength(1);
    t.advance(2_000);
    await t.sync();
    expect((await t.status()).containerStatuses[0].state.running).toBeDefined();
    expect(t.memory.pods.u1.app.configError).toBeUndefined();
  });

  it('a volume that cannot be set up keeps the container ContainerCreating with a FailedMount Event', async () => {
    const t = setup();
    t.runtime.failNext.set('startContainer', new VolumeSetupError('cfg', 'configmap "cfg" not found'));
    await t.sync();
    expect((await t.status()).containerStatuses[0].state.waiting).toEqual({ reason: 'ContainerCreating', message: undefined });
    expect(t.events).toContain('Warning FailedMount');
  });

  it('a missing image reads ErrImagePull, then ImagePullBackOff with a doubling retry', async () => {
    const t = setup('nope:1');
    await t.sync();
    expect((await t.status()).containerStatuses[0].state.waiting?.reason).toBe('ErrImagePull');
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toEqual([]);
    await t.sync(); // within back-off: no new pull
    expect(t.runtime.calls.filter((c) => c.startsWith('pullImage'))).toHaveLength(1);
    t.advance(1_000);
    await t.sync();
    expect(t.runtime.calls.filter((c) => c.startsWith('pullImage'))).toHaveLength(2);
    expect((await t.status()).containerStatuses[0].state.waiting?.reason).toBe('ImagePullBackOff');
    expect(t.memory.pods.u1.app.pullError?.backoffMs).toBe(2_000);
    expect(t.events).toContain('Warning Failed');
  });

  it('a container that cannot be configured reads CreateContainerConfigError and is retried with back-off', async () => {
    const t = setup();
    const why = 'container has runAsNonRoot and image will run as root (pod: "ns/p", container: app)';
    t.runtime.failNext.set('startContainer', new ContainerConfigError(why));
    await t.sync();
    const waiting = (await t.status()).containerStatuses[0].state.waiting;
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: why });
    expect(t.events).toContain('Warning Failed');
    await t.sync(); // within back-off: no new attempt
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(1);
    t.advance(1_000);
    await t.sync(); // the cause went away: it starts and the error is forgotten
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(2);
    expect((await t.status()).phase).toBe('Running');
    expect(t.memory.pods.u1.app.configError).toBeUndefined();
  });

  it('a container whose process runc cannot start reads RunContainerError with runc\'s message and is retried with back-off', async () => {
    const t = setup();
    const why = 'runc run failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory';
    t.runtime.failNext.set('startContainer', new ContainerStartError(why));
    await t.sync();
    expect((await t.status()).containerStatuses[0].state.waiting).toEqual({ reason: 'RunContainerError', message: why });
    expect((await t.status()).phase).toBe('Pending');
    expect(t.events).toContain('Warning Failed');
    await t.sync(); // within back-off: no new attempt
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(1);
    t.advance(1_000);
    await t.sync();
    expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(2);
    expect((await t.status()).phase).toBe('Running');
  });

  describe('a process runc cannot start, by restart policy', () => {
    const why = 'runc run failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory';
    const startError = { exitCode: 128, reason: 'StartError', message: why, startedAt: '1970-01-01T00:00:00Z', finishedAt: new Date(100_000).toISOString() };
    const cases: Array<{ policy: 'Always' | 'OnFailure' | 'Never'; wantState: object; wantPhase: string; wantStarts: number; wantPhaseAfter: string }> = [
      // Kubernetes: no restart under Never, so the container is terminated (128, StartError) and the pod fails.
      { policy: 'Never', wantState: { terminated: startError }, wantPhase: 'Failed', wantStarts: 1, wantPhaseAfter: 'Failed' },
      // Exit 128 is a failure: OnFailure retries it with back-off, as Always does.
      { policy: 'OnFailure', wantState: { waiting: { reason: 'RunContainerError', message: why } }, wantPhase: 'Pending', wantStarts: 2, wantPhaseAfter: 'Running' },
      { policy: 'Always', wantState: { waiting: { reason: 'RunContainerError', message: why } }, wantPhase: 'Pending', wantStarts: 2, wantPhaseAfter: 'Running' },
    ];

    it.each(cases)('$policy: $wantPhase, then $wantStarts start(s) in all', async ({ policy, wantState, wantPhase, wantStarts, wantPhaseAfter }) => {
      const t = setup('busybox', policy);
      t.runtime.failNext.set('startContainer', new ContainerStartError(why));
      await t.sync();
      const s = await t.status();
      expect(s.containerStatuses[0].state).toEqual(wantState);
      expect(s.containerStatuses[0].restartCount).toBe(0);
      expect(s.phase).toBe(wantPhase);
      expect(t.detailedEvents).toContain(`Warning Failed Error: ${why}`);
      t.advance(60_000); // past any back-off
      await t.sync();
      await t.sync();
      expect(t.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(wantStarts);
      expect((await t.status()).phase).toBe(wantPhaseAfter);
    });

    it('Never: once the pod is Failed nothing of it is started, and nothing is left running', async () => {
      const t = setup('busybox', 'Never');
      t.runtime.failNext.set('startContainer', new ContainerStartError(why));
      await t.sync();
      await t.sync([{ ...t.pod, status: { phase: (await t.status()).phase } }]);
      expect(t.runtime.calls).toEqual(['createSandbox u1', 'pullImage busybox', 'startContainer u1/app#0']);
      expect((await t.runtime.listPods())[0].containers).toEqual([]);
    });
  });

  describe('init containers', () => {
    const twoInit = [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }];
    const starts = (t: ReturnType<typeof setup>) => t.runtime.calls.filter((c) => c.startsWith('startContainer'));

    it('run one at a time, in order, each to exit 0, before the app starts', async () => {
      const t = setup('busybox', 'Always', twoInit);
      await t.sync();
      await t.sync(); // `one` still runs: nothing more
      expect(starts(t)).toEqual(['startContainer u1/one#0']);
      expect((await t.status()).phase).toBe('Pending');
      t.runtime.exit('u1', 'one', 0);
      await t.sync();
      expect(starts(t)).toEqual(['startContainer u1/one#0', 'startContainer u1/two#0']);
      t.runtime.exit('u1', 'two', 0);
      await t.sync();
      await t.sync();
      expect(starts(t)).toEqual(['startContainer u1/one#0', 'startContainer u1/two#0', 'startContainer u1/app#0']);
      const s = await t.status();
      expect(s.phase).toBe('Running');
      expect(s.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
      expect(s.initContainerStatuses?.map((c) => c.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    });

    it('a failing one is restarted with back-off under Always; the app waits for it', async () => {
      const t = setup('busybox', 'Always', twoInit);
      await t.sync();
      t.advance(10);
      t.runtime.exit('u1', 'one', 1);
      await t.sync();
      expect((await t.status()).initContainerStatuses?.[0].state.waiting?.reason).toBe('CrashLoopBackOff');
      t.advance(1_000);
      await t.sync();
      expect(starts(t)).toEqual(['startContainer u1/one#0', 'startContainer u1/one#1']);
      expect((await t.status()).initContainerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
    });

    it('one whose process cannot start fails the pod under Never; the app never starts', async () => {
      const t = setup('busybox', 'Never', twoInit);
      t.runtime.failNext.set('startContainer', new ContainerStartError('runc run failed: exec: "/nope": no such file'));
      await t.sync();
      const s = await t.status();
      expect(s.phase).toBe('Failed');
      expect(s.initContainerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
      t.advance(60_000);
      await t.sync();
      expect(starts(t)).toEqual(['startContainer u1/one#0']);
    });

    it('one whose process cannot start is retried under Always (RunContainerError)', async () => {
      const t = setup('busybox', 'Always', twoInit);
      t.runtime.failNext.set('startContainer', new ContainerStartError('runc run failed: exec: "/nope": no such file'));
      await t.sync();
      expect((await t.status()).initContainerStatuses?.[0].state.waiting?.reason).toBe('RunContainerError');
      t.advance(1_000);
      await t.sync();
      expect(starts(t)).toEqual(['startContainer u1/one#0', 'startContainer u1/one#0']);
    });
  });

  it('a crashing container restarts with growing delays and rising restartCount', async () => {
    const t = setup();
    await t.sync();
    const restarts: number[] = [];
    for (const wait of [1_000, 2_000, 4_000]) {
      t.advance(10);
      t.runtime.exit('u1', 'app', 1);
      await t.sync();
      expect((await t.status()).containerStatuses[0].state.waiting?.reason).toBe('CrashLoopBackOff');
      t.advance(wait - 1);
      await t.sync();
      expect((await t.status()).containerStatuses[0].state.waiting?.reason).toBe('CrashLoopBackOff');
      t.advance(1);
      await t.sync();
      restarts.push((await t.status()).containerStatuses[0].restartCount);
    }
    expect(restarts).toEqual([1, 2, 3]);
  });

  it('a deleted pod is stopped, removed and finalized', async () => {
    const t = setup();
    await t.sync();
    const deleting = { ...t.pod, metadata: { ...t.pod.metadata, deletionTimestamp: 'now', deletionGracePeriodSeconds: 2 } };
    await t.sync([deleting]);
    expect(t.runtime.calls.at(-1)).toMatch(/^killContainer id\d+ 2$/);
    await t.sync([deleting]);
    expect(t.runtime.calls.at(-1)).toBe('removePod u1 0');
    expect(t.finalized).toEqual(['u1']);
  });

  it.each([
    // [hook duration s, hook failure, grace, grace left for SIGTERM, events]
    ['a quick hook leaves the rest of the grace period', 3, undefined, 10, 7, []],
    ['a hook using all the grace still leaves the kubelet’s 2 s', 10, undefined, 10, 2, []],
    ['a failing hook is reported and the kill goes on', 1, 'exec exited with 1', 10, 9, ['Warning FailedPreStopHook PreStopHook failed: exec exited with 1']],
  ])('preStop runs before the kill: %s', async (_name, seconds, failure, grace, left, events) => {
    const t = setup();
    const ran: string[] = [];
    t.hooks.preStop = async (action, timeoutMs) => {
      ran.push(`${action.container} ${JSON.stringify(action.preStop)} ${timeoutMs} before ${t.runtime.calls.filter((c) => c.startsWith('kill')).length} kills`);
      t.advance(seconds * 1000);
      return failure;
    };
    const pod: PodView = { ...t.pod, spec: { ...t.pod.spec, containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } } }] } };
    await t.sync([pod]);
    t.events.length = 0;
    await t.sync([{ ...pod, metadata: { ...pod.metadata, deletionTimestamp: 'now', deletionGracePeriodSeconds: grace } }]);
    expect(ran).toEqual([`app {"exec":{"command":["sleep","3"]}} ${grace * 1000} before 0 kills`]);
    expect(t.runtime.calls.at(-1)).toMatch(new RegExp(`^killContainer id\\d+ ${left}$`));
    expect(t.detailedEvents.filter((e) => e.startsWith('Warning'))).toEqual(events);
  });

  it('postStart runs right after the start; the container is not Running or Ready until it returns', async () => {
    const t = setup();
    const seen: unknown[] = [];
    let release!: () => void;
    t.hooks.postStart = async (action, id, handler, timeoutMs) => {
      seen.push({ container: action.container, id, handler, timeoutMs, calls: [...t.runtime.calls] });
      await new Promise<void>((r) => (release = r));
      return undefined;
    };
    const pod: PodView = { ...t.pod, spec: { ...t.pod.spec, containers: [{ name: 'app', image: 'busybox', lifecycle: { postStart: { exec: { command: ['touch', '/ready'] } } } }] } };
    // A status pass right after the runtime started it, before the hook is called: not Running either.
    const start = t.runtime.startContainer.bind(t.runtime);
    let atStart: unknown;
    t.runtime.startContainer = async (...args) => {
      const id = await start(...args);
      atStart = (await t.status()).phase;
      return id;
    };
    const pass = t.sync([pod]);
    for (let i = 0; i < 20 && !seen.length; i++) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ container: 'app', id: 'id1', handler: { exec: { command: ['touch', '/ready'] } }, timeoutMs: POST_START_TIMEOUT_MS, calls: ['createSandbox u1', 'pullImage busybox', 'startContainer u1/app#0'] }]);
    expect(atStart).toBe('Pending');
    const during = await t.status();
    expect(during.phase).toBe('Pending');
    expect(during.containerStatuses[0]).toMatchObject({ ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } });
    expect(during.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    release();
    await pass;
    const after = await t.status();
    expect(after.phase).toBe('Running');
    expect(after.containerStatuses[0].state).toHaveProperty('running');
    expect(after.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(t.events).toEqual(['Normal Pulled', 'Normal Started']);
  });

  it('a failing postStart hook is reported without its output, kills the container (preStop, grace) and the restart policy restarts it', async () => {
    const t = setup();
    const hooksRun: string[] = [];
    t.hooks.postStart = async () => {
      hooksRun.push('postStart');
      return 'command exited with 1: secret=hunter2';
    };
    t.hooks.preStop = async () => void hooksRun.push('preStop');
    const pod: PodView = { ...t.pod, spec: { ...t.pod.spec, terminationGracePeriodSeconds: 7, containers: [{ name: 'app', image: 'busybox', lifecycle: { postStart: { httpGet: { port: 80 } }, preStop: { sleep: { seconds: 1 } } } }] } };
    await t.sync([pod]);
    expect(hooksRun).toEqual(['postStart', 'preStop']);
    expect(t.runtime.calls.slice(-2)).toEqual(['startContainer u1/app#0', 'killContainer id1 7']);
    expect(t.detailedEvents.filter((e) => e.startsWith('Warning'))).toEqual(['Warning FailedPostStartHook PostStartHook failed']);
    const s = await t.status();
    expect(s.containerStatuses[0]).toMatchObject({ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137 } } });
    expect(t.memory.pods.u1.app.postStartRunning).toBeUndefined();
    // restartPolicy Always: started again after the crash-loop delay, and the hook runs again.
    t.advance(1_000);
    await t.sync([pod]);
    expect(t.runtime.calls).toContain('startContainer u1/app#1');
    expect(hooksRun.filter((h) => h === 'postStart')).toHaveLength(2);
  });

  it('a container without a postStart hook starts without one', async () => {
    const t = setup();
    let ran = false;
    t.hooks.postStart = async () => void (ran = true);
    await t.sync();
    expect(ran).toBe(false);
    expect((await t.status()).phase).toBe('Running');
  });

  it('no preStop hook runs on a zero-grace (forced) delete', async () => {
    const t = setup();
    let ran = false;
    t.hooks.preStop = async () => void (ran = true);
    const pod: PodView = { ...t.pod, spec: { ...t.pod.spec, containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } };
    await t.sync([pod]);
    await t.sync([{ ...pod, metadata: { ...pod.metadata, deletionTimestamp: 'now', deletionGracePeriodSeconds: 0 } }]);
    expect(ran).toBe(false);
    expect(t.runtime.calls.at(-1)).toMatch(/^killContainer id\d+ 0$/);
  });

  it('a failing sandbox creation skips the rest of the pod and is retried after 10 s, not every pass', async () => {
    const t = setup();
    t.runtime.failNext.set('createSandbox', new Error('netns busy'));
    await t.sync();
    expect(t.runtime.calls).toEqual(['createSandbox u1']);
    expect(t.events).toContain('Warning FailedSync');
    t.advance(SANDBOX_RETRY_MS - 1);
    await t.sync();
    expect(t.runtime.calls).toEqual(['createSandbox u1']);
    t.advance(1);
    await t.sync();
    expect(t.runtime.calls.slice(1)).toEqual(['createSandbox u1', 'pullImage busybox', 'startContainer u1/app#0']);
    expect(t.memory.sandboxRetryAt?.size ?? 0).toBe(0);
  });

  it('forgets the wait of a pod deleted before its sandbox was ever made', async () => {
    const t = setup();
    t.runtime.failNext.set('createSandbox', new Error('netns busy'));
    await t.sync();
    expect(t.memory.sandboxRetryAt?.size).toBe(1);
    await t.sync([{ ...t.pod, metadata: { ...t.pod.metadata, deletionTimestamp: 'now', deletionGracePeriodSeconds: 0 } }]);
    expect(t.finalized).toEqual(['u1']);
    expect(t.memory.sandboxRetryAt?.size).toBe(0);
  });
});
