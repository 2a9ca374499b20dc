import { hostNetworkHostsFile, podDnsType, podHostsFile, podKernelHostname, podResolvConf, podResolvConfText, NodeDnsSettings, PodDnsInput } from './dns-files';

const node: NodeDnsSettings = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 192.168.1.1\nsearch corp.example\noptions edns0\n' };
const pod = (spec: PodDnsInput['spec'] = {}, name = 'web-1'): PodDnsInput => ({ metadata: { name, namespace: 'shop' }, spec });

describe('pod resolv.conf', () => {
  it('ClusterFirst (the default) writes what the kubelet writes', () => {
    expect(podResolvConfText(pod(), node)).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it.each([
    { name: 'ClusterFirst', spec: {}, want: 'cluster' },
    { name: 'ClusterFirst on the host network falls back to Default', spec: { hostNetwork: true }, want: 'host' },
    { name: 'ClusterFirstWithHostNet', spec: { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, want: 'cluster' },
    { name: 'Default', spec: { dnsPolicy: 'Default' }, want: 'host' },
    { name: 'None', spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }, want: 'none' },
  ])('$name → $want', ({ spec, want }) => {
    expect(podDnsType(pod(spec), node)).toBe(want);
  });

  it('ClusterFirst without a cluster DNS configured uses the node resolver', () => {
    expect(podDnsType(pod(), { ...node, clusterDNS: [] })).toBe('host');
  });

  it('Default copies the node resolv.conf', () => {
    expect(podResolvConf(pod({ dnsPolicy: 'Default' }), node)).toEqual({ nameservers: ['192.168.1.1'], searches: ['corp.example'], options: ['edns0'] });
  });

  it('None uses dnsConfig only', () => {
    expect(podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), node))
      .toEqual({ nameservers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2', 'edns0'] });
  });

  it('merges dnsConfig into ClusterFirst: appended without duplicates, options overridden by name', () => {
    const conf = podResolvConf(pod({ dnsConfig: { nameservers: ['10.96.0.10', '1.1.1.1'], searches: ['svc.cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }] } }), node);
    expect(conf).toEqual({ nameservers: ['10.96.0.10', '1.1.1.1'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'extra.example'], options: ['ndots:2'] });
  });

  it('trims to 3 nameservers and 32 search paths', () => {
    const conf = podResolvConf(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`) } }), node);
    expect(conf.nameservers).toEqual(['10.96.0.10', '1.1.1.1', '2.2.2.2']);
    expect(conf.searches).toHaveLength(32);
  });
});

describe('pod /etc/hosts', () => {
  it('names the pod by its hostname, with the FQDN when it has a subdomain, and host aliases', () => {
    const text = podHostsFile(pod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.0.0.5', hostnames: ['foo.local', 'bar.local'] }] }), '10.1.0.7', 'cluster.local');
    expect(text.split('\n')).toEqual(expect.arrayContaining(['127.0.0.1\tlocalhost', '10.1.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0', '# Entries added by HostAliases.', '10.0.0.5\tfoo.local\tbar.local']));
  });

  it('uses the pod name, cut to 63 characters, without a subdomain', () => {
    const long = 'x'.repeat(70);
    expect(podHostsFile(pod({}, long), '10.1.0.8', 'cluster.local')).toContain(`10.1.0.8\t${'x'.repeat(63)}\n`);
  });
});

describe('pod kernel hostname (UTS and HOSTNAME)', () => {
  it.each([
    { name: 'the pod name without spec.hostname', spec: {}, podName: 'web-1', want: 'web-1' },
    { name: 'spec.hostname (an Indexed Job pod)', spec: { hostname: 'train-3' }, podName: 'train-3-x7k2p', want: 'train-3' },
    { name: 'a subdomain alone does not change it', spec: { hostname: 'db-0', subdomain: 'db' }, podName: 'db-0', want: 'db-0' },
    { name: 'setHostnameAsFQDN with a subdomain: the FQDN', spec: { hostname: 'db-0', subdomain: 'db', setHostnameAsFQDN: true }, podName: 'db-0', want: 'db-0.db.shop.svc.cluster.local' },
    { name: 'setHostnameAsFQDN without a subdomain: the short name', spec: { setHostnameAsFQDN: true }, podName: 'web-1', want: 'web-1' },
    { name: 'a long name is cut to 63 characters without a trailing dash', spec: {}, podName: `${'a'.repeat(62)}-bcd`, want: 'a'.repeat(62) },
  ])('$name', ({ spec, podName, want }) => {
    expect(podKernelHostname(pod(spec, podName), 'cluster.local')).toBe(want);
  });

  it('an FQDN longer than 64 characters fails with the kubelet\'s message', () => {
    const long = pod({ hostname: 'h'.repeat(40), subdomain: 's'.repeat(10), setHostnameAsFQDN: true });
    expect(() => podKernelHostname(long, 'cluster.local')).toThrow(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${'h'.repeat(40)}.${'s'.repeat(10)}.shop.svc.cluster.local is too long (64 characters is the max, 74 characters requested)`);
  });
});

describe('hostNetwork pod /etc/hosts', () => {
  it.each([
    { name: 'the node\'s file under the kubelet\'s header', spec: { hostNetwork: true }, want: '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n10.0.0.2\tnode-1\n' },
    { name: 'host aliases after it', spec: { hostNetwork: true, hostAliases: [{ ip: '10.0.0.5', hostnames: ['foo.local'] }] },
      want: '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n10.0.0.2\tnode-1\n\n# Entries added by HostAliases.\n10.0.0.5\tfoo.local\n' },
  ])('$name', ({ spec, want }) => {
    expect(hostNetworkHostsFile(pod(spec), '127.0.0.1\tlocalhost\n10.0.0.2\tnode-1\n')).toBe(want);
  });
});
