// One shape for everything the scheduler places: a Pod or a VirtualMachineInstance, reduced
// once (when it is queued) to the facts plugins read, so no attempt re-parses quantities.
import { cpuMillis, memoryBytes, type NodeSelectorTerm, type Pod, type Toleration, type VirtualMachineInstance } from '@coxswain/api/browser';
import type { VolumeFacts } from '../plugins/volume-binding/volume-facts';
import { Labels, NO_LABELS, PodAffinityTerms, podAffinityTermsOf } from './affinity-terms';
import { HostPort, hostPortsOf } from './host-ports';
import { DEFAULT_NONZERO_MEMORY, DEFAULT_NONZERO_MILLI_CPU, isScalarResource, Resources, ScalarResources } from './resources';
import { SpreadConstraints, spreadConstraintsOf } from './spread-constraints';

export type WorkloadKind = 'Pod' | 'VirtualMachineInstance';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** Annotation on a VMI that must run with hardware acceleration (no TCG fallback). */
export const REQUIRE_KVM_ANNOTATION = 'coxswain.io/require-kvm';

/** Built-in PriorityClasses (Kubernetes' values); other class names count as 0 unless spec.priority says otherwise. */
const BUILTIN_PRIORITY: Record<string, number> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

export interface Workload {
  kind: WorkloadKind;
  /** `Pod/ns/name` or `VirtualMachineInstance/ns/name`: unique across both kinds. */
  key: string;
  namespace: string;
  name: string;
  uid?: string;
  schedulerName: string;
  priority: number;
  /** What fit checks count: cpu/memory requests (plus VM overhead) and one pod slot. */
  requests: Resources;
  /** Requests with Kubernetes' non-zero defaults, for scoring. */
  nonZero: { milliCpu: number; memory: number };
  nodeSelector?: Record<string, string>;
  /** Required node affinity terms (ORed). */
  affinityTerms?: NodeSelectorTerm[];
  /** Preferred node affinity terms with their weights (NodeAffinity's score); absent without. */
  preferredNodeTerms?: WeightedNodeTerm[];
  tolerations: Toleration[];
  /** metadata.labels: what other workloads' affinity terms and spread constraints select. */
  labels: Labels;
  /** Pod affinity and anti-affinity (InterPodAffinity); absent without. */
  podAffinity?: PodAffinityTerms;
  /** spec.topologySpreadConstraints (PodTopologySpread); absent without. */
  spread?: SpreadConstraints;
  /** Host ports it binds (NodePorts); absent without. */
  hostPorts?: HostPort[];
  /** Requests beyond cpu and memory (ephemeral-storage, hugepages-*, extended resources); absent without. */
  scalarRequests?: ScalarResources;
  /** Set for VMIs. */
  vm?: { requireKvm: boolean };
  /** Bound node (spec.nodeName, or status.nodeName for VMIs). */
  nodeName?: string;
  /** Succeeded/Failed: holds no resources. */
  terminal: boolean;
  deleting: boolean;
  object: Pod | VirtualMachineInstance;
  /** Its claims and the nodes' local storage, resolved before an attempt (VolumeBinding); absent without claims. */
  volumes?: VolumeFacts;
}

/** Per-VM cost on top of the guest: QEMU's own memory and the node agent's bookkeeping. */
export interface VmOverhead {
  milliCpu: number;
  memory: number;
}

/**
 * The default per-VM overhead: 10m and 96Mi (a 128 MiB TCG guest measured ~215 MB QEMU RSS,
 * ~87 MB over its RAM). The scheduler's config may change it (`vmOverhead`).
 */
export const DEFAULT_VM_OVERHEAD: VmOverhead = Object.freeze({ milliCpu: 10, memory: 96 * 1024 * 1024 });

export const workloadKey = (kind: WorkloadKind, namespace: string | undefined, name: string | undefined): string => `${kind}/${namespace ?? ''}/${name ?? ''}`;

function quantity(read: (v: string | number | undefined) => number, value: string | number | undefined): number {
  try {
    return read(value);
  } catch {
    return 0;
  }
}

export interface WeightedNodeTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

type ResourceLists = { requests?: Record<string, string>; limits?: Record<string, string> } | undefined;

