// The service proxy's planner: from Services and EndpointSlices (and what iptables holds now),
// the complete `iptables-restore --noflush` input that makes the kernel match. Pure.
//
// Layout (kube-proxy's, with a COX- prefix):
//   nat PREROUTING/OUTPUT -> COX-SERVICES -> COX-SVC-<hash> (one per Service port)
//        -> COX-SEP-<hash> (one per endpoint, chosen by statistic/random, or by `recent` for
//           sessionAffinity: ClientIP) -> DNAT
//   COX-SERVICES (last rule, node-local destinations) -> COX-NODEPORTS -> COX-EXT-<hash> -> COX-SVC-*
//   filter OUTPUT/FORWARD -> COX-SERVICES: REJECT for Services without endpoints;
//   filter INPUT/FORWARD -> COX-EXTERNAL-SERVICES: the same for their NodePorts / external IPs
//   nat POSTROUTING -> COX-POSTROUTING: masquerade what was marked (off-cluster sources,
//           NodePort traffic, a pod reaching itself through its Service).
//   filter INPUT -> COX-FIREWALL: with NodePorts on 127.0.0.1 (route_localnet), drops packets
//           from elsewhere addressed to 127.0.0.0/8 (kube-proxy's CVE-2020-8558 guard).
// Every sync declares (and so flushes) every chain it owns and writes it whole; chains of ours
// no longer wanted are deleted in the same transaction; nobody else's chains are touched.
import { backendsFor, Backend, slicesByService, slicesOf } from './endpoints';
import { CHAINS, hashName, MASQ_MARK, OWNED_CHAIN, SavedTable } from './chains';
import { EndpointSliceView, isHeadless, ServicePortView, ServiceView, serviceKey } from './shapes';
import { compareStrings } from '@coxswain/api/browser';

/** A DNS server on this node that answers for the cluster DNS ClusterIP (NodeLocal DNSCache style). */
export interface LocalDns {
  clusterIP: string;
  /** Where the node's DNS server listens, e.g. the pod bridge gateway. */
  ip: string;
  port: number;
}

export interface ProxyDesired {
  services: readonly ServiceView[];
  slices: readonly EndpointSliceView[];
  /** Sources outside this range reaching a ClusterIP are masqueraded (kube-proxy's --cluster-cidr). */
  clusterCidr?: string;
  localDns?: LocalDns;
  /** This node: Local traffic policies send traffic only to endpoints whose nodeName it is. */
  nodeName?: string;
  /** NodePorts answer on 127.0.0.1 too (route_localnet is on): guard 127.0.0.0/8 against other hosts. */
  localhostNodePorts?: boolean;
}

export interface ProxyObserved {
  nat?: SavedTable;
  filter?: SavedTable;
}

export interface RestorePlan {
  /** Input for `iptables-restore --noflush`. */
  text: string;
  /** Rules written into our chains (the jumps from built-in chains not counted). */
  ruleCount: number;
  /** Service ports programmed with endpoints / rejected for having none. */
  servicePorts: number;
  rejectedPorts: number;
  staleChains: string[];
  /** What the tables hold of ours once this plan is restored: the next sync may plan against it without reading them back. */
  after: ProxyObserved;
}

/** Jumps from the built-in chains into ours, as iptables-save prints them. */
export const JUMPS: Record<'nat' | 'filter', Array<{ chain: string; rule: string }>> = {
  nat: [
    { chain: 'PREROUTING', rule: `-m comment --comment "coxswain service portals" -j ${CHAINS.services}` },
    { chain: 'OUTPUT', rule: `-m comment --comment "coxswain service portals" -j ${CHAINS.services}` },
    { chain: 'POSTROUTING', rule: `-m comment --comment "coxswain postrouting rules" -j ${CHAINS.postrouting}` },
  ],
  filter: [
    { chain: 'INPUT', rule: `-j ${CHAINS.firewall}` },
    { chain: 'INPUT', rule: `-m conntrack --ctstate NEW -m comment --comment "coxswain externally-visible service portals" -j ${CHAINS.externalServices}` },
    { chain: 'FORWARD', rule: `-m conntrack --ctstate NEW -m comment --comment "coxswain externally-visible service portals" -j ${CHAINS.externalServices}` },
    { chain: 'FORWARD', rule: `-m conntrack --ctstate NEW -m comment --comment "coxswain service portals" -j ${CHAINS.services}` },
    { chain: 'OUTPUT', rule: `-m conntrack --ctstate NEW -m comment --comment "coxswain service portals" -j ${CHAINS.services}` },
  ],
};

