// Which Pods and VMIs back a Service and how each appears in an EndpointSlice: its address,
// ready/serving/terminating conditions, node, and the port numbers its named target ports
// resolve to. Pure.
import { Endpoint, EndpointPort, Pod, Service, ServicePort, VirtualMachineInstance } from '@coxswain/api';

export interface ResolvedEndpoint {
  endpoint: Endpoint;
  ports: EndpointPort[];
}

export interface Unresolved {
  /** `Pod/web-1` or `VirtualMachineInstance/db`. */
  target: string;
  portName: string;
}

export interface EndpointsResult {
  endpoints: ResolvedEndpoint[];
  unresolved: Unresolved[];
}

type NamedPort = { name?: string; containerPort?: number; port?: number; protocol?: string };

/** A Service selects with a plain label map; empty or absent means "selectorless". */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

export const hasSelector = (svc: Service): boolean => Object.keys(svc.spec?.selector ?? {}).length > 0;

const isTrue = (conditions: Array<{ type: string; status: string }> | undefined, type: string): boolean | undefined => {
  const found = conditions?.find((c) => c.type === type);
  return found === undefined ? undefined : found.status === 'True';
};

/** The endpoint port list for one target, or the first service port name it cannot resolve. */
function resolvePorts(servicePorts: ServicePort[], declared: NamedPort[]): { ports: EndpointPort[]; missing: string[] } {
  const ports: EndpointPort[] = [];
  const missing: string[] = [];
  for (const sp of servicePorts) {
    const protocol = sp.protocol ?? 'TCP';
    let number: number | undefined;
    if (typeof sp.targetPort === 'string' && !/^\d+$/.test(sp.targetPort)) {
      const found = declared.find((p) => p.name === sp.targetPort && (p.protocol ?? 'TCP') === protocol);
      number = found?.containerPort ?? found?.port;
      if (number === undefined) {
        missing.push(sp.targetPort);
        continue;
      }
    } else {
      number = sp.targetPort === undefined ? sp.port : Number(sp.targetPort);
    }
    ports.push({ name: sp.name ?? '', port: number, protocol, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return { ports, missing };
}

/**
 * One address's endpoint: `serving` follows the workload's readiness, `ready` also requires it
 * not to be terminating; `publishNotReadyAddresses` makes both true (Kubernetes' rules).
 */
function endpoint(svc: Service, ip: string, workloadReady: boolean, terminating: boolean, targetRef: Endpoint['targetRef'], nodeName: string | undefined): Endpoint {
  const publishAll = Boolean(svc.spec?.publishNotReadyAddresses);
  const result: Endpoint = {
    addresses: [ip],
    conditions: { ready: publishAll || (workloadReady && !terminating), serving: publishAll || workloadReady, terminating },
    targetRef,
  };
  if (nodeName) result.nodeName = nodeName;
  return result;
}

const refTo = (kind: string, meta: { namespace?: string; name?: string; uid?: string }): Endpoint['targetRef'] => ({ kind, namespace: meta.namespace, name: meta.name, uid: meta.uid });

function podEndpoint(svc: Service, pod: Pod): Endpoint | undefined {
  const ip = pod.status?.podIP;
  if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const podReady = isTrue(pod.status?.conditions, 'Ready') === true;
  const result = endpoint(svc, ip, podReady, Boolean(pod.metadata.deletionTimestamp), refTo('Pod', pod.metadata), pod.spec?.nodeName);
  const spec = pod.spec as { hostname?: string; subdomain?: string } | undefined;
  if (spec?.hostname && spec.subdomain === svc.metadata.name) result.hostname = spec.hostname;
  return result;
}

function vmiEndpoint(svc: Service, vmi: VirtualMachineInstance): Endpoint | undefined {
  const ip = vmi.status?.interfaces?.[0]?.ipAddress;
  const phase = vmi.status?.phase;
  if (!ip || phase === 'Succeeded' || phase === 'Failed') return undefined;
  // Running, and Ready when the VMI reports the condition (readiness probes, guest agent).
  const vmiReady = phase === 'Running' && isTrue(vmi.status?.conditions, 'Ready') !== false;
  return endpoint(svc, ip, vmiReady, Boolean(vmi.metadata.deletionTimestamp), refTo('VirtualMachineInstance', vmi.metadata), vmi.status?.nodeName);
}

const podPorts = (pod: Pod): NamedPort[] => (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []) as NamedPort[]);
const vmiPorts = (vmi: VirtualMachineInstance): NamedPort[] =>
  (vmi.spec?.domain?.devices?.interfaces ?? []).flatMap((i) => (Array.isArray(i.ports) ? (i.ports as NamedPort[]) : []));

/**
 * The endpoints of a Service: every selected Pod and VMI with an address. A target whose
 * named port cannot be resolved keeps the ports that can; with none left it is skipped.
 */
export function serviceEndpoints(svc: Service, pods: Pod[], vmis: VirtualMachineInstance[]): EndpointsResult {
  const result: EndpointsResult = { endpoints: [], unresolved: [] };
  const servicePorts = svc.spec?.ports ?? [];
  const add = (endpoint: Endpoint | undefined, declared: NamedPort[], target: string) => {
    if (!endpoint) return;
    const { ports, missing } = resolvePorts(servicePorts, declared);
    for (const portName of missing) result.unresolved.push({ target, portName });
    if (servicePorts.length > 0 && ports.length === 0) return;
    result.endpoints.push({ endpoint, ports });
  };
  for (const pod of pods) if (selects(svc.spec?.selector, pod.metadata.labels)) add(podEndpoint(svc, pod), podPorts(pod), `Pod/${pod.metadata.name}`);
  for (const vmi of vmis) if (selects(svc.spec?.selector, vmi.metadata.labels)) add(vmiEndpoint(svc, vmi), vmiPorts(vmi), `VirtualMachineInstance/${vmi.metadata.name}`);
  return result;
}
