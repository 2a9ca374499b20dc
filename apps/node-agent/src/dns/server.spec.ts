// The DNS server over real loopback sockets (UDP and TCP), with a second server as upstream.
import * as dnsPacket from 'dns-packet';
import { connect } from 'node:net';
import { DnsServer, udpExchange } from './server';
import { buildZone } from './zone';
import { parseResolvConf, upstreamsFrom, formatResolvConf } from './resolv-conf';

const logger = { warn: () => undefined, debug: () => undefined };
const endpoints = (n: number) => Array.from({ length: n }, (_, i) => ({ addresses: [`10.1.0.${i + 2}`] }));
const headless = (name: string, n: number) => ({
  service: { metadata: { name, namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] } },
  slice: { metadata: { name: `${name}-x`, namespace: 'shop', labels: { 'kubernetes.io/service-name': name } }, endpoints: endpoints(n), ports: [{ name: 'http', port: 80 }] },
});
const four = headless('four', 4);
const many = headless('many', 40);
const zone = buildZone({
  domain: 'cluster.local',
  services: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } }, four.service, many.service],
  slices: [four.slice, many.slice],
});
const upstreamZone = buildZone({ domain: 'example.org', services: [], slices: [] });

let upstream: DnsServer;
let server: DnsServer;
let deadUpstream: DnsServer;

beforeAll(async () => {
  upstream = new DnsServer({ host: '127.0.0.1', port: 0, zone: () => upstreamZone, upstreams: [], logger });
  await upstream.start();
  server = new DnsServer({ host: '127.0.0.1', port: 0, zone: () => zone, upstreams: [`127.0.0.1:${upstream.port}`], logger });
  await server.start();
  // An upstream list whose only server never answers (a closed port).
  deadUpstream = new DnsServer({ host: '127.0.0.1', port: 0, zone: () => zone, upstreams: ['127.0.0.1:9'], upstreamTimeoutMs: 200, logger });
  await deadUpstream.start();
});

afterAll(async () => {
  await Promise.all([server.stop(), upstream.stop(), deadUpstream.stop()]);
});

const query = (name: string, type: dnsPacket.RecordType, id = 42) => dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });

async function ask(port: number, name: string, type: dnsPacket.RecordType) {
  return dnsPacket.decode(await udpExchange(query(name, type), '127.0.0.1', port, 2000)) as dnsPacket.DecodedPacket & { rcode: string };
}

