// Prometheus HTTP service discovery with kubernetes_sd_configs' target groups: the same
// `__meta_kubernetes_*` labels, sources and addresses Prometheus' Kubernetes discovery builds
// for the roles node, pod, service and endpointslice, so one set of relabel_configs works
// with either. Debian's Prometheus is built without kubernetes_sd_configs; http_sd_configs
// against GET /prometheus/sd/<role> is how it discovers a Coxswain cluster. Pure.

export const SD_ROLES = ['node', 'pod', 'service', 'endpointslice'] as const;
export type SdRole = (typeof SD_ROLES)[number];

/** What each role reads: [api path of the list, key in SdInput]. */
export const SD_SOURCES: Record<SdRole, Array<keyof SdInput>> = {
  node: ['nodes'],
  pod: ['pods'],
  service: ['services'],
  endpointslice: ['endpointslices', 'services', 'pods'],
};

export const SD_LIST_PATHS: Record<keyof SdInput, string> = {
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  services: '/api/v1/services',
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
};

type Labels = Record<string, string>;
export interface TargetGroup {
  targets: string[];
  labels: Labels;
}

interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind?: string; name?: string; controller?: boolean }>;
}
interface Port {
  name?: string;
  port?: number;
  containerPort?: number;
  protocol?: string;
  appProtocol?: string;
}
export interface SdNode {
  metadata: Meta;
  spec?: { providerID?: string };
  status?: { addresses?: Array<{ type: string; address: string }>; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}
export interface SdPod {
  metadata: Meta;
  spec?: { nodeName?: string; containers?: Array<{ name: string; image?: string; ports?: Port[] }>; initContainers?: Array<{ name: string; image?: string; ports?: Port[] }> };
  status?: { podIP?: string; hostIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> };
}
export interface SdService {
  metadata: Meta;
  spec?: { type?: string; clusterIP?: string; externalName?: string; ports?: Port[] };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } };
}
export interface SdEndpointSlice {
  metadata: Meta;
  addressType?: string;
  endpoints?: Array<{
    addresses: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    hostname?: string;
    nodeName?: string;
    zone?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }>;
  ports?: Port[];
}
export interface SdInput {
  nodes: SdNode[];
  pods: SdPod[];
  services: SdService[];
  endpointslices: SdEndpointSlice[];
}

const P = '__meta_kubernetes_';

/** Prometheus' strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes `_`. */
export const sanitizeLabelName = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** `<prefix>label_<k>`/`labelpresent_<k>` and the same for annotations (addObjectMetaLabels). */
function metaLabels(prefix: string, meta: Meta): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    out[`${prefix}label_${sanitizeLabelName(k)}`] = v;
    out[`${prefix}labelpresent_${sanitizeLabelName(k)}`] = 'true';
  }
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    out[`${prefix}annotation_${sanitizeLabelName(k)}`] = v;
    out[`${prefix}annotationpresent_${sanitizeLabelName(k)}`] = 'true';
  }
  return out;
}