/** One container's request for a resource: requests, else limits (Kubernetes' defaulting rule). */
function containerRequest(resources: { requests?: Record<string, string>; limits?: Record<string, string> } | undefined, name: 'cpu' | 'memory') {
  const value = resources?.requests?.[name] ?? resources?.limits?.[name];
  return value === undefined ? undefined : quantity(name === 'cpu' ? cpuMillis : memoryBytes, value);
}

/** A container's scalar requests (requests, else limits), added into `into` with `combine`; zero amounts are left out. */
function scalarsInto(into: Record<string, number> | undefined, resources: ResourceLists, combine: (a: number, b: number) => number): Record<string, number> | undefined {
  const requests = resources?.requests;
  const limits = resources?.limits;
  const take = (name: string, value: string) => {
    const amount = quantity(memoryBytes, value);
    if (amount > 0) (into ??= {})[name] = combine(into[name] ?? 0, amount);
  };
  for (const name in requests) if (isScalarResource(name)) take(name, requests[name]);
  for (const name in limits) if (isScalarResource(name) && !(requests && name in requests)) take(name, limits[name]);
  return into;
}

const plus = (a: number, b: number) => a + b;

/**
 * Kubernetes' effective pod request: the larger of the containers' sum and any single init
 * container (they run one at a time, before the others), plus spec.overhead — for cpu and
 * memory, and per resource for the scalar ones (ephemeral-storage, hugepages, extended).
 */
export function podRequests(pod: Pod): { requests: Resources; nonZero: { milliCpu: number; memory: number }; scalar?: ScalarResources } {
  const spec = pod.spec ?? { containers: [] };
  let cpu = 0;
  let mem = 0;
  let nzCpu = 0;
  let nzMem = 0;
  let scalar: Record<string, number> | undefined;
  for (const c of spec.containers ?? []) {
    scalar = scalarsInto(scalar, c.resources, plus);
    const rc = containerRequest(c.resources, 'cpu');
    const rm = containerRequest(c.resources, 'memory');
    cpu += rc ?? 0;
    mem += rm ?? 0;
    nzCpu += rc ?? DEFAULT_NONZERO_MILLI_CPU;
    nzMem += rm ?? DEFAULT_NONZERO_MEMORY;
  }
  for (const c of spec.initContainers ?? []) {
    scalar = scalarsInto(scalar, c.resources, Math.max);
    const rc = containerRequest(c.resources, 'cpu') ?? 0;
    const rm = containerRequest(c.resources, 'memory') ?? 0;
    cpu = Math.max(cpu, rc);
    mem = Math.max(mem, rm);
    nzCpu = Math.max(nzCpu, rc);
    nzMem = Math.max(nzMem, rm);
  }
  const overCpu = quantity(cpuMillis, spec.overhead?.cpu);
  const overMem = quantity(memoryBytes, spec.overhead?.memory);
  if (spec.overhead) scalar = scalarsInto(scalar, { requests: spec.overhead }, plus);
  return {
    requests: { milliCpu: cpu + overCpu, memory: mem + overMem, pods: 1 },
    nonZero: { milliCpu: nzCpu + overCpu, memory: nzMem + overMem },
    scalar,
  };
}

/** KubeVirt requests 1/cpuAllocationRatio (default 10) of a core per vCPU without an explicit request. */
export const VCPU_REQUEST_MILLIS = 100;

/**
 * A VMI's request: memory = resources.requests.memory ?? memory.guest; cpu =
 * resources.requests.cpu ?? 100m per vCPU (cores × sockets × threads), KubeVirt's default
 * cpuAllocationRatio of 10; plus the per-VM overhead.
 * A VM always occupies one pod slot (it is the unit the node agent runs).
 */
export function vmiRequests(vmi: VirtualMachineInstance, overhead: VmOverhead): Resources {
  const domain = vmi.spec?.domain;
  const requested = domain?.resources?.requests;
  const memory = requested?.memory !== undefined ? quantity(memoryBytes, requested.memory) : quantity(memoryBytes, domain?.memory?.guest);
  const cpu =
    requested?.cpu !== undefined
      ? quantity(cpuMillis, requested.cpu)
      : VCPU_REQUEST_MILLIS * (domain?.cpu?.cores ?? 1) * (domain?.cpu?.sockets ?? 1) * (domain?.cpu?.threads ?? 1);
  return { milliCpu: cpu + overhead.milliCpu, memory: memory + overhead.memory, pods: 1 };
}

