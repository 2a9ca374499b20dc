'use client';
// The cluster at a glance: node cards with requested vs used CPU and memory, workload counts
// by phase, and the latest warnings — all live from watches and the metrics stream.
import Link from 'next/link';
import { useMemo } from 'react';
import { useKindList, useNow } from '../client/hooks';
import { useNodeUsage } from '../client/metrics';
import { age } from '../lib/age';
import { allocatable, allocatedByNode, countBy, Resources, ZERO } from '../lib/allocation';
import { eventTime } from '../lib/columns';
import { detailHref, refHref } from '../lib/kinds';
import { keyOf, labelsOf, nameOf, Obj } from '../lib/objects';
import { formatBytes, formatCpu } from '../lib/quantity';
import { isNodeReady, nodeStatus, podStatus, replicaStatus, toneOf, vmiPhase, vmStatus } from '../lib/status';
import { timeOf } from '../lib/age';
import { PageHead } from './shell';
import { Badge, Empty, ErrorState, LiveIndicator, Meter, SimpleTable, Skeleton } from './ui';

const MAX_NODE_CARDS = 24;

/** Problem nodes first, then the fullest. */
export function orderNodes(nodes: Obj[], allocated: Map<string, Resources>): Obj[] {
  const rank = (n: Obj) => (!isNodeReady(n) ? 0 : n.spec?.unschedulable ? 1 : 2);
  const fill = (n: Obj) => {
    const a = allocated.get(nameOf(n)) ?? ZERO;
    const cap = allocatable(n);
    return Math.max(cap.cpu ? a.cpu / cap.cpu : 0, cap.memory ? a.memory / cap.memory : 0);
  };
  return [...nodes].sort((a, b) => rank(a) - rank(b) || fill(b) - fill(a) || nameOf(a).localeCompare(nameOf(b)));
}

