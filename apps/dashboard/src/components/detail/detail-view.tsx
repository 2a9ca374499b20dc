'use client';
// One object's page: live header and actions, then tabs — summary, conditions, related
// objects, events, YAML, and per kind logs, console, charts and scheduling reasons.
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useMemo } from 'react';
import { useNow, useObject } from '../../client/hooks';
import { CLUSTER_SCOPE, detailHref, kindByPlural } from '../../lib/kinds';
import { conditionsOf, nameOf } from '../../lib/objects';
import { isPending } from '../../lib/placement';
import { toneOf, vmStatus } from '../../lib/status';
import { PageHead } from '../shell';
import { Badge, Empty, ErrorState, LiveIndicator, Skeleton, TabSpec, Tabs } from '../ui';
import { DetailActions } from './actions';
import { UsageCharts } from './charts';
import { ConsoleTab } from './console-tab';
import { EventsTab } from './events-tab';
import { LogsTab } from './logs-tab';
import { Placement } from './placement';
import { hasChildren, Related } from './related';
import { Conditions, statusWord, Summary } from './summary';
import { YamlTab } from './yaml-tab';

interface Props {
  plural: string;
  namespace: string;
  name: string;
}

function chartTarget(plural: string, namespace: string | undefined, name: string): string | undefined {
  if (plural === 'nodes') return `node/${name}`;
  if (plural === 'pods') return `pod/${namespace}/${name}`;
  if (plural === 'virtualmachineinstances' || plural === 'virtualmachines') return `vmi/${namespace}/${name}`;
  return undefined;
}

function DetailInner({ plural, namespace: nsParam, name }: Props) {
  const kind = kindByPlural(plural);
  const namespace = nsParam === CLUSTER_SCOPE ? undefined : nsParam;
  const { object, state } = useObject(plural, kind?.namespaced ? namespace : undefined, name);
  const now = useNow(5000);
  const params = useSearchParams();
  const router = useRouter();
  const tabs = useMemo<TabSpec[]>(() => {
    const t: TabSpec[] = [{ id: 'summary', label: 'Summary' }];
    if (plural === 'pods') t.push({ id: 'logs', label: 'Logs' });
    if (plural === 'virtualmachineinstances' || plural === 'virtualmachines') t.push({ id: 'console', label: 'Console' });
    if (chartTarget(plural, namespace, name)) t.push({ id: 'metrics', label: 'Metrics' });
    if (hasChildren(plural, object)) t.push({ id: 'related', label: plural === 'nodes' ? 'Workloads' : 'Related' });
    if (object && conditionsOf(object).length) t.push({ id: 'conditions', label: 'Conditions' });
    if (plural !== 'events') t.push({ id: 'events', label: 'Events' });
    t.push({ id: 'yaml', label: 'YAML' });
    return t;
  }, [plural, namespace, name, object]);
  const requested = params.get('tab') ?? 'summary';
  const active = tabs.some((t) => t.id === requested) ? requested : 'summary';
  const setTab = (id: string) => router.replace(`${detailHref(kind ?? { plural, namespaced: Boolean(namespace) }, namespace, name)}?tab=${id}`, { scroll: false });

  if (!kind) return <ErrorState title="Unknown resource" message={plural} />;
  const crumbs = (
    <>
      <Link href={`/r/${plural}`}>{kind.title}</Link>
      {namespace ? <span>/ {namespace}</span> : null}
    </>
  );
  if (!object) {
    return (
      <>
        <PageHead title={name} crumbs={crumbs}>
          <LiveIndicator state={state} />
        </PageHead>
        <div className="page-body">
          {state.status === 'error' ? (
            <ErrorState title={`Cannot read ${kind.kind.toLowerCase()} ${name}`} message={state.error} />
          ) : state.status === 'loading' ? (
            <Skeleton rows={4} />
          ) : (
            <Empty title={`${kind.kind} ${name} does not exist`}>It may have been deleted. <Link href={`/r/${plural}`}>Back to {kind.title.toLowerCase()}</Link></Empty>
          )}
        </div>
      </>
    );
  }
  const status = statusWord(plural, object);
  const target = chartTarget(plural, namespace, name);
  const pendingWorkload = (plural === 'pods' || plural === 'virtualmachineinstances') && isPending(object);
  return (
    <>
      <PageHead
        title={
          <span className="row">
            <span>{nameOf(object)}</span>
            {status ? <Badge tone={toneOf(status)}>{status}</Badge> : null}
          </span>
        }
        crumbs={crumbs}
      >
        <LiveIndicator state={state} />
        <DetailActions kind={kind} obj={object} />
      </PageHead>
      <div className="page-body">
        <Tabs tabs={tabs} active={active} onChange={setTab} label={`${kind.kind} sections`} />
        <div role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`} className="stack">
          {active === 'summary' ? (
            <>
              {pendingWorkload ? <Placement obj={object} kind={kind.kind} /> : null}
              <Summary plural={plural} obj={object} now={now} />
            </>
          ) : null}
          {active === 'logs' ? <LogsTab pod={object} /> : null}
          {active === 'console' ? <ConsoleTab namespace={namespace!} name={name} running={plural === 'virtualmachines' ? vmStatus(object) === 'Running' : object.status?.phase === 'Running'} /> : null}
          {active === 'metrics' && target ? <UsageCharts target={target} /> : null}
          {active === 'related' ? <Related plural={plural} obj={object} now={now} /> : null}
          {active === 'conditions' ? <Conditions obj={object} now={now} /> : null}
          {active === 'events' ? <EventsTab obj={object} kind={kind.kind} now={now} /> : null}
          {active === 'yaml' ? <YamlTab plural={plural} obj={object} /> : null}
        </div>
      </div>
    </>
  );
}

export function DetailView(props: Props) {
  return (
    <Suspense>
      <DetailInner {...props} />
    </Suspense>
  );
}
