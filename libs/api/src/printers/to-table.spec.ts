import { KubeObject } from '../meta/types';
import { toTable } from './to-table';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();
const meta = (name: string, ageSeconds = 300, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ago(ageSeconds), ...extra });

/** Cells by column name, for readable expectations. */
function cellsOf(kind: string, obj: unknown): Record<string, unknown> {
  const table = toTable(kind, [obj as KubeObject], { now: NOW });
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name, table.rows[0].cells[i]]));
}

const running = (name: string, ready = true, restartCount = 0) => ({ name, ready, restartCount, image: 'busybox', state: { running: { startedAt: ago(60) } } });

describe('toTable envelope', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: meta('web'), spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } } as unknown as KubeObject;

  it('is a meta.k8s.io/v1 Table with list metadata and PartialObjectMetadata rows by default', () => {
    const table = toTable('Pod', [pod], { now: NOW, listMeta: { resourceVersion: '42', continue: 'abc' } });
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '42', continue: 'abc' } });
    expect(table.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  });

  it.each([
    ['Object', (o: unknown) => expect(o).toBe(pod)],
    ['None', (o: unknown) => expect(o).toBeUndefined()],
  ] as const)('includeObject=%s', (includeObject, check) => check(toTable('Pod', [pod], { now: NOW, includeObject }).rows[0].object));

  it('answers v1beta1 when asked', () => {
    const table = toTable('Pod', [pod], { now: new Date(NOW), version: 'v1beta1' });
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.rows[0].object).toMatchObject({ apiVersion: 'meta.k8s.io/v1beta1' });
  });

  it('leaves out column definitions for watch events after the first', () => {
    const table = toTable('Pod', [pod], { now: NOW, noHeaders: true });
    expect(table.columnDefinitions).toEqual([]);
    expect(table.rows[0].cells[0]).toBe('web');
  });

  it('prints an empty list with columns and no rows', () => {
    const table = toTable('Deployment', [], { now: NOW });
    expect(table.rows).toEqual([]);
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  });

  it('falls back to Name and Created At for kinds without a printer', () => {
    const table = toTable('Scale', [{ metadata: meta('x') } as KubeObject], { now: NOW });
    expect(table.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(table.rows[0].cells).toEqual(['x', ago(300)]);
  });

  it.each([
    ['Pod', ['Name', 'Ready', 'Status', 'Restarts', 'Age'], ['IP', 'Node', 'Nominated Node', 'Readiness Gates']],
    ['Deployment', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'], ['Containers', 'Images', 'Selector']],
    ['ReplicaSet', ['Name', 'Desired', 'Current', 'Ready', 'Age'], ['Containers', 'Images', 'Selector']],
    ['Node', ['Name', 'Status', 'Roles', 'Age', 'Version'], ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']],
    ['Namespace', ['Name', 'Status', 'Age'], []],
    ['Event', ['Last Seen', 'Type', 'Reason', 'Object', 'Message'], ['Subobject', 'Source', 'First Seen', 'Count', 'Name']],
    ['HorizontalPodAutoscaler', ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'], []],
    ['Lease', ['Name', 'Holder', 'Age'], []],
    ['CertificateSigningRequest', ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition'], []],
    ['VirtualMachine', ['Name', 'Age', 'Status', 'Ready'], []],
    ['VirtualMachineInstance', ['Name', 'Age', 'Phase', 'IP', 'NodeName', 'Ready'], ['Live-Migratable', 'Paused']],
    ['VirtualMachineInstanceReplicaSet', ['Name', 'Desired', 'Current', 'Ready', 'Age'], []],
  ])('%s columns', (kind, normal, wide) => {
    const columns = toTable(kind, [], { now: NOW }).columnDefinitions;
    expect(columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(normal);
    expect(columns.filter((c) => c.priority === 1).map((c) => c.name)).toEqual(wide);
    for (const c of columns) {
      expect(Object.keys(c).sort()).toEqual(['description', 'format', 'name', 'priority', 'type']);
      expect(c.description.length).toBeGreaterThan(0);
    }
    expect(columns.filter((c) => c.format === 'name').map((c) => c.name)).toEqual(['Name']);
  });
});

describe('Pod rows', () => {
  const pod = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
    metadata: meta('p', 3600, metadata),
    spec: { containers: [{ name: 'app', image: 'busybox' }], nodeName: 'n1', ...spec },
    status,
  });

  it.each([
    ['pending, unscheduled', pod({ phase: 'Pending' }, { nodeName: undefined }), { Ready: '0/1', Status: 'Pending', Restarts: '0', Age: '60m', IP: '<none>', Node: '<none>' }],
    [
      'running and ready',
      pod({ phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [running('app')] }),
      { Ready: '1/1', Status: 'Running', Restarts: '0', IP: '10.0.0.5', Node: 'n1', 'Nominated Node': '<none>', 'Readiness Gates': '<none>' },
    ],
    [
      'CrashLoopBackOff with last restart 5m ago',
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 5, image: 'busybox', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } } },
        ],
      }),
      { Ready: '0/1', Status: 'CrashLoopBackOff', Restarts: '5 (5m ago)' },
    ],
    [
      'ImagePullBackOff',
      pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'nope', state: { waiting: { reason: 'ImagePullBackOff' } } }] }),
      { Ready: '0/1', Status: 'ImagePullBackOff', Restarts: '0' },
    ],
    [
      'terminated with a reason',
      pod({ phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }),
      { Status: 'OOMKilled' },
    ],
    [
      'terminated without a reason, by signal then by exit code',
      pod({ phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode: 2 } } }] }),
      { Status: 'ExitCode:2' },
    ],
    [
      'killed by a signal',
      pod({ phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode: 143, signal: 15 } } }] }),
      { Status: 'Signal:15' },
    ],
    [
      'terminating',
      pod({ phase: 'Running', containerStatuses: [running('app')] }, {}, { deletionTimestamp: ago(5) }),
      { Ready: '1/1', Status: 'Terminating' },
    ],
    ['terminating but already succeeded', pod({ phase: 'Succeeded' }, {}, { deletionTimestamp: ago(5) }), { Status: 'Succeeded' }],
    ['terminating on a lost node', pod({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: ago(5) }), { Status: 'Unknown' }],
    ['evicted', pod({ phase: 'Failed', reason: 'Evicted' }), { Status: 'Evicted' }],
    [
      'one of two containers ready, the other completed',
      pod(
        { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [running('app'), { name: 'side', ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
        { containers: [{ name: 'app' }, { name: 'side' }] },
      ),
      { Ready: '1/2', Status: 'NotReady' },
    ],
    [
      'waiting on an init container',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: 'x', state: { running: {} } }], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', state: { waiting: { reason: 'PodInitializing' } } }] },
        { initContainers: [{ name: 'init' }] },
      ),
      { Ready: '0/1', Status: 'Init:0/1' },
    ],
    [
      'init container crash-looping',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 3, image: 'x', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } }] },
        { initContainers: [{ name: 'init' }] },
      ),
      { Status: 'Init:CrashLoopBackOff', Restarts: '3 (30s ago)' },
    ],
    [
      'init container failed',
      pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode: 3 } } }] }, { initContainers: [{ name: 'init' }] }),
      { Status: 'Init:ExitCode:3' },
    ],
    [
      'sidecar counts as a container once started',
      pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, image: 'x', state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(7200) } } }],
          containerStatuses: [running('app')],
        },
        { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      ),
      { Ready: '2/2', Status: 'Running', Restarts: '1 (120m ago)' },
    ],
    ['scheduling gated', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), { Status: 'SchedulingGated' }],
    [
      'readiness gates and nominated node',
      pod({ phase: 'Running', nominatedNodeName: 'n2', conditions: [{ type: 'example.com/lb', status: 'True' }] }, { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] }),
      { 'Nominated Node': 'n2', 'Readiness Gates': '1/2' },
    ],
    ['restarts without a termination time', pod({ phase: 'Running', containerStatuses: [running('app', true, 2)] }), { Restarts: '2' }],
  ])('%s', (_name, obj, want) => expect(cellsOf('Pod', obj)).toMatchObject(want));

  it('marks finished pods completed, as kubectl uses to hide them', () => {
    expect(toTable('Pod', [pod({ phase: 'Succeeded' }) as unknown as KubeObject], { now: NOW }).rows[0].conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(toTable('Pod', [pod({ phase: 'Failed' }) as unknown as KubeObject], { now: NOW }).rows[0].conditions).toMatchObject([{ reason: 'Failed' }]);
    expect(toTable('Pod', [pod({ phase: 'Running' }) as unknown as KubeObject], { now: NOW }).rows[0]).not.toHaveProperty('conditions');
  });
});