const DEFAULT_AFFINITY_SECONDS = 10800;

class Table {
  readonly chains: string[] = [];
  readonly rules: string[] = [];
  private readonly declared = new Set<string>();
  declare(chain: string): string {
    if (!this.declared.has(chain)) {
      this.declared.add(chain);
      this.chains.push(chain);
    }
    return chain;
  }
  has(chain: string): boolean {
    return this.declared.has(chain);
  }
  add(chain: string, ...args: string[]): void {
    this.rules.push(`-A ${chain} ${args.join(' ')}`);
  }
}

const comment = (text: string) => `-m comment --comment "${text.replace(/"/g, '')}"`;
const proto = (p: ServicePortView) => (p.protocol ?? 'TCP').toLowerCase();
const portLabel = (svc: ServiceView, p: ServicePortView) => `${serviceKey(svc)}${p.name ? `:${p.name}` : ''}`;
const match = (p: ServicePortView, port: number) => `-p ${proto(p)} -m ${proto(p)} --dport ${port}`;

/** kube-proxy prints probabilities with 10 decimals. */
export function probability(remaining: number): string {
  return (1 / remaining).toFixed(10);
}

export function planRules(desired: ProxyDesired, observed: ProxyObserved = {}): RestorePlan {
  const nat = new Table();
  const filter = new Table();
  for (const chain of [CHAINS.services, CHAINS.nodePorts, CHAINS.markMasq, CHAINS.postrouting]) nat.declare(chain);
  for (const chain of [CHAINS.services, CHAINS.externalServices, CHAINS.firewall]) filter.declare(chain);
  if (desired.localhostNodePorts) {
    filter.add(CHAINS.firewall, comment('block incoming localnet connections'), '-d 127.0.0.0/8 ! -s 127.0.0.0/8', '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT', '-j DROP');
  }

  nat.add(CHAINS.markMasq, '-j MARK', `--or-mark ${MASQ_MARK}`);
  nat.add(CHAINS.postrouting, `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK}`, '-j RETURN');
  nat.add(CHAINS.postrouting, '-j MARK', `--xor-mark ${MASQ_MARK}`);
  nat.add(CHAINS.postrouting, comment('coxswain service traffic requiring SNAT'), '-j MASQUERADE --random-fully');

  const dns = desired.localDns;
  if (dns) {
    for (const p of ['udp', 'tcp']) {
      nat.add(CHAINS.services, `-d ${dns.clusterIP}/32`, `-p ${p}`, comment(`cluster DNS ${p} (node-local)`), `-m ${p} --dport 53`, '-j DNAT', `--to-destination ${dns.ip}:${dns.port}`);
    }
  }

  const index = slicesByService(desired.slices);
  const written = new Set<string>();
  let servicePorts = 0;
  let rejectedPorts = 0;
  const services = [...desired.services].sort((a, b) => compareStrings(serviceKey(a), serviceKey(b)));
  for (const svc of services) {
    if (svc.metadata.deletionTimestamp || svc.spec?.type === 'ExternalName' || isHeadless(svc)) continue;
    const clusterIP = svc.spec!.clusterIP!;
    if (dns && clusterIP === dns.clusterIP) continue;
    for (const port of svc.spec?.ports ?? []) {
      if (proto(port) === 'sctp') continue;
      const backends = backendsFor(port, slicesOf(svc, index));
      const nodePort = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? port.nodePort : undefined;
      const externalIPs = svc.spec?.externalIPs ?? [];
      if (backends.length === 0) {
        rejectedPorts++;
        const why = comment(`${portLabel(svc, port)} has no endpoints`);
        filter.add(CHAINS.services, `-d ${clusterIP}/32`, why, match(port, port.port), '-j REJECT --reject-with icmp-port-unreachable');
        for (const ip of externalIPs) filter.add(CHAINS.externalServices, `-d ${ip}/32`, why, match(port, port.port), '-j REJECT --reject-with icmp-port-unreachable');
        if (nodePort) filter.add(CHAINS.externalServices, why, '-m addrtype --dst-type LOCAL', match(port, nodePort), '-j REJECT --reject-with icmp-port-unreachable');
        continue;
      }
      servicePorts++;
      programPort(nat, filter, desired, svc, port, backends, slicesOf(svc, index), written);
    }
  }
  nat.add(CHAINS.services, comment('coxswain service nodeports; NOTE: this must be the last rule in this chain'), '-m addrtype --dst-type LOCAL', `-j ${CHAINS.nodePorts}`);

  return render(nat, filter, observed, { servicePorts, rejectedPorts });
}

