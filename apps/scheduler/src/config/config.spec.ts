import { DEFAULT_CONFIG, parseConfig, resolveConfig } from './config';

describe('scheduler config', () => {
  it('an empty document gives the defaults', () => {
    expect(resolveConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.vmOverhead).toEqual({ milliCpu: 10, memory: 96 * 1024 * 1024 });
  });

  it('reads YAML with profiles, weights and tuning', () => {
    const config = parseConfig(`
apiVersion: coxswain.io/v1alpha1
kind: SchedulerConfiguration
percentageOfNodesToScore: 10
bindConcurrency: 128
backoff: { initialSeconds: 0.5, maxSeconds: 4 }
vmOverhead: { cpu: 50m, memory: 128Mi }
events: { scheduled: false }
leaderElection: { enabled: false }
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packing
    scores: { MostAllocated: 2, BalancedAllocation: 1 }
`);
    expect(config).toMatchObject({
      percentageOfNodesToScore: 10,
      bindConcurrency: 128,
      backoff: { initialMs: 500, maxMs: 4000 },
      vmOverhead: { milliCpu: 50, memory: 128 * 1024 * 1024 },
      scheduledEvents: false,
      leaderElection: { enabled: false, name: 'coxswain-scheduler', namespace: 'kube-system' },
      profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'bin-packing', scores: { MostAllocated: 2, BalancedAllocation: 1 } }],
    });
  });

  it('reads JSON too', () => {
    expect(parseConfig('{"profiles":[{"schedulerName":"x","scores":{"LeastAllocated":1}}]}').profiles[0].schedulerName).toBe('x');
  });

  it.each([
    { name: 'unknown top-level field', doc: { percentage: 5 }, error: /config.percentage: unknown field/ },
    { name: 'unknown plugin', doc: { profiles: [{ scores: { Fancy: 1 } }] }, error: /unknown score plugin Fancy/ },
    { name: 'unknown filter', doc: { profiles: [{ filters: ['NodeReady', 'Nope'] }] }, error: /unknown filter plugin Nope/ },
    { name: 'duplicate profile', doc: { profiles: [{ schedulerName: 'a' }, { schedulerName: 'a' }] }, error: /appears twice/ },
    { name: 'empty profiles', doc: { profiles: [] }, error: /non-empty list/ },
    { name: 'percentage over 100', doc: { percentageOfNodesToScore: 101 }, error: /percentageOfNodesToScore/ },
    { name: 'back-off max below initial', doc: { backoff: { initialSeconds: 5, maxSeconds: 1 } }, error: /maxSeconds must be/ },
    { name: 'bad overhead quantity', doc: { vmOverhead: { memory: 'lots' } }, error: /not a quantity/ },
    { name: 'lease timings out of order', doc: { leaderElection: { leaseDurationSeconds: 5, renewDeadlineSeconds: 10 } }, error: /leaseDurationSeconds > renewDeadlineSeconds/ },
  ])('rejects $name', ({ doc, error }) => {
    expect(() => resolveConfig(doc)).toThrow(error);
  });
});
