import { ACK, answerType, buildReply, DISCOVER, DhcpLease, NAK, OFFER, parseDhcp, REQUEST, subnetBroadcast } from './dhcp-packet';

/** A client packet as udhcpc sends it: BOOTREQUEST, Ethernet, the magic cookie, then options. */
function clientPacket(type: number, mac: string, options: number[] = [], ciaddr = [0, 0, 0, 0]): Buffer {
  const b = Buffer.alloc(240);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.writeUInt32BE(0xdeadbeef, 4);
  b.writeUInt16BE(0x8000, 10);
  Buffer.from(ciaddr).copy(b, 12);
  Buffer.from(mac.split(':').map((x) => parseInt(x, 16))).copy(b, 28);
  Buffer.from([99, 130, 83, 99]).copy(b, 236);
  return Buffer.concat([b, Buffer.from([53, 1, type, 0, ...options, 255])]);
}

/** Options of a reply, code → bytes (concatenated when split). */
function replyOptions(b: Buffer): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let at = 240; b[at] !== 255; at += 2 + b[at + 1]) out.set(b[at], [...(out.get(b[at]) ?? []), ...b.subarray(at + 2, at + 2 + b[at + 1])]);
  return out;
}

const MAC = '52:54:00:ab:cd:ef';
const lease: DhcpLease = { mac: MAC, ip: '10.244.1.7', prefixLength: 24, gateway: '10.244.1.1', dns: ['10.96.0.10'], search: ['shop.svc.cluster.local', 'cluster.local'], hostname: 'db-0', leaseSeconds: 86400 };

describe('parseDhcp', () => {
  it('reads type, xid, flags, MAC, requested address and server id', () => {
    expect(parseDhcp(clientPacket(REQUEST, MAC, [50, 4, 10, 244, 1, 7, 54, 4, 10, 244, 1, 1]))).toEqual({ type: REQUEST, xid: 0xdeadbeef, flags: 0x8000, ciaddr: '0.0.0.0', mac: MAC, requestedIp: '10.244.1.7', serverId: '10.244.1.1' });
  });

  it('takes ciaddr as the requested address when renewing', () => {
    expect(parseDhcp(clientPacket(REQUEST, MAC, [], [10, 244, 1, 7]))?.requestedIp).toBe('10.244.1.7');
  });

  it.each<[string, Buffer]>([
    ['too short', Buffer.alloc(100)],
    ['a BOOTREPLY', (() => { const b = clientPacket(DISCOVER, MAC); b[0] = 2; return b; })()],
    ['no magic cookie', (() => { const b = clientPacket(DISCOVER, MAC); b[236] = 0; return b; })()],
    ['an option running past the end', Buffer.concat([clientPacket(DISCOVER, MAC).subarray(0, 244), Buffer.from([50, 40, 1])])],
  ])('ignores %s', (_name, packet) => expect(parseDhcp(packet)).toBeUndefined());
});

describe('answers', () => {
  const req = (type: number, options: number[] = []) => parseDhcp(clientPacket(type, MAC, options))!;
  it.each<[string, number, number[], number | undefined]>([
    ['DISCOVER → OFFER', DISCOVER, [], OFFER],
    ['REQUEST for its address → ACK', REQUEST, [50, 4, 10, 244, 1, 7], ACK],
    ['REQUEST for another address → NAK', REQUEST, [50, 4, 10, 244, 1, 99], NAK],
    ['REQUEST to another server → nothing', REQUEST, [50, 4, 10, 244, 1, 7, 54, 4, 10, 244, 2, 1], undefined],
    ['RELEASE → nothing', 7, [], undefined],
  ])('%s', (_name, type, options, want) => expect(answerType(req(type, options), lease, '10.244.1.1')).toBe(want));

  it('an OFFER carries the address, mask, router, DNS, search list, hostname and lease time', () => {
    const reply = buildReply(req(DISCOVER), OFFER, lease, '10.244.1.1');
    expect(reply[0]).toBe(2);
    expect(reply.readUInt32BE(4)).toBe(0xdeadbeef);
    expect([...reply.subarray(16, 20)]).toEqual([10, 244, 1, 7]);
    expect([...reply.subarray(28, 34)]).toEqual([0x52, 0x54, 0, 0xab, 0xcd, 0xef]);
    const opts = replyOptions(reply);
    expect(opts.get(53)).toEqual([OFFER]);
    expect(opts.get(54)).toEqual([10, 244, 1, 1]);
    expect(opts.get(1)).toEqual([255, 255, 255, 0]);
    expect(opts.get(3)).toEqual([10, 244, 1, 1]);
    expect(opts.get(6)).toEqual([10, 96, 0, 10]);
    expect(opts.get(51)).toEqual([0, 1, 0x51, 0x80]);
    expect(Buffer.from(opts.get(12)!).toString()).toBe('db-0');
    expect(Buffer.from(opts.get(15)!).toString()).toBe('shop.svc.cluster.local');
    expect(opts.get(119)).toEqual([4, ...Buffer.from('shop'), 3, ...Buffer.from('svc'), 7, ...Buffer.from('cluster'), 5, ...Buffer.from('local'), 0, 7, ...Buffer.from('cluster'), 5, ...Buffer.from('local'), 0]);
  });

  it('a NAK carries no address', () => {
    const reply = buildReply(req(REQUEST), NAK, lease, '10.244.1.1');
    expect([...reply.subarray(16, 20)]).toEqual([0, 0, 0, 0]);
    expect([...replyOptions(reply).keys()]).toEqual([53, 54]);
  });
});

describe('subnetBroadcast', () => {
  it.each([
    ['10.244.1.7', 24, '10.244.1.255'],
    ['10.244.1.7', 16, '10.244.255.255'],
    ['192.168.5.130', 25, '192.168.5.255'],
    ['192.168.5.10', 25, '192.168.5.127'],
  ])('%s/%d → %s', (ip, prefix, want) => expect(subnetBroadcast(ip, prefix as number)).toBe(want));
});