/**
 * One Service port with endpoints somewhere, with kube-proxy's traffic policies: the cluster IP
 * goes to every endpoint (COX-SVC-) or, with internalTrafficPolicy: Local, only to this node's
 * (COX-SVL-), dropped when it has none; node ports and external IPs likewise by
 * externalTrafficPolicy, where Local keeps the client's source address and lets pods and the
 * node itself through to every endpoint (kube-proxy's short circuit).
 */
function programPort(nat: Table, filter: Table, desired: ProxyDesired, svc: ServiceView, port: ServicePortView, cluster: Backend[], slices: EndpointSliceView[], written: Set<string>): void {
  const clusterIP = svc.spec!.clusterIP!;
  const label = portLabel(svc, port);
  const key = [serviceKey(svc), port.name ?? '', proto(port)] as const;
  const nodePort = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? port.nodePort : undefined;
  const externalIPs = svc.spec?.externalIPs ?? [];
  const externallyAccessible = Boolean(nodePort) || externalIPs.length > 0;
  const internalLocal = svc.spec?.internalTrafficPolicy === 'Local';
  const externalLocal = externallyAccessible && svc.spec?.externalTrafficPolicy === 'Local';
  const local = internalLocal || externalLocal ? backendsFor(port, slices, desired.nodeName ?? '') : [];
  const svcChain = !internalLocal || externallyAccessible ? nat.declare(hashName('SVC', ...key)) : undefined;
  const svlChain = local.length > 0 ? nat.declare(hashName('SVL', ...key)) : undefined;
  const internalChain = internalLocal ? svlChain : svcChain;
  const externalChain = externalLocal ? svlChain : svcChain;
  const noLocal = comment(`${label} has no local endpoints`);

  if (internalChain) {
    nat.add(CHAINS.services, `-d ${clusterIP}/32`, comment(`${label} cluster IP`), match(port, port.port), `-j ${internalChain}`);
    if (desired.clusterCidr) nat.add(internalChain, `! -s ${desired.clusterCidr}`, `-d ${clusterIP}/32`, comment(`${label} cluster IP`), match(port, port.port), `-j ${CHAINS.markMasq}`);
  } else {
    filter.add(CHAINS.services, `-d ${clusterIP}/32`, noLocal, match(port, port.port), '-j DROP');
  }
  if (externallyAccessible) {
    const extChain = nat.declare(hashName('EXT', ...key));
    if (!externalLocal) {
      nat.add(extChain, comment(`masquerade traffic for ${label} external destinations`), `-j ${CHAINS.markMasq}`);
    } else {
      if (desired.clusterCidr) nat.add(extChain, comment(`pod traffic for ${label} external destinations`), `-s ${desired.clusterCidr}`, `-j ${svcChain}`);
      nat.add(extChain, comment(`masquerade LOCAL traffic for ${label} external destinations`), '-m addrtype --src-type LOCAL', `-j ${CHAINS.markMasq}`);
      nat.add(extChain, comment(`route LOCAL traffic for ${label} external destinations`), '-m addrtype --src-type LOCAL', `-j ${svcChain}`);
    }
    if (externalChain) nat.add(extChain, `-j ${externalChain}`);
    if (nodePort) {
      nat.add(CHAINS.nodePorts, comment(label), match(port, nodePort), `-j ${extChain}`);
      if (!externalChain) filter.add(CHAINS.externalServices, noLocal, '-m addrtype --dst-type LOCAL', match(port, nodePort), '-j DROP');
    }
    for (const ip of externalIPs) {
      nat.add(CHAINS.services, `-d ${ip}/32`, comment(`${label} external IP`), match(port, port.port), `-j ${extChain}`);
      if (!externalChain) filter.add(CHAINS.externalServices, `-d ${ip}/32`, noLocal, match(port, port.port), '-j DROP');
    }
  }
  if (svcChain) writeEndpoints(nat, svc, port, svcChain, cluster, written);
  if (svlChain) writeEndpoints(nat, svc, port, svlChain, local, written);
}

