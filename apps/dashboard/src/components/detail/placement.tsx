'use client';
// Why a Pending Pod or VMI has no node: the scheduler's message, its reasons with node counts,
// and a per-node breakdown of the filters each node fails right now.
import Link from 'next/link';
import { useMemo } from 'react';
import { useKindList } from '../../client/hooks';
import { detailHref } from '../../lib/kinds';
import { Obj } from '../../lib/objects';
import { explainPlacement } from '../../lib/placement';
import { Badge } from '../ui';
import { useObjectEvents } from './events-tab';

export function Placement({ obj, kind }: { obj: Obj; kind: string }) {
  const nodes = useKindList('nodes');
  const pods = useKindList('pods');
  const vmis = useKindList('virtualmachineinstances');
  const events = useObjectEvents(obj, kind);
  const explanation = useMemo(() => explainPlacement({ ...obj, kind }, nodes.items, pods.items, vmis.items, events.items), [obj, kind, nodes.items, pods.items, vmis.items, events.items]);
  if (!explanation.pending) return null;
  return (
    <section className="card" aria-label="Scheduling" data-testid="placement">
      <div className="card-head">
        <h2>Why is this {kind === 'Pod' ? 'Pod' : 'VM'} pending?</h2>
        <Badge tone="progress">Pending</Badge>
      </div>
      <div className="card-body stack">
        {explanation.schedulerMessage ? (
          <div className="notice warn" role="status">
            <strong>Scheduler:</strong> {explanation.schedulerMessage}
          </div>
        ) : (
          <p className="muted">The scheduler has not reported on this workload yet.</p>
        )}
        {explanation.summary.length ? (
          <div className="chips" aria-label="Reasons">
            {explanation.summary.map((s) => (
              <Badge key={s.reason} tone="warn">
                {s.count} × {s.reason}
              </Badge>
            ))}
          </div>
        ) : null}
        {explanation.perNode.length ? (
          <table className="simple" aria-label="Per-node reasons">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Fits now</th>
                <th scope="col">Reasons</th>
              </tr>
            </thead>
            <tbody>
              {explanation.perNode.map((v) => (
                <tr key={v.node}>
                  <td>
                    <Link href={detailHref({ plural: 'nodes', namespaced: false }, undefined, v.node)}>{v.node}</Link>
                  </td>
                  <td>
                    <Badge tone={v.fits ? 'ok' : 'error'}>{v.fits ? 'yes' : 'no'}</Badge>
                  </td>
                  <td>{v.reasons.length ? v.reasons.join('; ') : <span className="muted">fits — the scheduler will place it on its next attempt</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p className="small muted">Per-node reasons are worked out by the dashboard from the cluster it sees now, with the scheduler&apos;s filters.</p>
      </div>
    </section>
  );
}
