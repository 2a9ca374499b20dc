import {
  boundLabel,
  bucketQuantile,
  bucketsToBars,
  densityPerNode,
  formatSeconds,
  histogram,
  podStartSeconds,
  quantile,
  reviveFeed,
  summarize,
  vmiGuestMemory,
  vmiStartSeconds,
  workloadFigures,
} from './compare';

const T0 = '2026-12-05T10:00:00Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString().replace(/\.000Z$/, 'Z');

const pod = (name: string, node: string, status: Record<string, unknown>) => ({ metadata: { name, namespace: 'ns', creationTimestamp: T0 }, spec: { nodeName: node }, status });
const vmi = (name: string, node: string, runningAfter: number | undefined, domain: Record<string, unknown> = { resources: { requests: { memory: '128Mi' } } }) => ({
  metadata: { name, namespace: 'ns', creationTimestamp: T0 },
  spec: { domain },
  status: {
    phase: runningAfter === undefined ? 'Scheduled' : 'Running',
    nodeName: node,
    phaseTransitionTimestamps: [{ phase: 'Scheduled', phaseTransitionTimestamp: at(0) }, ...(runningAfter === undefined ? [] : [{ phase: 'Running', phaseTransitionTimestamp: at(runningAfter) }])],
  },
});

describe('compare', () => {
  it.each([
    ['the last container running', pod('a', 'n1', { phase: 'Running', containerStatuses: [{ state: { running: { startedAt: at(1) } } }, { state: { running: { startedAt: at(2) } } }] }), 2],
    ['the Ready transition when a container is not running', pod('a', 'n1', { phase: 'Running', containerStatuses: [{ state: { waiting: {} } }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(4) }] }), 4],
    ['nothing for a Pending pod', pod('a', 'n1', { phase: 'Pending' }), undefined],
    ['nothing without timestamps', pod('a', 'n1', { phase: 'Running' }), undefined],
  ])('pod start: %s', (_name, p, want) => expect(podStartSeconds(p)).toBe(want));

  it.each([
    ['Running transition', vmi('v', 'n1', 7), 7],
    ['not Running yet', vmi('v', 'n1', undefined), undefined],
  ])('VMI start: %s', (_name, v, want) => expect(vmiStartSeconds(v)).toBe(want));

  it.each([
    [{ memory: { guest: '256Mi' }, resources: { requests: { memory: '300Mi' } } }, 256 * 1024 * 1024],
    [{ resources: { requests: { memory: '128Mi' } } }, 128 * 1024 * 1024],
    [{ resources: { limits: { memory: '1Gi' } } }, 1024 * 1024 * 1024],
    [{}, undefined],
  ])('guest RAM of %j', (domain, want) => expect(vmiGuestMemory(vmi('v', 'n1', 1, domain))).toBe(want));

  it.each([
    [[], 0.5, undefined],
    [[3], 0.9, 3],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[0, 10], 0.9, 9],
  ])('quantile(%j, %p)', (values, q, want) => expect(quantile(values, q)).toBe(want));

  it.each([
    // 10 starts: 4 ≤ 0.1, 8 ≤ 0.5, 10 ≤ +Inf
    [[{ le: 0.1, count: 4 }, { le: 0.5, count: 8 }, { le: Infinity, count: 10 }], 0.5, 0.1 + 0.4 * (1 / 4)],
    [[{ le: 0.1, count: 4 }, { le: 0.5, count: 8 }, { le: Infinity, count: 10 }], 0.2, 0.05],
    [[{ le: 0.1, count: 4 }, { le: 0.5, count: 8 }, { le: Infinity, count: 10 }], 0.95, 0.5], // +Inf bucket → highest finite bound
    [[{ le: 1, count: 0 }, { le: Infinity, count: 0 }], 0.5, undefined],
  ])('bucketQuantile(%j, %p) like histogram_quantile', (buckets, q, want) => {
    const got = bucketQuantile(buckets, q);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(want, 9);
  });

  it('bins values and cumulative buckets onto the same bars', () => {
    const bounds = [0.1, 1, Infinity];
    expect(histogram([0.05, 0.1, 0.5, 2, 90], bounds)).toEqual([{ le: 0.1, count: 2 }, { le: 1, count: 1 }, { le: Infinity, count: 2 }]);
    // The histogram has a 0.5 bucket the bars do not: it folds into ≤ 1.
    expect(bucketsToBars([{ le: 0.1, count: 2 }, { le: 0.5, count: 3 }, { le: 1, count: 3 }, { le: Infinity, count: 5 }], bounds)).toEqual([{ le: 0.1, count: 2 }, { le: 1, count: 1 }, { le: Infinity, count: 2 }]);
  });

  it('keeps running Pods and VMIs with their usage, guest RAM and overhead', () => {
    const figures = workloadFigures(
      [pod('web', 'n1', { phase: 'Running', containerStatuses: [{ state: { running: { startedAt: at(1) } } }] }), pod('wait', 'n1', { phase: 'Pending' })],
      [vmi('vm', 'n2', 6), vmi('booting', 'n2', undefined)],
      { usage: { 'ns/web': { cpu: 0.001, mem: 4e6 }, 'ns/vm': { cpu: 0.2, mem: 150e6 } }, prometheus: { startBuckets: { container: [], vm: [] }, overhead: { 'ns/vm': 20e6, 'ns/web': 1e5 } } },
    );
    expect(figures).toEqual([
      { kind: 'container', namespace: 'ns', name: 'web', node: 'n1', startSeconds: 1, usage: { cpu: 0.001, mem: 4e6 }, overhead: 1e5 },
      { kind: 'vm', namespace: 'ns', name: 'vm', node: 'n2', startSeconds: 6, usage: { cpu: 0.2, mem: 150e6 }, overhead: 20e6, guestMemory: 128 * 1024 * 1024 },
    ]);
  });

  it('summarizes each kind from object timestamps without Prometheus', () => {
    const s = summarize([
      { kind: 'container', namespace: 'ns', name: 'a', startSeconds: 0, usage: { cpu: 0.01, mem: 2e6 } },
      { kind: 'container', namespace: 'ns', name: 'b', startSeconds: 2, usage: { cpu: 0.03, mem: 6e6 } },
      { kind: 'vm', namespace: 'ns', name: 'v', startSeconds: 8, guestMemory: 128e6 },
    ]);
    expect(s.container).toMatchObject({ running: 2, memory: 4e6, cpu: 0.02, start: { source: 'objects', count: 2, p50: 1, p90: 1.8 } });
    expect(s.container.guestMemory).toBeUndefined();
    expect(s.vm).toMatchObject({ running: 1, guestMemory: 128e6, start: { source: 'objects', count: 1, p50: 8 } });
    expect(s.vm.memory).toBeUndefined(); // no usage yet: unknown, not zero
    expect(s.vm.start.bars.find((b) => b.le === 10)?.count).toBe(1);
  });

  it('takes start times from Prometheus\' histogram when it has starts', () => {
    const s = summarize([{ kind: 'container', namespace: 'ns', name: 'a', startSeconds: 1 }], {
      startBuckets: { container: [{ le: 0.1, count: 3 }, { le: 0.25, count: 4 }, { le: Infinity, count: 4 }], vm: [{ le: Infinity, count: 0 }] },
      overhead: {},
    });
    expect(s.container.start).toMatchObject({ source: 'prometheus', count: 4, p50: 0.1 * (2 / 3) });
    expect(s.vm.start.source).toBe('objects'); // no VM starts in Prometheus yet
  });

  it('lists every node with its containers and VMs', () => {
    const nodes = [{ metadata: { name: 'n2' } }, { metadata: { name: 'n1' } }, { metadata: { name: 'n3' } }];
    const d = densityPerNode(nodes, [
      { kind: 'container', namespace: 'ns', name: 'a', node: 'n1', usage: { cpu: 0, mem: 5 } },
      { kind: 'container', namespace: 'ns', name: 'b', node: 'n1' },
      { kind: 'vm', namespace: 'ns', name: 'v', node: 'n2', usage: { cpu: 0, mem: 100 } },
    ]);
    expect(d).toEqual([
      { node: 'n1', containers: 2, vms: 0, containerMemory: 5, vmMemory: 0 },
      { node: 'n2', containers: 0, vms: 1, containerMemory: 0, vmMemory: 100 },
      { node: 'n3', containers: 0, vms: 0, containerMemory: 0, vmMemory: 0 },
    ]);
  });

  it.each([
    [undefined, '–'],
    [0.0424, '42 ms'],
    [3.456, '3.46 s'],
    [42.25, '42.3 s'],
  ])('formatSeconds(%p)', (s, want) => expect(formatSeconds(s)).toBe(want));

  it('revives +Inf bounds that JSON turned into null', () => {
    const wire = JSON.parse(JSON.stringify({ usage: {}, prometheus: { startBuckets: { container: [{ le: 1, count: 1 }, { le: Infinity, count: 2 }], vm: [] }, overhead: {} } }));
    expect(wire.prometheus.startBuckets.container[1].le).toBeNull();
    expect(reviveFeed(wire).prometheus!.startBuckets.container).toEqual([{ le: 1, count: 1 }, { le: Infinity, count: 2 }]);
    expect(reviveFeed({ usage: {} })).toEqual({ usage: {} });
  });

  it('labels bars by their bounds', () => {
    const bars = [{ le: 0.15, count: 0 }, { le: 60, count: 0 }, { le: Infinity, count: 0 }];
    expect([0, 1, 2].map((i) => boundLabel(bars, i))).toEqual(['≤ 150 ms', '≤ 60 s', '> 60 s']);
  });
});