describe('DnsServer', () => {
  it('answers cluster names over UDP, authoritatively', async () => {
    const reply = await ask(server.port, 'web.shop.svc.cluster.local', 'A');
    expect(reply).toMatchObject({ id: 42, rcode: 'NOERROR', flag_aa: true, flag_rd: true });
    expect(reply.answers?.map((a) => (a as { data: unknown }).data)).toEqual(['10.96.0.20']);
  });

  it('answers NXDOMAIN with the SOA for a missing Service', async () => {
    const reply = await ask(server.port, 'nope.shop.svc.cluster.local', 'A');
    expect(reply.rcode).toBe('NXDOMAIN');
    expect(reply.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'cluster.local' });
  });

  it('answers over TCP with length-prefixed messages, several on one connection', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);
    const replies: Array<{ id?: number; answers?: unknown[] }> = [];
    await new Promise<void>((resolve, reject) => {
      let buffered = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          replies.push(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
          buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
          if (replies.length === 2) resolve();
        }
      });
      socket.write(Buffer.concat([frame(query('web.shop.svc.cluster.local', 'A', 1)), frame(query('_http._tcp.web.shop.svc.cluster.local', 'SRV', 2))]));
    });
    socket.destroy();
    expect(replies.map((r) => [r.id, r.answers?.length])).toEqual([[1, 1], [2, 1]]);
  });

  it('drops optional additional records before truncating a UDP answer, and sets TC when even that is too big', async () => {
    const srv = await ask(server.port, '_http._tcp.four.shop.svc.cluster.local', 'SRV');
    expect(srv.flag_tc).toBe(false);
    expect(srv.answers).toHaveLength(4);
    const big = await ask(server.port, '_http._tcp.many.shop.svc.cluster.local', 'SRV');
    expect(big.flag_tc).toBe(true);
    expect(big.answers).toEqual([]);
  });

  it('forwards other names to the upstream and relays its answer', async () => {
    const reply = await ask(server.port, 'example.org', 'SOA');
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.answers?.[0]).toMatchObject({ type: 'SOA', name: 'example.org' });
  });

  it('answers SERVFAIL when no upstream answers (offline)', async () => {
    expect((await ask(deadUpstream.port, 'example.org', 'A')).rcode).toBe('SERVFAIL');
  });

  it('answers a repeated question from its cache with each query\'s own id, the asker\'s case and the current zone', async () => {
    let current = buildZone({ domain: 'cluster.local', services: [{ metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.30' } }], slices: [] });
    const changing = new DnsServer({ host: '127.0.0.1', port: 0, zone: () => current, upstreams: [], logger });
    await changing.start();
    try {
      const answers = async (name: string, id: number) => {
        const reply = dnsPacket.decode(await udpExchange(query(name, 'A', id), '127.0.0.1', changing.port, 2000)) as dnsPacket.DecodedPacket & { rcode: string };
        return { id: reply.id, rcode: reply.rcode, question: reply.questions?.[0].name, data: reply.answers?.map((a) => (a as { data: unknown }).data) };
      };
      expect(await answers('db.shop.svc.cluster.local', 1)).toEqual({ id: 1, rcode: 'NOERROR', question: 'db.shop.svc.cluster.local', data: ['10.96.0.30'] });
      expect(await answers('db.shop.svc.cluster.local', 2)).toEqual({ id: 2, rcode: 'NOERROR', question: 'db.shop.svc.cluster.local', data: ['10.96.0.30'] });
      expect(await answers('DB.Shop.svc.cluster.local', 3)).toEqual({ id: 3, rcode: 'NOERROR', question: 'DB.Shop.svc.cluster.local', data: ['10.96.0.30'] });
      // The Service moves: the next zone object answers, not the cached bytes.
      current = buildZone({ domain: 'cluster.local', services: [{ metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.96.0.31' } }], slices: [] });
      expect(await answers('db.shop.svc.cluster.local', 4)).toEqual({ id: 4, rcode: 'NOERROR', question: 'db.shop.svc.cluster.local', data: ['10.96.0.31'] });
      current = buildZone({ domain: 'cluster.local', services: [], slices: [] });
      expect(await answers('db.shop.svc.cluster.local', 5)).toMatchObject({ id: 5, rcode: 'NXDOMAIN', data: [] });
    } finally {
      await changing.stop();
    }
  });

  it('drops garbage and keeps serving', async () => {
    await expect(udpExchange(Buffer.from([0, 7, 1, 2, 3]), '127.0.0.1', server.port, 300)).rejects.toThrow(/no answer/);
    expect((await ask(server.port, 'web.shop.svc.cluster.local', 'A')).rcode).toBe('NOERROR');
    expect(server.healthy()).toBe(true);
  });
});

describe('resolv.conf', () => {
  it('parses nameservers, the last search line and options, ignoring comments', () => {
    const conf = parseResolvConf('# generated\nnameserver 10.0.0.2\ndomain corp\nsearch a.example b.example ; old\nnameserver 127.0.0.53\noptions edns0 ndots:2\nnameserver ::1\n');
    expect(conf).toEqual({ nameservers: ['10.0.0.2', '127.0.0.53', '::1'], searches: ['a.example', 'b.example'], options: ['edns0', 'ndots:2'] });
    expect(upstreamsFrom(conf, ['10.0.0.2'])).toEqual(['127.0.0.53']);
    expect(formatResolvConf({ nameservers: ['10.96.0.10'], searches: ['a', 'b'], options: ['ndots:5'] })).toBe('search a b\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
