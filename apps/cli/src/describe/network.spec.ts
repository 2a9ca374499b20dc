import { describeService } from './network';
import { printerFor } from '@coxswain/api';
import type { KubeObject } from '@coxswain/api';

const now = new Date('2026-01-01T00:10:00Z');
const svc = {
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: 30080 }], sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' },
};
const slices = [
  { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.1.0.2'], conditions: { ready: true }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-a' } }, { addresses: ['10.1.0.3'], conditions: { ready: false, terminating: true }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-b' } }] },
  { ports: [{ name: 'http', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.2.0.5'], conditions: { ready: true }, nodeName: 'node-2', targetRef: { kind: 'VirtualMachineInstance', name: 'web-vm' } }] },
];

describe('describeService', () => {
  it('prints kubectl’s service page and every Pod and VMI behind it', () => {
    expect(describeService(svc, slices, [], now)).toBe(
      [
        'Name:                     web',
        'Namespace:                default',
        'Labels:                   <none>',
        'Annotations:              <none>',
        'Selector:                 app=web',
        'Type:                     NodePort',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       10.96.0.20',
        'IPs:                      10.96.0.20',
        'Port:                     http  80/TCP',
        'TargetPort:               http/TCP',
        'NodePort:                 http  30080/TCP',
        'Endpoints:                10.1.0.2:8080,10.2.0.5:80',
        'Session Affinity:         None',
        'External Traffic Policy:  Cluster',
        'Internal Traffic Policy:  Cluster',
        'Backends:',
        '  Target                         Address   Ports     Node    State',
        '  ------                         -------   -----     ----    -----',
        '  Pod/web-a                      10.1.0.2  8080/TCP  node-1  Ready',
        '  Pod/web-b                      10.1.0.3  8080/TCP  node-1  Terminating',
        '  VirtualMachineInstance/web-vm  10.2.0.5  80/TCP    node-2  Ready',
        'Events:  <none>',
        '',
      ].join('\n'),
    );
  });
});

// The API server's printers (libs/api), which coxctl get prints with.
const cells = (kind: string, obj: object) => printerFor(kind).row(obj as KubeObject, now.getTime()).cells.slice(1);

describe('network printers', () => {
  it('prints a NodePort Service row like kubectl', () => {
    expect(cells('Service', svc)).toEqual(['NodePort', '10.96.0.20', '<none>', '80:30080/TCP', '10m', 'app=web']);
  });

  it('prints an EndpointSlice row with "+ N more..."', () => {
    const slice = { addressType: 'IPv4', metadata: { creationTimestamp: '2026-01-01T00:09:00Z' }, ports: [{ port: 8080 }], endpoints: ['a', 'b', 'c', 'd', 'e'].map((x, i) => ({ addresses: [`10.1.0.${i + 2}`] })) };
    expect(cells('EndpointSlice', slice)).toEqual(['IPv4', '8080', '10.1.0.2,10.1.0.3,10.1.0.4 + 2 more...', '60s']);
    expect(cells('EndpointSlice', { addressType: 'IPv4', metadata: {}, ports: [], endpoints: [] }).slice(0, 3)).toEqual(['IPv4', '<unset>', '<unset>']);
  });
});
