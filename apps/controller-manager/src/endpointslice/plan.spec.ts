import { EndpointSlice, Pod, Service, VirtualMachineInstance } from '@coxswain/api';
import { serviceEndpoints } from './endpoints';
import { desiredSlices, planSlices } from './plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const service = (spec: Obj = {}): Service =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec } }) as Service;

const pod = (name: string, ip: string | undefined, opts: { ready?: boolean; deleting?: boolean; labels?: Obj; phase?: string; ports?: Obj[]; node?: string } = {}): Pod =>
  ({
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: opts.node ?? 'node-1', containers: [{ name: 'c', image: 'busybox', ports: opts.ports ?? [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { phase: opts.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  }) as unknown as Pod;

const vmi = (name: string, ip: string | undefined, opts: { phase?: string; ready?: string; ports?: Obj[] } = {}): VirtualMachineInstance =>
  ({
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' } },
    spec: { domain: { devices: { interfaces: [{ name: 'default', masquerade: {}, ports: opts.ports ?? [] }] } } },
    status: { phase: opts.phase ?? 'Running', nodeName: 'node-2', interfaces: ip ? [{ name: 'default', ipAddress: ip }] : [], conditions: opts.ready ? [{ type: 'Ready', status: opts.ready }] : [] },
  }) as unknown as VirtualMachineInstance;

const summary = (svc: Service, pods: Pod[], vmis: VirtualMachineInstance[] = []) =>
  serviceEndpoints(svc, pods, vmis).endpoints.map(({ endpoint, ports }) => `${endpoint.targetRef?.kind}/${endpoint.targetRef?.name} ${endpoint.addresses[0]} r=${endpoint.conditions?.ready} s=${endpoint.conditions?.serving} t=${endpoint.conditions?.terminating} ${ports.map((p) => `${p.name}:${p.port}`).join(',')}`);

describe('serviceEndpoints', () => {
  it.each([
    ['a ready pod', [pod('a', '10.1.0.2')], [], ['Pod/a 10.1.0.2 r=true s=true t=false http:8080']],
    ['a pod without an address is left out', [pod('a', undefined)], [], []],
    ['a pod with other labels is left out', [pod('a', '10.1.0.2', { labels: { app: 'db' } })], [], []],
    ['an unready pod is listed not ready, not serving', [pod('a', '10.1.0.2', { ready: false })], [], ['Pod/a 10.1.0.2 r=false s=false t=false http:8080']],
    ['a terminating ready pod is serving but not ready', [pod('a', '10.1.0.2', { deleting: true })], [], ['Pod/a 10.1.0.2 r=false s=true t=true http:8080']],
    ['a finished pod is left out', [pod('a', '10.1.0.2', { phase: 'Succeeded' })], [], []],
    ['a running VMI', [], [vmi('vm', '10.2.0.5')], ['VirtualMachineInstance/vm 10.2.0.5 r=true s=true t=false http:8080']],
    ['a running VMI whose Ready condition is False', [], [vmi('vm', '10.2.0.5', { ready: 'False' })], ['VirtualMachineInstance/vm 10.2.0.5 r=false s=false t=false http:8080']],
    ['a scheduled VMI is not ready', [], [vmi('vm', '10.2.0.5', { phase: 'Scheduled' })], ['VirtualMachineInstance/vm 10.2.0.5 r=false s=false t=false http:8080']],
    ['a VMI without an address is left out', [], [vmi('vm', undefined)], []],
  ])('%s', (_name, pods, vmis, want) => {
    expect(summary(service(), pods as Pod[], vmis as VirtualMachineInstance[])).toEqual(want);
  });

  it('resolves a named targetPort per pod and skips a pod that does not declare it', () => {
    const svc = service({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] });
    const result = serviceEndpoints(svc, [pod('a', '10.1.0.2'), pod('b', '10.1.0.3', { ports: [{ name: 'web', containerPort: 9090 }] }), pod('c', '10.1.0.4', { ports: [] })], [vmi('vm', '10.2.0.5', { ports: [{ name: 'web', port: 80 }] })]);
    expect(result.endpoints.map((e) => `${e.endpoint.targetRef?.name}:${e.ports[0].port}`)).toEqual(['a:8080', 'b:9090', 'vm:80']);
    expect(result.unresolved).toEqual([{ target: 'Pod/c', portName: 'web' }]);
  });

  it('keeps the ports a pod can serve when one of several names is missing', () => {
    const svc = service({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }, { name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 'metrics' }] });
    const result = serviceEndpoints(svc, [pod('a', '10.1.0.2')], []);
    expect(result.endpoints[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(result.unresolved).toEqual([{ target: 'Pod/a', portName: 'metrics' }]);
  });

  it('publishNotReadyAddresses lists unready pods as ready', () => {
    expect(summary(service({ publishNotReadyAddresses: true }), [pod('a', '10.1.0.2', { ready: false })])).toEqual(['Pod/a 10.1.0.2 r=true s=true t=false http:8080']);
  });
});

const slice = (name: string, ports: Obj[], addresses: string[]): EndpointSlice =>
  ({
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports,
    endpoints: addresses.map((a) => ({ addresses: [a] })),
  }) as unknown as EndpointSlice;

describe('planSlices', () => {
  const svc = service();
  const endpoints = (addresses: string[], port = 8080) => addresses.map((a) => ({ endpoint: { addresses: [a] }, ports: [{ name: 'http', port, protocol: 'TCP' as const }] }));
  const names = (plan: ReturnType<typeof planSlices>) => ({ create: plan.create.map((s) => s.endpoints?.map((e) => e.addresses[0]).join(',') ?? ''), update: plan.update.map((s) => s.metadata.name), delete: plan.delete.map((s) => s.metadata.name) });

  it.each([
    ['creates one slice for a new Service', endpoints(['10.1.0.2', '10.1.0.3']), [], { create: ['10.1.0.2,10.1.0.3'], update: [], delete: [] }],
    ['creates an empty placeholder when nothing is selected', [], [], { create: [''], update: [], delete: [] }],
    ['leaves an up-to-date slice alone', endpoints(['10.1.0.2']), [slice('web-a', [{ name: 'http', port: 8080, protocol: 'TCP' }], ['10.1.0.2'])], { create: [], update: [], delete: [] }],
    ['updates a slice whose endpoints changed', endpoints(['10.1.0.3']), [slice('web-a', [{ name: 'http', port: 8080, protocol: 'TCP' }], ['10.1.0.2'])], { create: [], update: ['web-a'], delete: [] }],
    ['reuses a slice of another port set rather than delete and create', endpoints(['10.1.0.2'], 9090), [slice('web-a', [{ name: 'http', port: 8080, protocol: 'TCP' }], ['10.1.0.2'])], { create: [], update: ['web-a'], delete: [] }],
    ['deletes surplus slices', endpoints(['10.1.0.2']), [slice('web-a', [{ name: 'http', port: 8080, protocol: 'TCP' }], ['10.1.0.2']), slice('web-b', [], [])], { create: [], update: [], delete: ['web-b'] }],
  ])('%s', (_name, eps, existing, want) => {
    expect(names(planSlices(svc, eps, existing as EndpointSlice[]))).toEqual(want);
  });

  it('cuts endpoints into slices of at most 100 and groups them by port set', () => {
    const many = endpoints(Array.from({ length: 150 }, (_, i) => `10.1.${Math.floor(i / 200)}.${(i % 200) + 2}`));
    const desired = desiredSlices([...many, ...endpoints(['10.9.0.2'], 9090)]);
    expect(desired.map((d) => `${d.ports[0].port}:${d.endpoints.length}`)).toEqual(['8080:100', '8080:50', '9090:1']);
  });

  it('labels and owns what it creates like Kubernetes', () => {
    const [created] = planSlices(service({ clusterIP: 'None' }), endpoints(['10.1.0.2']), []).create;
    expect(created.metadata).toMatchObject({
      generateName: 'web-',
      labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'service.kubernetes.io/headless': '' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(created.addressType).toBe('IPv4');
  });
});
