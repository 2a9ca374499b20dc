// Service environment variables, as the kubelet builds them (kubelet_pods.go
// getServiceEnvVarMap + pkg/kubelet/envvars FromServices). Pure: the caller passes the Services
// its cache holds when the container starts.

/** What this reads of a Service. */
export interface ServiceForEnv {
  metadata: { name?: string; namespace?: string };
  spec?: { clusterIP?: string; ports?: Array<{ name?: string; port?: number; protocol?: string }> };
}

/** The Services whose variables every pod gets, whatever its enableServiceLinks (client-go's in-cluster config needs them). */
const MASTER_SERVICE_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

/** A Service with a virtual IP (not headless, not ExternalName). */
const hasClusterIP = (s: ServiceForEnv): boolean => Boolean(s.spec?.clusterIP) && s.spec?.clusterIP !== 'None';

/** `foo-bar` → `FOO_BAR`. */
const envName = (name: string): string => name.replace(/-/g, '_').toUpperCase();

/** `host:port`, IPv6 addresses bracketed (Go's net.JoinHostPort). */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * The Services a pod in `namespace` gets variables for: `default/kubernetes` always, and, with
 * `enableServiceLinks`, every Service of its namespace with a cluster IP (one of the namespace
 * named `kubernetes` takes the place of the master one).
 */
export function servicesForPod(services: ServiceForEnv[], namespace: string, enableServiceLinks: boolean): ServiceForEnv[] {
  const byName = new Map<string, ServiceForEnv>();
  for (const service of services) {
    const name = service.metadata.name ?? '';
    if (!hasClusterIP(service)) continue;
    const ns = service.metadata.namespace ?? '';
    if (ns === MASTER_SERVICE_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, service);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, service);
    }
  }
  return [...byName.values()];
}

/** Docker-link variables of one Service: `<NAME>_PORT` for the first port, then four per port. */
function linkVariables(service: ServiceForEnv): Array<[string, string]> {
  const prefix = envName(service.metadata.name ?? '');
  const ip = service.spec!.clusterIP!;
  const out: Array<[string, string]> = [];
  (service.spec?.ports ?? []).forEach((sp, i) => {
    const protocol = (sp.protocol || 'TCP').toUpperCase();
    const port = sp.port ?? 0;
    const url = `${protocol.toLowerCase()}://${joinHostPort(ip, port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${port}_${protocol}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** The variables of the given Services, in order (envvars.FromServices). */
export function envFromServices(services: ServiceForEnv[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const service of services) {
    if (!hasClusterIP(service) || !service.spec?.ports?.length) continue;
    const name = envName(service.metadata.name ?? '');
    out.push([`${name}_SERVICE_HOST`, service.spec.clusterIP!]);
    const portVar = `${name}_SERVICE_PORT`;
    out.push([portVar, String(service.spec.ports[0].port ?? 0)]);
    for (const sp of service.spec.ports) if (sp.name) out.push([`${portVar}_${envName(sp.name)}`, String(sp.port ?? 0)]);
    out.push(...linkVariables(service));
  }
  return out;
}

/** The service variables a container of the pod gets (before its own env, which wins). */
export function serviceEnvFor(services: ServiceForEnv[], namespace: string, enableServiceLinks: boolean): Array<[string, string]> {
  // Sorted by namespace/name so the result does not depend on the cache's order.
  const key = (s: ServiceForEnv) => `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`;
  const chosen = servicesForPod(services, namespace, enableServiceLinks).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return envFromServices(chosen);
}
