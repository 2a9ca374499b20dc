// Keeps this node's routes to every other node's pods (and the no-NAT rules) in step with the
// Node objects: a Node event that changes the desired routes triggers a sync (every Node's
// status is rewritten each 10 s, which must not cost a round of iptables and ip calls), and a
// periodic resync repairs what someone else changed. Runs at start-up too, so routes converge after an agent restart.
import { Node } from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, Informer, KubeClient, Logger, SharedInformerFactory } from '@coxswain/client';
import type { PeerRoute, RouteSyncResult } from '@coxswain/runtime';
import { desiredRoutes } from './peers';

export interface RouteProgrammer {
  sync(peers: PeerRoute[], clusterCidrs: string[]): Promise<RouteSyncResult>;
}

export interface RouteReconcilerOptions {
  client: KubeClient;
  nodeName: string;
  routes: RouteProgrammer;
  logger: Logger;
  resyncMs?: number;
  /** The agent's shared informer factory (its owner stops it); without one, the Node informer is our own. */
  informers?: SharedInformerFactory;
}

export class RouteReconciler {
  private readonly nodes: Informer<Node>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private again = false;
  private stopped = false;
  private lastFailed = '';
  /** The desired routes the last sync programmed (JSON), so unrelated Node updates cost nothing. */
  private lastDesired?: string;

  constructor(private readonly options: RouteReconcilerOptions) {
    this.nodes = (options.informers ?? new SharedInformerFactory({ client: options.client, logger: options.logger })).for<Node>(R.Node);
    const trigger = () => {
      if (this.nodes.hasSynced() && this.desiredKey() !== this.lastDesired) this.trigger();
    };
    this.nodes.addEventHandler({ onAdd: trigger, onUpdate: trigger, onDelete: trigger });
  }

  async start(): Promise<void> {
    this.nodes.start();
    await this.nodes.waitForSync();
    await this.syncNow();
    const every = this.options.resyncMs ?? 30_000;
    const tick = () => {
      if (this.stopped) return;
      this.trigger();
      this.timer = setTimeout(tick, every);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, every);
    this.timer.unref();
  }

  /** Coalesces bursts of Node events into one sync at a time. */
  trigger(): void {
    if (this.stopped || !this.nodes.hasSynced()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.syncNow().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  private desiredKey(): string {
    return JSON.stringify(desiredRoutes(this.options.nodeName, this.nodes.store.list()));
  }

  async syncNow(): Promise<RouteSyncResult | undefined> {
    const desired = desiredRoutes(this.options.nodeName, this.nodes.store.list());
    const { peers, clusterCidrs } = desired;
    try {
      const result = await this.options.routes.sync(peers, clusterCidrs);
      this.lastDesired = result.failed.length ? undefined : JSON.stringify(desired);
      if (result.replaced.length || result.removed.length) this.options.logger.info({ replaced: result.replaced, removed: result.removed }, 'pod routes updated');
      const failed = JSON.stringify(result.failed);
      if (result.failed.length && failed !== this.lastFailed) this.options.logger.warn({ failed: result.failed }, 'pod routes to some nodes could not be programmed (not on this L2 network?)');
      this.lastFailed = failed;
      return result;
    } catch (error) {
      this.lastDesired = undefined;
      this.options.logger.warn({ err: error }, 'pod route sync failed');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!this.options.informers) await this.nodes.stop();
  }
}
