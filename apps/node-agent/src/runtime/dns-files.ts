// A pod's /etc/resolv.conf and /etc/hosts, written as the kubelet writes them
// (pkg/kubelet/network/dns and kubelet_pods.go). Pure.
import { formatResolvConf, parseResolvConf, ResolvConf } from '../dns/resolv-conf';

export interface PodDnsInput {
  metadata: { name?: string; namespace?: string };
  spec?: {
    dnsPolicy?: string;
    dnsConfig?: unknown;
    hostNetwork?: boolean;
    hostname?: string;
    subdomain?: string;
    hostAliases?: unknown[];
  };
}

export interface NodeDnsSettings {
  /** The cluster DNS addresses (kubelet --cluster-dns); empty means none is configured. */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's own resolv.conf text (kubelet --resolv-conf). */
  hostResolvConf: string;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

type DnsType = 'cluster' | 'host' | 'none';

/** Which resolver a pod gets: ClusterFirst on the host network means Default, as in the kubelet. */
export function podDnsType(pod: PodDnsInput, settings: NodeDnsSettings): DnsType {
  const policy = pod.spec?.dnsPolicy || 'ClusterFirst';
  let type: DnsType = 'host';
  if (policy === 'None') type = 'none';
  else if (policy === 'ClusterFirstWithHostNet') type = 'cluster';
  else if (policy === 'ClusterFirst') type = pod.spec?.hostNetwork ? 'host' : 'cluster';
  if (type === 'cluster' && settings.clusterDNS.length === 0) type = 'host';
  return type;
}

const unique = (list: string[]) => [...new Set(list)];

/** `ndots:5`-style options; the pod's override the base by name. */
function mergeOptions(base: string[], extra: Array<{ name?: string; value?: string }>): string[] {
  const byName = new Map<string, string>();
  for (const option of base) byName.set(option.split(':')[0], option);
  for (const option of extra) if (option.name) byName.set(option.name, option.value !== undefined && option.value !== null ? `${option.name}:${option.value}` : option.name);
  return [...byName.values()];
}

export function podResolvConf(pod: PodDnsInput, settings: NodeDnsSettings): ResolvConf {
  const host = parseResolvConf(settings.hostResolvConf);
  const namespace = pod.metadata.namespace ?? 'default';
  const domain = settings.clusterDomain;
  let conf: ResolvConf;
  switch (podDnsType(pod, settings)) {
    case 'cluster':
      conf = { nameservers: settings.clusterDNS, searches: [`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches], options: ['ndots:5'] };
      break;
    case 'host':
      conf = { nameservers: host.nameservers, searches: host.searches.filter((s) => s !== '.'), options: host.options };
      break;
    default:
      conf = { nameservers: [], searches: [], options: [] };
  }
  const extra = (typeof pod.spec?.dnsConfig === 'object' && pod.spec.dnsConfig ? pod.spec.dnsConfig : {}) as { nameservers?: string[]; searches?: string[]; options?: Array<{ name?: string; value?: string }> };
  const searches = unique([...conf.searches, ...(extra.searches ?? [])]);
  // The kubelet trims what libc would ignore anyway: 3 nameservers, 32 searches / 2048 characters.
  while (searches.length > MAX_SEARCHES || searches.join(' ').length > MAX_SEARCH_CHARS) searches.pop();
  return {
    nameservers: unique([...conf.nameservers, ...(extra.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    searches,
    options: mergeOptions(conf.options, extra.options ?? []),
  };
}

export const podResolvConfText = (pod: PodDnsInput, settings: NodeDnsSettings) => formatResolvConf(podResolvConf(pod, settings));

/** The hostname the pod sees: spec.hostname, else its name, at most 63 characters. */
export const podHostname = (pod: PodDnsInput) => (pod.spec?.hostname || pod.metadata.name || '').slice(0, 63);

export function podHostsFile(pod: PodDnsInput, podIP: string | undefined, clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const hostname = podHostname(pod);
  if (podIP) {
    const subdomain = pod.spec?.subdomain;
    lines.push(subdomain ? `${podIP}\t${hostname}.${subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}\t${hostname}` : `${podIP}\t${hostname}`);
  }
  const aliases = (pod.spec?.hostAliases ?? []) as Array<{ ip?: string; hostnames?: string[] }>;
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const alias of aliases) if (alias.ip && alias.hostnames?.length) lines.push(`${alias.ip}\t${alias.hostnames.join('\t')}`);
  }
  return lines.join('\n') + '\n';
}
