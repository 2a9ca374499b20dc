import { serviceEndpoints, servicePorts } from './service-endpoints';

describe('serviceEndpoints', () => {
  it('lists Pods and VMIs of every slice with their conditions, defaults as Kubernetes reads them', () => {
    const slices = [
      {
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.200.1.7'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-b', namespace: 'shop' } },
          { addresses: ['10.200.2.9'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'node-2', targetRef: { kind: 'Pod', name: 'web-a', namespace: 'shop' } },
          { addresses: ['10.200.1.7'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-b' } },
        ],
      },
      { ports: [{ port: 80 }], endpoints: [{ addresses: ['10.200.1.20'], conditions: {}, nodeName: 'node-1', targetRef: { kind: 'VirtualMachineInstance', name: 'vm-web', namespace: 'shop' } }, { addresses: ['10.9.9.9'], conditions: { ready: false } }] },
    ];
    expect(serviceEndpoints(slices)).toEqual([
      { address: '10.9.9.9', ports: ['80/TCP'], ready: false, serving: false, terminating: false, node: undefined, target: undefined },
      { address: '10.200.1.20', ports: ['80/TCP'], ready: true, serving: true, terminating: false, node: 'node-1', target: { kind: 'VirtualMachineInstance', name: 'vm-web', namespace: 'shop' } },
      { address: '10.200.2.9', ports: ['http 8080/TCP'], ready: false, serving: true, terminating: true, node: 'node-2', target: { kind: 'Pod', name: 'web-a', namespace: 'shop' } },
      { address: '10.200.1.7', ports: ['http 8080/TCP'], ready: true, serving: true, terminating: false, node: 'node-1', target: { kind: 'Pod', name: 'web-b', namespace: 'shop' } },
    ]);
  });

  it('has no rows without slices or endpoints', () => {
    expect(serviceEndpoints([])).toEqual([]);
    expect(serviceEndpoints([{ ports: [{ port: 80 }] }])).toEqual([]);
  });
});

describe('servicePorts', () => {
  it.each([
    [{ ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }, ['80:8080/TCP']],
    [{ ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] }, ['http 80:http/TCP', 'dns 53/UDP']],
    [{ type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] }, ['80/TCP → node 30080']],
    [{}, []],
  ])('%j → %j', (spec, want) => {
    expect(servicePorts({ spec })).toEqual(want);
  });
});
