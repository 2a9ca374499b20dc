// The node's service proxy: watches Services and EndpointSlices, and after each burst of
// changes (at most one sync per minSyncIntervalMs) plans the whole ruleset and applies it.
// A periodic full resync repairs rules someone else flushed and converges after restarts.
import { Informer, KubeClient, KubeObject, Logger, ResourceDescriptor, BUILTIN_RESOURCES as R, SharedInformerFactory } from '@coxswain/client';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parseSave } from './chains';
import { enableBridgeNetfilter, enableRouteLocalnet, IptablesRunner } from './iptables';
import { LocalDns, planRules, ProxyDesired, ProxyObserved, RestorePlan } from './plan';
import { EndpointSliceView, ServiceView } from './shapes';

export const ENDPOINT_SLICE_RESOURCE: ResourceDescriptor = R.EndpointSlice;

export interface ServiceProxySettings {
  /** Bursts of changes closer than this coalesce into one sync (kube-proxy's --iptables-min-sync-period). */
  minSyncIntervalMs: number;
  /** Full resync even without changes (kube-proxy's --iptables-sync-period). */
  resyncIntervalMs: number;
}

export const DEFAULT_PROXY_SETTINGS: ServiceProxySettings = { minSyncIntervalMs: 10, resyncIntervalMs: 30_000 };

export interface ServiceProxyDeps {
  client: KubeClient;
  iptables: IptablesRunner;
  logger: Logger;
  clusterCidr?: string;
  localDns?: LocalDns;
  /** This node (Local traffic policies). */
  nodeName?: string;
  /** NodePorts answer on 127.0.0.1 too (sets route_localnet, guards 127.0.0.0/8 from other hosts). */
  localhostNodePorts?: boolean;
  registry?: Registry;
  settings?: Partial<ServiceProxySettings>;
  /** Shared informers when the agent already watches these kinds (the DNS server does). */
  informers?: { services: Informer<KubeObject>; slices: Informer<KubeObject> };
  onSynced?(plan: RestorePlan): void;
}

/** The Service and EndpointSlice informers of a shared informer factory. */
export function serviceInformers(factory: SharedInformerFactory) {
  return {
    services: factory.for<KubeObject>(R.Service),
    slices: factory.for<KubeObject>(ENDPOINT_SLICE_RESOURCE),
  };
}

/**
 * Plans against the tables and writes the plan: one full sync. `known` (what the previous
 * successful sync left) spares the two iptables-save runs; without it the tables are read.
 */
export async function syncRules(iptables: IptablesRunner, desired: ProxyDesired, known?: ProxyObserved): Promise<RestorePlan> {
  const observed = known ?? parseSave(await iptables.save());
  const plan = planRules(desired, { nat: observed.nat, filter: observed.filter });
  await iptables.restore(plan.text);
  return plan;
}

export class ServiceProxy {
  private readonly settings: ServiceProxySettings;
  private readonly informers: { services: Informer<KubeObject>; slices: Informer<KubeObject> };
  private readonly ownInformers: boolean;
  private readonly syncSeconds: Histogram<string>;
  private readonly rules: Gauge<string>;
  private readonly syncFailures: Counter<string>;
  private timer?: NodeJS.Timeout;
  private resync?: NodeJS.Timeout;
  private running?: Promise<void>;
  private dirty = false;
  /** Our chains and jumps as the last successful sync left them; dropped on failure and on each periodic resync, which reads the tables again. */
  private known?: ProxyObserved;
  private lastSyncAt = 0;
  private stopped = false;

  constructor(private readonly deps: ServiceProxyDeps) {
    this.settings = { ...DEFAULT_PROXY_SETTINGS, ...deps.settings };
    this.ownInformers = !deps.informers;
    this.informers = deps.informers ?? serviceInformers(new SharedInformerFactory({ client: deps.client, logger: deps.logger }));
    const registers = deps.registry ? [deps.registry] : [];
    this.syncSeconds = new Histogram({ name: 'coxswain_proxy_sync_proxy_rules_duration_seconds', help: 'Time to plan and apply the service rules (kube-proxy: sync_proxy_rules_duration_seconds).', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.rules = new Gauge({ name: 'coxswain_proxy_iptables_rules', help: 'Rules in the proxy\'s own chains, by table.', labelNames: ['table'], registers });
    this.syncFailures = new Counter({ name: 'coxswain_proxy_sync_failures_total', help: 'Failed rule syncs since start.', registers });
  }

  async start(): Promise<void> {
    if (!(await enableBridgeNetfilter())) this.deps.logger.warn('net.bridge.bridge-nf-call-iptables not writable: same-node Service replies may bypass conntrack');
    if (this.deps.localhostNodePorts && !(await enableRouteLocalnet())) this.deps.logger.warn('net.ipv4.conf.all.route_localnet not writable: NodePorts do not answer on 127.0.0.1');
    const kick = () => this.requestSync();
    for (const informer of [this.informers.services, this.informers.slices]) {
      informer.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick });
      if (this.ownInformers) informer.start();
    }
    await Promise.all([this.informers.services.waitForSync(), this.informers.slices.waitForSync()]);
    await this.syncNow();
    this.resync = setInterval(() => {
      this.known = undefined;
      this.requestSync();
    }, this.settings.resyncIntervalMs);
    this.resync.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.resync);
    if (this.ownInformers) await Promise.all([this.informers.services.stop(), this.informers.slices.stop()]);
    await this.running?.catch(() => undefined);
    await this.deps.iptables.close?.();
  }

  /** Schedules a sync: now if the last one is old enough, else when the minimum interval ends. */
  requestSync(): void {
    if (this.stopped || this.timer) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(0, this.lastSyncAt + this.settings.minSyncIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.syncNow();
    }, wait);
  }

  /** One full plan + apply; resolves when done (errors are logged and retried on the next request). */
  syncNow(): Promise<void> {
    if (this.running) {
      this.dirty = true;
      return this.running;
    }
    this.running = (async () => {
      this.dirty = false;
      const started = performance.now();
      try {
        const plan = await this.apply();
        this.syncSeconds.observe((performance.now() - started) / 1000);
        this.deps.onSynced?.(plan);
      } catch (error) {
        this.known = undefined;
        this.syncFailures.inc();
        this.deps.logger.warn({ err: error }, 'service rules sync failed');
        this.dirty = true;
      } finally {
        this.lastSyncAt = Date.now();
      }
    })().finally(() => {
      this.running = undefined;
      if (this.dirty && !this.stopped) this.requestSync();
    });
    return this.running;
  }

  private async apply(): Promise<RestorePlan> {
    const plan = await syncRules(this.deps.iptables, {
      services: this.informers.services.store.list() as unknown as ServiceView[],
      slices: this.informers.slices.store.list() as unknown as EndpointSliceView[],
      clusterCidr: this.deps.clusterCidr,
      localDns: this.deps.localDns,
      nodeName: this.deps.nodeName,
      localhostNodePorts: this.deps.localhostNodePorts,
    }, this.known);
    this.known = plan.after;
    const filterRules = plan.text.split('*nat')[0].split('\n').filter((l) => l.startsWith('-A ')).length;
    this.rules.set({ table: 'filter' }, filterRules);
    this.rules.set({ table: 'nat' }, plan.ruleCount - filterRules);
    return plan;
  }
}
