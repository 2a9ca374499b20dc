// Host ports a workload binds on its node (Kubernetes' NodePorts), and which ones a node's
// workloads already hold: per protocol/port, the host IPs in use (0.0.0.0 stands for all).
import type { Pod } from '@coxswain/api/browser';

export const ALL_HOST_IPS = '0.0.0.0';

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/**
 * The containers' host ports (hostIP defaults to 0.0.0.0, protocol to TCP). A hostNetwork
 * pod binds its container ports on the host, which Kubernetes' defaulting writes as hostPort.
 * Undefined when there are none (most workloads), so NodePorts returns at once.
 */
export function hostPortsOf(spec: Pick<Pod['spec'], 'containers' | 'hostNetwork'> | undefined): HostPort[] | undefined {
  let out: HostPort[] | undefined;
  for (const c of spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const port = p.hostPort ?? (spec?.hostNetwork ? p.containerPort : undefined);
      if (typeof port !== 'number' || !(port > 0)) continue;
      (out ??= []).push({ hostIP: p.hostIP || ALL_HOST_IPS, protocol: p.protocol || 'TCP', port });
    }
  }
  return out;
}

const portKey = (p: Pick<HostPort, 'protocol' | 'port'>) => `${p.protocol}/${p.port}`;

/** Host ports held on one node, counted (an assumed and a bound copy never double-free). */
export class HostPortUsage {
  private readonly byPort = new Map<string, Map<string, number>>();

  get size(): number {
    return this.byPort.size;
  }

  add(ports: readonly HostPort[], sign: 1 | -1 = 1): void {
    for (const p of ports) {
      const key = portKey(p);
      let ips = this.byPort.get(key);
      if (!ips) this.byPort.set(key, (ips = new Map()));
      const n = (ips.get(p.hostIP) ?? 0) + sign;
      if (n > 0) ips.set(p.hostIP, n);
      else ips.delete(p.hostIP);
      if (ips.size === 0) this.byPort.delete(key);
    }
  }

  /** Whether `port` collides: same protocol and port, and the same host IP or 0.0.0.0 on either side. */
  conflicts(port: HostPort): boolean {
    const ips = this.byPort.get(portKey(port));
    if (!ips) return false;
    if (port.hostIP === ALL_HOST_IPS) return ips.size > 0;
    return ips.has(port.hostIP) || ips.has(ALL_HOST_IPS);
  }
}
