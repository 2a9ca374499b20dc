// Starts the node's Service plumbing next to the agent: one pair of informers on Services and
// EndpointSlices feeds both the iptables proxy and the node-local cluster DNS server.
import { KubeClient, Logger, SharedInformerFactory } from '@coxswain/client';
import { readFile } from 'node:fs/promises';
import { Registry } from 'prom-client';
import { ClusterDns } from '../dns/cluster-dns';
import { parseResolvConf, upstreamsFrom } from '../dns/resolv-conf';
import { execIptables } from './iptables';
import { ServiceProxy, serviceInformers, ServiceProxySettings } from './service-proxy';

export interface NodeServicesOptions {
  client: KubeClient;
  logger: Logger;
  registry: Registry;
  /** The kube-dns ClusterIP (kubelet's --cluster-dns). */
  clusterDnsIP: string;
  clusterDomain: string;
  /** Node-local address the DNS server binds (the pod bridge gateway); pods reach it through the ClusterIP. */
  dnsListenIP: string;
  dnsPort: number;
  /** The node's resolver config: upstreams for names outside the cluster domain. */
  resolvConf: string;
  clusterCidr?: string;
  /** This node's name: Local traffic policies keep to the endpoints on it. */
  nodeName: string;
  /** NodePorts also on 127.0.0.1 (kube-proxy's --iptables-localhost-nodeports, on by default). */
  localhostNodePorts?: boolean;
  proxySettings?: Partial<ServiceProxySettings>;
  /** The agent's shared informer factory (its owner stops it); without one, these informers are our own. */
  informers?: SharedInformerFactory;
}

export interface NodeServices {
  proxy: ServiceProxy;
  dns: ClusterDns;
  healthy(): boolean;
  stop(): Promise<void>;
}

export async function startNodeServices(opts: NodeServicesOptions): Promise<NodeServices> {
  const informers = serviceInformers(opts.informers ?? new SharedInformerFactory({ client: opts.client, logger: opts.logger }));
  informers.services.start();
  informers.slices.start();
  const conf = parseResolvConf(await readFile(opts.resolvConf, 'utf8').catch(() => ''));
  const upstreams = upstreamsFrom(conf, [opts.clusterDnsIP, opts.dnsListenIP]);
  if (!upstreams.length) opts.logger.warn({ resolvConf: opts.resolvConf }, 'no upstream DNS servers: names outside the cluster get SERVFAIL');
  const dns = new ClusterDns({ informers, domain: opts.clusterDomain, host: opts.dnsListenIP, port: opts.dnsPort, upstreams, logger: opts.logger, registry: opts.registry });
  const proxy = new ServiceProxy({
    client: opts.client,
    iptables: execIptables(),
    logger: opts.logger,
    registry: opts.registry,
    informers,
    clusterCidr: opts.clusterCidr,
    nodeName: opts.nodeName,
    localhostNodePorts: opts.localhostNodePorts,
    localDns: { clusterIP: opts.clusterDnsIP, ip: opts.dnsListenIP, port: opts.dnsPort },
    settings: opts.proxySettings,
  });
  await dns.start();
  await proxy.start();
  opts.logger.info({ dns: `${opts.dnsListenIP}:${opts.dnsPort}`, clusterDNS: opts.clusterDnsIP, upstreams }, 'service proxy and cluster DNS running');
  return {
    proxy,
    dns,
    healthy: () => dns.healthy(),
    async stop() {
      await proxy.stop();
      await dns.stop();
      if (!opts.informers) await Promise.all([informers.services.stop(), informers.slices.stop()]);
    },
  };
}
