// describe deployment / replicaset / node / namespace, and the generic describer every other
// kind (VMs, VMIs, HPAs, leases…) gets, like kubectl's for custom resources.
import { cpuMillis, formatBytes, formatCpuMillis, memoryBytes } from '@coxswain/api';
import { Obj } from '../types';
import { age } from '../printers/age';
import { formatLabelSelector } from '../printers/selector';
import { writeContainers, writeTolerations, writeVolumes } from './pod';
import { describeTime, DescribeWriter, writeAnnotations, writeEvents, writeMap, writeUnstructured } from './writer';

function header(w: DescribeWriter, obj: Obj, withCreation = true): void {
  w.write(0, `Name:\t${obj.metadata?.name}\n`);
  if (obj.metadata?.namespace) w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  if (withCreation) w.write(0, `CreationTimestamp:\t${describeTime(obj.metadata?.creationTimestamp)}\n`);
}

export function writePodTemplate(w: DescribeWriter, template: Obj | undefined): void {
  w.write(0, 'Pod Template:\n');
  writeMap(w, 1, 'Labels', template?.metadata?.labels);
  if (template?.metadata?.annotations && Object.keys(template.metadata.annotations).length) writeAnnotations(w, 1, template.metadata.annotations);
  const spec = template?.spec ?? {};
  writeContainers(w, 1, 'Init Containers', spec.initContainers ?? [], undefined, true);
  writeContainers(w, 1, 'Containers', spec.containers ?? [], undefined, true);
  writeVolumes(w, 1, spec.volumes);
  writeMap(w, 1, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 1, spec.tolerations);
}

function writeConditionTable(w: DescribeWriter, conditions: Obj[] | undefined): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

const rsSummary = (rs: Obj) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;