describe('workload rows', () => {
  const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } };

  it.each([
    [
      'deployment 2/3',
      'Deployment',
      { metadata: meta('web', 200), spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template }, status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } },
      { Name: 'web', Ready: '2/3', 'Up-to-date': 3, Available: 2, Age: '3m20s', Containers: 'web,log', Images: 'nginx:1.25,busybox', Selector: 'app=web,tier=fe' },
    ],
    [
      'new deployment without status',
      'Deployment',
      { metadata: meta('new', 3), spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }, { key: 'Ab', operator: 'Exists' }] }, template } },
      { Ready: '0/1', 'Up-to-date': 0, Available: 0, Age: '3s', Selector: 'Ab,app in (a,b)' },
    ],
    ['invalid selector', 'Deployment', { metadata: meta('bad'), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, template } }, { Selector: '<invalid>' }],
    [
      'replica set',
      'ReplicaSet',
      { metadata: meta('web-5d4f', 9000), spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 1 } },
      { Name: 'web-5d4f', Desired: 3, Current: 3, Ready: 1, Age: '150m', Selector: 'app=web' },
    ],
  ])('%s', (_name, kind, obj, want) => expect(cellsOf(kind, obj)).toMatchObject(want));
});

describe('cluster rows', () => {
  const node = (conditions: unknown[], spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
    metadata: meta('n1', 2 * 86400 + 3 * 3600, { namespace: undefined, labels }),
    spec,
    status: {
      conditions,
      addresses: [
        { type: 'Hostname', address: 'n1' },
        { type: 'InternalIP', address: '10.1.0.4' },
      ],
      nodeInfo: { kubeletVersion: 'v1.30.0-coxswain', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'runc://1.1.5' },
    },
  });

  it.each([
    ['ready', node([{ type: 'Ready', status: 'True' }]), { Status: 'Ready', Roles: '<none>', Age: '2d3h', Version: 'v1.30.0-coxswain', 'Internal-IP': '10.1.0.4', 'External-IP': '<none>', 'Container-Runtime': 'runc://1.1.5' }],
    ['cordoned and NotReady', node([{ type: 'Ready', status: 'False' }], { unschedulable: true }), { Status: 'NotReady,SchedulingDisabled' }],
    ['cordoned and ready', node([{ type: 'Ready', status: 'True' }], { unschedulable: true }), { Status: 'Ready,SchedulingDisabled' }],
    ['never reported', node([]), { Status: 'Unknown' }],
    ['unknown readiness', node([{ type: 'Ready', status: 'Unknown' }]), { Status: 'NotReady' }],
    [
      'with roles',
      node([{ type: 'Ready', status: 'True' }], {}, { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'vm-host', 'node-role.kubernetes.io/': '' }),
      { Roles: 'control-plane,vm-host,worker' },
    ],
  ])('node %s', (_name, obj, want) => expect(cellsOf('Node', obj)).toMatchObject(want));

  it('node without system info says <unknown>', () => {
    expect(cellsOf('Node', { metadata: meta('bare') })).toMatchObject({ Status: 'Unknown', Version: '', 'OS-Image': '<unknown>', 'Kernel-Version': '<unknown>', 'Container-Runtime': '<unknown>', 'Internal-IP': '<none>' });
  });

  it.each([
    ['active', { metadata: meta('default', 86400 * 30), status: { phase: 'Active' } }, ['default', 'Active', '30d']],
    ['terminating', { metadata: meta('old', 60), status: { phase: 'Terminating' } }, ['old', 'Terminating', '60s']],
  ])('namespace %s', (_name, obj, cells) => expect(toTable('Namespace', [obj as unknown as KubeObject], { now: NOW }).rows[0].cells).toEqual(cells));

  it.each([
    [
      'repeated warning',
      {
        metadata: meta('web.17a'),
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container  \n',
        type: 'Warning',
        count: 7,
        firstTimestamp: ago(600),
        lastTimestamp: ago(20),
        source: { component: 'node-agent', host: 'n1' },
      },
      ['20s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'node-agent, n1', 'Back-off restarting failed container', '10m', 7, 'web.17a'],
    ],
    [
      'singleton from the events API',
      { metadata: meta('x.1'), involvedObject: { kind: 'Node' }, reason: 'Registered', type: 'Normal', eventTime: ago(90), reportingComponent: 'node-lifecycle' },
      ['90s', 'Normal', 'Registered', 'node', '', 'node-lifecycle', '', '90s', 1, 'x.1'],
    ],
    [
      'series',
      { metadata: meta('s.1'), involvedObject: { kind: 'Pod', name: 'p' }, reason: 'FailedScheduling', type: 'Warning', eventTime: ago(3600), series: { count: 12, lastObservedTime: ago(40) } },
      ['40s', 'Warning', 'FailedScheduling', 'pod/p', '', '', '', '60m', 12, 's.1'],
    ],
  ])('event %s', (_name, obj, cells) => expect(toTable('Event', [obj as unknown as KubeObject], { now: NOW }).rows[0].cells).toEqual(cells));

  it('lease', () => {
    expect(toTable('Lease', [{ metadata: meta('n1', 40), spec: { holderIdentity: 'n1' } } as unknown as KubeObject, { metadata: meta('free', 40), spec: {} } as unknown as KubeObject], { now: NOW }).rows.map((r) => r.cells)).toEqual([
      ['n1', 'n1', '40s'],
      ['free', '', '40s'],
    ]);
  });

  const csr = (name: string, status: unknown, expirationSeconds?: number) =>
    ({ metadata: meta(name, 40), spec: { request: '', signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:bootstrap:abcdef', expirationSeconds }, status }) as unknown as KubeObject;
  it.each([
    ['pending (no conditions), no requested duration', csr('a', undefined), 'Pending', '<none>'],
    ['approved and issued, 24 h requested', csr('b', { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' }, 86_400), 'Approved,Issued', '24h'],
    ['denied wins over approved', csr('c', { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Denied', status: 'True' }] }), 'Denied', '<none>'],
    ['approved then failed by the signer', csr('d', { conditions: [{ type: 'Approved', status: 'True' }, { type: 'Failed', status: 'True' }] }, 3600), 'Approved,Failed', '60m'],
  ])('certificate signing request: %s', (_name, obj, condition, duration) => {
    expect(toTable('CertificateSigningRequest', [obj], { now: NOW }).rows[0].cells).toEqual([obj.metadata.name, '40s', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:bootstrap:abcdef', duration, condition]);
  });

  const hpa = (metrics: unknown[], currentMetrics: unknown[] | undefined, extra: Record<string, unknown> = {}) => ({
    metadata: meta('web', 600),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 10, metrics, ...extra },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics },
  });
  const cpu = (target: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target } });

  it.each([
    ['cpu utilisation', hpa([cpu({ type: 'Utilization', averageUtilization: 80 })], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '45m' } } }], { minReplicas: 2 }), { Reference: 'Deployment/web', Targets: '45%/80%', MinPods: '2', MaxPods: 10, Replicas: 3, Age: '10m' }],
    ['no metrics yet', hpa([cpu({ type: 'Utilization', averageUtilization: 80 })], undefined), { Targets: '<unknown>/80%', MinPods: '<unset>' }],
    // Quantities print canonically in their own format, as Go's Quantity.String() does.
    ['average value', hpa([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '131072Ki' } } }], [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '100663296' } } }]), { Targets: '100663296/128Mi' }],
    ['millicores', hpa([cpu({ type: 'AverageValue', averageValue: '0.5' })], [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '250m' } } }]), { Targets: '250m/500m' }],
    ['no metrics', hpa([], undefined), { Targets: '<none>' }],
    [
      'more than two',
      hpa([cpu({ averageUtilization: 50 }), cpu({ averageUtilization: 60 }), cpu({ averageUtilization: 70 }), { type: 'Weird' }], []),
      { Targets: '<unknown>/50%, <unknown>/60% + 2 more...' },
    ],
  ])('hpa %s', (_name, obj, want) => expect(cellsOf('HorizontalPodAutoscaler', obj)).toMatchObject(want));
});

