'use client';
// The Summary tab: metadata every object has, then what matters for its kind.
import Link from 'next/link';
import { ReactNode } from 'react';
import { age } from '../../lib/age';
import { hpaTargets, nodeRoles } from '../../lib/columns';
import { detailHref, refHref } from '../../lib/kinds';
import { conditionsOf, nameOf, namespaceOf, Obj, ownersOf } from '../../lib/objects';
import { formatBytes, formatCpu, quantityOrZero } from '../../lib/quantity';
import { nodeStatus, podReadiness, podStatus, replicaStatus, toneOf, vmiPhase, vmStatus } from '../../lib/status';
import { podRequests, vmiRequests } from '../../lib/allocation';
import { portForwardCommands } from '../../lib/port-forward';
import { Badge, Card, Labels, SimpleTable, StatusBadge } from '../ui';
import { PortForward } from './port-forward';
import { ServiceEndpoints } from './service-endpoints';
import { servicePorts } from '../../lib/service-endpoints';
import { workloadStatus } from '../../lib/workloads';
import { restarted, workloadRows } from './workload-rows';

function Kv({ rows }: { rows: Array<[string, ReactNode] | false | undefined> }) {
  return (
    <dl className="kv">
      {rows.filter(Boolean).map((r) => {
        const [k, v] = r as [string, ReactNode];
        return [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v ?? <span className="muted">–</span>}</dd>];
      })}
    </dl>
  );
}

const nodeLink = (name?: string) => (name ? <Link href={detailHref({ plural: 'nodes', namespaced: false }, undefined, name)}>{name}</Link> : undefined);

export function statusWord(plural: string, obj: Obj): string | undefined {
  switch (plural) {
    case 'pods':
      return podStatus(obj);
    case 'nodes':
      return nodeStatus(obj);
    case 'virtualmachines':
      return vmStatus(obj);
    case 'virtualmachineinstances':
      return vmiPhase(obj);
    case 'namespaces':
      return obj.status?.phase ?? 'Active';
    case 'deployments':
    case 'replicasets':
    case 'virtualmachineinstancereplicasets': {
      const r = replicaStatus(obj);
      return r.ready >= r.desired ? 'Available' : 'Progressing';
    }
    default:
      return workloadStatus(plural, obj);
  }
}