/** describe deployment; `replicaSets` are the ones it owns (new = matching template hash, newest revision). */
export function describeDeployment(d: Obj, replicaSets: Obj[], events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  header(w, d);
  writeMap(w, 0, 'Labels', d.metadata?.labels);
  writeAnnotations(w, 0, d.metadata?.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec?.selector)}\n`);
  const st = d.status ?? {};
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  const strategy = d.spec?.strategy ?? {};
  w.write(0, `StrategyType:\t${strategy.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge\n`);
  }
  if (d.spec?.paused) w.write(0, 'Paused:\ttrue\n');
  writePodTemplate(w, d.spec?.template);
  writeConditionTable(w, st.conditions);
  const revision = (rs: Obj) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const sorted = [...replicaSets].sort((a, b) => revision(b) - revision(a));
  const newest = sorted[0];
  const old = sorted.slice(1).filter((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
  w.write(0, `OldReplicaSets:\t${old.length ? old.map(rsSummary).join(', ') : '<none>'}\n`);
  w.write(0, `NewReplicaSet:\t${newest ? rsSummary(newest) : '<none>'}\n`);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeReplicaSet(rs: Obj, pods: Obj[], events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  header(w, rs, false);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  writeMap(w, 0, 'Labels', rs.metadata?.labels);
  writeAnnotations(w, 0, rs.metadata?.annotations);
  const owner = ((rs.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  const phase = (p: string) => pods.filter((pod) => pod.status?.phase === p).length;
  w.write(0, `Pods Status:\t${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed\n`);
  writePodTemplate(w, rs.spec?.template);
  writeConditionTable(w, rs.status?.conditions);
  writeEvents(w, events, now);
  return w.toString();
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.trunc((part * 100) / whole) : 0);

/** describe node; `pods` are the non-terminated pods bound to it, `lease` its heartbeat Lease. */
export function describeNode(node: Obj, pods: Obj[], events: Obj[] | undefined, now: Date, lease?: Obj): string {
  const w = new DescribeWriter();
  const meta = node.metadata ?? {};
  const st = node.status ?? {};
  w.write(0, `Name:\t${meta.name}\n`);
  const roles = Object.keys(meta.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24));
  w.write(0, `Roles:\t${roles.length ? roles.sort().join(',') : '<none>'}\n`);
  writeMap(w, 0, 'Labels', meta.labels);
  writeAnnotations(w, 0, meta.annotations);
  w.write(0, `CreationTimestamp:\t${describeTime(meta.creationTimestamp)}\n`);
  const taints = (node.spec?.taints ?? []) as Obj[];
  if (!taints.length) w.write(0, 'Taints:\t<none>\n');
  taints.forEach((t, i) => w.write(0, `${i === 0 ? 'Taints:' : ''}\t${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable ? 'true' : 'false'}\n`);
  if (lease) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${describeTime(lease.spec?.acquireTime)}\n`);
    w.write(1, `RenewTime:\t${describeTime(lease.spec?.renewTime)}\n`);
  }
  const conditions = (st.conditions ?? []) as Obj[];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \t${describeTime(c.lastHeartbeatTime)} \t${describeTime(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  const addresses = (st.addresses ?? []) as Obj[];
  w.write(0, 'Addresses:\n');
  for (const a of addresses) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    if (!list) continue;
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) w.write(1, `${k}:\t${list[k]}\n`);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of [
    ['Machine ID', 'machineID'],
    ['System UUID', 'systemUUID'],
    ['Boot ID', 'bootID'],
    ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'],
    ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'],
    ['Kube-Proxy Version', 'kubeProxyVersion'],
  ]) w.write(1, `${label}:\t${info[key] ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  const alloc = st.allocatable ?? st.capacity ?? {};
  const cpuAlloc = cpuMillis(alloc.cpu);
  const memAlloc = memoryBytes(alloc.memory);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  let totals = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  let storage = { req: 0, lim: 0 };
  const storageAlloc = memoryBytes(alloc['ephemeral-storage']);
  if (pods.length) {
    // The empty column after Name is kubectl's (a double tab in its format string).
    w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
    w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
    for (const pod of pods) {
      const sum = (kind: 'requests' | 'limits', res: 'cpu' | 'memory') => ((pod.spec?.containers ?? []) as Obj[]).reduce((n, c) => n + (res === 'cpu' ? cpuMillis(c.resources?.[kind]?.cpu) : memoryBytes(c.resources?.[kind]?.memory)), 0);
      const r = { cpuReq: sum('requests', 'cpu'), cpuLim: sum('limits', 'cpu'), memReq: sum('requests', 'memory'), memLim: sum('limits', 'memory') };
      totals = { cpuReq: totals.cpuReq + r.cpuReq, cpuLim: totals.cpuLim + r.cpuLim, memReq: totals.memReq + r.memReq, memLim: totals.memLim + r.memLim };
      for (const c of (pod.spec?.containers ?? []) as Obj[]) {
        storage = { req: storage.req + memoryBytes(c.resources?.requests?.['ephemeral-storage']), lim: storage.lim + memoryBytes(c.resources?.limits?.['ephemeral-storage']) };
      }
      w.write(
        1,
        `${pod.metadata?.namespace}\t${pod.metadata?.name}\t\t${formatCpuMillis(r.cpuReq)} (${pct(r.cpuReq, cpuAlloc)}%)\t${formatCpuMillis(r.cpuLim)} (${pct(r.cpuLim, cpuAlloc)}%)\t${formatBytes(r.memReq)} (${pct(r.memReq, memAlloc)}%)\t${formatBytes(r.memLim)} (${pct(r.memLim, memAlloc)}%)\t${age(pod.metadata?.creationTimestamp, now)}\n`,
      );
    }
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${formatCpuMillis(totals.cpuReq)} (${pct(totals.cpuReq, cpuAlloc)}%)\t${formatCpuMillis(totals.cpuLim)} (${pct(totals.cpuLim, cpuAlloc)}%)\n`);
  w.write(1, `memory\t${formatBytes(totals.memReq)} (${pct(totals.memReq, memAlloc)}%)\t${formatBytes(totals.memLim)} (${pct(totals.memLim, memAlloc)}%)\n`);
  w.write(1, `ephemeral-storage\t${formatBytes(storage.req)} (${pct(storage.req, storageAlloc)}%)\t${formatBytes(storage.lim)} (${pct(storage.lim, storageAlloc)}%)\n`);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeNamespace(ns: Obj): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ns.metadata?.name}\n`);
  writeMap(w, 0, 'Labels', ns.metadata?.labels);
  writeAnnotations(w, 0, ns.metadata?.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  // Coxswain serves no ResourceQuota or LimitRange, so (like kubectl here) there is no section for them.
  return w.toString();
}

/** kubectl's describer for kinds without their own: metadata header, then every field. */
export function describeGeneric(obj: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata?.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  writeMap(w, 0, 'Labels', obj.metadata?.labels);
  writeAnnotations(w, 0, obj.metadata?.annotations);
  writeUnstructured(w, 0, obj, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  writeEvents(w, events, now);
  return w.toString();
}
