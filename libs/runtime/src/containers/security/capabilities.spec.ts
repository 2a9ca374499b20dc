import { DEFAULT_CAPABILITIES } from '../oci-spec';
import { ALL_CAPABILITIES, capabilityMask, containerCapabilities } from './capabilities';

describe('containerCapabilities', () => {
  it.each([
    ['nothing asked: containerd\'s default set', {}, false, [...DEFAULT_CAPABILITIES].sort()],
    ['drop ALL', { drop: ['ALL'] }, false, []],
    ['drop ALL then add one (prefix optional, any case)', { drop: ['ALL'], add: ['net_bind_service'] }, false, ['CAP_NET_BIND_SERVICE']],
    ['add ALL then drop one', { add: ['ALL'], drop: ['CHOWN'] }, false, ALL_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN').sort()],
    ['add and drop by name', { add: ['NET_ADMIN'], drop: ['CAP_NET_RAW', 'KILL'] }, false,
      [...DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_NET_RAW' && c !== 'CAP_KILL'), 'CAP_NET_ADMIN'].sort()],
    ['privileged ignores drops', { drop: ['ALL'] }, true, [...ALL_CAPABILITIES].sort()],
  ])('%s', (_n, caps, privileged, want) => {
    expect([...containerCapabilities(caps, privileged)].sort()).toEqual(want);
  });

  it('refuses names Linux does not have', () => {
    expect(() => containerCapabilities({ add: ['SUPERPOWER'] })).toThrow('unknown capability "SUPERPOWER"');
  });

  it('masks as /proc/self/status prints them', () => {
    expect(capabilityMask(['CAP_NET_BIND_SERVICE']).toString(16)).toBe('400');
    expect(capabilityMask(DEFAULT_CAPABILITIES).toString(16).padStart(16, '0')).toBe('00000000a80425fb');
    expect(capabilityMask(ALL_CAPABILITIES).toString(16)).toBe('1ffffffffff');
  });
});
