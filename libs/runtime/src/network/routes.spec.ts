import { clusterRules, planRoutes, PodRoutes, PeerTransport, ObservedRoute, PeerRoute } from './routes';

describe('planRoutes', () => {
  it.each([
    ['adds missing routes', [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], [], { replace: [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], remove: [] }],
    ['keeps a route that is right', [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], { replace: [], remove: [] }],
    ['moves a route whose node changed address', [{ cidr: '10.2.0.0/24', via: '192.168.0.9' }], [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], { replace: [{ cidr: '10.2.0.0/24', via: '192.168.0.9' }], remove: [] }],
    ['removes the route of a node that went away', [], [{ cidr: '10.2.0.0/24', via: '192.168.0.3' }], { replace: [], remove: ['10.2.0.0/24'] }],
  ])('%s', (_name, desired, observed, want) => {
    expect(planRoutes(desired, observed)).toEqual(want);
  });
});

describe('clusterRules', () => {
  it('returns pod destinations unNATed, masquerades the rest, and forwards pod traffic', () => {
    expect(clusterRules({ egressChain: 'EG', forwardChain: 'FW' }, ['10.2.0.0/24', '10.1.0.0/24', '10.2.0.0/24']).split('\n')).toEqual([
      '*nat',
      ':EG - [0:0]',
      '-A EG -d 10.1.0.0/24 -m comment --comment "coxswain: pod to pod, no NAT" -j RETURN',
      '-A EG -d 10.2.0.0/24 -m comment --comment "coxswain: pod to pod, no NAT" -j RETURN',
      '-A EG -m comment --comment "coxswain: leaving the cluster" -j MASQUERADE',
      'COMMIT',
      '*filter',
      ':FW - [0:0]',
      '-A FW -s 10.1.0.0/24 -j ACCEPT',
      '-A FW -d 10.1.0.0/24 -j ACCEPT',
      '-A FW -s 10.2.0.0/24 -j ACCEPT',
      '-A FW -d 10.2.0.0/24 -j ACCEPT',
      'COMMIT',
      '',
    ]);
  });
});

describe('PodRoutes.sync', () => {
  class FakeTransport implements PeerTransport {
    routes = new Map<string, string>();
    failFor = new Set<string>();
    async observe(): Promise<ObservedRoute[]> {
      return [...this.routes].map(([cidr, via]) => ({ cidr, via }));
    }
    async replace(route: PeerRoute): Promise<void> {
      if (this.failFor.has(route.cidr)) throw new Error('Nexthop has invalid gateway');
      this.routes.set(route.cidr, route.via);
    }
    async remove(cidr: string): Promise<void> {
      this.routes.delete(cidr);
    }
  }

  it('never routes its own CIDR and reports routes it could not program', async () => {
    const transport = new FakeTransport();
    transport.failFor.add('10.3.0.0/24');
    const routes = new PodRoutes({ podCidr: '10.1.0.0/24', bridge: 'cox0', transport });
    routes.ensureRules = async () => undefined; // the iptables edge is covered by the e2e
    const result = await routes.sync(
      [
        { cidr: '10.1.0.0/24', via: '192.168.0.2' },
        { cidr: '10.2.0.0/24', via: '192.168.0.3' },
        { cidr: '10.3.0.0/24', via: '172.16.0.9' },
      ],
      ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24'],
    );
    expect(result).toEqual({ replaced: ['10.2.0.0/24'], removed: [], failed: [{ cidr: '10.3.0.0/24', error: 'Nexthop has invalid gateway' }] });
    expect([...transport.routes]).toEqual([['10.2.0.0/24', '192.168.0.3']]);
  });
});
