// Pure functions from API objects to metric samples, with kube-state-metrics' (and KubeVirt's)
// names and labels so existing dashboards and alert rules work unchanged.
import { controllerOf, Deployment, HorizontalPodAutoscaler, Node, Pod, ReplicaSet, VirtualMachineInstance } from '@coxswain/api';

export type Labels = Record<string, string>;
export interface Sample {
  labels: Labels;
  value: number;
}
export interface FamilySpec<T> {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
  samples(objects: readonly T[]): Sample[];
}

const POD_PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'] as const;
const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;

const podLabels = (p: Pod): Labels => ({ namespace: p.metadata?.namespace ?? '', pod: p.metadata?.name ?? '', uid: p.metadata?.uid ?? '' });
const each = <T>(objects: readonly T[], f: (o: T) => Sample[]): Sample[] => objects.flatMap(f);

export const POD_FAMILIES: FamilySpec<Pod>[] = [
  {
    name: 'kube_pod_info',
    help: 'Information about pod.',
    type: 'gauge',
    labelNames: ['namespace', 'pod', 'uid', 'host_ip', 'pod_ip', 'node', 'created_by_kind', 'created_by_name', 'priority_class', 'host_network'],
    samples: (pods) =>
      pods.map((p) => {
        const owner = controllerOf(p);
        return {
          labels: {
            ...podLabels(p),
            host_ip: p.status?.hostIP ?? '',
            pod_ip: p.status?.podIP ?? '',
            node: p.spec?.nodeName ?? '',
            created_by_kind: owner?.kind ?? '<none>',
            created_by_name: owner?.name ?? '<none>',
            priority_class: p.spec?.priorityClassName ?? '',
            host_network: String(Boolean(p.spec?.hostNetwork)),
          },
          value: 1,
        };
      }),
  },
  {
    name: 'kube_pod_status_phase',
    help: 'The pods current phase.',
    type: 'gauge',
    labelNames: ['namespace', 'pod', 'uid', 'phase'],
    // Like kube-state-metrics: a pod without a phase yet has no series.
    samples: (pods) => each(pods, (p) => (p.status?.phase ? POD_PHASES.map((phase) => ({ labels: { ...podLabels(p), phase }, value: p.status?.phase === phase ? 1 : 0 })) : [])),
  },
  {
    name: 'kube_pod_container_status_restarts_total',
    help: 'The number of container restarts per container.',
    type: 'counter',
    labelNames: ['namespace', 'pod', 'uid', 'container'],
    samples: (pods) => each(pods, (p) => (p.status?.containerStatuses ?? []).map((c) => ({ labels: { ...podLabels(p), container: c.name }, value: c.restartCount ?? 0 }))),
  },
  {
    name: 'kube_pod_container_status_waiting_reason',
    help: 'Describes the reason the container is currently in waiting state.',
    type: 'gauge',
    labelNames: ['namespace', 'pod', 'uid', 'container', 'reason'],
    samples: (pods) =>
      each(pods, (p) =>
        (p.status?.containerStatuses ?? []).flatMap((c) => (c.state?.waiting ? [{ labels: { ...podLabels(p), container: c.name, reason: c.state.waiting.reason ?? '' }, value: 1 }] : [])),
      ),
  },
];

const deploymentLabels = (d: Deployment): Labels => ({ namespace: d.metadata?.namespace ?? '', deployment: d.metadata?.name ?? '' });
export const DEPLOYMENT_FAMILIES: FamilySpec<Deployment>[] = [
  {
    name: 'kube_deployment_spec_replicas',
    help: 'Number of desired pods for a deployment.',
    type: 'gauge',
    labelNames: ['namespace', 'deployment'],
    samples: (ds) => ds.map((d) => ({ labels: deploymentLabels(d), value: d.spec?.replicas ?? 1 })),
  },
  {
    name: 'kube_deployment_status_replicas_available',
    help: 'The number of available replicas per deployment.',
    type: 'gauge',
    labelNames: ['namespace', 'deployment'],
    samples: (ds) => ds.map((d) => ({ labels: deploymentLabels(d), value: d.status?.availableReplicas ?? 0 })),
  },
];

export const REPLICASET_FAMILIES: FamilySpec<ReplicaSet>[] = [
  {
    name: 'kube_replicaset_spec_replicas',
    help: 'Number of desired pods for a ReplicaSet.',
    type: 'gauge',
    labelNames: ['namespace', 'replicaset'],
    samples: (rs) => rs.map((r) => ({ labels: { namespace: r.metadata?.namespace ?? '', replicaset: r.metadata?.name ?? '' }, value: r.spec?.replicas ?? 1 })),
  },
];

