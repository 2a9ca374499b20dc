import { KubeObject } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, ResourceDescriptor } from '@coxswain/client';
import { Registry } from 'prom-client';
import { registerStateMetrics } from './collector';
import { collectLintCleanDefaultMetrics, GAUGES_NAMED_TOTAL } from '@coxswain/metrics';
import { promtoolFindings } from '@coxswain/metrics/testing';
import { DEPLOYMENT_FAMILIES, FamilySpec, HPA_FAMILIES, NODE_FAMILIES, POD_FAMILIES, REPLICASET_FAMILIES, Sample, VMI_FAMILIES } from './families';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'ns', uid: `uid-${name}`, ...extra });
const pod = {
  metadata: meta('web-1', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs', controller: true }] }),
  spec: { nodeName: 'node-1', containers: [] },
  status: {
    phase: 'Running',
    hostIP: '10.0.0.1',
    podIP: '10.244.1.5',
    containerStatuses: [
      { name: 'app', restartCount: 4, ready: false, image: 'busybox', state: { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'side', restartCount: 0, ready: true, image: 'busybox', state: { running: {} } },
    ],
  },
};
const node = {
  metadata: { name: 'node-1' },
  spec: { podCIDR: '10.244.1.0/24' },
  status: { nodeInfo: { kernelVersion: '6.1', osImage: 'Debian' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'False' }] },
};
const vmi = (name: string, phase: string, nodeName = 'node-1') => ({ metadata: meta(name, { annotations: { 'vm.kubevirt.io/os': 'debian' } }), spec: {}, status: { phase, nodeName } });

const by = (families: FamilySpec<never>[], name: string) => families.find((f) => f.name === name)!;
const run = (families: unknown, name: string, objects: unknown[]): Sample[] => by(families as FamilySpec<never>[], name).samples(objects as never[]);

describe('state-metric families', () => {
  it.each([
    ['kube_pod_status_phase: one series per phase, 1 on the current one', POD_FAMILIES, 'kube_pod_status_phase', [pod], 5, { namespace: 'ns', pod: 'web-1', uid: 'uid-web-1', phase: 'Running' }, 1],
    ['kube_pod_status_phase: 0 on the others', POD_FAMILIES, 'kube_pod_status_phase', [pod], 5, { phase: 'Failed' }, 0],
    ['kube_pod_status_phase: no phase yet, no series', POD_FAMILIES, 'kube_pod_status_phase', [{ metadata: meta('p'), spec: {} }], 0, undefined, undefined],
    ['restarts per container', POD_FAMILIES, 'kube_pod_container_status_restarts_total', [pod], 2, { container: 'app' }, 4],
    ['waiting reason only for waiting containers', POD_FAMILIES, 'kube_pod_container_status_waiting_reason', [pod], 1, { container: 'app', reason: 'CrashLoopBackOff' }, 1],
    ['pod info with its controller', POD_FAMILIES, 'kube_pod_info', [pod], 1, { node: 'node-1', created_by_kind: 'ReplicaSet', created_by_name: 'web', pod_ip: '10.244.1.5', host_network: 'false' }, 1],
    ['deployment replicas default to 1', DEPLOYMENT_FAMILIES, 'kube_deployment_spec_replicas', [{ metadata: meta('d'), spec: {} }], 1, { deployment: 'd' }, 1],
    ['available replicas', DEPLOYMENT_FAMILIES, 'kube_deployment_status_replicas_available', [{ metadata: meta('d'), spec: { replicas: 3 }, status: { availableReplicas: 2 } }], 1, { deployment: 'd' }, 2],
    ['replicaset replicas', REPLICASET_FAMILIES, 'kube_replicaset_spec_replicas', [{ metadata: meta('r'), spec: { replicas: 0 } }], 1, { replicaset: 'r' }, 0],
    ['node condition status=false is 1', NODE_FAMILIES, 'kube_node_status_condition', [node], 3, { node: 'node-1', condition: 'Ready', status: 'false' }, 1],
    ['node condition status=true is 0', NODE_FAMILIES, 'kube_node_status_condition', [node], 3, { condition: 'Ready', status: 'true' }, 0],
    ['node info', NODE_FAMILIES, 'kube_node_info', [node], 1, { kernel_version: '6.1', internal_ip: '10.0.0.1', pod_cidr: '10.244.1.0/24' }, 1],
    ['hpa desired', HPA_FAMILIES, 'kube_horizontalpodautoscaler_status_desired_replicas', [{ metadata: meta('h'), spec: {}, status: { currentReplicas: 2, desiredReplicas: 5 } }], 1, { horizontalpodautoscaler: 'h' }, 5],
    ['hpa current', HPA_FAMILIES, 'kube_horizontalpodautoscaler_status_current_replicas', [{ metadata: meta('h'), spec: {}, status: { currentReplicas: 2, desiredReplicas: 5 } }], 1, { horizontalpodautoscaler: 'h' }, 2],
    ['vmi phase count groups equal traits', VMI_FAMILIES, 'kubevirt_vmi_phase_count', [vmi('a', 'Running'), vmi('b', 'Running'), vmi('c', 'Failed')], 2, { phase: 'running', os: 'debian', node: 'node-1', workload: '<none>' }, 2],
    ['vmi info', VMI_FAMILIES, 'kubevirt_vmi_info', [vmi('c', 'Failed', '')], 1, { name: 'c', phase: 'failed', node: '' }, 1],
  ])('%s', (_title, families, name, objects, count, labels, value) => {
    const samples = run(families, name, objects);
    expect(samples).toHaveLength(count);
    if (labels) {
      const match = samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      expect(match).toHaveLength(1);
      expect(match[0].value).toBe(value);
    }
  });

  it('gives every sample exactly the declared label names', () => {
    const all: Array<[FamilySpec<never>[], unknown[]]> = [
      [POD_FAMILIES as never, [pod]],
      [NODE_FAMILIES as never, [node]],
      [VMI_FAMILIES as never, [vmi('a', 'Running')]],
    ];
    for (const [families, objects] of all) for (const f of families) for (const s of f.samples(objects as never[])) expect(Object.keys(s.labels).sort()).toEqual([...f.labelNames].sort());
  });
});

describe('registerStateMetrics', () => {
  const objects: Record<string, unknown[]> = { pods: [pod], nodes: [node], virtualmachineinstances: [vmi('a', 'Running')] };
  const source = (r: ResourceDescriptor) => (objects[r.plural] ?? []) as KubeObject[];

  it('renders at scrape time from the current objects', async () => {
    const registry = new Registry();
    registerStateMetrics(registry, source);
    const text = await registry.metrics();
    expect(text).toMatch(/^kube_pod_status_phase\{namespace="ns",pod="web-1",uid="uid-web-1",phase="Running"\} 1$/m);
    expect(text).toMatch(/^# TYPE kube_pod_container_status_restarts_total counter$/m);
    objects.pods = [];
    expect(await registry.metrics()).not.toMatch(/^kube_pod_status_phase\{/m);
    objects.pods = [pod];
    expect(R.Pod.plural).toBe('pods');
  });

  it('passes promtool check metrics', async () => {
    const registry = new Registry();
    registerStateMetrics(registry, source);
    const text = await registry.metrics();
    expect(promtoolFindings(text)).toEqual([]);
    // The checker does report problems (so the empty list above means something).
    expect(promtoolFindings('# TYPE bad_total gauge\nbad_total 1\n').length).toBeGreaterThan(0);
  });
});

describe('collectLintCleanDefaultMetrics', () => {
  it('keeps process metrics but drops the gauges named *_total, and passes promtool', async () => {
    const registry = new Registry();
    collectLintCleanDefaultMetrics(registry);
    const text = await registry.metrics();
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
    for (const name of GAUGES_NAMED_TOTAL) expect(text).not.toContain(`${name} `);
    expect(promtoolFindings(text)).toEqual([]);
  });
});
