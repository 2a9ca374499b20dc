// The cluster DNS server's network edge: UDP and TCP on one address, cluster-domain questions
// answered from the zone, everything else forwarded to the node's upstream resolvers (the
// node's /etc/resolv.conf). Wire format by dns-packet; a packet it cannot decode is dropped
// (UDP) or ends the connection (TCP) and the server keeps serving.
import * as dnsPacket from 'dns-packet';
import { createSocket, Socket } from 'node:dgram';
import { AddressInfo, createServer, Server, Socket as TcpSocket } from 'node:net';
import type { Logger } from '@coxswain/client';
import { Counter, Histogram, Registry } from 'prom-client';
import { inZone, resolve, Zone } from './zone';

export interface DnsServerOptions {
  host: string;
  port: number;
  /** The current zone (rebuilt by the caller when Services or EndpointSlices change). */
  zone: () => Zone;
  /** Upstream resolvers for names outside the cluster domain (`ip` or `ip:port`). */
  upstreams: string[];
  upstreamTimeoutMs?: number;
  logger: Pick<Logger, 'warn' | 'debug'>;
  registry?: Registry;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const UDP_DEFAULT_SIZE = 512;
/** Distinct cluster questions whose encoded answers are kept per zone; the cache starts over when full. */
const ANSWER_CACHE_SIZE = 4096;

interface CachedAnswer {
  /** The encoded reply; its first two bytes (the id) are rewritten for each query. */
  reply: Buffer;
  rcode: string;
}

export class DnsServer {
  private udp?: Socket;
  private tcp?: Server;
  private readonly connections = new Set<TcpSocket>();
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;
  /** Metric children by label values (labels() hashes its arguments on every call). */
  private readonly counters = new Map<string, Counter.Internal>();
  private readonly timers = new Map<string, Histogram.Internal<string>>();
  /**
   * Cluster answers keyed by the query's bytes after the id (flags, question, EDNS size: all the
   * reply depends on) and the transport, for the zone object they were built from. A repeated
   * question (the common case: every pod asks for the same few Services, each through its
   * search path) costs a map lookup and a copy instead of decode + resolve + encode.
   */
  private readonly answers = new Map<string, CachedAnswer>();
  private answersZone?: Zone;

  constructor(private readonly opts: DnsServerOptions) {
    const registers = opts.registry ? [opts.registry] : [];
    this.requests = new Counter({ name: 'coxswain_dns_requests_total', help: 'DNS requests by transport, where they were answered and response code.', labelNames: ['proto', 'source', 'rcode'], registers });
    this.duration = new Histogram({ name: 'coxswain_dns_request_duration_seconds', help: 'Time to answer a DNS request.', labelNames: ['source'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2], registers });
  }

  healthy(): boolean {
    return Boolean(this.udp && this.tcp?.listening);
  }

  /** The UDP port actually bound (useful with port 0). */
  get port(): number {
    return this.udp?.address().port ?? 0;
  }

  async start(): Promise<void> {
    // Port 0 (tests): take a free TCP port, then the same UDP port; retry if that one is taken.
    for (let attempt = 0; ; attempt++) {
      const tcp = createServer((socket) => this.serveTcp(socket));
      await listen(tcp, this.opts.port, this.opts.host);
      const port = (tcp.address() as AddressInfo).port;
      try {
        this.udp = await this.bindUdp(port);
        this.tcp = tcp;
        return;
      } catch (error) {
        await new Promise<void>((r) => tcp.close(() => r()));
        if (this.opts.port !== 0 || attempt >= 20) throw error;
      }
    }
  }

  private async bindUdp(port: number): Promise<Socket> {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (msg, rinfo) => {
      void this.answer(msg, 'udp').then((reply) => reply && udp.send(reply, rinfo.port, rinfo.address));
    });
    await new Promise<void>((resolvePromise, reject) => {
      udp.once('error', reject);
      udp.bind(port, this.opts.host, () => {
        udp.removeListener('error', reject);
        resolvePromise();
      });
    });
    udp.on('error', (error) => this.opts.logger.warn({ err: error }, 'dns udp socket error'));
    return udp;
  }

  async stop(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
    await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
    this.tcp = undefined;
    this.udp = undefined;
  }

