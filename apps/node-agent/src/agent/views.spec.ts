import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { carryConditions, podStatusPatch, podView, statusWriteNeedsPin, vmiStatusPatch } from './views';

const now = '2026-11-26T10:00:00Z';
const pod = (status: Record<string, unknown> = {}): Pod =>
  ({ metadata: { uid: 'u', namespace: 'd', name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox' }] }, status }) as unknown as Pod;
const computed = (phase: 'Pending' | 'Running', ready: 'True' | 'False') => ({
  phase,
  conditions: [{ type: 'Ready', status: ready }],
  containerStatuses: [],
  hostIP: '10.0.0.2',
  hostIPs: [{ ip: '10.0.0.2' }],
});

describe('pod status patches', () => {
  it('writes when something changed and keeps PodScheduled and startTime', () => {
    const before = pod({ phase: 'Pending', startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 'x' }] });
    const patch = podStatusPatch(before, computed('Running', 'True'), now)!;
    expect(patch.phase).toBe('Running');
    expect(patch.startTime).toBe('2026-01-01T00:00:00Z');
    expect(patch.conditions).toEqual([
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: 'x' },
    ]);
  });

  it('does not write when only timestamps would differ', () => {
    const first = podStatusPatch(pod(), computed('Running', 'True'), now)!;
    const stored = pod(first);
    expect(podStatusPatch(stored, computed('Running', 'True'), '2026-11-26T11:00:00Z')).toBeUndefined();
  });

  it('keeps lastTransitionTime while a condition holds, moves it when it flips', () => {
    const held = carryConditions([{ type: 'Ready', status: 'True', lastTransitionTime: 'then' }], [{ type: 'Ready', status: 'True' }], now);
    expect(held[0].lastTransitionTime).toBe('then');
    const flipped = carryConditions([{ type: 'Ready', status: 'True', lastTransitionTime: 'then' }], [{ type: 'Ready', status: 'False' }], now);
    expect(flipped[0].lastTransitionTime).toBe(now);
  });

  it('maps a Pod to the plan view', () => {
    expect(podView(pod({ phase: 'Running' }))).toEqual({
      metadata: { uid: 'u', namespace: 'd', name: 'p', deletionTimestamp: undefined, deletionGracePeriodSeconds: undefined },
      spec: { restartPolicy: undefined, terminationGracePeriodSeconds: undefined, containers: [{ name: 'a', image: 'busybox', imagePullPolicy: undefined, readinessProbe: undefined }] },
      status: { phase: 'Running' },
    });
  });

  it('reads an eviction back from the last status (Failed, reason Evicted)', () => {
    expect(podView(pod({ phase: 'Failed', reason: 'Evicted', message: 'over' })).status?.evicted).toBe('over');
    expect(podView(pod({ phase: 'Failed', reason: 'DeadlineExceeded' })).status).not.toHaveProperty('evicted');
  });

  it('carries the liveness and startup probes\' own grace periods, only when set', () => {
    const withProbes = (liveness?: number, startup?: number) => ({
      metadata: { uid: 'u', namespace: 'd', name: 'p' },
      spec: { containers: [{ name: 'a', image: 'busybox', livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: liveness }, startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: startup } }] },
    }) as unknown as Pod;
    expect(podView(withProbes(3, 9)).spec.containers[0].probeGrace).toEqual({ liveness: 3, startup: 9 });
    expect(podView(withProbes(undefined, 9)).spec.containers[0].probeGrace).toEqual({ startup: 9 });
    expect(podView(withProbes()).spec.containers[0]).not.toHaveProperty('probeGrace');
  });

  it('reads start failures back from the last status (terminated StartError), for an agent that restarted', () => {
    const failed = pod({
      phase: 'Failed',
      containerStatuses: [
        { name: 'a', state: { terminated: { exitCode: 128, reason: 'StartError', message: 'no /nope', startedAt: '1970-01-01T00:00:00Z', finishedAt: '2026-11-26T10:00:00.000Z' } } },
        { name: 'b', state: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-26T10:00:00.000Z' } } },
      ],
    });
    expect(podView(failed).status).toEqual({ phase: 'Failed', startFailures: { a: { message: 'no /nope', at: Date.parse(now) } } });
  });
});

