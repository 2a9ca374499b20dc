// Node, Namespace, Event, Lease and HorizontalPodAutoscaler rows, as kube-apiserver's printers.
import { Quantity } from '../quantity/quantity';
import type { HorizontalPodAutoscaler } from '../types/autoscaling';
import type { Event, Lease, Namespace, Node } from '../types/cluster';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Roles from `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  return [...roles].sort();
}

const address = (node: Node, type: string): string => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

export const nodePrinter: Printer<Node> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  row(node, nowMs) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
    if (node.spec?.unschedulable) status.push('SchedulingDisabled');
    const info = node.status?.nodeInfo ?? {};
    return {
      cells: [
        node.metadata?.name ?? '',
        status.join(','),
        nodeRoles(node.metadata?.labels).join(',') || '<none>',
        timestampSince(node.metadata?.creationTimestamp, nowMs),
        info.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};

export const namespacePrinter: Printer<Namespace> = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  row: (ns, nowMs) => ({ cells: [ns.metadata?.name ?? '', ns.status?.phase ?? '', timestampSince(ns.metadata?.creationTimestamp, nowMs)] }),
};

interface EventSeries {
  count?: number;
  lastObservedTime?: string;
}

export const eventPrinter: Printer<Event> = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row(ev, nowMs) {
    const first = ev.firstTimestamp ? timestampSince(ev.firstTimestamp, nowMs) : timestampSince(ev.eventTime, nowMs);
    let last = ev.lastTimestamp ? timestampSince(ev.lastTimestamp, nowMs) : first;
    let count = ev.count ?? 0;
    const series = ev.series as EventSeries | undefined;
    if (series) {
      last = timestampSince(series.lastObservedTime, nowMs);
      count = series.count ?? 0;
    } else if (count === 0) {
      count = 1; // singleton events of the events.k8s.io API carry no count
    }
    const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    const component = ev.source?.component || ev.reportingComponent || '';
    const instance = ev.source?.host || ev.reportingInstance || '';
    return {
      cells: [
        last,
        ev.type ?? '',
        ev.reason ?? '',
        target,
        ev.involvedObject?.fieldPath ?? '',
        instance ? `${component}, ${instance}` : component,
        (ev.message ?? '').trim(),
        first,
        count,
        ev.metadata?.name ?? '',
      ],
    };
  },
};

export const leasePrinter: Printer<Lease> = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
  row: (lease, nowMs) => ({ cells: [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', timestampSince(lease.metadata?.creationTimestamp, nowMs)] }),
};

/** Canonical quantity text, as Go's Quantity.String() prints it. */
const quantity = (value: unknown): string => {
  const text = String(value);
  return Quantity.tryParse(text)?.toString() ?? text;
};

interface MetricValues {
  averageUtilization?: number;
  averageValue?: string;
  value?: string;
}

interface AnyMetric {
  type: string;
  resource?: { name?: string; target?: MetricValues & { type?: string }; current?: MetricValues };
  containerResource?: { name?: string; target?: MetricValues & { type?: string }; current?: MetricValues };
  pods?: { target?: MetricValues; current?: MetricValues };
  object?: { target?: MetricValues & { type?: string }; current?: MetricValues };
  external?: { target?: MetricValues & { type?: string }; current?: MetricValues };
}

function resourceTarget(spec: AnyMetric['resource'], current: MetricValues | undefined): string {
  if (spec?.target?.averageValue !== undefined) {
    return `${current?.averageValue !== undefined ? quantity(current.averageValue) : '<unknown>'}/${quantity(spec.target.averageValue)}`;
  }
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
  const target = spec?.target?.averageUtilization !== undefined ? `${spec.target.averageUtilization}%` : '<auto>';
  return `${now}/${target}`;
}

function valueTarget(target: (MetricValues & { type?: string }) | undefined, current: MetricValues | undefined): string {
  if (target?.averageValue !== undefined) {
    return `${current?.averageValue !== undefined ? quantity(current.averageValue) : '<unknown>'}/${quantity(target.averageValue)} (avg)`;
  }
  return `${current?.value !== undefined ? quantity(current.value) : '<unknown>'}/${target?.value !== undefined ? quantity(target.value) : '<unknown>'}`;
}

/** formatHPAMetrics: `current/target` per metric, at most two, then "+ N more...". */
export function hpaTargets(specs: AnyMetric[] | undefined, statuses: AnyMetric[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((spec, i) => {
    const status = statuses?.[i];
    switch (spec.type) {
      case 'Resource':
        return resourceTarget(spec.resource, status?.resource?.current);
      case 'ContainerResource':
        return resourceTarget(spec.containerResource, status?.containerResource?.current);
      case 'Pods':
        return `${status?.pods?.current?.averageValue !== undefined ? quantity(status.pods.current.averageValue) : '<unknown>'}/${quantity(spec.pods?.target?.averageValue ?? '<unknown>')}`;
      case 'Object':
        return valueTarget(spec.object?.target, status?.object?.current);
      case 'External':
        return valueTarget(spec.external?.target, status?.external?.current);
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

export const hpaPrinter: Printer<HorizontalPodAutoscaler> = {
  columns: [
    NAME_COLUMN,
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    AGE_COLUMN,
  ],
  row(hpa, nowMs) {
    const ref = hpa.spec?.scaleTargetRef;
    return {
      cells: [
        hpa.metadata?.name ?? '',
        `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
        hpaTargets(hpa.spec?.metrics as AnyMetric[] | undefined, hpa.status?.currentMetrics as AnyMetric[] | undefined),
        hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
        hpa.spec?.maxReplicas ?? 0,
        hpa.status?.currentReplicas ?? 0,
        timestampSince(hpa.metadata?.creationTimestamp, nowMs),
      ],
    };
  },
};
