import { Node } from '@coxswain/api';
import { desiredRoutes } from './peers';

const node = (name: string, cidr?: string, ip?: string): Node =>
  ({ kind: 'Node', metadata: { name }, spec: cidr ? { podCIDR: cidr, podCIDRs: [cidr] } : {}, status: { addresses: ip ? [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] : [] } }) as Node;

describe('desiredRoutes', () => {
  it.each([
    ['a route to every other node', 'node-1', [node('node-1', '10.1.0.0/24', '192.168.0.2'), node('node-2', '10.2.0.0/24', '192.168.0.3')], [{ cidr: '10.2.0.0/24', via: '192.168.0.3', node: 'node-2' }], ['10.1.0.0/24', '10.2.0.0/24']],
    ['no route to a node without an address yet', 'node-1', [node('node-1', '10.1.0.0/24', '192.168.0.2'), node('node-2', '10.2.0.0/24')], [], ['10.1.0.0/24', '10.2.0.0/24']],
    ['no route to a node without a pod CIDR', 'node-1', [node('node-1', '10.1.0.0/24', '192.168.0.2'), node('node-2', undefined, '192.168.0.3')], [], ['10.1.0.0/24']],
    ['alone, no routes', 'node-1', [node('node-1', '10.1.0.0/24', '192.168.0.2')], [], ['10.1.0.0/24']],
  ])('%s', (_name, self, nodes, peers, clusterCidrs) => {
    expect(desiredRoutes(self, nodes)).toEqual({ peers, clusterCidrs });
  });
});
