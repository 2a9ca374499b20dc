// describe job / cronjob / daemonset / statefulset / poddisruptionbudget, in the order and
// words of kubectl's describers (checked against /usr/bin/kubectl in kubectl-parity);
// DaemonSets and StatefulSets count the pods they own by phase.
import { Obj } from '../types';
import { humanDuration } from '../printers/age';
import { formatLabelSelector } from '../printers/selector';
import { describeTime, DescribeWriter, writeAnnotations, writeEvents, writeMap } from './writer';
import { writePodTemplate } from './workloads';

function meta(w: DescribeWriter, o: Obj, withCreation: boolean): void {
  w.write(0, `Name:\t${o.metadata?.name}\n`);
  if (o.metadata?.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  if (withCreation) w.write(0, `CreationTimestamp:\t${describeTime(o.metadata?.creationTimestamp)}\n`);
}

const selectorOf = (o: Obj) => (o.spec?.selector ? formatLabelSelector(o.spec.selector) || '<none>' : '<unset>');
const controlledBy = (w: DescribeWriter, o: Obj) => {
  const owner = ((o.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
};

/** `2 Running / 0 Waiting / 0 Succeeded / 0 Failed` over the selected pods. */
export function podsStatus(pods: Obj[]): string {
  const phase = (p: string) => pods.filter((pod) => (pod.status?.phase ?? 'Pending') === p).length;
  return `${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed`;
}

const set = (v: unknown) => v !== undefined && v !== null;

export function describeJob(job: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  meta(w, job, false);
  w.write(0, `Selector:\t${selectorOf(job)}\n`);
  writeMap(w, 0, 'Labels', job.metadata?.labels);
  writeAnnotations(w, 0, job.metadata?.annotations);
  controlledBy(w, job);
  const spec = job.spec ?? {};
  const s = job.status ?? {};
  if (set(spec.parallelism)) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${set(spec.completions) ? spec.completions : '<unset>'}\n`);
  if (set(spec.completionMode)) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (set(spec.suspend)) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (set(spec.backoffLimit)) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (set(spec.ttlSecondsAfterFinished)) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(0, `Start Time:\t${describeTime(s.startTime)}\n`);
  if (s.completionTime) w.write(0, `Completed At:\t${describeTime(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(s.completionTime) - Date.parse(s.startTime))}\n`);
  if (set(spec.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = set(s.ready) ? ` (${s.ready} Ready)` : '';
  w.write(0, `Pods Statuses:\t${s.active ?? 0} Active${ready} / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${s.completedIndexes || '<none>'}\n`);
  writePodTemplate(w, spec.template);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeCronJob(cj: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  meta(w, cj, false);
  writeMap(w, 0, 'Labels', cj.metadata?.labels);
  writeAnnotations(w, 0, cj.metadata?.annotations);
  const spec = cj.spec ?? {};
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  if (spec.timeZone) w.write(0, `Time Zone:\t${spec.timeZone}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${set(spec.suspend) ? (spec.suspend ? 'True' : 'False') : '<unset>'}\n`);
  w.write(0, `Successful Job History Limit:\t${set(spec.successfulJobsHistoryLimit) ? spec.successfulJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Failed Job History Limit:\t${set(spec.failedJobsHistoryLimit) ? spec.failedJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Starting Deadline Seconds:\t${set(spec.startingDeadlineSeconds) ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`);
  const jobSpec = spec.jobTemplate?.spec ?? {};
  w.write(0, `Selector:\t${jobSpec.selector ? formatLabelSelector(jobSpec.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${set(jobSpec.parallelism) ? jobSpec.parallelism : '<unset>'}\n`);
  w.write(0, `Completions:\t${set(jobSpec.completions) ? jobSpec.completions : '<unset>'}\n`);
  if (set(jobSpec.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${jobSpec.activeDeadlineSeconds}s\n`);
  writePodTemplate(w, jobSpec.template);
  w.write(0, `Last Schedule Time:\t${describeTime(cj.status?.lastScheduleTime)}\n`);
  w.write(0, `Active Jobs:\t${((cj.status?.active ?? []) as Obj[]).map((r) => r.name).join(', ') || '<none>'}\n`);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeDaemonSet(ds: Obj, pods: Obj[], events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ds.metadata?.name}\n`);
  w.write(0, `Selector:\t${selectorOf(ds)}\n`);
  const nodeSelector = Object.entries(ds.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  w.write(0, `Node-Selector:\t${nodeSelector || '<none>'}\n`);
  writeMap(w, 0, 'Labels', ds.metadata?.labels);
  writeAnnotations(w, 0, ds.metadata?.annotations);
  const s = ds.status ?? {};
  w.write(0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  writePodTemplate(w, ds.spec?.template);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeStatefulSet(sts: Obj, pods: Obj[], events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  meta(w, sts, true);
  w.write(0, `Selector:\t${selectorOf(sts)}\n`);
  writeMap(w, 0, 'Labels', sts.metadata?.labels);
  writeAnnotations(w, 0, sts.metadata?.annotations);
  w.write(0, `Replicas:\t${sts.spec?.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
  const strategy = sts.spec?.updateStrategy ?? {};
  w.write(0, `Update Strategy:\t${strategy.type ?? 'RollingUpdate'}\n`);
  if (set(strategy.rollingUpdate?.partition)) {
    w.write(1, `Partition:\t${strategy.rollingUpdate.partition}\n`);
    if (set(strategy.rollingUpdate.maxUnavailable)) w.write(1, `MaxUnavailable:\t${strategy.rollingUpdate.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  writePodTemplate(w, sts.spec?.template);
  const claims = (sts.spec?.volumeClaimTemplates ?? []) as Obj[];
  if (!claims.length) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const c of claims) {
      w.write(1, `Name:\t${c.metadata?.name}\n`);
      w.write(1, `StorageClass:\t${c.spec?.storageClassName ?? ''}\n`);
      writeMap(w, 1, 'Labels', c.metadata?.labels);
      writeAnnotations(w, 1, c.metadata?.annotations);
      w.write(1, `Capacity:\t${c.spec?.resources?.requests?.storage ?? '<default>'}\n`);
      // Go's %s of a slice.
      w.write(1, `Access Modes:\t[${(c.spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  writeEvents(w, events, now);
  return w.toString();
}

export function describePodDisruptionBudget(pdb: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  meta(w, pdb, false);
  if (pdb.spec?.minAvailable !== undefined) w.write(0, `Min available:\t${pdb.spec.minAvailable}\n`);
  else if (pdb.spec?.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${pdb.spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${pdb.spec?.selector ? formatLabelSelector(pdb.spec.selector) || '<none>' : '<unset>'}\n`);
  const s = pdb.status ?? {};
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${s.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${s.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${s.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${s.expectedPods ?? 0}\n`);
  writeEvents(w, events, now);
  return w.toString();
}