/** The balancing rules of one policy chain; each endpoint's own chain is written once. */
function writeEndpoints(nat: Table, svc: ServiceView, port: ServicePortView, svcChain: string, backends: Backend[], written: Set<string>): void {
  const affinity = svc.spec?.sessionAffinity === 'ClientIP';
  const seconds = svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS;
  const label = portLabel(svc, port);
  const sepChains = backends.map((b) => nat.declare(hashName('SEP', serviceKey(svc), port.name ?? '', proto(port), `${b.ip}:${b.port}`)));
  // A client seen recently goes back to its endpoint before any random choice.
  if (affinity) sepChains.forEach((sep, i) => nat.add(svcChain, comment(`${label} -> ${backends[i].ip}:${backends[i].port}`), `-m recent --name ${sep} --rcheck --seconds ${seconds} --reap`, `-j ${sep}`));
  sepChains.forEach((sep, i) => {
    const remaining = backends.length - i;
    const pick = remaining > 1 ? `-m statistic --mode random --probability ${probability(remaining)} ` : '';
    nat.add(svcChain, comment(`${label} -> ${backends[i].ip}:${backends[i].port}`), `${pick}-j ${sep}`);
  });
  sepChains.forEach((sep, i) => {
    if (written.has(sep)) return;
    written.add(sep);
    const b = backends[i];
    // Hairpin: an endpoint reaching itself through the Service must see the reply come back via the node.
    nat.add(sep, comment(label), `-s ${b.ip}/32`, `-j ${CHAINS.markMasq}`);
    const remember = affinity ? ` -m recent --name ${sep} --set --rsource` : '';
    nat.add(sep, comment(label), `-p ${proto(port)} -m ${proto(port)}${remember}`, '-j DNAT', `--to-destination ${b.ip}:${b.port}`);
  });
}

function render(nat: Table, filter: Table, observed: ProxyObserved, counts: { servicePorts: number; rejectedPorts: number }): RestorePlan {
  const lines: string[] = [];
  const staleChains: string[] = [];
  const after: ProxyObserved = {};
  let ruleCount = 0;
  for (const [name, table] of [['filter', filter], ['nat', nat]] as const) {
    const saved = observed[name];
    const savedRules = new Set(saved?.rules ?? []);
    const stale = [...(saved?.chains ?? [])].filter((c) => OWNED_CHAIN.test(c) && !table.has(c)).sort();
    staleChains.push(...stale);
    lines.push(`*${name}`);
    for (const chain of [...table.chains, ...stale]) lines.push(`:${chain} - [0:0]`);
    for (const jump of JUMPS[name]) {
      const line = `-A ${jump.chain} ${jump.rule}`;
      if (!savedRules.has(line)) lines.push(`-I ${jump.chain} 1 ${jump.rule}`);
    }
    lines.push(...table.rules);
    for (const chain of stale) lines.push(`-X ${chain}`);
    lines.push('COMMIT');
    ruleCount += table.rules.length;
    after[name] = { chains: new Set(table.chains), rules: JUMPS[name].map((jump) => `-A ${jump.chain} ${jump.rule}`) };
  }
  return { text: lines.join('\n') + '\n', ruleCount, staleChains, after, ...counts };
}
