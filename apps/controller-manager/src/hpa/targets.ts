// Pods and VMIs as the autoscaler sees them. A VMI is one "container" named `compute`
// whose requests are domain.resources.requests (memory falls back to memory.guest).
import { cpuMillis, findCondition, memoryBytes, Pod, VirtualMachineInstance } from '@coxswain/api';
import { parseTime } from '../framework/time';
import { vmiView } from '../framework/workloads';
import { MetricPod } from './replica-calculator';

const milliBytes = (q: string | undefined) => (q === undefined ? undefined : memoryBytes(q) * 1000);
const millicores = (q: string | undefined) => (q === undefined ? undefined : cpuMillis(q));

export function podMetricPod(pod: Pod): MetricPod {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  return {
    name: pod.metadata.name!,
    phase: pod.status?.phase ?? 'Pending',
    deleting: Boolean(pod.metadata.deletionTimestamp),
    ready: ready ? { status: ready.status, lastTransitionTime: parseTime(ready.lastTransitionTime) } : undefined,
    startTime: parseTime(pod.status?.startTime),
    requests: (pod.spec?.containers ?? []).map((c) => ({ container: c.name, cpu: millicores(c.resources?.requests?.cpu), memory: milliBytes(c.resources?.requests?.memory) })),
  };
}

export function vmiMetricPod(vmi: VirtualMachineInstance): MetricPod {
  const view = vmiView(vmi);
  const ready = findCondition(vmi.status?.conditions, 'Ready');
  const running = vmi.status?.phaseTransitionTimestamps?.filter((t) => t.phase === 'Running').pop();
  const requests = vmi.spec?.domain?.resources?.requests ?? {};
  return {
    name: vmi.metadata.name!,
    phase: view.phase,
    deleting: view.deleting,
    ready: ready ? { status: ready.status, lastTransitionTime: parseTime(ready.lastTransitionTime) } : view.ready ? { status: 'True', lastTransitionTime: view.readySince } : undefined,
    startTime: parseTime(running?.phaseTransitionTimestamp) ?? (view.phase === 'Running' ? view.created : undefined),
    requests: [{ container: 'compute', cpu: millicores(requests.cpu), memory: milliBytes(requests.memory ?? vmi.spec?.domain?.memory?.guest) }],
  };
}