describe('KubeVirt rows', () => {
  it.each([
    [
      'running VM',
      'VirtualMachine',
      { metadata: meta('vm1', 200), spec: { runStrategy: 'Always', template: { spec: { domain: {} } } }, status: { printableStatus: 'Running', ready: true, conditions: [{ type: 'Ready', status: 'True' }] } },
      ['vm1', '3m20s', 'Running', 'True'],
    ],
    ['new VM with no status', 'VirtualMachine', { metadata: meta('vm2', 5), spec: {} }, ['vm2', '5s', null, null]],
    [
      'scheduled VMI',
      'VirtualMachineInstance',
      {
        metadata: meta('vm1', 120),
        spec: { domain: {} },
        status: { phase: 'Running', nodeName: 'n1', interfaces: [{ name: 'default', ipAddress: '10.0.0.9' }], conditions: [{ type: 'Ready', status: 'True' }, { type: 'LiveMigratable', status: 'False' }] },
      },
      ['vm1', '2m', 'Running', '10.0.0.9', 'n1', 'True', 'False', null],
    ],
    ['pending VMI', 'VirtualMachineInstance', { metadata: meta('vm3', 1), spec: { domain: {} }, status: { phase: 'Pending' } }, ['vm3', '1s', 'Pending', null, null, null, null, null]],
    ['VMI replica set', 'VirtualMachineInstanceReplicaSet', { metadata: meta('pool', 4000), spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 2 } }, ['pool', 3, 3, 2, '66m']],
  ])('%s', (_name, kind, obj, cells) => expect(toTable(kind, [obj as unknown as KubeObject], { now: NOW }).rows[0].cells).toEqual(cells));

  it('uses CRD column types: date for Age, integer for counts', () => {
    const columns = toTable('VirtualMachineInstanceReplicaSet', [], { now: NOW }).columnDefinitions;
    expect(columns.map((c) => c.type)).toEqual(['string', 'integer', 'integer', 'integer', 'date']);
  });
});
