import { buildZone, inZone, resolve } from './zone';
import { EndpointSliceView, ServiceView } from '../proxy/shapes';

const svc = (name: string, spec: ServiceView['spec'], namespace = 'shop'): ServiceView => ({ metadata: { name, namespace }, spec });
const slice = (service: string, endpoints: EndpointSliceView['endpoints'], ports: EndpointSliceView['ports'], namespace = 'shop'): EndpointSliceView => ({
  metadata: { name: `${service}-x`, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

const zone = buildZone({
  domain: 'cluster.local',
  services: [
    svc('web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 8443 }] }),
    svc('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
    svc('lonely', { clusterIP: '10.96.0.21', selector: { app: 'nothing' }, ports: [{ port: 80 }] }),
    svc('ghost', { clusterIP: 'None', selector: { app: 'nothing' }, ports: [{ port: 80 }] }),
    svc('warming', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80 }] }),
    svc('mail', { type: 'ExternalName', externalName: 'Mail.Example.org.' }),
  ],
  slices: [
    slice('web', [{ addresses: ['10.1.0.2'] }], [{ name: 'http', port: 8080 }]),
    slice('db', [
      { addresses: ['10.1.0.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.2.0.6'], conditions: { ready: true } },
      { addresses: ['10.2.0.7'], conditions: { ready: false } },
    ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
    slice('warming', [{ addresses: ['10.2.0.9'], conditions: { ready: false } }], [{ port: 80 }]),
  ],
});

const summary = (qname: string, qtype: string) => {
  const r = resolve(zone, qname, qtype);
  const data = r.answers.map((a) => (a.type === 'SRV' ? `${a.data.port} ${a.data.target}` : String(a.data))).sort();
  return { rcode: r.rcode, data, soa: r.authorities.some((a) => a.type === 'SOA') };
};

describe('cluster DNS zone', () => {
  it.each([
    { name: 'ClusterIP Service A', q: 'web.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.96.0.20'], soa: false } },
    { name: 'case and trailing dot do not matter', q: 'WEB.Shop.svc.cluster.local.', t: 'A', want: { rcode: 'NOERROR', data: ['10.96.0.20'], soa: false } },
    { name: 'AAAA of an IPv4 Service is NODATA', q: 'web.shop.svc.cluster.local', t: 'AAAA', want: { rcode: 'NOERROR', data: [], soa: true } },
    { name: 'SRV of a named port points at the Service', q: '_http._tcp.web.shop.svc.cluster.local', t: 'SRV', want: { rcode: 'NOERROR', data: ['80 web.shop.svc.cluster.local'], soa: false } },
    { name: 'an unnamed port has no SRV name', q: '_8443._tcp.web.shop.svc.cluster.local', t: 'SRV', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'headless: one A per ready endpoint', q: 'db.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.1.0.5', '10.2.0.6'], soa: false } },
    { name: 'headless endpoint hostname', q: 'db-0.db.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.1.0.5'], soa: false } },
    { name: 'headless endpoint without hostname by dashed IP', q: '10-2-0-6.db.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.2.0.6'], soa: false } },
    { name: 'not-ready endpoint has no name', q: '10-2-0-7.db.shop.svc.cluster.local', t: 'A', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'headless SRV: one per endpoint with the endpoint port', q: '_pg._tcp.db.shop.svc.cluster.local', t: 'SRV', want: { rcode: 'NOERROR', data: ['5432 10-2-0-6.db.shop.svc.cluster.local', '5432 db-0.db.shop.svc.cluster.local'], soa: false } },
    { name: 'selector matching nothing: A for the ClusterIP still', q: 'lonely.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.96.0.21'], soa: false } },
    { name: 'headless without ready endpoints is NXDOMAIN (kube-dns/CoreDNS)', q: 'ghost.shop.svc.cluster.local', t: 'A', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'publishNotReadyAddresses lists unready endpoints', q: 'warming.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.2.0.9'], soa: false } },
    { name: 'ExternalName is a CNAME', q: 'mail.shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['mail.example.org'], soa: false } },
    { name: 'namespace name exists without records', q: 'shop.svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: [], soa: true } },
    { name: 'svc.<zone> exists', q: 'svc.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: [], soa: true } },
    { name: 'unknown Service', q: 'nope.shop.svc.cluster.local', t: 'A', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'unknown namespace', q: 'web.other.svc.cluster.local', t: 'A', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'pod A by dashed IP', q: '10-1-0-2.shop.pod.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: ['10.1.0.2'], soa: false } },
    { name: 'pod name that is no IP', q: '10-1-0-999.shop.pod.cluster.local', t: 'A', want: { rcode: 'NXDOMAIN', data: [], soa: true } },
    { name: 'pod namespace exists', q: 'shop.pod.cluster.local', t: 'A', want: { rcode: 'NOERROR', data: [], soa: true } },
  ])('$name', ({ q, t, want }) => {
    expect(summary(q, t)).toEqual(want);
  });

  it('adds the targets of SRV answers as additional A records', () => {
    const r = resolve(zone, '_pg._tcp.db.shop.svc.cluster.local', 'SRV');
    expect(r.additionals.map((a) => `${a.name} ${String(a.data)}`).sort()).toEqual(['10-2-0-6.db.shop.svc.cluster.local 10.2.0.6', 'db-0.db.shop.svc.cluster.local 10.1.0.5']);
  });

  it('serves the SOA at the apex', () => {
    expect(resolve(zone, 'cluster.local', 'SOA').answers[0]).toMatchObject({ type: 'SOA', name: 'cluster.local' });
  });

  it('knows which names are its own', () => {
    expect(['web.shop.svc.cluster.local', 'CLUSTER.LOCAL.', 'example.org', 'notcluster.local'].map((n) => inZone(n, 'cluster.local'))).toEqual([true, true, false, false]);
  });
});
