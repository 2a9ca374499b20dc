// IPv4 arithmetic for pod CIDRs. Pure.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefixLength: number;
}

export function ipToInt(ip: string): number {
  if (!isIpv4(ip)) throw new Error(`invalid IPv4 address ${ip}`);
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Ipv4Cidr {
  const [ip, len] = cidr.split('/');
  const prefixLength = Number(len);
  if (!Number.isInteger(prefixLength) || prefixLength < 8 || prefixLength > 30) throw new Error(`invalid or unsupported CIDR ${cidr} (prefix 8..30)`);
  const size = 2 ** (32 - prefixLength);
  const network = ipToInt(ip) - (ipToInt(ip) % size);
  return { network, prefixLength };
}

export function cidrSize(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefixLength);
}

/** The first host address (.1 in a /24): the gateway on the node bridge. */
export function gatewayOf(c: Ipv4Cidr): string {
  return intToIp(c.network + 1);
}

export function contains(c: Ipv4Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= c.network && n < c.network + cidrSize(c);
}

/**
 * Addresses a pod may get, starting after `last` and wrapping around (round-robin like CNI
 * host-local, so a released address is not handed out again at once). Skips the network,
 * gateway and broadcast addresses.
 */
export function candidateIps(c: Ipv4Cidr, last?: string): string[] {
  const first = c.network + 2;
  const end = c.network + cidrSize(c) - 1; // broadcast, exclusive
  const all: number[] = [];
  for (let n = first; n < end; n++) all.push(n);
  // `last` is only where to start: one that is not an address of this range starts at the top.
  const start = last && isIpv4(last) && contains(c, last) ? all.indexOf(ipToInt(last)) + 1 : 0;
  return [...all.slice(start), ...all.slice(0, start)].map(intToIp);
}
