import { candidateIps, contains, gatewayOf, intToIp, ipToInt, parseCidr } from './cidr';

describe('ipv4 helpers', () => {
  it.each([
    ['10.88.0.1', 0x0a580001],
    ['255.255.255.255', 0xffffffff],
    ['0.0.0.0', 0],
  ])('ipToInt/intToIp %s', (ip, n) => {
    expect(ipToInt(ip)).toBe(n);
    expect(intToIp(n)).toBe(ip);
  });

  it.each(['10.1.1', '10.1.1.256', 'a.b.c.d', '1.2.3.4.5'])('rejects %s', (ip) => {
    expect(() => ipToInt(ip)).toThrow(/invalid/);
  });

  it.each([
    ['10.88.0.0/24', '10.88.0.1', 24],
    ['10.88.0.77/24', '10.88.0.1', 24],
    ['10.244.3.0/23', '10.244.2.1', 23],
  ])('parseCidr %s', (cidr, gw, len) => {
    const c = parseCidr(cidr);
    expect(gatewayOf(c)).toBe(gw);
    expect(c.prefixLength).toBe(len);
  });

  it.each(['10.0.0.0/31', '10.0.0.0/4', '10.0.0.0', '10.0.0.0/x'])('parseCidr rejects %s', (cidr) => {
    expect(() => parseCidr(cidr)).toThrow(/CIDR/);
  });

  it('contains', () => {
    const c = parseCidr('10.88.0.0/24');
    expect(contains(c, '10.88.0.200')).toBe(true);
    expect(contains(c, '10.88.1.0')).toBe(false);
  });
});

describe('candidateIps', () => {
  const c = parseCidr('192.168.5.0/29'); // .0 net, .1 gw, .2-.6 hosts, .7 broadcast
  it.each([
    ['from the start', undefined, ['.2', '.3', '.4', '.5', '.6']],
    ['after the last handed out, wrapping', '192.168.5.4', ['.5', '.6', '.2', '.3', '.4']],
    ['last at the end wraps to the start', '192.168.5.6', ['.2', '.3', '.4', '.5', '.6']],
    ['last outside the range is ignored', '10.0.0.1', ['.2', '.3', '.4', '.5', '.6']],
    // Two writes of the hint that once interleaved left "10.207.1.98" + "0": every allocation
    // threw "invalid IPv4 address" and no pod on the node could start again.
    ['a torn last address is ignored', '192.168.5.40', ['.2', '.3', '.4', '.5', '.6']],
    ['garbage is ignored', 'x.y', ['.2', '.3', '.4', '.5', '.6']],
  ])('%s', (_n, last, want) => {
    expect(candidateIps(c, last)).toEqual(want.map((s) => `192.168.5${s}`));
  });
});