const joinHostPort = (host: string, port: number | string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** A target group with per-target labels flattened: http_sd has one label set per group. */
function group(source: string, common: Labels, target: Labels & { __address__: string }): TargetGroup & { source: string } {
  const { __address__, ...rest } = target;
  return { source, targets: [__address__], labels: { ...common, ...rest } };
}

// Node addresses in Prometheus' default preference order (nodeAddress()).
const NODE_ADDRESS_ORDER = ['InternalIP', 'InternalDNS', 'ExternalDNS', 'ExternalIP', 'LegacyHostIP', 'Hostname'];

export function nodeGroups(nodes: SdNode[]): TargetGroup[] {
  const out: TargetGroup[] = [];
  for (const node of nodes) {
    const addresses = node.status?.addresses ?? [];
    const address = NODE_ADDRESS_ORDER.map((t) => addresses.find((a) => a.type === t)).find(Boolean);
    if (!address) continue;
    const labels: Labels = { [`${P}node_name`]: node.metadata.name ?? '', [`${P}node_provider_id`]: node.spec?.providerID ?? '', ...metaLabels(`${P}node_`, node.metadata) };
    const target: Labels & { __address__: string } = { __address__: joinHostPort(address.address, node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250), instance: node.metadata.name ?? '' };
    const seen = new Set<string>();
    for (const a of addresses) {
      if (seen.has(a.type)) continue;
      seen.add(a.type);
      target[sanitizeLabelName(`${P}node_address_${a.type}`)] = a.address;
    }
    out.push(group(`node/${node.metadata.name}`, labels, target));
  }
  return out;
}

function podLabels(pod: SdPod): Labels {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller);
  return {
    [`${P}pod_name`]: pod.metadata.name ?? '',
    [`${P}pod_ip`]: pod.status?.podIP ?? '',
    [`${P}pod_ready`]: ready.toLowerCase(),
    [`${P}pod_phase`]: pod.status?.phase ?? '',
    [`${P}pod_node_name`]: pod.spec?.nodeName ?? '',
    [`${P}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${P}pod_uid`]: pod.metadata.uid ?? '',
    ...(controller?.kind ? { [`${P}pod_controller_kind`]: controller.kind } : {}),
    ...(controller?.name ? { [`${P}pod_controller_name`]: controller.name } : {}),
    ...metaLabels(`${P}pod_`, pod.metadata),
  };
}

export function podGroups(pods: SdPod[]): TargetGroup[] {
  const out: TargetGroup[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip) continue; // starting or evicted: Prometheus sends an empty group
    const common = { ...podLabels(pod), [`${P}namespace`]: pod.metadata.namespace ?? '' };
    const source = `pod/${pod.metadata.namespace}/${pod.metadata.name}`;
    const containers = [...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })), ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true }))];
    for (const { c, init } of containers) {
      const base = { [`${P}pod_container_name`]: c.name, [`${P}pod_container_image`]: c.image ?? '', [`${P}pod_container_init`]: String(init) };
      if (!c.ports?.length) {
        if (!init) out.push(group(source, common, { __address__: ip, ...base }));
        continue;
      }
      for (const port of c.ports) {
        const number = String(port.containerPort ?? 0);
        out.push(
          group(source, common, {
            __address__: joinHostPort(ip, number),
            ...base,
            [`${P}pod_container_port_name`]: port.name ?? '',
            [`${P}pod_container_port_number`]: number,
            [`${P}pod_container_port_protocol`]: port.protocol ?? 'TCP',
          }),
        );
      }
    }
  }
  return out;
}

function serviceLabels(svc: SdService): Labels {
  return { [`${P}service_name`]: svc.metadata.name ?? '', [`${P}namespace`]: svc.metadata.namespace ?? '', ...metaLabels(`${P}service_`, svc.metadata) };
}

export function serviceGroups(services: SdService[]): TargetGroup[] {
  const out: TargetGroup[] = [];
  for (const svc of services) {
    const source = `svc/${svc.metadata.namespace}/${svc.metadata.name}`;
    const type = svc.spec?.type ?? 'ClusterIP';
    for (const port of svc.spec?.ports ?? []) {
      const target: Labels & { __address__: string } = {
        __address__: joinHostPort(`${svc.metadata.name}.${svc.metadata.namespace}.svc`, port.port ?? 0),
        [`${P}service_port_name`]: port.name ?? '',
        [`${P}service_port_number`]: String(port.port ?? 0),
        [`${P}service_port_protocol`]: port.protocol ?? 'TCP',
        [`${P}service_type`]: type,
      };
      if (type === 'ExternalName') target[`${P}service_external_name`] = svc.spec?.externalName ?? '';
      else target[`${P}service_cluster_ip`] = svc.spec?.clusterIP ?? '';
      const lb = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      if (type === 'LoadBalancer' && lb) target[`${P}service_loadbalancer_ip`] = lb;
      out.push(group(source, serviceLabels(svc), target));
    }
  }
  return out;
}

