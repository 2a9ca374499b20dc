import { deletionsFor, hostPortRules, podsWithRules, splitRule } from './hostports';
import { podNames, uid8 } from './names';

describe('hostPortRules', () => {
  it.each([
    ['tcp default', { hostPort: 8080, containerPort: 80 },
      ['-A', 'HP', '-p', 'tcp', '-m', 'comment', '--comment', 'coxswain pod u1', '-m', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '10.88.0.5:80']],
    ['udp on one host address', { hostPort: 53, containerPort: 5353, protocol: 'UDP' as const, hostIP: '192.168.1.10' },
      ['-A', 'HP', '-p', 'udp', '-m', 'comment', '--comment', 'coxswain pod u1', '-d', '192.168.1.10/32', '-m', 'udp', '--dport', '53', '-j', 'DNAT', '--to-destination', '10.88.0.5:5353']],
    ['0.0.0.0 means any address', { hostPort: 1, containerPort: 2, hostIP: '0.0.0.0' },
      ['-A', 'HP', '-p', 'tcp', '-m', 'comment', '--comment', 'coxswain pod u1', '-m', 'tcp', '--dport', '1', '-j', 'DNAT', '--to-destination', '10.88.0.5:2']],
  ])('%s', (_n, mapping, want) => {
    expect(hostPortRules('HP', 'u1', '10.88.0.5', [mapping])).toEqual([want]);
  });
});

describe('splitRule', () => {
  it('keeps quoted words together', () => {
    expect(splitRule('-A HP -p tcp -m comment --comment "coxswain pod u1" -j DNAT')).toEqual(
      ['-A', 'HP', '-p', 'tcp', '-m', 'comment', '--comment', 'coxswain pod u1', '-j', 'DNAT']);
  });
});

describe('deletionsFor', () => {
  const listing = [
    '-N HP',
    '-A HP -p tcp -m comment --comment "coxswain pod u1" -m tcp --dport 8080 -j DNAT --to-destination 10.88.0.5:80',
    '-A HP -p tcp -m comment --comment "coxswain pod u12" -m tcp --dport 8081 -j DNAT --to-destination 10.88.0.6:80',
    '-A HP -p udp -m comment --comment "coxswain pod u1" -m udp --dport 53 -j DNAT --to-destination 10.88.0.5:53',
  ].join('\n');
  it.each([
    ['only the pod’s own rules, not a uid with the same prefix', 'u1', [
      ['-D', 'HP', '-p', 'tcp', '-m', 'comment', '--comment', 'coxswain pod u1', '-m', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '10.88.0.5:80'],
      ['-D', 'HP', '-p', 'udp', '-m', 'comment', '--comment', 'coxswain pod u1', '-m', 'udp', '--dport', '53', '-j', 'DNAT', '--to-destination', '10.88.0.5:53'],
    ]],
    ['nothing for an unknown pod', 'u9', []],
  ])('%s', (_n, uid, want) => {
    expect(deletionsFor(listing, uid)).toEqual(want);
  });
});

describe('podsWithRules', () => {
  it.each([
    ['the pods named by rule comments, once each', ['-N HP', '-A HP -p tcp -m comment --comment "coxswain pod u1" -j DNAT', '-A HP -p udp -m comment --comment "coxswain pod u1" -j DNAT', '-A HP -p tcp -m comment --comment "coxswain pod u12" -j DNAT'], ['u1', 'u12']],
    ['an empty chain', ['-N HP'], []],
    ['rules without our comment are not pods', ['-N HP', '-A HP -p tcp -m comment --comment "someone else" -j DNAT', '-A HP -p tcp -j ACCEPT'], []],
    ['no listing (the chain does not exist)', [''], []],
  ])('%s', (_n, lines, want) => {
    expect([...podsWithRules(lines.join('\n'))].sort()).toEqual(want);
  });
});

describe('names', () => {
  it.each([
    ['uuid uses its first group', '3F2504E0-4F89-11D3-9A0C-0305E82C3301', '3f2504e0'],
    ['other ids are hashed', 'pod-a', uid8('pod-a')],
  ])('%s', (_n, uid, want) => {
    expect(uid8(uid)).toBe(want);
    expect(uid8(uid)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('builds netns and veth names and refuses names over 15 bytes', () => {
    expect(podNames('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'cox-', 'vcox')).toEqual({ netns: 'cox-3f2504e0', hostVeth: 'vcox3f2504e0' });
    expect(uid8('pod-a')).not.toBe(uid8('pod-b'));
    expect(() => podNames('x', 'cox-', 'toolongpfx')).toThrow(/15/);
  });
});
