import { checkPodSpec } from './semantics';

const spec = (dns: Record<string, unknown>) => ({ containers: [{ name: 'c', image: 'busybox' }], ...dns });
const fields = (dns: Record<string, unknown>) => checkPodSpec(spec(dns), 'spec').map((c) => `${c.field} ${c.message}`);

describe('pod DNS validation', () => {
  it.each([
    { name: 'default policy needs nothing', dns: {}, want: [] },
    { name: 'ClusterFirst with extra options', dns: { dnsPolicy: 'ClusterFirst', dnsConfig: { options: [{ name: 'ndots', value: '2' }], searches: ['corp.example.'] } }, want: [] },
    { name: 'None without dnsConfig', dns: { dnsPolicy: 'None' }, want: ['spec.dnsConfig Required value: must provide `dnsConfig` when `dnsPolicy` is None'] },
    { name: 'None without nameservers', dns: { dnsPolicy: 'None', dnsConfig: { searches: ['a'] } }, want: ['spec.dnsConfig.nameservers Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'] },
    { name: 'None with a nameserver', dns: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }, want: [] },
    {
      name: 'four nameservers, one not an IP',
      dns: { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns.example'] } },
      want: [
        'spec.dnsConfig.nameservers Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","dns.example"]: must not have more than 3 nameservers',
        'spec.dnsConfig.nameservers[3] Invalid value: "dns.example": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    },
    { name: 'an option without a name', dns: { dnsConfig: { options: [{ value: '1' }] } }, want: ['spec.dnsConfig.options[0] Required value: must not be empty'] },
    { name: 'a bad search domain', dns: { dnsConfig: { searches: ['Bad_Domain'] } }, want: [expect.stringMatching(/^spec\.dnsConfig\.searches\[0\] Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain/)] },
  ])('$name', ({ dns, want }) => {
    expect(fields(dns)).toEqual(want);
  });

  it('allows 32 search paths and refuses 33', () => {
    const paths = (n: number) => Array.from({ length: n }, (_, i) => `s${i}.example`);
    expect(fields({ dnsConfig: { searches: paths(32) } })).toEqual([]);
    expect(fields({ dnsConfig: { searches: paths(33) } })).toEqual([expect.stringMatching(/^spec\.dnsConfig\.searches Invalid value: .*must not have more than 32 search paths$/)]);
  });
});
