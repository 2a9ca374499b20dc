import type { Pod } from '@coxswain/api/browser';
import { podObject, vmiObject } from '../testing/fixtures';
import { podRequests, vmiRequests, workloadFromPod, workloadFromVmi } from './workload';

const MI = 1024 * 1024;
const withContainers = (containers: unknown[], extra: Record<string, unknown> = {}) =>
  ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers, ...extra } }) as unknown as Pod;
const c = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ name: 'c', resources: { requests, limits } });

describe('podRequests', () => {
  it.each([
    { name: 'sums containers', pod: withContainers([c({ cpu: '100m', memory: '64Mi' }), c({ cpu: '250m', memory: '1Gi' })]), want: { milliCpu: 350, memory: 1088 * MI, pods: 1 } },
    { name: 'limits stand in for missing requests', pod: withContainers([c(undefined, { cpu: '1', memory: '1Gi' })]), want: { milliCpu: 1000, memory: 1024 * MI, pods: 1 } },
    { name: 'a larger init container wins', pod: withContainers([c({ cpu: '100m' })], { initContainers: [c({ cpu: '2' })] }), want: { milliCpu: 2000, memory: 0, pods: 1 } },
    { name: 'overhead is added', pod: withContainers([c({ cpu: '100m' })], { overhead: { cpu: '50m', memory: '10Mi' } }), want: { milliCpu: 150, memory: 10 * MI, pods: 1 } },
    { name: 'no requests', pod: withContainers([c()]), want: { milliCpu: 0, memory: 0, pods: 1 } },
    { name: 'garbage quantity counts 0', pod: withContainers([c({ cpu: 'lots' })]), want: { milliCpu: 0, memory: 0, pods: 1 } },
  ])('$name', ({ pod, want }) => expect(podRequests(pod).requests).toEqual(want));

  it('non-zero defaults fill only missing requests (scoring view)', () => {
    expect(podRequests(withContainers([c(), c({ cpu: '1' })])).nonZero).toEqual({ milliCpu: 1100, memory: 400 * MI });
  });
});

describe('vmiRequests', () => {
  const overhead = { milliCpu: 10, memory: 96 * MI };
  it.each([
    { name: 'guest memory and cores', vmi: vmiObject('v', { cores: 2, guest: '1Gi' }), want: { milliCpu: 210, memory: 1120 * MI, pods: 1 } },
    { name: 'explicit requests win', vmi: vmiObject('v', { cores: 4, guest: '4Gi', requests: { cpu: '500m', memory: '512Mi' } }), want: { milliCpu: 510, memory: 608 * MI, pods: 1 } },
  ])('$name', ({ vmi, want }) => expect(vmiRequests(vmi, overhead)).toEqual(want));

  it('multiplies cores, sockets and threads', () => {
    const v = vmiObject('v');
    v.spec.domain.cpu = { cores: 2, sockets: 2, threads: 2 };
    expect(vmiRequests(v, { milliCpu: 0, memory: 0 }).milliCpu).toBe(800);
  });
});

describe('workloadFromPod / workloadFromVmi', () => {
  it('keys kinds apart and reads scheduling fields', () => {
    const w = workloadFromPod(podObject('a', { nodeName: 'n1', priority: 7, schedulerName: 'binpack' }));
    expect(w).toMatchObject({ kind: 'Pod', key: 'Pod/default/a', nodeName: 'n1', priority: 7, schedulerName: 'binpack', terminal: false });
    const v = workloadFromVmi(vmiObject('a', { requireKvm: true }), { milliCpu: 0, memory: 0 });
    expect(v).toMatchObject({ kind: 'VirtualMachineInstance', key: 'VirtualMachineInstance/default/a', schedulerName: 'default-scheduler', vm: { requireKvm: true } });
  });

  it.each([
    { name: 'explicit priority', spec: { priority: 5, priorityClassName: 'system-node-critical' }, want: 5 },
    { name: 'built-in class', spec: { priorityClassName: 'system-cluster-critical' }, want: 2_000_000_000 },
    { name: 'unknown class', spec: { priorityClassName: 'gold' }, want: 0 },
  ])('priority: $name', ({ spec, want }) => {
    expect(workloadFromPod(withContainers([c()], spec)).priority).toBe(want);
  });

  it('a VMI bound via status.nodeName counts as bound; finished phases are terminal', () => {
    const v = vmiObject('v');
    v.status = { nodeName: 'n2', phase: 'Succeeded' };
    expect(workloadFromVmi(v, { milliCpu: 0, memory: 0 })).toMatchObject({ nodeName: 'n2', terminal: true });
  });
});

describe('what the topology, port and extended-resource plugins read', () => {
  it('scalar requests: containers add up, the largest init container wins, limits stand in, zero is left out', () => {
    const p = withContainers(
      [c({ cpu: '1', 'nvidia.com/gpu': '1', 'ephemeral-storage': '1Gi' }), c(undefined, { 'nvidia.com/gpu': '1', 'example.com/zero': '0' })],
      { initContainers: [c({ 'ephemeral-storage': '5Gi' })] },
    );
    expect(podRequests(p).scalar).toEqual({ 'nvidia.com/gpu': 2, 'ephemeral-storage': 5 * 1024 * MI });
    expect(workloadFromPod(p).scalarRequests).toEqual({ 'nvidia.com/gpu': 2, 'ephemeral-storage': 5 * 1024 * MI });
    expect(workloadFromPod(withContainers([c({ cpu: '1', memory: '1Gi' })])).scalarRequests).toBeUndefined();
  });

  it('a VMI counts scalar requests of its domain', () => {
    const v = vmiObject('v', { requests: { memory: '1Gi', 'devices.example.com/tpm': '1' } });
    expect(workloadFromVmi(v).scalarRequests).toEqual({ 'devices.example.com/tpm': 1 });
  });

  it('a workload without pod affinity, spread or host ports carries none (plugins return at once)', () => {
    const w = workloadFromPod(podObject('a'));
    expect([w.podAffinity, w.spread, w.hostPorts, w.preferredNodeTerms]).toEqual([undefined, undefined, undefined, undefined]);
    expect(w.labels).toEqual({});
  });

  it('affinity terms default to the workload namespace; namespaces and namespaceSelector replace it', () => {
    const term = (extra: Record<string, unknown>) => ({ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone', ...extra });
    const w = workloadFromPod(
      withContainers([c()], {
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({}), term({ namespaces: ['a', 'b'] }), term({ namespaceSelector: {} })] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({}) }, { weight: 0, podAffinityTerm: term({}) }] },
        },
      }),
    );
    expect(w.podAffinity!.required.map((t) => [[...t.namespaces], t.namespaceSelector])).toEqual([[['ns'], null], [['a', 'b'], null], [[], []]]);
    expect(w.podAffinity!.antiPreferred.map((t) => t.weight)).toEqual([5]);
    expect(w.podAffinity!.required[0].selector).toEqual([{ key: 'app', operator: 'Equals', values: ['db'] }]);
  });

  it('spread constraints get Kubernetes defaults and know whether the workload matches itself', () => {
    const w = workloadFromPod({
      ...withContainers([c()], { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] }),
      metadata: { name: 'p', namespace: 'ns', labels: { app: 'web' } },
    } as Pod);
    expect(w.spread).toEqual({ hard: [], soft: [expect.objectContaining({ minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', selfMatch: true })] });
  });
});