  /** DNS over TCP: each message is prefixed by its 2-byte length (RFC 1035 4.2.2). */
  private serveTcp(socket: TcpSocket): void {
    this.connections.add(socket);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        void this.answer(message, 'tcp').then((reply) => {
          if (!reply) return socket.destroy();
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        });
      }
    });
  }

  /** The reply to one raw query, or undefined to drop it. */
  async answer(message: Buffer, proto: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    const started = performance.now();
    const zone = this.opts.zone();
    if (zone !== this.answersZone) {
      this.answers.clear();
      this.answersZone = zone;
    }
    const key = message.length > 2 ? `${proto}${message.toString('latin1', 2)}` : '';
    const cached = key ? this.answers.get(key) : undefined;
    if (cached) {
      const reply = Buffer.allocUnsafe(cached.reply.length);
      cached.reply.copy(reply);
      reply.writeUInt16BE(message.readUInt16BE(0), 0);
      this.count(proto, 'cluster', cached.rcode, started);
      return reply;
    }
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      this.counter(proto, 'invalid', 'FORMERR').inc();
      return undefined;
    }
    if (query.type !== 'query') return undefined;
    const question = query.questions?.[0];
    const local = question !== undefined && inZone(question.name, zone.domain);
    let reply: Buffer;
    let rcode: string;
    if (!question) {
      [reply, rcode] = [this.reply(query, RCODE.REFUSED, {}, proto), 'REFUSED'];
    } else if (local) {
      const r = resolve(zone, question.name, question.type);
      [reply, rcode] = [this.reply(query, RCODE[r.rcode] | dnsPacket.AUTHORITATIVE_ANSWER, r, proto), r.rcode];
      if (key) {
        if (this.answers.size >= ANSWER_CACHE_SIZE) this.answers.clear();
        this.answers.set(key, { reply: Buffer.from(reply), rcode });
      }
    } else {
      const upstream = await this.forward(message);
      if (upstream) [reply, rcode] = [upstream, upstreamRcode(upstream)];
      else [reply, rcode] = [this.reply(query, RCODE.SERVFAIL, {}, proto), 'SERVFAIL'];
    }
    this.count(proto, local ? 'cluster' : 'forward', rcode, started);
    return reply;
  }

  private count(proto: string, source: string, rcode: string, started: number): void {
    this.counter(proto, source, rcode).inc();
    let timer = this.timers.get(source);
    if (!timer) this.timers.set(source, (timer = this.duration.labels({ source })));
    timer.observe((performance.now() - started) / 1000);
  }

  private counter(proto: string, source: string, rcode: string): Counter.Internal {
    const id = `${proto} ${source} ${rcode}`;
    let child = this.counters.get(id);
    if (!child) this.counters.set(id, (child = this.requests.labels({ proto, source, rcode })));
    return child;
  }

  private reply(query: dnsPacket.DecodedPacket, flags: number, sections: Pick<dnsPacket.Packet, 'answers' | 'authorities' | 'additionals'>, proto: 'udp' | 'tcp'): Buffer {
    const edns = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const packet: dnsPacket.Packet = {
      type: 'response',
      id: query.id,
      flags: flags | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
      answers: sections.answers ?? [],
      authorities: sections.authorities ?? [],
      additionals: [...(sections.additionals ?? []), ...(edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } satisfies dnsPacket.Answer] : [])],
    };
    const encoded = dnsPacket.encode(packet);
    const limit = proto === 'tcp' ? 65_535 : Math.max(UDP_DEFAULT_SIZE, Math.min(edns?.udpPayloadSize ?? UDP_DEFAULT_SIZE, 1232));
    if (encoded.length <= limit) return encoded;
    // Additional records are optional (RFC 2181 9): drop them before truncating.
    const lean = dnsPacket.encode({ ...packet, additionals: packet.additionals!.filter((a) => a.type === 'OPT') });
    if (lean.length <= limit) return lean;
    // Still too big for this UDP client: say so (TC) and let it retry over TCP.
    return dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: [] });
  }

  /** Tries each upstream in turn over UDP; undefined when none answers in time. */
  private async forward(message: Buffer): Promise<Buffer | undefined> {
    for (const upstream of this.opts.upstreams) {
      const [host, port] = upstream.includes(':') ? upstream.split(':') : [upstream, '53'];
      const reply = await udpExchange(message, host, Number(port), this.opts.upstreamTimeoutMs ?? 2000).catch((error) => {
        this.opts.logger.debug({ err: error, upstream }, 'upstream DNS did not answer');
        return undefined;
      });
      if (reply) return reply;
    }
    return undefined;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolvePromise();
    });
  });
}

function upstreamRcode(reply: Buffer): string {
  try {
    return (dnsPacket.decode(reply) as unknown as { rcode?: string }).rcode ?? 'NOERROR';
  } catch {
    return 'FORMERR';
  }
}

/** One query to one server over UDP, matched by the message id. */
export function udpExchange(message: Buffer, host: string, port: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const socket = createSocket('udp4');
    const id = message.readUInt16BE(0);
    const timer = setTimeout(() => done(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const done = (error?: Error, reply?: Buffer) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolvePromise(reply!);
    };
    socket.on('error', (error) => done(error));
    socket.on('message', (reply) => {
      if (reply.length >= 2 && reply.readUInt16BE(0) === id) done(undefined, reply);
    });
    socket.send(message, port, host, (error) => error && done(error));
  });
}