export function NodeCard({ node, allocated, usage }: { node: Obj; allocated: Resources; usage?: { cpu: number; mem: number } }) {
  const cap = allocatable(node);
  const status = nodeStatus(node);
  const ready = isNodeReady(node);
  const hv = labelsOf(node)['coxswain.io/hypervisor'];
  const ip = (node.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address;
  return (
    <article className="card node-card" aria-label={`Node ${nameOf(node)}`} data-node={nameOf(node)}>
      <div className="card-head">
        <h2>
          <Link href={detailHref({ plural: 'nodes', namespaced: false }, undefined, nameOf(node))}>{nameOf(node)}</Link>
        </h2>
        <span className="chips">
          <Badge tone={ready ? 'ok' : 'error'}>{ready ? 'Ready' : status.split(',')[0]}</Badge>
          {node.spec?.unschedulable ? <Badge tone="muted">Cordoned</Badge> : null}
        </span>
      </div>
      <div className="card-body">
        <Meter label="CPU" allocated={allocated.cpu} usage={usage?.cpu} capacity={cap.cpu} format={formatCpu} />
        <Meter label="Memory" allocated={allocated.memory} usage={usage?.mem} capacity={cap.memory} format={formatBytes} />
        <div className="node-meta">
          <span>
            {allocated.pods} / {cap.pods} workloads
          </span>
          {ip ? <span className="mono">{ip}</span> : null}
          {hv ? <span>VMs: {hv.toUpperCase()}</span> : <span>no hypervisor</span>}
        </div>
      </div>
    </article>
  );
}

function Tile({ title, href, total, loading, children }: { title: string; href: string; total: number; loading: boolean; children: React.ReactNode }) {
  return (
    <section className="card tile" aria-label={title}>
      <Link className="tile-title" href={href}>
        {title}
      </Link>
      <div className="tile-value">{loading ? '–' : total.toLocaleString()}</div>
      {loading ? <Skeleton rows={1} /> : <div className="chips">{children}</div>}
    </section>
  );
}

function PhaseTile({ title, href, counts, total, loading }: { title: string; href: string; counts: Array<[string, number]>; total: number; loading: boolean }) {
  return (
    <Tile title={title} href={href} total={total} loading={loading}>
      {counts.length ? (
        counts.map(([phase, n]) => (
          <Badge key={phase} tone={toneOf(phase)}>
            {phase} {n.toLocaleString()}
          </Badge>
        ))
      ) : (
        <span className="muted small">None yet</span>
      )}
    </Tile>
  );
}

export function Overview() {
  const now = useNow(10_000);
  const nodes = useKindList('nodes');
  const pods = useKindList('pods');
  const vmis = useKindList('virtualmachineinstances');
  const vms = useKindList('virtualmachines');
  const deployments = useKindList('deployments');
  const warnings = useKindList('events', { fieldSelector: 'type=Warning' });
  const usage = useNodeUsage();

  const allocated = useMemo(() => allocatedByNode(pods.items, vmis.items), [pods.items, vmis.items]);
  const ordered = useMemo(() => orderNodes(nodes.items, allocated), [nodes.items, allocated]);
  const podCounts = useMemo(() => countBy(pods.items, podStatus), [pods.items]);
  const vmiCounts = useMemo(() => countBy(vmis.items, vmiPhase), [vmis.items]);
  const vmCounts = useMemo(() => countBy(vms.items, vmStatus), [vms.items]);
  const deployCounts = useMemo(() => countBy(deployments.items, (d) => (replicaStatus(d).ready >= replicaStatus(d).desired ? 'Available' : 'Progressing')), [deployments.items]);
  const recent = useMemo(() => [...warnings.items].sort((a, b) => timeOf(eventTime(b)) - timeOf(eventTime(a))).slice(0, 8), [warnings.items]);
  const readyCount = nodes.items.filter(isNodeReady).length;
  const cordoned = nodes.items.filter((n) => n.spec?.unschedulable).length;

  return (
    <>
      <PageHead title="Overview" crumbs={<span>Cluster</span>}>
        <LiveIndicator state={nodes} />
      </PageHead>
      <div className="page-body">
        <div className="grid tiles">
          <Tile title="Nodes" href="/r/nodes" total={nodes.items.length} loading={nodes.status === 'loading'}>
            <Badge tone="ok">Ready {readyCount}</Badge>
            {nodes.items.length - readyCount ? <Badge tone="error">NotReady {nodes.items.length - readyCount}</Badge> : null}
            {cordoned ? <Badge tone="muted">Cordoned {cordoned}</Badge> : null}
          </Tile>
          <PhaseTile title="Pods" href="/r/pods" counts={podCounts} total={pods.items.length} loading={pods.status === 'loading'} />
          <PhaseTile title="VM instances" href="/r/virtualmachineinstances" counts={vmiCounts} total={vmis.items.length} loading={vmis.status === 'loading'} />
          <PhaseTile title="Virtual machines" href="/r/virtualmachines" counts={vmCounts} total={vms.items.length} loading={vms.status === 'loading'} />
          <PhaseTile title="Deployments" href="/r/deployments" counts={deployCounts} total={deployments.items.length} loading={deployments.status === 'loading'} />
        </div>

        <section className="stack" aria-label="Nodes">
          <div className="row">
            <h2>Nodes</h2>
            <span className="spacer" />
            <span className="legend" aria-hidden="true">
              <span>
                <i style={{ background: 'var(--bar-alloc)' }} />
                requested
              </span>
              <span>
                <i style={{ background: 'var(--bar-usage)' }} />
                used
              </span>
            </span>
            {usage.error ? <span className="small tone-warn">Usage unavailable: {usage.error}</span> : null}
          </div>
          {nodes.status === 'error' ? (
            <ErrorState title="Cannot list nodes" message={nodes.error} />
          ) : nodes.status === 'loading' ? (
            <Skeleton rows={3} />
          ) : ordered.length === 0 ? (
            <Empty title="No nodes have joined">Start a node agent; it registers itself.</Empty>
          ) : (
            <div className="grid cols-3">
              {ordered.slice(0, MAX_NODE_CARDS).map((n) => (
                <NodeCard key={keyOf(n)} node={n} allocated={allocated.get(nameOf(n)) ?? ZERO} usage={usage.usage[nameOf(n)]} />
              ))}
            </div>
          )}
          {ordered.length > MAX_NODE_CARDS ? (
            <p className="muted small">
              Showing the {MAX_NODE_CARDS} nodes that need attention first. <Link href="/r/nodes">All {ordered.length.toLocaleString()} nodes →</Link>
            </p>
          ) : null}
        </section>

        <section className="card" aria-label="Recent warnings">
          <div className="card-head">
            <h2>Recent warnings</h2>
            <Link className="small" href="/r/events">
              All events →
            </Link>
          </div>
          <div className="card-body flush">
            {recent.length === 0 ? (
              <Empty title={warnings.status === 'loading' ? 'Loading…' : 'No warnings'}>{warnings.status === 'loading' ? null : 'Everything is quiet.'}</Empty>
            ) : (
              <SimpleTable
                rows={recent}
                rowKey={keyOf}
                columns={[
                  { header: 'Last seen', className: 'mono small', cell: (e) => age(eventTime(e), now) },
                  { header: 'Reason', cell: (e) => <Badge tone="warn">{e.reason}</Badge> },
                  { header: 'Object', cell: involvedObjectLink },
                  { header: 'Message', cell: (e) => e.message },
                ]}
              />
            )}
          </div>
        </section>
      </div>
    </>
  );
}

/** `kind/name` of what an event is about, linked to its page when there is one. */
function involvedObjectLink(e: Obj) {
  const href = refHref(e.involvedObject ?? {}, e.metadata?.namespace);
  const obj = `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`;
  return href ? <Link href={href}>{obj}</Link> : obj;
}
