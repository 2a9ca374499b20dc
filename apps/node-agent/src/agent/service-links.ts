// The Services the env of a starting container is built from (the kubelet's service lister):
// the agent's one Service informer, shared with the proxy and DNS, not another watch. PodConfig
// asks for them at container start (its `services` option) beside the ConfigMaps and Secrets.
import { KubeObject } from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, SharedInformerFactory } from '@coxswain/client';
import { ServiceForEnv } from '../env/service-env';
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