export const NODE_FAMILIES: FamilySpec<Node>[] = [
  {
    name: 'kube_node_info',
    help: 'Information about a cluster node.',
    type: 'gauge',
    labelNames: ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'kubeproxy_version', 'provider_id', 'pod_cidr', 'system_uuid', 'internal_ip'],
    samples: (nodes) =>
      nodes.map((n) => {
        const info = n.status?.nodeInfo ?? {};
        return {
          labels: {
            node: n.metadata?.name ?? '',
            kernel_version: info.kernelVersion ?? '',
            os_image: info.osImage ?? '',
            container_runtime_version: info.containerRuntimeVersion ?? '',
            kubelet_version: info.kubeletVersion ?? '',
            kubeproxy_version: info.kubeProxyVersion ?? '',
            provider_id: n.spec?.providerID ?? '',
            pod_cidr: n.spec?.podCIDR ?? '',
            system_uuid: info.systemUUID ?? '',
            internal_ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
          },
          value: 1,
        };
      }),
  },
  {
    name: 'kube_node_status_condition',
    help: 'The condition of a cluster node.',
    type: 'gauge',
    labelNames: ['node', 'condition', 'status'],
    samples: (nodes) =>
      each(nodes, (n) =>
        (n.status?.conditions ?? []).flatMap((c) =>
          CONDITION_STATUSES.map((status) => ({ labels: { node: n.metadata?.name ?? '', condition: c.type, status }, value: String(c.status).toLowerCase() === status ? 1 : 0 })),
        ),
      ),
  },
];

const hpaLabels = (h: HorizontalPodAutoscaler): Labels => ({ namespace: h.metadata?.namespace ?? '', horizontalpodautoscaler: h.metadata?.name ?? '' });
export const HPA_FAMILIES: FamilySpec<HorizontalPodAutoscaler>[] = [
  {
    name: 'kube_horizontalpodautoscaler_status_current_replicas',
    help: 'Current number of replicas of pods managed by this autoscaler.',
    type: 'gauge',
    labelNames: ['namespace', 'horizontalpodautoscaler'],
    samples: (hs) => hs.map((h) => ({ labels: hpaLabels(h), value: h.status?.currentReplicas ?? 0 })),
  },
  {
    name: 'kube_horizontalpodautoscaler_status_desired_replicas',
    help: 'Desired number of replicas of pods managed by this autoscaler.',
    type: 'gauge',
    labelNames: ['namespace', 'horizontalpodautoscaler'],
    samples: (hs) => hs.map((h) => ({ labels: hpaLabels(h), value: h.status?.desiredReplicas ?? 0 })),
  },
];

// KubeVirt reads these from the VMI's annotations/labels (set from the VM's template).
const NONE = '<none>';
function vmiTraits(v: VirtualMachineInstance): Labels {
  const a = v.metadata?.annotations ?? {};
  const l = v.metadata?.labels ?? {};
  return {
    node: v.status?.nodeName ?? '',
    phase: (v.status?.phase ?? '').toLowerCase(),
    os: a['vm.kubevirt.io/os'] ?? NONE,
    workload: a['vm.kubevirt.io/workload'] ?? NONE,
    flavor: a['vm.kubevirt.io/flavor'] ?? NONE,
    instance_type: a['kubevirt.io/instancetype-name'] ?? l['kubevirt.io/instancetype'] ?? NONE,
    preference: a['kubevirt.io/preference-name'] ?? l['kubevirt.io/preference'] ?? NONE,
  };
}
const VMI_TRAITS = ['node', 'phase', 'os', 'workload', 'flavor', 'instance_type', 'preference'] as const;

export const VMI_FAMILIES: FamilySpec<VirtualMachineInstance>[] = [
  {
    name: 'kubevirt_vmi_phase_count',
    help: 'Sum of VMIs per phase and node. `phase` can be one of the following: [`Pending`, `Scheduling`, `Scheduled`, `Running`, `Succeeded`, `Failed`, `Unknown`].',
    type: 'gauge',
    labelNames: VMI_TRAITS,
    samples: (vmis) => {
      const counts = new Map<string, Sample>();
      for (const v of vmis) {
        const labels = vmiTraits(v);
        const key = JSON.stringify(labels);
        const sample = counts.get(key) ?? { labels, value: 0 };
        sample.value += 1;
        counts.set(key, sample);
      }
      return [...counts.values()];
    },
  },
  {
    name: 'kubevirt_vmi_info',
    help: 'Information about VirtualMachineInstances.',
    type: 'gauge',
    labelNames: ['namespace', 'name', ...VMI_TRAITS],
    samples: (vmis) => vmis.map((v) => ({ labels: { namespace: v.metadata?.namespace ?? '', name: v.metadata?.name ?? '', ...vmiTraits(v) }, value: 1 })),
  },
];
