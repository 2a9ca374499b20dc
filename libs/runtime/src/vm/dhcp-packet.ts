// DHCPv4 (RFC 2131/2132) as the node answers its own VMs, pure: parse a client's BOOTP
// packet, and build the OFFER / ACK / NAK for a fixed lease (the VM's IPAM address). Only
// what a guest needs: mask, router, DNS servers, domain search (RFC 3397), hostname, lease time.

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const MAGIC = [99, 130, 83, 99];
export const DISCOVER = 1;
export const OFFER = 2;
export const REQUEST = 3;
export const ACK = 5;
export const NAK = 6;

export interface DhcpRequest {
  type: number;
  xid: number;
  flags: number;
  ciaddr: string;
  mac: string;
  /** Option 50, or ciaddr when renewing. */
  requestedIp?: string;
  /** Option 54: the server the client chose (REQUEST in SELECTING state). */
  serverId?: string;
}

export interface DhcpLease {
  mac: string;
  ip: string;
  prefixLength: number;
  gateway?: string;
  dns: string[];
  search: string[];
  hostname?: string;
  leaseSeconds: number;
}

const ipText = (b: Buffer, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const ipBytes = (ip: string) => ip.split('.').map(Number);
export const macText = (b: Buffer, at: number, len = 6) => [...b.subarray(at, at + len)].map((x) => x.toString(16).padStart(2, '0')).join(':');

/** A client's request, or undefined for anything that is not a well-formed BOOTREQUEST over Ethernet. */
export function parseDhcp(b: Buffer): DhcpRequest | undefined {
  if (b.length < 240 || b[0] !== 1 || b[1] !== 1 || b[2] !== 6) return undefined;
  if (MAGIC.some((m, i) => b[236 + i] !== m)) return undefined;
  const req: DhcpRequest = { type: 0, xid: b.readUInt32BE(4), flags: b.readUInt16BE(10), ciaddr: ipText(b, 12), mac: macText(b, 28) };
  for (let at = 240; at < b.length; ) {
    const code = b[at];
    if (code === 255) break;
    if (code === 0) {
      at += 1;
      continue;
    }
    const len = b[at + 1];
    if (at + 2 + len > b.length) return undefined;
    const value = b.subarray(at + 2, at + 2 + len);
    if (code === 53 && len === 1) req.type = value[0];
    if (code === 50 && len === 4) req.requestedIp = ipText(value, 0);
    if (code === 54 && len === 4) req.serverId = ipText(value, 0);
    at += 2 + len;
  }
  if (!req.requestedIp && req.ciaddr !== '0.0.0.0') req.requestedIp = req.ciaddr;
  return req.type ? req : undefined;
}

const maskBytes = (prefix: number) => [0, 1, 2, 3].map((i) => (0xff << (8 - Math.max(0, Math.min(8, prefix - 8 * i)))) & 0xff);

/** RFC 1035 labels, uncompressed (RFC 3397 allows it). */
function searchList(domains: string[]): number[] {
  const out: number[] = [];
  for (const d of domains) {
    for (const label of d.split('.').filter(Boolean)) out.push(label.length, ...Buffer.from(label));
    out.push(0);
  }
  return out;
}

function option(code: number, bytes: number[]): number[] {
  const out: number[] = [];
  // Options longer than 255 bytes are split into consecutive instances (RFC 3396).
  for (let i = 0; i < bytes.length || i === 0; i += 255) out.push(code, Math.min(255, bytes.length - i), ...bytes.slice(i, i + 255));
  return out;
}

/** What the server answers: OFFER to a DISCOVER, ACK or NAK to a REQUEST; nothing to the rest or to a REQUEST for another server. */
export function answerType(req: DhcpRequest, lease: DhcpLease, serverId: string): number | undefined {
  if (req.type === DISCOVER) return OFFER;
  if (req.type !== REQUEST) return undefined;
  if (req.serverId && req.serverId !== serverId) return undefined;
  return req.requestedIp === lease.ip ? ACK : NAK;
}

export function buildReply(req: DhcpRequest, type: number, lease: DhcpLease, serverId: string): Buffer {
  const head = Buffer.alloc(240);
  head[0] = 2; // BOOTREPLY
  head[1] = 1;
  head[2] = 6;
  head.writeUInt32BE(req.xid >>> 0, 4);
  head.writeUInt16BE(req.flags, 10);
  if (type !== NAK) Buffer.from(ipBytes(lease.ip)).copy(head, 16); // yiaddr
  Buffer.from(ipBytes(serverId)).copy(head, 20); // siaddr
  Buffer.from(req.mac.split(':').map((x) => parseInt(x, 16))).copy(head, 28);
  Buffer.from(MAGIC).copy(head, 236);
  const opts: number[] = [...option(53, [type]), ...option(54, ipBytes(serverId))];
  if (type !== NAK) {
    const t = lease.leaseSeconds;
    opts.push(...option(51, [(t >>> 24) & 0xff, (t >>> 16) & 0xff, (t >>> 8) & 0xff, t & 0xff]));
    opts.push(...option(1, maskBytes(lease.prefixLength)));
    if (lease.gateway) opts.push(...option(3, ipBytes(lease.gateway)));
    if (lease.dns.length) opts.push(...option(6, lease.dns.flatMap(ipBytes)));
    if (lease.search.length) {
      opts.push(...option(15, [...Buffer.from(lease.search[0])]));
      opts.push(...option(119, searchList(lease.search)));
    }
    if (lease.hostname) opts.push(...option(12, [...Buffer.from(lease.hostname)]));
  }
  opts.push(255);
  return Buffer.concat([head, Buffer.from(opts)]);
}

/** Where a reply goes: the subnet's broadcast address (limited broadcast would leave by the default route). */
export function subnetBroadcast(ip: string, prefixLength: number): string {
  const mask = maskBytes(prefixLength);
  return ipBytes(ip).map((b, i) => (b & mask[i]) | (~mask[i] & 0xff)).join('.');
}
