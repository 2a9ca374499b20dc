// One informer per resource and scope (namespace, label and field selector) for a whole
// process, as client-go's SharedInformerFactory: every component that reads Pods reads the
// same cache, fed by one list and one watch.
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { KubeClient } from '../core/kube-client';
import { ResourceDescriptor } from '../core/resource';
import { formatSelector, SelectorInput } from '../core/selectors';
import { KubeObject } from '../core/types';
import { IndexFunc } from './indexed-store';
import { Informer } from './informer';

/** Which objects of a resource an informer holds; each distinct scope is its own informer. */
export interface InformerScope {
  /** Omit for all namespaces. */
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
}

export interface InformerRequest<T extends KubeObject> extends InformerScope {
  /**
   * Indexes this caller looks up by, added to the shared informer's store if it lacks them
   * (client-go's AddIndexers). An index name means one thing across the process: a name
   * already present is kept as it is.
   */
  indexers?: Record<string, IndexFunc<T>>;
}

export interface SharedInformerFactoryOptions {
  client: KubeClient;
  clock?: Clock;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  /** Resync period for every informer (0 = none). */
  resyncMs?: number;
  /** Indexes every informer of this factory gets (a 'namespace' index is always built in). */
  indexers?: Record<string, IndexFunc<KubeObject>>;
}

/** The key of one shared informer: the resource's group/version/plural and its scope. */
export function informerKey(resource: ResourceDescriptor, scope: InformerScope = {}): string {
  const namespace = resource.namespaced ? (scope.namespace ?? '') : '';
  return [`${resource.group}/${resource.version}/${resource.plural}`, namespace, formatSelector(scope.labelSelector) ?? '', formatSelector(scope.fieldSelector) ?? ''].join('|');
}

/**
 * Hands out shared informers. `start()` starts every informer asked for so far (and, from
 * then on, each new one as it is asked for); `waitForCacheSync()` resolves once all of them
 * have listed; `stop()` ends them all. Components given a factory do not stop it: its owner
 * (the process's main) does.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(private readonly options: SharedInformerFactoryOptions) {}

  /** The informer for a resource in a scope (a namespace name is short for `{ namespace }`), created on first use. */
  for<T extends KubeObject>(resource: ResourceDescriptor, request: string | InformerRequest<T> = {}): Informer<T> {
    const { indexers, ...scope } = typeof request === 'string' ? { namespace: request } : (request as InformerRequest<T>);
    const key = informerKey(resource, scope);
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>({
        client: this.options.client,
        resource,
        ...scope,
        indexers: this.options.indexers as Record<string, IndexFunc<T>> | undefined,
        clock: this.options.clock,
        logger: this.options.logger,
        resyncMs: this.options.resyncMs,
      });
      this.informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.started) informer.start();
    }
    const missing = Object.entries(indexers ?? {}).filter(([name]) => !informer!.store.hasIndex(name));
    if (missing.length) informer.store.addIndexers(Object.fromEntries(missing));
    return informer;
  }

  /** How many distinct informers have been asked for. */
  get size(): number {
    return this.informers.size;
  }

  /** Starts every informer asked for so far, and each later one as it is asked for (idempotent). */
  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Resolves once every informer asked for so far has applied its first list. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** Ends every informer's watch; caches stay readable. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
