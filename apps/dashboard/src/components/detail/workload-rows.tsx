// Summary rows of the batch and per-node/stateful workload kinds: what `kubectl describe`
// leads with for a Job, CronJob, DaemonSet, StatefulSet or PodDisruptionBudget.
import Link from 'next/link';
import { ReactNode } from 'react';
import { age } from '../../lib/age';
import { detailHref } from '../../lib/kinds';
import { namespaceOf, Obj } from '../../lib/objects';
import { printedCell } from '../../lib/status';
import { daemonCounts, jobCounts, pdbBudget, pdbHealth, restartedAt, statefulCounts, updateStrategy } from '../../lib/workloads';
import { Badge, Labels } from '../ui';

type Row = [string, ReactNode] | false | undefined;

const ago = (t: string | undefined, now: number) => (t ? `${age(t, now)} ago` : undefined);
export const restarted = (o: Obj, now: number): Row => Boolean(restartedAt(o)) && ['Restarted', `${ago(restartedAt(o), now)} (${restartedAt(o)})`];
const selector = (o: Obj): Row => ['Selector', <Labels key="s" labels={o.spec?.selector?.matchLabels} />];

export function workloadRows(plural: string, o: Obj, now: number): Row[] | undefined {
  switch (plural) {
    case 'cronjobs': {
      const active: Obj[] = o.status?.active ?? [];
      return [
        ['Schedule', <span key="s" className="mono">{`${o.spec?.schedule ?? ''}${o.spec?.timeZone ? ` (${o.spec.timeZone})` : ''}`}</span>],
        ['Suspend', <Badge key="u" tone={o.spec?.suspend ? 'warn' : 'ok'}>{o.spec?.suspend ? 'True' : 'False'}</Badge>],
        ['Concurrency policy', o.spec?.concurrencyPolicy ?? 'Allow'],
        ['Active jobs', active.length ? <span key="a" className="chips">{active.map((j) => <Link key={j.name} href={detailHref({ plural: 'jobs', namespaced: true }, j.namespace ?? namespaceOf(o), j.name)}>{j.name}</Link>)}</span> : 'none'],
        ['Last schedule', ago(o.status?.lastScheduleTime, now) ?? 'never'],
        ['Last successful', ago(o.status?.lastSuccessfulTime, now) ?? 'never'],
        ['History kept', `${o.spec?.successfulJobsHistoryLimit ?? 3} successful, ${o.spec?.failedJobsHistoryLimit ?? 1} failed`],
      ];
    }
    case 'jobs':
      return [
        ['Completions', printedCell('Job', o, 'Completions')],
        ['Pods', jobCounts(o)],
        ['Parallelism', o.spec?.parallelism ?? 1],
        ['Completion mode', o.spec?.completionMode ?? 'NonIndexed'],
        ['Backoff limit', o.spec?.backoffLimit ?? 6],
        ['Duration', printedCell('Job', o, 'Duration') || undefined],
        o.spec?.suspend !== undefined && ['Suspend', String(Boolean(o.spec.suspend))],
      ];
    case 'daemonsets': {
      const d = daemonCounts(o);
      return [
        ['Nodes', `${d.desired} desired · ${d.current} current · ${d.ready} ready · ${d.updated} up-to-date · ${d.available} available${d.misscheduled ? ` · ${d.misscheduled} misscheduled` : ''}`],
        selector(o),
        ['Update strategy', updateStrategy(o)],
        restarted(o, now),
      ];
    }
    case 'statefulsets': {
      const s = statefulCounts(o);
      return [
        ['Replicas', `${s.desired} desired · ${s.current} current · ${s.ready} ready · ${s.updated} updated · ${s.available} available`],
        selector(o),
        ['Service', o.spec?.serviceName ? <Link key="svc" href={detailHref({ plural: 'services', namespaced: true }, namespaceOf(o), o.spec.serviceName)}>{o.spec.serviceName}</Link> : undefined],
        ['Pod management', o.spec?.podManagementPolicy ?? 'OrderedReady'],
        ['Update strategy', updateStrategy(o)],
        ['Revisions', o.status?.currentRevision && o.status.currentRevision !== o.status.updateRevision ? `${o.status.currentRevision} → ${o.status.updateRevision}` : o.status?.updateRevision],
        restarted(o, now),
      ];
    }
    case 'poddisruptionbudgets':
      return [
        ['Budget', pdbBudget(o)],
        ['Allowed disruptions', o.status?.disruptionsAllowed ?? 0],
        ['Pods', pdbHealth(o)],
        selector(o),
      ];
    default:
      return undefined;
  }
}
