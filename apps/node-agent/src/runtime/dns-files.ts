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
    setHostnameAsFQDN?: boolean;
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

/**
 * The pod's short hostname: spec.hostname, else its name; cut to 63 characters without a
 * trailing `-` or `.` (the kubelet's truncatePodHostnameIfNeeded).
 */
export const podHostname = (pod: PodDnsInput) => {
  const name = pod.spec?.hostname || pod.metadata.name || '';
  return name.length > 63 ? name.slice(0, 63).replace(/[-.]+$/, '') : name;
};

/** `<hostname>.<subdomain>.<ns>.svc.<domain>` when the pod has a subdomain, else the hostname. */
export function podFqdn(pod: PodDnsInput, clusterDomain: string): string {
  const subdomain = pod.spec?.subdomain;
  return subdomain ? `${podHostname(pod)}.${subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : podHostname(pod);
}

/** The kernel's limit on a UTS hostname (HOST_NAME_MAX + 1, the kubelet's hostnameMaxLen). */
export const KERNEL_HOSTNAME_MAX = 64;

/**
 * The UTS hostname and HOSTNAME of a pod not on the host network (the kubelet's
 * GetNodenameForKernel): the FQDN with `setHostnameAsFQDN: true`, else the short hostname. An
 * FQDN longer than 64 characters fails the sandbox with the kubelet's message.
 */
export function podKernelHostname(pod: PodDnsInput, clusterDomain: string): string {
  if (!pod.spec?.setHostnameAsFQDN) return podHostname(pod);
  const fqdn = podFqdn(pod, clusterDomain);
  if (fqdn.length > KERNEL_HOSTNAME_MAX) {
    throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${KERNEL_HOSTNAME_MAX} characters is the max, ${fqdn.length} characters requested)`);
  }
  return fqdn;
}

function hostAliasLines(pod: PodDnsInput): string[] {
  const aliases = (pod.spec?.hostAliases ?? []) as Array<{ ip?: string; hostnames?: string[] }>;
  if (!aliases.length) return [];
  return ['', '# Entries added by HostAliases.', ...aliases.filter((a) => a.ip && a.hostnames?.length).map((a) => `${a.ip}\t${a.hostnames!.join('\t')}`)];
}

/** A hostNetwork pod's /etc/hosts: the node's, then its hostAliases (the kubelet's nodeHostsFileContent). */
export function hostNetworkHostsFile(pod: PodDnsInput, nodeHosts: string): string {
  const aliases = hostAliasLines(pod);
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${aliases.length ? `${aliases.join('\n')}\n` : ''}`;
}

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
    const fqdn = podFqdn(pod, clusterDomain);
    lines.push(fqdn !== hostname ? `${podIP}\t${fqdn}\t${hostname}` : `${podIP}\t${hostname}`);
  }
  return [...lines, ...hostAliasLines(pod)].join('\n') + '\n';
}
