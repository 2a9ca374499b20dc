import { leasesToRestore } from './vm-runtime';

const net = (mac: string) => ({ tap: 't', bridge: 'b', mac, ip: '10.0.0.5', prefixLength: 24, gateway: '10.0.0.1' });

describe('leasesToRestore (DHCP after an agent restart)', () => {
  it.each<[string, Array<{ uid: string; exited: boolean; network?: ReturnType<typeof net> }>, string[], string[]]>([
    ['a running VM whose lease this process never registered (restart)', [{ uid: 'a', exited: false, network: net('52:54:00:00:00:0A') }], [], ['a']],
    ['already registered (MACs compared case-insensitively)', [{ uid: 'a', exited: false, network: net('52:54:00:00:00:0A') }], ['52:54:00:00:00:0a'], []],
    ['an exited VM gets none', [{ uid: 'a', exited: true, network: net('52:54:00:00:00:0a') }], [], []],
    ['a VM without a network gets none', [{ uid: 'a', exited: false }], [], []],
  ])('%s', (_name, vms, registered, want) => {
    expect(leasesToRestore(vms, new Set(registered)).map((l) => l.uid)).toEqual(want);
  });
});
