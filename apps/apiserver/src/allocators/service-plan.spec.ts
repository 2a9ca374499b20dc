import { carryOverAllocations, heldNodePorts, planAllocation } from './service-plan';
import { planRepair } from './repair';
import { portRange, serviceIpRange } from './ranges';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const svc = (spec: Obj, uid = 'u1'): Obj => ({ metadata: { namespace: 'default', name: 'web', uid }, spec: { ports: [{ name: 'http', port: 80 }], ...spec } });

describe('planAllocation', () => {
  it.each([
    ['ClusterIP without an address takes any', undefined, svc({}), { clusterIP: { kind: 'any' }, nodePorts: [], releaseIPs: [], releaseNodePorts: [] }],
    ['a requested address is taken as asked', undefined, svc({ clusterIP: '10.96.0.10' }), { clusterIP: { kind: 'specific', value: '10.96.0.10' }, nodePorts: [], releaseIPs: [], releaseNodePorts: [] }],
    ['headless takes nothing', undefined, svc({ clusterIP: 'None' }), { nodePorts: [], releaseIPs: [], releaseNodePorts: [] }],
    ['ExternalName takes nothing', undefined, svc({ type: 'ExternalName', externalName: 'x.example' }), { nodePorts: [], releaseIPs: [], releaseNodePorts: [] }],
    [
      'NodePort takes one port per service port',
      undefined,
      svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 81 }] }),
      { clusterIP: { kind: 'any' }, nodePorts: [{ index: 0, want: { kind: 'specific', value: '30080' } }, { index: 1, want: { kind: 'any' } }], releaseIPs: [], releaseNodePorts: [] },
    ],
    [
      'an unchanged update keeps everything',
      svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }),
      svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }),
      { clusterIP: { kind: 'keep' }, nodePorts: [{ index: 0, want: { kind: 'keep' } }], releaseIPs: [], releaseNodePorts: [] },
    ],
    [
      'NodePort to ClusterIP gives the node ports back',
      svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }),
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80 }] }),
      { clusterIP: { kind: 'keep' }, nodePorts: [], releaseIPs: [], releaseNodePorts: ['30080'] },
    ],
    [
      'ClusterIP to ExternalName gives the address back',
      svc({ clusterIP: '10.96.0.10' }),
      svc({ type: 'ExternalName', externalName: 'x.example' }),
      { nodePorts: [], releaseIPs: ['10.96.0.10'], releaseNodePorts: [] },
    ],
  ])('%s', (_name, previous, next, want) => {
    expect(planAllocation(previous, next)).toEqual(want);
  });

  it('counts a node port shared by TCP and UDP once', () => {
    expect(heldNodePorts(svc({ type: 'NodePort', ports: [{ port: 53, protocol: 'TCP', nodePort: 30053 }, { port: 53, protocol: 'UDP', nodePort: 30053 }] }))).toEqual(['30053']);
  });
});

describe('carryOverAllocations', () => {
  const stored = svc({ type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] });

  it('keeps the address and node ports an update omits (kubectl apply, PUT)', () => {
    const next = carryOverAllocations(stored, svc({ type: 'NodePort', ports: [{ name: 'http', port: 8080 }] }));
    expect(next.spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 8080, nodePort: 30080 }] });
  });

  it('clears untouched node ports when the type no longer uses them', () => {
    const next = carryOverAllocations(stored, { ...stored, spec: { ...stored.spec, type: 'ClusterIP' } });
    expect(next.spec.ports).toEqual([{ name: 'http', port: 80 }]);
  });

  it('clears an untouched address when switching to ExternalName', () => {
    const next = carryOverAllocations(stored, { ...stored, spec: { ...stored.spec, type: 'ExternalName', externalName: 'x.example', ports: [] } });
    expect(next.spec.clusterIP).toBeUndefined();
    expect(next.spec.clusterIPs).toBeUndefined();
  });
});

describe('planRepair', () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const owner = (uid: string, at = '2026-01-01T00:00:00Z') => ({ namespace: 'default', name: 'web', uid, allocatedAt: at });

  it('gives back a key whose Service is gone after the grace period, not before', () => {
    const keys = new Map([['10.96.0.5', owner('gone')], ['10.96.0.6', owner('young', '2026-01-01T00:09:50Z')]]);
    expect(planRepair(keys, new Map(), now, 60_000).map((a) => `${a.kind} ${a.value}`)).toEqual(['release 10.96.0.5']);
  });

  it('restores the key of a Service that holds a value without one', () => {
    expect(planRepair(new Map(), new Map([['10.96.0.7', owner('u')]]), now, 60_000).map((a) => `${a.kind} ${a.value}`)).toEqual(['restore 10.96.0.7']);
  });

  it('leaves agreeing keys alone', () => {
    expect(planRepair(new Map([['30080', owner('u')]]), new Map([['30080', owner('u')]]), now, 60_000)).toEqual([]);
  });
});

describe('ranges', () => {
  it('maps a service CIDR without network and broadcast addresses', () => {
    const range = serviceIpRange('10.96.0.0/12');
    expect([range.first, range.size, range.describe]).toEqual(['10.96.0.1', 2 ** 20 - 2, '10.96.0.0/12']);
    expect([range.offsetOf('10.96.0.0'), range.offsetOf('10.96.0.1'), range.offsetOf('10.111.255.254'), range.offsetOf('10.111.255.255'), range.offsetOf('10.0.0.1')]).toEqual([undefined, 0, 2 ** 20 - 3, undefined, undefined]);
    expect(range.valueAt(9)).toBe('10.96.0.10');
  });

  it('maps a node port range', () => {
    const range = portRange('30000-32767');
    expect([range.size, range.offsetOf('30000'), range.offsetOf('32768'), range.valueAt(80)]).toEqual([2768, 0, undefined, '30080']);
    expect(() => portRange('3-2')).toThrow(/30000-32767/);
  });
});
