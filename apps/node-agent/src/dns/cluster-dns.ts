// Cluster DNS inside the node agent (NodeLocal DNSCache style): the agent already watches
// Services and EndpointSlices for its proxy, so each node answers its own pods' queries on a
// node-local address, and the proxy DNATs the kube-dns ClusterIP (10.96.0.10) there. No extra
// process to supervise, no cross-node hop for a lookup, and a lost node takes only its own
// resolver with it.
import { Informer, KubeObject, Logger } from '@coxswain/client';
import { Registry } from 'prom-client';
import { EndpointSliceView, ServiceView } from '../proxy/shapes';
import { DnsServer } from './server';
import { buildZone, Zone } from './zone';

export interface ClusterDnsOptions {
  informers: { services: Informer<KubeObject>; slices: Informer<KubeObject> };
  domain: string;
  host: string;
  port: number;
  upstreams: string[];
  logger: Logger;
  registry?: Registry;
}

export class ClusterDns {
  readonly server: DnsServer;
  private zone?: Zone;

  constructor(private readonly opts: ClusterDnsOptions) {
    // The zone is rebuilt lazily: a burst of changes costs one rebuild at the next query.
    const invalidate = () => { this.zone = undefined; };
    for (const informer of [opts.informers.services, opts.informers.slices]) informer.addEventHandler({ onAdd: invalidate, onUpdate: invalidate, onDelete: invalidate });
    this.server = new DnsServer({ host: opts.host, port: opts.port, upstreams: opts.upstreams, logger: opts.logger, registry: opts.registry, zone: () => this.currentZone() });
  }

  currentZone(): Zone {
    this.zone ??= buildZone({
      domain: this.opts.domain,
      services: this.opts.informers.services.store.list() as unknown as ServiceView[],
      slices: this.opts.informers.slices.store.list() as unknown as EndpointSliceView[],
    });
    return this.zone;
  }

  async start(): Promise<void> {
    await Promise.all([this.opts.informers.services.waitForSync(), this.opts.informers.slices.waitForSync()]);
    await this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  healthy(): boolean {
    return this.server.healthy();
  }
}
