// The Services the env of a starting container is built from (the kubelet's service lister):
// the agent's one Service informer, shared with the proxy and DNS, not another watch. They reach
// env/resolve-env.ts with the ConfigMaps and Secrets, through the fetcher PodConfig already asks.
import { ConfigReferences, KubeObject } from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, KubeClient, SharedInformerFactory } from '@coxswain/client';
import { ConfigObjects } from '../env/resolve-env';
import { ServiceForEnv } from '../env/service-env';
import { ConfigFetcher } from '../volumes/config-fetcher';
import { ContainerConfigError } from '../runtime-port';

/** How long a start waits for the first list of Services before it fails (and is retried with back-off). */
const SERVICES_SYNC_WAIT_MS = 10_000;

export type ServiceSource = () => Promise<ServiceForEnv[]>;

/** Services from the factory's Service informer (started if no one has); fails as the kubelet does before the first list. */
export function informerServices(informers: SharedInformerFactory, waitMs = SERVICES_SYNC_WAIT_MS): ServiceSource {
  // Started now, so the first pod start finds it listed (the proxy starts the same informer).
  const informer = informers.for<KubeObject>(R.Service).start();
  return async () => {
    if (!informer.hasSynced()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, waitMs); });
      await Promise.race([informer.waitForSync().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
      if (!informer.hasSynced()) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
    }
    return informer.store.list() as ServiceForEnv[];
  };
}

/** The config fetcher whose objects also carry the Services (for service environment variables). */
export class ServiceLinkedFetcher extends ConfigFetcher {
  constructor(client: Pick<KubeClient, 'get'>, private readonly services: ServiceSource) {
    super(client);
  }

  override async objects(namespace: string, refs: ConfigReferences): Promise<ConfigObjects> {
    const [objects, services] = await Promise.all([super.objects(namespace, refs), this.services()]);
    return { ...objects, services };
  }
}
