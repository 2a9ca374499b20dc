// Pod traffic between nodes without NAT: one host route per other node's podCIDR via that
// node's address (nodes share an L2 network), a nat chain that masquerades only traffic
// leaving the cluster's pod CIDRs, and forwarding allowed for pod traffic. The routes carry
// their own `proto` number, so a restarted agent finds exactly the routes it owns.
//
// Another transport (VXLAN for nodes on different L2 networks) plugs in behind
// `PeerTransport`: it would create a vxlan device and set fdb/neighbour entries per peer
// instead of a gateway route; the egress and forward rules stay the same.
import { writeFile } from 'node:fs/promises';
import { runCommand } from '../proc/run-command';
import { CommandError } from '../proc/spawner';

/** `ip route … proto 199`: marks the routes Coxswain owns (unassigned in rt_protos). */
export const ROUTE_PROTO = '199';

export interface PeerRoute {
  /** The peer node's podCIDR. */
  cidr: string;
  /** The peer node's InternalIP. */
  via: string;
  node?: string;
}

export interface ObservedRoute {
  cidr: string;
  via?: string;
}

export interface RoutePlan {
  /** Added or changed (`ip route replace`). */
  replace: PeerRoute[];
  remove: string[];
}

/** Pure: what turns the routes we own (`observed`) into `desired`. */
export function planRoutes(desired: PeerRoute[], observed: ObservedRoute[]): RoutePlan {
  const have = new Map(observed.map((r) => [r.cidr, r.via]));
  const want = new Set(desired.map((r) => r.cidr));
  return {
    replace: desired.filter((r) => have.get(r.cidr) !== r.via),
    remove: observed.filter((r) => !want.has(r.cidr)).map((r) => r.cidr),
  };
}

export interface ClusterRuleNames {
  /** nat chain: RETURN for pod destinations, MASQUERADE for the rest. */
  egressChain: string;
  /** filter chain: ACCEPT for pod sources and destinations. */
  forwardChain: string;
}

/** Pure: the iptables-restore input that rewrites both chains for the cluster's pod CIDRs. */
export function clusterRules(names: ClusterRuleNames, clusterCidrs: string[]): string {
  const cidrs = [...new Set(clusterCidrs)].sort();
  return [
    '*nat',
    `:${names.egressChain} - [0:0]`,
    ...cidrs.map((c) => `-A ${names.egressChain} -d ${c} -m comment --comment "coxswain: pod to pod, no NAT" -j RETURN`),
    `-A ${names.egressChain} -m comment --comment "coxswain: leaving the cluster" -j MASQUERADE`,
    'COMMIT',
    '*filter',
    `:${names.forwardChain} - [0:0]`,
    ...cidrs.flatMap((c) => [`-A ${names.forwardChain} -s ${c} -j ACCEPT`, `-A ${names.forwardChain} -d ${c} -j ACCEPT`]),
    'COMMIT',
    '',
  ].join('\n');
}

const run = (cmd: string, args: string[], input?: string): Promise<string> => runCommand(cmd, args, { input, timeoutMs: 30_000 });

const iptables = (...args: string[]) => run('iptables', ['-w', ...args]);

/** How packets reach another node's pods. */
export interface PeerTransport {
  observe(): Promise<ObservedRoute[]>;
  replace(route: PeerRoute): Promise<void>;
  remove(cidr: string): Promise<void>;
}

/** Gateway routes on a shared L2 network. */
export class HostRouteTransport implements PeerTransport {
  async observe(): Promise<ObservedRoute[]> {
    const out = JSON.parse((await run('ip', ['-j', 'route', 'show', 'proto', ROUTE_PROTO])) || '[]') as Array<{ dst: string; gateway?: string }>;
    return out.map((r) => ({ cidr: r.dst.includes('/') ? r.dst : `${r.dst}/32`, via: r.gateway }));
  }

  async replace(route: PeerRoute): Promise<void> {
    await run('ip', ['route', 'replace', route.cidr, 'via', route.via, 'proto', ROUTE_PROTO]);
  }

  async remove(cidr: string): Promise<void> {
    await run('ip', ['route', 'del', cidr, 'proto', ROUTE_PROTO]).catch((err) => {
      if (!(err instanceof CommandError && /No such process|not found/i.test(err.stderr))) throw err;
    });
  }
}

export interface PodRoutesOptions {
  /** This node's pod CIDR and bridge: the source of traffic that may need masquerading. */
  podCidr: string;
  bridge: string;
  transport?: PeerTransport;
  names?: Partial<ClusterRuleNames>;
}

export interface RouteSyncResult {
  replaced: string[];
  removed: string[];
  failed: Array<{ cidr: string; error: string }>;
}

export class PodRoutes {
  private readonly transport: PeerTransport;
  readonly names: ClusterRuleNames;

  constructor(private readonly options: PodRoutesOptions) {
    this.transport = options.transport ?? new HostRouteTransport();
    this.names = { egressChain: 'COX-EGRESS', forwardChain: 'COX-FORWARD', ...options.names };
  }

  private egressJump(): string[] {
    return ['POSTROUTING', '-s', this.options.podCidr, '!', '-o', this.options.bridge, '-m', 'comment', '--comment', 'coxswain: pod egress', '-j', this.names.egressChain];
  }

  private forwardJump(): string[] {
    return ['FORWARD', '-m', 'comment', '--comment', 'coxswain: pod forwarding', '-j', this.names.forwardChain];
  }

  /**
   * Forwarding on, the chains filled for `clusterCidrs`, and the jumps into them in place.
   * Until the first sync the egress chain masquerades everything (the node's own CIDR aside).
   */
  async ensureRules(clusterCidrs: string[]): Promise<void> {
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
    await run('iptables-restore', ['-w', '--noflush'], clusterRules(this.names, [this.options.podCidr, ...clusterCidrs]));
    await iptables('-t', 'nat', '-C', ...this.egressJump()).catch(() => iptables('-t', 'nat', '-A', ...this.egressJump()));
    await iptables('-C', ...this.forwardJump()).catch(() => iptables('-A', ...this.forwardJump()));
  }

  /** Converges routes to `peers` and the rules to every pod CIDR in the cluster. */
  async sync(peers: PeerRoute[], clusterCidrs: string[]): Promise<RouteSyncResult> {
    const own = peers.filter((p) => p.cidr !== this.options.podCidr);
    const plan = planRoutes(own, await this.transport.observe());
    const result: RouteSyncResult = { replaced: [], removed: [], failed: [] };
    for (const route of plan.replace) {
      try {
        await this.transport.replace(route);
        result.replaced.push(route.cidr);
      } catch (error) {
        result.failed.push({ cidr: route.cidr, error: String((error as Error).message ?? error) });
      }
    }
    for (const cidr of plan.remove) {
      await this.transport.remove(cidr);
      result.removed.push(cidr);
    }
    await this.ensureRules(clusterCidrs);
    return result;
  }

  /** Removes routes, jumps and chains (uninstall, tests). */
  async destroy(): Promise<void> {
    for (const route of await this.transport.observe()) await this.transport.remove(route.cidr);
    await iptables('-t', 'nat', '-D', ...this.egressJump()).catch(() => undefined);
    await iptables('-D', ...this.forwardJump()).catch(() => undefined);
    for (const [table, chain] of [['nat', this.names.egressChain], ['filter', this.names.forwardChain]]) {
      await iptables('-t', table, '-F', chain).catch(() => undefined);
      await iptables('-t', table, '-X', chain).catch(() => undefined);
    }
  }
}
