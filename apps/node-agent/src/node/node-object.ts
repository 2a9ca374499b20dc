// The Node object an agent registers and keeps current. Pure: host facts come in as values.
import { LOCAL_STORAGE_RESOURCE } from '@coxswain/scheduling';

export type HypervisorKind = 'kvm' | 'tcg' | 'none';

export interface HostFacts {
  hostname: string;
  internalIP: string;
  cpuMillis: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  /** Signals for the pressure conditions. */
  memoryAvailableBytes: number;
  diskAvailableBytes: number;
  pidsInUse: number;
  pidMax: number;
}

export interface NodeConfig {
  nodeName: string;
  podCIDR: string;
  maxPods: number;
  hypervisor: HypervisorKind;
  systemReserved: { cpuMillis: number; memoryBytes: number };
  labels?: Record<string, string>;
  /** Where the agent's gRPC API listens, published as the daemon endpoint. */
  agentPort: number;
  /** Space for the local provisioner's volumes, reported as coxswain.io/local-storage (absent: none). */
  localStorageBytes?: number;
  /** Eviction-style thresholds for the pressure conditions. */
  thresholds?: { memoryAvailableBytes: number; diskAvailableFraction: number; pidsFreeFraction: number };
}

export const HYPERVISOR_LABEL = 'coxswain.io/hypervisor';

const DEFAULT_THRESHOLDS = { memoryAvailableBytes: 100 * 1024 * 1024, diskAvailableFraction: 0.1, pidsFreeFraction: 0.05 };

const MI = 1024 * 1024;
const cpu = (millis: number) => (millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`);
const mem = (bytes: number) => (bytes % MI === 0 ? `${bytes / MI}Mi` : String(bytes));

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export function nodeConditions(facts: HostFacts, config: NodeConfig): NodeCondition[] {
  const t = config.thresholds ?? DEFAULT_THRESHOLDS;
  const memoryPressure = facts.memoryAvailableBytes < t.memoryAvailableBytes;
  const diskPressure = facts.diskAvailableBytes < facts.ephemeralStorageBytes * t.diskAvailableFraction;
  const pidPressure = facts.pidMax - facts.pidsInUse < facts.pidMax * t.pidsFreeFraction;
  const cond = (type: string, on: boolean, onReason: string, offReason: string, onMsg: string, offMsg: string): NodeCondition =>
    ({ type, status: on ? 'True' : 'False', reason: on ? onReason : offReason, message: on ? onMsg : offMsg });
  return [
    cond('MemoryPressure', memoryPressure, 'KubeletHasInsufficientMemory', 'KubeletHasSufficientMemory', 'node has insufficient memory available', 'node has sufficient memory available'),
    cond('DiskPressure', diskPressure, 'KubeletHasDiskPressure', 'KubeletHasNoDiskPressure', 'node has disk pressure', 'node has no disk pressure'),
    cond('PIDPressure', pidPressure, 'KubeletHasInsufficientPID', 'KubeletHasSufficientPID', 'node has insufficient PID available', 'node has sufficient PID available'),
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'node agent is posting ready status' },
  ];
}

/** Labels, capacity, allocatable, addresses and info for the Node object. */
export function buildNode(facts: HostFacts, config: NodeConfig) {
  const allocCpu = Math.max(0, facts.cpuMillis - config.systemReserved.cpuMillis);
  const allocMem = Math.max(0, facts.memoryBytes - config.systemReserved.memoryBytes);
  const localStorage = config.localStorageBytes ? { [LOCAL_STORAGE_RESOURCE]: String(config.localStorageBytes) } : {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.nodeName,
      labels: {
        'kubernetes.io/hostname': config.nodeName,
        'kubernetes.io/arch': facts.architecture,
        'kubernetes.io/os': 'linux',
        [HYPERVISOR_LABEL]: config.hypervisor,
        ...config.labels,
      },
    },
    spec: { podCIDR: config.podCIDR, podCIDRs: [config.podCIDR] },
    status: {
      capacity: { cpu: cpu(facts.cpuMillis), memory: mem(facts.memoryBytes), pods: String(config.maxPods), 'ephemeral-storage': String(facts.ephemeralStorageBytes), ...localStorage },
      allocatable: { cpu: cpu(allocCpu), memory: mem(allocMem), pods: String(config.maxPods), 'ephemeral-storage': String(facts.ephemeralStorageBytes), ...localStorage },
      addresses: [{ type: 'InternalIP', address: facts.internalIP }, { type: 'Hostname', address: facts.hostname }],
      daemonEndpoints: { kubeletEndpoint: { Port: config.agentPort } },
      nodeInfo: {
        architecture: facts.architecture,
        operatingSystem: 'linux',
        kernelVersion: facts.kernelVersion,
        osImage: facts.osImage,
        containerRuntimeVersion: 'runc',
        kubeletVersion: 'v1.30.0-coxswain',
        kubeProxyVersion: '',
        machineID: '', systemUUID: '', bootID: '',
      },
      conditions: nodeConditions(facts, config),
    },
  };
}

/** Keeps lastTransitionTime when a condition's status did not change, stamps heartbeats. */
export function mergeConditions(previous: NodeCondition[] | undefined, next: NodeCondition[], now: string): NodeCondition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const unchanged = before && before.status === c.status && before.lastTransitionTime;
    return { ...c, lastHeartbeatTime: now, lastTransitionTime: unchanged ? before.lastTransitionTime : now };
  });
}

/** The kubelet's nodeStatusReportFrequency: an unchanged status is still written this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/**
 * Whether the status must be written: a condition differs (type, status, reason, message)
 * from what the Node shows, or the last write is `reportEveryMs` old. Like the kubelet, the
 * status is computed every 10 s and written only then; the Lease is the heartbeat.
 */
export function nodeStatusDue(current: NodeCondition[] | undefined, next: NodeCondition[], lastReportAt: number | undefined, now: number, reportEveryMs = NODE_STATUS_REPORT_MS): boolean {
  if (lastReportAt === undefined || now - lastReportAt >= reportEveryMs) return true;
  if ((current ?? []).length !== next.length) return true;
  return next.some((c) => {
    const before = current?.find((p) => p.type === c.type);
    return !before || before.status !== c.status || before.reason !== c.reason || before.message !== c.message;
  });
}