function ContainersTable({ pod }: { pod: Obj }) {
  const statuses: Obj[] = pod.status?.containerStatuses ?? [];
  return (
    <table className="simple">
      <thead>
        <tr>
          <th scope="col">Container</th>
          <th scope="col">Image</th>
          <th scope="col">State</th>
          <th scope="col">Ready</th>
          <th scope="col">Restarts</th>
          <th scope="col">Requests</th>
        </tr>
      </thead>
      <tbody>
        {(pod.spec?.containers ?? []).map((c: Obj) => {
          const s = statuses.find((x) => x.name === c.name) ?? {};
          const state = s.state?.running ? 'Running' : s.state?.waiting ? s.state.waiting.reason ?? 'Waiting' : s.state?.terminated ? s.state.terminated.reason ?? 'Terminated' : 'Pending';
          const detail = s.state?.waiting?.message ?? s.state?.terminated?.message;
          return (
            <tr key={c.name}>
              <td className="mono">{c.name}</td>
              <td className="mono small">{c.image}</td>
              <td>
                <StatusBadge status={state} />
                {detail ? <div className="small muted">{detail}</div> : null}
              </td>
              <td>{String(Boolean(s.ready))}</td>
              <td>{s.restartCount ?? 0}</td>
              <td className="small">
                {c.resources?.requests?.cpu ?? '–'} / {c.resources?.requests?.memory ?? '–'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function kindRows(plural: string, o: Obj, now: number): Array<[string, ReactNode] | false | undefined> {
  switch (plural) {
    case 'pods': {
      const r = podReadiness(o);
      const req = podRequests(o);
      return [
        ['Node', nodeLink(o.spec?.nodeName) ?? <span className="muted">not scheduled</span>],
        ['Pod IP', o.status?.podIP],
        ['Ready', `${r.ready}/${r.total}`],
        ['Restarts', r.restarts],
        ['Requests', `${formatCpu(req.cpu)} CPU, ${formatBytes(req.memory)} memory`],
        ['Restart policy', o.spec?.restartPolicy],
        ['Started', o.status?.startTime ? `${age(o.status.startTime, now)} ago` : undefined],
        portForwardCommands(plural, o).length > 0 && ['Port-forward', <PortForward key="pf" plural={plural} obj={o} />],
      ];
    }
    case 'deployments':
    case 'replicasets':
    case 'virtualmachineinstancereplicasets': {
      const r = replicaStatus(o);
      return [
        ['Replicas', `${r.desired} desired · ${r.current} current · ${r.ready} ready · ${r.available} available${plural === 'deployments' ? ` · ${r.updated} up-to-date` : ''}`],
        ['Selector', <Labels key="s" labels={o.spec?.selector?.matchLabels} />],
        plural === 'deployments' && ['Strategy', o.spec?.strategy?.type ?? 'RollingUpdate'],
        plural === 'deployments' && ['Revision', o.metadata?.annotations?.['deployment.kubernetes.io/revision']],
        plural === 'deployments' && restarted(o, now),
      ];
    }
    case 'virtualmachines':
      return [
        ['Status', <StatusBadge key="s" status={vmStatus(o)} />],
        ['Run strategy', o.spec?.runStrategy ?? (o.spec?.running ? 'Always (running: true)' : 'Halted')],
        ['Instance', <Link key="i" href={detailHref({ plural: 'virtualmachineinstances', namespaced: true }, namespaceOf(o), nameOf(o))}>{nameOf(o)}</Link>],
        ['Memory', o.spec?.template?.spec?.domain?.resources?.requests?.memory ?? o.spec?.template?.spec?.domain?.memory?.guest],
        ['CPU cores', o.spec?.template?.spec?.domain?.cpu?.cores ?? 1],
      ];
    case 'virtualmachineinstances': {
      const req = vmiRequests(o);
      return [
        ['Phase', <StatusBadge key="p" status={vmiPhase(o)} />],
        ['Node', nodeLink(o.status?.nodeName)],
        ['IP', o.status?.interfaces?.[0]?.ipAddress],
        ['Requests', `${formatCpu(req.cpu)} CPU, ${formatBytes(req.memory)} memory (with VM overhead)`],
        ['Guest OS', o.status?.guestOSInfo?.name],
      ];
    }
    case 'nodes': {
      const info = o.status?.nodeInfo ?? {};
      const cap = o.status?.capacity ?? {};
      const alloc = o.status?.allocatable ?? {};
      return [
        ['Status', <StatusBadge key="s" status={nodeStatus(o)} />],
        ['Roles', nodeRoles(o)],
        ['Addresses', (o.status?.addresses ?? []).map((a: Obj) => `${a.type}: ${a.address}`).join(', ')],
        ['CPU', `${formatCpu(quantityOrZero(alloc.cpu))} allocatable of ${formatCpu(quantityOrZero(cap.cpu))}`],
        ['Memory', `${formatBytes(quantityOrZero(alloc.memory))} allocatable of ${formatBytes(quantityOrZero(cap.memory))}`],
        ['Pods', `${alloc.pods ?? cap.pods ?? '–'} max`],
        ['Hypervisor', o.metadata?.labels?.['coxswain.io/hypervisor'] ?? 'none'],
        ['Taints', (o.spec?.taints ?? []).length ? (o.spec.taints as Obj[]).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') : 'none'],
        ['Software', [info.osImage, info.kernelVersion, info.kubeletVersion, info.containerRuntimeVersion].filter(Boolean).join(' · ')],
      ];
    }
    case 'services': {
      const headless = o.spec?.clusterIP === 'None';
      return [
        ['Type', o.spec?.type ?? 'ClusterIP'],
        ['Cluster IP', headless ? 'None (headless: DNS answers with the endpoints)' : (o.spec?.clusterIPs ?? [o.spec?.clusterIP]).filter(Boolean).join(', ')],
        o.spec?.type === 'ExternalName' && ['External name', o.spec?.externalName],
        ['Ports', (servicePorts(o).length ? <span key="p" className="mono small">{servicePorts(o).join(', ')}</span> : undefined)],
        ['Selector', Object.keys(o.spec?.selector ?? {}).length ? <Labels key="s" labels={o.spec.selector} /> : <span className="muted">none (endpoints managed by hand)</span>],
        o.spec?.sessionAffinity === 'ClientIP' && ['Session affinity', 'ClientIP'],
        (o.spec?.externalTrafficPolicy === 'Local' || o.spec?.internalTrafficPolicy === 'Local') && ['Traffic policy', `external ${o.spec?.externalTrafficPolicy ?? 'Cluster'} · internal ${o.spec?.internalTrafficPolicy ?? 'Cluster'}`],
        portForwardCommands(plural, o).length > 0 && ['Port-forward', <PortForward key="pf" plural={plural} obj={o} />],
      ];
    }
    case 'horizontalpodautoscalers':
      return [
        ['Target', <Link key="t" href={refHref(o.spec?.scaleTargetRef ?? {}, namespaceOf(o)) ?? '#'}>{`${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`}</Link>],
        ['Metrics', hpaTargets(o)],
        ['Replicas', `${o.status?.currentReplicas ?? 0} current → ${o.status?.desiredReplicas ?? 0} desired (min ${o.spec?.minReplicas ?? 1}, max ${o.spec?.maxReplicas})`],
        ['Last scale', o.status?.lastScaleTime ? `${age(o.status.lastScaleTime, now)} ago` : undefined],
      ];
    case 'events':
      return [
        ['Type', <Badge key="t" tone={o.type === 'Warning' ? 'warn' : 'muted'}>{o.type}</Badge>],
        ['Reason', o.reason],
        ['Object', <Link key="o" href={refHref(o.involvedObject ?? {}, namespaceOf(o)) ?? '#'}>{`${o.involvedObject?.kind}/${o.involvedObject?.name}`}</Link>],
        ['Message', o.message],
        ['Count', o.count ?? 1],
        ['Source', o.source?.component ?? o.reportingComponent],
      ];
    default:
      return workloadRows(plural, o, now) ?? [];
  }
}

export function Summary({ plural, obj, now }: { plural: string; obj: Obj; now: number }) {
  const owners = ownersOf(obj);
  const annotations = Object.entries(obj.metadata?.annotations ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration');
  const status = statusWord(plural, obj);
  return (
    <div className="grid halves">
      <Card title="Details" aside={status ? <Badge tone={toneOf(status)}>{status}</Badge> : null} bodyClass="stack">
        <Kv rows={kindRows(plural, obj, now)} />
      </Card>
      <Card title="Metadata">
        <Kv
          rows={[
            ['Name', <span key="n" className="mono">{nameOf(obj)}</span>],
            namespaceOf(obj) !== undefined && ['Namespace', namespaceOf(obj)],
            ['Created', obj.metadata?.creationTimestamp ? `${age(obj.metadata.creationTimestamp, now)} ago (${obj.metadata.creationTimestamp})` : undefined],
            ['UID', <span key="u" className="mono small">{obj.metadata?.uid}</span>],
            ['Labels', <Labels key="l" labels={obj.metadata?.labels} />],
            annotations.length > 0 && ['Annotations', <Labels key="a" labels={Object.fromEntries(annotations.map(([k, v]) => [k, String(v).length > 80 ? `${String(v).slice(0, 80)}…` : String(v)]))} />],
            owners.length > 0 && [
              'Owned by',
              <span key="o" className="chips">
                {owners.map((r) => {
                  const href = refHref(r, namespaceOf(obj));
                  const text = `${r.kind}/${r.name}`;
                  return href ? <Link key={r.uid} href={href}>{text}</Link> : <span key={r.uid}>{text}</span>;
                })}
              </span>,
            ],
            obj.metadata?.deletionTimestamp && ['Deleting', <Badge key="d" tone="progress">since {age(obj.metadata.deletionTimestamp, now)}</Badge>],
          ]}
        />
      </Card>
      {plural === 'services' ? <ServiceEndpoints svc={obj} /> : null}
      {plural === 'pods' ? (
        <Card title="Containers" bodyClass="flush" style={{ gridColumn: '1 / -1' }}>
          <ContainersTable pod={obj} />
        </Card>
      ) : null}
    </div>
  );
}

export function Conditions({ obj, now }: { obj: Obj; now: number }) {
  const conditions = conditionsOf(obj);
  if (!conditions.length) return <p className="muted">This object reports no conditions.</p>;
  return (
    <div className="card">
      <SimpleTable
        rows={conditions}
        rowKey={(c) => c.type}
        columns={[
          { header: 'Type', cell: (c) => c.type },
          { header: 'Status', cell: (c) => <Badge tone={c.status === 'True' ? (/Pressure|Unavailable|Failure/.test(c.type) ? 'error' : 'ok') : c.status === 'False' ? (/Pressure|Unavailable|Failure/.test(c.type) ? 'ok' : 'error') : 'progress'}>{c.status}</Badge> },
          { header: 'Reason', cell: (c) => c.reason ?? '–' },
          { header: 'Message', cell: (c) => c.message ?? '–' },
          { header: 'Changed', className: 'small mono', cell: (c) => (c.lastTransitionTime ? age(c.lastTransitionTime, now) : '–') },
        ]}
      />
    </div>
  );
}
