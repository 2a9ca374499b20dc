// Service address allocation for one API server process: the etcd-backed ranges, the write
// hooks the ResourceService calls, the `kubernetes` Service, and the periodic repair.
import { isIP } from 'node:net';
import { EtcdKvClient } from '../storage/etcd-kv';
import { Logger } from 'pino';
import { KubeObject, resourceForKind, StatusError } from '@coxswain/api';
import { RequestContext } from '../rest/context';
import { ResourceService } from '../rest/resource-service';
import { objectKey } from '../storage/keys';
import { ObjectStore } from '../storage/object-store';
import { EtcdRangeAllocator } from './etcd-allocator';
import { kubernetesEndpointSlice, kubernetesService, KUBERNETES_SERVICE, serviceDrifted } from './kubernetes-service';
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR, portRange, serviceIpRange } from './ranges';
import { repairAllocations } from './repair';
import { ServiceAllocationHooks } from './service-allocator';

export { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR } from './ranges';
export { ServiceAllocationHooks } from './service-allocator';

export const IP_PREFIX = '/registry/ranges/serviceips/';
export const NODE_PORT_PREFIX = '/registry/ranges/servicenodeports/';
const SERVICES = resourceForKind('Service')!;
const SLICES = resourceForKind('EndpointSlice')!;

export interface ServiceAllocationOptions {
  serviceCidr?: string;
  nodePortRange?: string;
  /** A key without its Service is given back after this long (default 60 s). */
  repairGraceMs?: number;
  repairIntervalMs?: number;
}

export function createServiceAllocation(client: EtcdKvClient, options: ServiceAllocationOptions = {}) {
  const ipRange = serviceIpRange(options.serviceCidr ?? DEFAULT_SERVICE_CIDR);
  const ips = new EtcdRangeAllocator(client, IP_PREFIX, ipRange, new Set([ipRange.first]));
  const nodePorts = new EtcdRangeAllocator(client, NODE_PORT_PREFIX, portRange(options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE));
  const hooks = new ServiceAllocationHooks({ ips, nodePorts });
  let timer: NodeJS.Timeout | undefined;

  const systemContext = (resource = SERVICES): RequestContext => ({
    info: { isResourceRequest: true, path: '', verb: 'create', group: resource.group, version: resource.version, namespace: 'default', resource: resource.plural, rest: [] },
    resource,
    user: { name: 'system:apiserver', uid: 'apiserver', groups: ['system:masters'], role: 'admin' },
    query: new URLSearchParams(),
    now: new Date(),
    warnings: [],
  });

  return {
    hooks,
    ips,
    nodePorts,
    kubernetesIP: ipRange.first,

    /** Creates or fixes the `kubernetes` Service (and its slice when the address is routable). */
    async ensureKubernetesService(resources: ResourceService, store: ObjectStore, apiPort: number, advertiseAddress: string | undefined): Promise<void> {
      const stored = await store.get(SERVICES, 'default', KUBERNETES_SERVICE);
      if (!stored) await createUnlessRaced(resources.create(systemContext(), kubernetesService(ipRange.first, apiPort)), () => store.get(SERVICES, 'default', KUBERNETES_SERVICE));
      else if (serviceDrifted(stored, apiPort)) {
        await resources.mutate(SERVICES, 'default', KUBERNETES_SERVICE, (svc) => ({ ...svc, spec: { ...svc.spec, ports: (kubernetesService(ipRange.first, apiPort) as KubeObject & { spec: { ports: unknown } }).spec.ports } }));
      }
      if (!advertiseAddress || isIP(advertiseAddress) !== 4 || advertiseAddress.startsWith('127.')) return;
      const slice = kubernetesEndpointSlice(advertiseAddress, apiPort);
      const current = await store.get(SLICES, 'default', KUBERNETES_SERVICE);
      if (!current) await createUnlessRaced(resources.create(systemContext(SLICES), slice), () => store.get(SLICES, 'default', KUBERNETES_SERVICE));
      else if (JSON.stringify((current as KubeObject & { endpoints?: unknown }).endpoints) !== JSON.stringify((slice as KubeObject & { endpoints?: unknown }).endpoints)) {
        await resources.mutate(SLICES, 'default', KUBERNETES_SERVICE, (s) => ({ ...s, endpoints: (slice as KubeObject & { endpoints?: unknown }).endpoints, ports: (slice as KubeObject & { ports?: unknown }).ports }));
      }
    },

    startRepair(store: ObjectStore, logger: Logger): void {
      const run = async () => {
        const services = (await store.list(SERVICES)).items;
        const actions = await repairAllocations(services, (svc) => objectKey(SERVICES, svc.metadata.namespace, svc.metadata.name), ips, nodePorts, new Date(), options.repairGraceMs ?? 60_000);
        if (actions.length) logger.info({ actions: actions.map((a) => `${a.kind} ${a.value} (${a.owner.namespace}/${a.owner.name})`) }, 'service allocations repaired');
      };
      const tick = () => {
        run()
          .catch((error) => logger.warn({ err: error }, 'service allocation repair failed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, options.repairIntervalMs ?? 30_000).unref();
          });
      };
      timer = setTimeout(tick, 1_000).unref();
    },

    stop(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type ServiceAllocation = ReturnType<typeof createServiceAllocation>;

/** Another API server starting at the same time may win the create (409, or 422 for the taken IP). */
async function createUnlessRaced(work: Promise<unknown>, exists: () => Promise<KubeObject | undefined>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof StatusError && (error.code === 409 || error.code === 422))) throw error;
    // The winner has taken the address and is writing the object: give it a moment.
    for (let i = 0; i < 25; i++) {
      if (await exists()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw error;
  }
}
