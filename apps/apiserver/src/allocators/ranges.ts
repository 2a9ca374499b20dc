// The two ranges Services draw from, as pure value maps: an offset in the range ⇄ the value
// stored on the Service (an IPv4 address, a port number).
import { isIP } from 'node:net';

export interface ValueRange {
  /** Number of allocatable values. */
  size: number;
  valueAt(offset: number): string;
  /** The offset of a value, undefined when it is outside the range. */
  offsetOf(value: string): number | undefined;
  /** How Kubernetes names the range in "not in the valid range" messages. */
  describe: string;
}

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * The addresses of an IPv4 CIDR usable as ClusterIPs: without the network and broadcast
 * addresses, as Kubernetes' allocator. Offset 0 is the first host address, kept for the
 * `kubernetes` Service.
 */
export function serviceIpRange(cidr: string): ValueRange & { network: number; first: string } {
  const [address, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(address) !== 4 || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`service CIDR must be an IPv4 CIDR between /8 and /30, not "${cidr}"`);
  const block = 2 ** (32 - bits);
  const network = Math.floor(ipv4ToInt(address) / block) * block;
  const size = block - 2;
  return {
    size,
    network,
    first: intToIpv4(network + 1),
    describe: `${intToIpv4(network)}/${bits}`,
    valueAt: (offset) => intToIpv4(network + 1 + offset),
    offsetOf: (value) => {
      if (isIP(value) !== 4) return undefined;
      const offset = ipv4ToInt(value) - network - 1;
      return offset >= 0 && offset < size ? offset : undefined;
    },
  };
}

/** `30000-32767` (Kubernetes' --service-node-port-range syntax). */
export function portRange(spec: string): ValueRange & { base: number; max: number } {
  const match = /^(\d+)-(\d+)$/.exec(spec.trim());
  const base = match ? Number(match[1]) : NaN;
  const max = match ? Number(match[2]) : NaN;
  if (!match || base < 1 || max > 65535 || base > max) throw new Error(`node port range must look like 30000-32767, not "${spec}"`);
  return {
    base,
    max,
    size: max - base + 1,
    describe: `${base}-${max}`,
    valueAt: (offset) => String(base + offset),
    offsetOf: (value) => {
      const port = Number(value);
      return Number.isInteger(port) && port >= base && port <= max ? port - base : undefined;
    },
  };
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