function priorityOf(explicit: number | undefined, className: string | undefined): number {
  if (typeof explicit === 'number' && Number.isFinite(explicit)) return explicit;
  return (className && BUILTIN_PRIORITY[className]) || 0;
}

/** What a Pod and a VMI are read the same way for: identity, scheduling constraints, lifecycle. */
interface SchedulableSpec {
  schedulerName?: string;
  priority?: number;
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Pod['spec']['affinity'];
  tolerations?: Pod['spec']['tolerations'];
  topologySpreadConstraints?: unknown[];
}

/** Preferred node affinity terms (weight 1–100 in Kubernetes; unusable entries are left out). */
function preferredNodeTermsOf(raw: unknown): WeightedNodeTerm[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: WeightedNodeTerm[] = [];
  for (const item of raw as Array<{ weight?: unknown; preference?: unknown } | null>) {
    const weight = Number(item?.weight);
    if (!item || !Number.isFinite(weight) || weight === 0 || item.preference === null || typeof item.preference !== 'object') continue;
    out.push({ weight, preference: item.preference as NodeSelectorTerm });
  }
  return out.length ? out : undefined;
}

function commonFields(kind: Workload['kind'], object: Pod | VirtualMachineInstance, spec: SchedulableSpec) {
  const meta = object.metadata;
  const phase = object.status?.phase;
  const namespace = meta?.namespace ?? '';
  const labels: Labels = meta?.labels ?? NO_LABELS;
  return {
    kind,
    key: workloadKey(kind, meta?.namespace, meta?.name),
    namespace,
    name: meta?.name ?? '',
    uid: meta?.uid,
    schedulerName: spec.schedulerName || DEFAULT_SCHEDULER_NAME,
    priority: priorityOf(spec.priority, spec.priorityClassName),
    nodeSelector: spec.nodeSelector,
    affinityTerms: spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    preferredNodeTerms: spec.affinity?.nodeAffinity ? preferredNodeTermsOf(spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution) : undefined,
    tolerations: spec.tolerations ?? [],
    labels,
    podAffinity: spec.affinity ? podAffinityTermsOf(spec.affinity, namespace, labels) : undefined,
    spread: spreadConstraintsOf(spec.topologySpreadConstraints, labels),
    terminal: phase === 'Succeeded' || phase === 'Failed',
    deleting: Boolean(meta?.deletionTimestamp),
  };
}

export function workloadFromPod(pod: Pod): Workload {
  const spec = pod.spec ?? ({ containers: [] } as unknown as Pod['spec']);
  const { requests, nonZero, scalar } = podRequests(pod);
  return { ...commonFields('Pod', pod, spec), requests, nonZero, scalarRequests: scalar, hostPorts: hostPortsOf(spec), nodeName: spec.nodeName || undefined, object: pod };
}

export function workloadFromVmi(vmi: VirtualMachineInstance, overhead: VmOverhead = DEFAULT_VM_OVERHEAD): Workload {
  const spec = vmi.spec ?? ({ domain: {} } as VirtualMachineInstance['spec']);
  const requests = vmiRequests(vmi, overhead);
  return {
    ...commonFields('VirtualMachineInstance', vmi, spec as SchedulableSpec),
    requests,
    nonZero: { milliCpu: requests.milliCpu, memory: requests.memory },
    scalarRequests: scalarsInto(undefined, spec.domain?.resources as ResourceLists, plus),
    vm: { requireKvm: vmi.metadata?.annotations?.[REQUIRE_KVM_ANNOTATION] === 'true' },
    nodeName: spec.nodeName || vmi.status?.nodeName || undefined,
    object: vmi,
  };
}

/** `Pod ns/name` for logs and messages. */
export const describeWorkload = (w: Pick<Workload, 'kind' | 'namespace' | 'name'>): string => `${w.kind} ${w.namespace}/${w.name}`;