describe('init containers in the plan view', () => {
  const withInit = (status: Record<string, unknown> = {}): Pod => ({
    metadata: { uid: 'u', namespace: 'd', name: 'p' },
    spec: { restartPolicy: 'Never', initContainers: [{ name: 'one', image: 'busybox', imagePullPolicy: 'Always', command: ['true'] }, { name: 'two', image: 'migrate:1' }], containers: [{ name: 'a', image: 'busybox' }] },
    status,
  }) as unknown as Pod;

  it('maps init containers (name, image, pull policy), in order', () => {
    expect(podView(withInit()).spec.initContainers).toEqual([
      { name: 'one', image: 'busybox', imagePullPolicy: 'Always' },
      { name: 'two', image: 'migrate:1', imagePullPolicy: undefined },
    ]);
  });

  it('reads back init containers the last status reports completed (exit 0), not failed or running ones', () => {
    const view = podView(withInit({
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'one', restartCount: 1, containerID: 'runc://u-one-1', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-11-26T09:59:00Z', finishedAt: now, containerID: 'runc://u-one-1' } } },
        { name: 'two', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } },
      ],
    }));
    expect(view.status).toEqual({ phase: 'Pending', completedInit: { one: { restartCount: 1, startedAt: '2026-11-26T09:59:00Z', finishedAt: now, containerID: 'runc://u-one-1' } } });
    expect(podView(withInit({ initContainerStatuses: [{ name: 'one', restartCount: 0, state: { running: {} } }] })).status).toEqual({ phase: undefined });
  });

  it('reads an init container\'s start failure back too', () => {
    const view = podView(withInit({
      phase: 'Failed',
      initContainerStatuses: [{ name: 'one', restartCount: 0, state: { terminated: { exitCode: 128, reason: 'StartError', message: 'no /nope', finishedAt: now } } }],
    }));
    expect(view.status?.startFailures).toEqual({ one: { message: 'no /nope', at: Date.parse(now) } });
  });
});

describe('VMI status patches', () => {
  const vmi = (status: Record<string, unknown> = {}) => ({ metadata: { uid: 'v', namespace: 'd', name: 'tiny' }, spec: { domain: {} }, status }) as unknown as VirtualMachineInstance;
  const running = { phase: 'Running' as const, interfaces: [{ name: 'default', ipAddress: '10.1.2.3', ipAddresses: ['10.1.2.3'] }], conditions: [{ type: 'Ready', status: 'True' as const }] };

  it('records the phase transition and the guest IP, then stays quiet', () => {
    const patch = vmiStatusPatch(vmi({ phase: 'Scheduled' }), running, 'node-1', now)!;
    expect(patch).toMatchObject({ phase: 'Running', nodeName: 'node-1', interfaces: running.interfaces, phaseTransitionTimestamps: [{ phase: 'Running', phaseTransitionTimestamp: now }] });
    expect(vmiStatusPatch(vmi(patch), running, 'node-1', now)).toBeUndefined();
  });
});

describe('conditions others own', () => {
  const gated = (conditions: unknown[]) => ({ ...pod({ phase: 'Running', conditions }), spec: { containers: [{ name: 'a', image: 'busybox' }], readinessGates: [{ conditionType: 'example.com/lb' }] } }) as unknown as Pod;
  it.each<[string, unknown[], string[], boolean]>([
    ['only PodScheduled: kept, write not pinned', [{ type: 'PodScheduled', status: 'True' }], ['Ready', 'PodScheduled'], false],
    ['a gate condition and DisruptionTarget: kept after the agent\'s, write pinned', [{ type: 'Ready', status: 'False' }, { type: 'example.com/lb', status: 'False' }, { type: 'DisruptionTarget', status: 'True' }], ['Ready', 'example.com/lb', 'DisruptionTarget'], true],
  ])('%s', (_name, conditions, types, pinned) => {
    const patch = podStatusPatch(gated(conditions), computed('Running', 'True'), now)!;
    expect((patch.conditions as Array<{ type: string }>).map((c) => c.type)).toEqual(types);
    expect(statusWriteNeedsPin(gated(conditions))).toBe(pinned);
  });

  it('the plan view carries the gates and the conditions they read', () => {
    const view = podView(gated([{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'example.com/lb', status: 'True' }]));
    expect(view.spec.readinessGates).toEqual([{ conditionType: 'example.com/lb' }]);
    expect(view.status?.conditions).toEqual([{ type: 'example.com/lb', status: 'True' }]);
  });
});