export function endpointSliceGroups(slices: SdEndpointSlice[], services: SdService[], pods: SdPod[]): TargetGroup[] {
  const out: TargetGroup[] = [];
  const svcByKey = new Map(services.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
  const podByKey = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  for (const slice of slices) {
    const ns = slice.metadata.namespace ?? '';
    const source = `endpointslice/${ns}/${slice.metadata.name}`;
    const svcName = slice.metadata.labels?.['kubernetes.io/service-name'];
    const svc = svcName ? svcByKey.get(`${ns}/${svcName}`) : undefined;
    const common: Labels = {
      [`${P}namespace`]: ns,
      [`${P}endpointslice_address_type`]: slice.addressType ?? 'IPv4',
      [`${P}endpointslice_name`]: slice.metadata.name ?? '',
      ...metaLabels(`${P}endpointslice_`, slice.metadata),
      ...(svc ? serviceLabels(svc) : {}),
    };
    for (const ep of slice.endpoints ?? []) {
      for (const port of slice.ports ?? []) {
        for (const addr of ep.addresses) {
          const target: Labels & { __address__: string } = { __address__: port.port !== undefined ? joinHostPort(addr, port.port) : addr };
          if (port.name !== undefined) target[`${P}endpointslice_port_name`] = port.name;
          if (port.protocol !== undefined) target[`${P}endpointslice_port_protocol`] = port.protocol;
          if (port.port !== undefined) target[`${P}endpointslice_port`] = String(port.port);
          if (port.appProtocol !== undefined) target[`${P}endpointslice_port_app_protocol`] = port.appProtocol;
          for (const cond of ['ready', 'serving', 'terminating'] as const) {
            const v = ep.conditions?.[cond];
            if (v !== undefined) target[`${P}endpointslice_endpoint_conditions_${cond}`] = String(v);
          }
          if (ep.hostname !== undefined) target[`${P}endpointslice_endpoint_hostname`] = ep.hostname;
          if (ep.nodeName !== undefined) target[`${P}endpointslice_endpoint_node_name`] = ep.nodeName;
          if (ep.zone !== undefined) target[`${P}endpointslice_endpoint_zone`] = ep.zone;
          if (ep.targetRef) {
            target[`${P}endpointslice_address_target_kind`] = ep.targetRef.kind ?? '';
            target[`${P}endpointslice_address_target_name`] = ep.targetRef.name ?? '';
          }
          const pod = ep.targetRef?.kind === 'Pod' ? podByKey.get(`${ep.targetRef.namespace ?? ns}/${ep.targetRef.name}`) : undefined;
          if (pod) {
            Object.assign(target, podLabels(pod));
            for (const c of pod.spec?.containers ?? []) {
              const cport = c.ports?.find((p) => p.containerPort === port.port);
              if (!cport) continue;
              Object.assign(target, {
                [`${P}pod_container_name`]: c.name,
                [`${P}pod_container_image`]: c.image ?? '',
                [`${P}pod_container_port_name`]: cport.name ?? '',
                [`${P}pod_container_port_number`]: String(cport.containerPort),
                [`${P}pod_container_port_protocol`]: cport.protocol ?? 'TCP',
              });
              break;
            }
          }
          out.push(group(source, common, target));
        }
      }
    }
  }
  return out;
}

/** The http_sd answer for a role: a JSON array of { targets, labels }. */
export function targetGroups(role: SdRole, input: SdInput): TargetGroup[] {
  const groups =
    role === 'node'
      ? nodeGroups(input.nodes)
      : role === 'pod'
        ? podGroups(input.pods)
        : role === 'service'
          ? serviceGroups(input.services)
          : endpointSliceGroups(input.endpointslices, input.services, input.pods);
  return groups.map((g) => ({ targets: g.targets, labels: g.labels }));
}

export const isSdRole = (role: string): role is SdRole => (SD_ROLES as readonly string[]).includes(role);
