// Which routes a node wants: every other node's podCIDR via its InternalIP. Pure.
import { compareStrings, Node } from '@coxswain/api/browser';
import type { PeerRoute } from '@coxswain/runtime';

export function podCidrsOf(node: Node): string[] {
  const cidrs = node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];
  return cidrs.filter((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c));
}

export const internalIP = (node: Node): string | undefined => node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

export interface DesiredRoutes {
  peers: PeerRoute[];
  /** Every node's pod CIDRs, this node's included: destinations that are never NATed. */
  clusterCidrs: string[];
}

/**
 * Routes for `self` to every other node. A node without an address or CIDR gets no route yet;
 * a node that is NotReady keeps its route (its pods may still answer, and the route costs
 * nothing); a deleted node loses it.
 */
export function desiredRoutes(self: string, nodes: Node[]): DesiredRoutes {
  const peers: PeerRoute[] = [];
  const clusterCidrs: string[] = [];
  for (const node of [...nodes].sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''))) {
    const cidrs = podCidrsOf(node);
    clusterCidrs.push(...cidrs);
    if (node.metadata.name === self) continue;
    const via = internalIP(node);
    if (!via) continue;
    for (const cidr of cidrs) peers.push({ cidr, via, node: node.metadata.name });
  }
  return { peers, clusterCidrs };
}
