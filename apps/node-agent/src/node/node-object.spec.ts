import { buildNode, HostFacts, HYPERVISOR_LABEL, mergeConditions, NodeConfig, nodeConditions, nodeStatusDue, NODE_STATUS_REPORT_MS } from './node-object';

const GI = 1024 ** 3;
const facts: HostFacts = {
  hostname: 'host-a', internalIP: '10.200.0.2', cpuMillis: 2000, memoryBytes: 24 * GI, ephemeralStorageBytes: 100 * GI,
  kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12', architecture: 'amd64',
  memoryAvailableBytes: 20 * GI, diskAvailableBytes: 50 * GI, pidsInUse: 300, pidMax: 32768,
};
const config: NodeConfig = {
  nodeName: 'node-a', podCIDR: '10.244.1.0/24', maxPods: 110, hypervisor: 'tcg',
  systemReserved: { cpuMillis: 100, memoryBytes: 512 * 1024 * 1024 }, agentPort: 10250,
};

describe('buildNode', () => {
  const node = buildNode(facts, config);
  it('subtracts the system reserve from allocatable', () => {
    expect(node.status.capacity).toMatchObject({ cpu: '2', memory: '24576Mi', pods: '110' });
    expect(node.status.allocatable).toMatchObject({ cpu: '1900m', memory: '24064Mi', pods: '110' });
  });
  it('labels hostname, arch, os and hypervisor kind', () => {
    expect(node.metadata.labels).toEqual({
      'kubernetes.io/hostname': 'node-a', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', [HYPERVISOR_LABEL]: 'tcg',
    });
  });
  it('publishes pod CIDR, addresses and the agent endpoint', () => {
    expect(node.spec.podCIDR).toBe('10.244.1.0/24');
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '10.200.0.2' });
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(10250);
  });
  it('never reports negative allocatable', () => {
    const tiny = buildNode({ ...facts, cpuMillis: 50 }, config);
    expect(tiny.status.allocatable.cpu).toBe('0');
  });
});

describe('nodeConditions', () => {
  const status = (f: Partial<HostFacts>) => Object.fromEntries(nodeConditions({ ...facts, ...f }, config).map((c) => [c.type, c.status]));
  it.each([
    ['healthy host', {}, { MemoryPressure: 'False', DiskPressure: 'False', PIDPressure: 'False', Ready: 'True' }],
    ['low memory', { memoryAvailableBytes: 50 * 1024 * 1024 }, { MemoryPressure: 'True' }],
    ['low disk', { diskAvailableBytes: 5 * GI }, { DiskPressure: 'True' }],
    ['pids nearly exhausted', { pidsInUse: 32000 }, { PIDPressure: 'True' }],
  ] as Array<[string, Partial<HostFacts>, Record<string, string>]>)('%s', (_n, f, want) => {
    expect(status(f)).toMatchObject(want);
  });
});

describe('mergeConditions', () => {
  it('keeps the transition time of unchanged conditions and moves it on change', () => {
    const first = mergeConditions(undefined, nodeConditions(facts, config), 't1');
    const second = mergeConditions(first, nodeConditions({ ...facts, memoryAvailableBytes: 1 }, config), 't2');
    const byType = (cs: typeof second, type: string) => cs.find((c) => c.type === type)!;
    expect(byType(second, 'Ready')).toMatchObject({ lastTransitionTime: 't1', lastHeartbeatTime: 't2' });
    expect(byType(second, 'MemoryPressure')).toMatchObject({ status: 'True', lastTransitionTime: 't2' });
  });
});

describe('nodeStatusDue', () => {
  const reported = mergeConditions(undefined, nodeConditions(facts, config), 't1');
  const same = nodeConditions(facts, config);
  it.each([
    { name: 'never written by this agent', current: reported, next: same, last: undefined, now: 1_000, due: true },
    { name: 'unchanged and written a minute ago', current: reported, next: same, last: 0, now: 60_000, due: false },
    { name: 'unchanged, but the report interval passed', current: reported, next: same, last: 0, now: NODE_STATUS_REPORT_MS, due: true },
    { name: 'memory pressure appeared', current: reported, next: nodeConditions({ ...facts, memoryAvailableBytes: 1 }, config), last: 0, now: 60_000, due: true },
    { name: 'the node lifecycle controller set Ready Unknown', current: reported.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown' } : c)), next: same, last: 0, now: 60_000, due: true },
    { name: 'the Node shows no conditions', current: undefined, next: same, last: 0, now: 60_000, due: true },
  ])('$name → $due', ({ current, next, last, now, due }) => {
    expect(nodeStatusDue(current, next, last, now)).toBe(due);
  });
});
