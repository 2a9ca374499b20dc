// One informer per resource, shared by every controller that reads it, with the indexes
// the controllers look things up by.
import { controllerOf, KubeObject } from '@coxswain/api';
import { Clock, IndexFunc, Informer, KubeClient, Logger, ResourceDescriptor } from '@coxswain/client';

/** Index of objects by the uid of each owner (garbage collector). */
export const OWNER_UID_INDEX = 'ownerUid';
/** Index of objects by the uid of their controller owner. */
export const CONTROLLER_UID_INDEX = 'controllerUid';
/** Index of objects by their own uid. */
export const UID_INDEX = 'uid';
/** Index of pods and VMIs by node. */
export const NODE_INDEX = 'nodeName';

type Obj = KubeObject & { spec?: { nodeName?: string }; status?: { nodeName?: string } };

const INDEXERS: Record<string, IndexFunc<Obj>> = {
  [UID_INDEX]: (o) => (o.metadata?.uid ? [o.metadata.uid] : []),
  [OWNER_UID_INDEX]: (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid),
  [CONTROLLER_UID_INDEX]: (o) => {
    const ref = controllerOf(o);
    return ref ? [ref.uid] : [];
  },
  [NODE_INDEX]: (o) => {
    const node = o.spec?.nodeName || o.status?.nodeName;
    return node ? [node] : [];
  },
};

export interface SharedInformersOptions {
  client: KubeClient;
  clock?: Clock;
  logger?: Logger;
  /** Resync period for every informer (0 = none). */
  resyncMs?: number;
}

export class SharedInformers {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(private readonly options: SharedInformersOptions) {}

  /** The informer for a resource (optionally one namespace), created on first use. */
  for<T extends KubeObject>(resource: ResourceDescriptor, namespace?: string): Informer<T> {
    const key = `${resource.group}/${resource.plural}@${namespace ?? ''}`;
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>({
        client: this.options.client,
        resource,
        namespace,
        indexers: INDEXERS as unknown as Record<string, IndexFunc<KubeObject>>,
        clock: this.options.clock,
        logger: this.options.logger,
        resyncMs: this.options.resyncMs,
      });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
