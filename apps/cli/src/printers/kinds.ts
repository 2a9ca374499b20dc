// Columns of `coxctl get` per kind — the same as kubectl's (and KubeVirt's printer
// columns for the kubevirt.io kinds). NAME always comes first and is added by the table.
import { Obj } from '../types';
import { age } from './age';
import { podSummary } from './pod-status';
import { formatLabelSelector } from './selector';
import { endpointSlices, services } from './network';

export interface Column {
  header: string;
  /** Only with -o wide (server-side tables: priority > 0). */
  wide?: boolean;
}

export interface KindPrinter {
  columns: Column[];
  /** One cell per column, NAME excluded. */
  cells(obj: Obj, now: Date): string[];
  /** Events have no NAME column (it is a wide column at the end). */
  noName?: boolean;
}

const none = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));
const num = (v: unknown): string => String(typeof v === 'number' ? v : 0);
const conditionStatus = (obj: Obj, type: string): string | undefined => ((obj.status?.conditions ?? []) as Obj[]).find((c) => c.type === type)?.status;

function containerCells(podSpec: Obj | undefined): string[] {
  const containers = (podSpec?.containers ?? []) as Obj[];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

const pods: KindPrinter = {
  columns: [{ header: 'READY' }, { header: 'STATUS' }, { header: 'RESTARTS' }, { header: 'AGE' }, { header: 'IP', wide: true }, { header: 'NODE', wide: true }, { header: 'NOMINATED NODE', wide: true }, { header: 'READINESS GATES', wide: true }],
  cells(pod, now) {
    const s = podSummary(pod, now);
    const gates = (pod.spec?.readinessGates ?? []) as Obj[];
    const gatesText = gates.length ? `${gates.filter((g) => conditionStatus(pod, g.conditionType) === 'True').length}/${gates.length}` : '<none>';
    const ip = ((pod.status?.podIPs ?? []) as Obj[])[0]?.ip ?? pod.status?.podIP;
    return [s.ready, s.status, s.restarts, age(pod.metadata?.creationTimestamp, now), none(ip), none(pod.spec?.nodeName), none(pod.status?.nominatedNodeName), gatesText];
  },
};

const deployments: KindPrinter = {
  columns: [{ header: 'READY' }, { header: 'UP-TO-DATE' }, { header: 'AVAILABLE' }, { header: 'AGE' }, { header: 'CONTAINERS', wide: true }, { header: 'IMAGES', wide: true }, { header: 'SELECTOR', wide: true }],
  cells(d, now) {
    const st = d.status ?? {};
    return [`${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, num(st.updatedReplicas), num(st.availableReplicas), age(d.metadata?.creationTimestamp, now), ...containerCells(d.spec?.template?.spec), formatLabelSelector(d.spec?.selector)];
  },
};

const replicaSets: KindPrinter = {
  columns: [{ header: 'DESIRED' }, { header: 'CURRENT' }, { header: 'READY' }, { header: 'AGE' }, { header: 'CONTAINERS', wide: true }, { header: 'IMAGES', wide: true }, { header: 'SELECTOR', wide: true }],
  cells(rs, now) {
    const st = rs.status ?? {};
    return [num(rs.spec?.replicas), num(st.replicas), num(st.readyReplicas), age(rs.metadata?.creationTimestamp, now), ...containerCells(rs.spec?.template?.spec), formatLabelSelector(rs.spec?.selector)];
  },
};

function nodeStatus(node: Obj): string {
  const parts: string[] = [];
  const ready = ((node.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!parts.length) parts.push('Unknown');
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries((node.metadata?.labels ?? {}) as Record<string, string>)) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (node: Obj, type: string) => ((node.status?.addresses ?? []) as Obj[]).find((a) => a.type === type)?.address;
const unknown = (v: unknown): string => (v ? String(v) : '<unknown>');

const nodes: KindPrinter = {
  columns: [{ header: 'STATUS' }, { header: 'ROLES' }, { header: 'AGE' }, { header: 'VERSION' }, { header: 'INTERNAL-IP', wide: true }, { header: 'EXTERNAL-IP', wide: true }, { header: 'OS-IMAGE', wide: true }, { header: 'KERNEL-VERSION', wide: true }, { header: 'CONTAINER-RUNTIME', wide: true }],
  cells(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [nodeStatus(node), nodeRoles(node), age(node.metadata?.creationTimestamp, now), info.kubeletVersion ?? '', none(nodeAddress(node, 'InternalIP')), none(nodeAddress(node, 'ExternalIP')), unknown(info.osImage), unknown(info.kernelVersion), unknown(info.containerRuntimeVersion)];
  },
};

const namespaces: KindPrinter = {
  columns: [{ header: 'STATUS' }, { header: 'AGE' }],
  cells: (ns, now) => [ns.status?.phase ?? '', age(ns.metadata?.creationTimestamp, now)],
};

/** LAST SEEN / FIRST SEEN / COUNT of an Event, the way kubectl reads the old and new fields. */
export function eventTimes(e: Obj, now: Date): { first: string; last: string; count: number; lastTime?: string } {
  const firstTime: string | undefined = e.firstTimestamp || e.eventTime;
  let lastTime: string | undefined = e.lastTimestamp || firstTime;
  let count: number = e.count || 1;
  if (e.series) {
    lastTime = e.series.lastObservedTime;
    count = e.series.count;
  }
  return { first: age(firstTime, now), last: age(lastTime, now), count, lastTime };
}

export function eventSource(e: Obj): string {
  const component = e.source?.component || e.reportingComponent || e.reportingController || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

const events: KindPrinter = {
  noName: true,
  columns: [{ header: 'LAST SEEN' }, { header: 'TYPE' }, { header: 'REASON' }, { header: 'OBJECT' }, { header: 'SUBOBJECT', wide: true }, { header: 'SOURCE', wide: true }, { header: 'MESSAGE' }, { header: 'FIRST SEEN', wide: true }, { header: 'COUNT', wide: true }, { header: 'NAME', wide: true }],
  cells(e, now) {
    const t = eventTimes(e, now);
    const io = e.involvedObject ?? e.regarding ?? {};
    const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
    return [t.last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', eventSource(e), e.message ?? e.note ?? '', t.first, String(t.count), e.metadata?.name ?? ''];
  },
};

/** TARGETS in the Kubernetes 1.30 format (the version Coxswain's API server reports; 1.31 prefixes `cpu: `). */
function hpaTargets(hpa: Obj): string {
  const specs = (hpa.spec?.metrics ?? []) as Obj[];
  if (!specs.length) return '<none>';
  const current = (hpa.status?.currentMetrics ?? []) as Obj[];
  const shown = specs.slice(0, 3).map((m) => {
    if (m.type === 'Resource' && m.resource) {
      const target = m.resource.target ?? {};
      const cur = current.find((c) => c.type === 'Resource' && c.resource?.name === m.resource.name)?.resource?.current;
      if (target.averageUtilization !== undefined) {
        const now = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
        return `${now}/${target.averageUtilization}%`;
      }
      const value = target.averageValue ?? target.value;
      return value === undefined ? `${cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/<auto>` : `${cur?.averageValue ?? cur?.value ?? '<unknown>'}/${value}`;
    }
    return `<unknown>/<unknown>`;
  });
  const more = specs.length > 3 ? ` + ${specs.length - 3} more...` : '';
  return shown.join(', ') + more;
}

const hpas: KindPrinter = {
  columns: [{ header: 'REFERENCE' }, { header: 'TARGETS' }, { header: 'MINPODS' }, { header: 'MAXPODS' }, { header: 'REPLICAS' }, { header: 'AGE' }],
  cells(hpa, now) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    return [`${ref.kind}/${ref.name}`, hpaTargets(hpa), hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas), num(hpa.spec?.maxReplicas), num(hpa.status?.currentReplicas), age(hpa.metadata?.creationTimestamp, now)];
  },
};

const leases: KindPrinter = {
  columns: [{ header: 'HOLDER' }, { header: 'AGE' }],
  cells: (l, now) => [l.spec?.holderIdentity ?? '', age(l.metadata?.creationTimestamp, now)],
};

// KubeVirt's additionalPrinterColumns; a path that finds nothing prints as an empty cell,
// as kubectl shows the null cells of a CRD column.
const blank = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const virtualMachines: KindPrinter = {
  columns: [{ header: 'AGE' }, { header: 'STATUS' }, { header: 'READY' }],
  cells: (vm, now) => [age(vm.metadata?.creationTimestamp, now), blank(vm.status?.printableStatus), blank(conditionStatus(vm, 'Ready'))],
};

const virtualMachineInstances: KindPrinter = {
  columns: [{ header: 'AGE' }, { header: 'PHASE' }, { header: 'IP' }, { header: 'NODENAME' }, { header: 'READY' }, { header: 'LIVE-MIGRATABLE', wide: true }, { header: 'PAUSED', wide: true }],
  cells: (vmi, now) => [
    age(vmi.metadata?.creationTimestamp, now),
    blank(vmi.status?.phase),
    blank(((vmi.status?.interfaces ?? []) as Obj[])[0]?.ipAddress),
    blank(vmi.status?.nodeName),
    blank(conditionStatus(vmi, 'Ready')),
    blank(conditionStatus(vmi, 'LiveMigratable')),
    blank(conditionStatus(vmi, 'Paused')),
  ],
};

const vmiReplicaSets: KindPrinter = {
  columns: [{ header: 'DESIRED' }, { header: 'CURRENT' }, { header: 'READY' }, { header: 'AGE' }],
  cells: (rs, now) => [blank(rs.spec?.replicas), blank(rs.status?.replicas), blank(rs.status?.readyReplicas), age(rs.metadata?.creationTimestamp, now)],
};

/** For kinds without their own columns: NAME and AGE, like kubectl's default table. */
export const DEFAULT_PRINTER: KindPrinter = {
  columns: [{ header: 'AGE' }],
  cells: (obj, now) => [age(obj.metadata?.creationTimestamp, now)],
};

const PRINTERS: Record<string, KindPrinter> = {
  '/Pod': pods,
  '/Node': nodes,
  '/Namespace': namespaces,
  '/Event': events,
  'apps/Deployment': deployments,
  'apps/ReplicaSet': replicaSets,
  'autoscaling/HorizontalPodAutoscaler': hpas,
  'coordination.k8s.io/Lease': leases,
  'kubevirt.io/VirtualMachine': virtualMachines,
  'kubevirt.io/VirtualMachineInstance': virtualMachineInstances,
  'kubevirt.io/VirtualMachineInstanceReplicaSet': vmiReplicaSets,
  '/Service': services,
  'discovery.k8s.io/EndpointSlice': endpointSlices,
};

export function printerFor(group: string, kind: string): KindPrinter | undefined {
  return PRINTERS[`${group}/${kind}`];
}
