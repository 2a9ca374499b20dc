'use client';
// A Service's endpoints, live from its EndpointSlices: address, ports, the Pod or VMI behind it,
// its node and the ready/serving/terminating conditions.
import Link from 'next/link';
import { useMemo } from 'react';
import { useKindList } from '../../client/hooks';
import { detailHref, refHref } from '../../lib/kinds';
import { nameOf, namespaceOf, Obj } from '../../lib/objects';
import { SERVICE_NAME_LABEL, serviceEndpoints } from '../../lib/service-endpoints';

type EndpointRow = ReturnType<typeof serviceEndpoints>[number];
import { Badge, Empty, SimpleColumn, SimpleTable } from '../ui';

const flag = (on: boolean, label: string, tone: 'ok' | 'error' | 'progress' | 'muted') => <Badge tone={on ? tone : 'muted'}>{on ? label : `not ${label}`}</Badge>;

const muted = <span className="muted">–</span>;

function columnsFor(ns: string | undefined): SimpleColumn<EndpointRow>[] {
  const backend = (r: EndpointRow) => {
    if (!r.target) return muted;
    const label = `${r.target.kind === 'VirtualMachineInstance' ? 'VMI' : r.target.kind}/${r.target.name}`;
    const href = refHref(r.target, ns);
    return href ? <Link href={href}>{label}</Link> : label;
  };
  return [
    { header: 'Address', className: 'mono', cell: (r) => r.address },
    { header: 'Ports', className: 'mono small', cell: (r) => r.ports.join(', ') },
    { header: 'Backend', cell: backend },
    { header: 'Node', cell: (r) => (r.node ? <Link href={detailHref({ plural: 'nodes', namespaced: false }, undefined, r.node)}>{r.node}</Link> : muted) },
    {
      header: 'Conditions',
      className: 'chips',
      cell: (r) => (
        <>
          {flag(r.ready, 'ready', 'ok')}
          {flag(r.serving, 'serving', 'ok')}
          {r.terminating ? <Badge tone="progress">terminating</Badge> : null}
        </>
      ),
    },
  ];
}

export function ServiceEndpoints({ svc }: { svc: Obj }) {
  const ns = namespaceOf(svc);
  const slices = useKindList('endpointslices', { namespace: ns, labelSelector: `${SERVICE_NAME_LABEL}=${nameOf(svc)}` });
  const rows = useMemo(() => serviceEndpoints(slices.items), [slices.items]);
  const ready = rows.filter((r) => r.ready).length;
  return (
    <section className="card" aria-label="Endpoints" style={{ gridColumn: '1 / -1' }}>
      <div className="card-head">
        <h2>Endpoints</h2>
        <span className="small muted">{`${ready} ready of ${rows.length}`}</span>
      </div>
      <div className="card-body flush">
        {rows.length === 0 ? (
          <Empty title={svc.spec?.selector ? 'No endpoints: nothing the selector matches is running' : 'No endpoints (no selector: endpoints are managed by hand)'} />
        ) : (
          <SimpleTable columns={columnsFor(ns)} rows={rows} rowKey={(r) => `${r.address}|${r.ports.join(',')}`} />
        )}
      </div>
    </section>
  );
}
