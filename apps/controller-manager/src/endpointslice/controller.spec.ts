// The EndpointSlice controller against the in-memory FakeApiServer: slices follow Pods and
// VMIs, an unresolvable named port is a Warning, selectorless Services are left alone.
import { EndpointSlice, Pod, Service, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, createLogger, FakeApiServer, KubeClient, realClock } from '@coxswain/client';
import { MemoryRecorder } from '../framework/events';
import { SharedInformers } from '../framework/informers';
import { EndpointSliceController } from './controller';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: FakeApiServer;
let client: KubeClient;
let informers: SharedInformers;
let recorder: MemoryRecorder;
let controller: EndpointSliceController;

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url, maxRetries: 0 });
  informers = new SharedInformers({ client });
  recorder = new MemoryRecorder();
  controller = new EndpointSliceController({ client, informers, recorderFor: () => recorder, clock: realClock, logger: createLogger('test', { level: 'silent' }) });
  controller.register();
  informers.start();
  await informers.waitForCacheSync();
  void controller.run();
});

afterEach(async () => {
  await controller.shutdown();
  await informers.stop();
  await client.destroy();
  await server.stop();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never saw ${what}`);
}

const svc = (spec: Obj): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec }) as Service;
const pod = (name: string, ip: string, ports: Obj[] = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox', ports }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  }) as unknown as Pod;
const vmi = (name: string, ip: string): VirtualMachineInstance =>
  ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace: 'ns', labels: { app: 'web' } },
    spec: { domain: { devices: { interfaces: [{ name: 'default', masquerade: {}, ports: [{ name: 'http', port: 80 }] }] } } },
    status: { phase: 'Running', nodeName: 'node-2', interfaces: [{ name: 'default', ipAddress: ip }] },
  }) as unknown as VirtualMachineInstance;

const slicesOf = async () => (await client.list<EndpointSlice>(R.EndpointSlice, { namespace: 'ns' })).items;
const addresses = (slices: EndpointSlice[]) => slices.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.targetRef?.kind}/${e.addresses[0]}`)).sort();

describe('EndpointSliceController', () => {
  it('lists Pods and VMIs selected by a Service and follows their changes', async () => {
    await client.create(R.Service, svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] }));
    await client.create(R.Pod, pod('a', '10.1.0.2'));
    await client.create(R.VirtualMachineInstance, vmi('vm', '10.2.0.5'));
    const slices = await until('pod and vmi endpoints', async () => {
      const s = await slicesOf();
      return addresses(s).length === 2 && s;
    });
    expect(addresses(slices)).toEqual(['Pod/10.1.0.2', 'VirtualMachineInstance/10.2.0.5']);
    expect(slices.map((s) => s.ports?.[0]?.port).sort()).toEqual([80, 8080]); // resolved per target: two port sets, two slices
    expect(slices.every((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')).toBe(true);

    await client.delete(R.Pod, 'a', { namespace: 'ns' });
    await until('pod gone from slices', async () => addresses(await slicesOf()).join() === 'VirtualMachineInstance/10.2.0.5');
  });

  it('skips a pod that declares no port of the targetPort name and warns once on the Service', async () => {
    await client.create(R.Service, svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] }));
    await client.create(R.Pod, pod('good', '10.1.0.2'));
    await client.create(R.Pod, pod('bad', '10.1.0.3', [{ name: 'other', containerPort: 9090, protocol: 'TCP' }]));
    await until('the good pod', async () => addresses(await slicesOf()).join() === 'Pod/10.1.0.2');
    await until('a warning', async () => recorder.reasons().includes('FailedToResolvePort'));
    controller.enqueue('ns/web');
    await new Promise((r) => setTimeout(r, 200));
    expect(recorder.events.filter((e) => e.reason === 'FailedToResolvePort')).toEqual([
      { kind: 'Service', namespace: 'ns', name: 'web', type: 'Warning', reason: 'FailedToResolvePort', message: 'Pod/bad declares no port named "http" (targetPort of Service web); it gets no endpoint for that port' },
    ]);
  });

  it('leaves a selectorless Service and its hand-made slice alone', async () => {
    await client.create(R.Service, svc({ ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }));
    await client.create(R.EndpointSlice, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-manual', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.1'] }], ports: [{ port: 80 }] } as EndpointSlice);
    await client.create(R.Pod, pod('a', '10.1.0.2'));
    controller.enqueue('ns/web');
    await new Promise((r) => setTimeout(r, 300));
    expect((await slicesOf()).map((s) => s.metadata.name)).toEqual(['web-manual']);
  });
});
