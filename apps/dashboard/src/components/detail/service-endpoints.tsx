'use client';
// A Service's endpoints, live from its EndpointSlices: address, ports, the Pod or VMI behind it,
// its node and the ready/serving/terminating conditions.
import Link from 'next/link';
import { useMemo } from 'react';
import { useKindList } from '../../client/hooks';
import { detailHref, refHref } from '../../lib/kinds';
import { nameOf, namespaceOf, Obj } from '../../lib/objects';
import { SERVICE_NAME_LABEL, serviceEndpoints } from '../../lib/service-endpoints';
import { Badge, Empty } from '../ui';

const flag = (on: boolean, label: string, tone: 'ok' | 'error' | 'progress' | 'muted') => <Badge tone={on ? tone : 'muted'}>{on ? label : `not ${label}`}</Badge>;

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
          <table className="simple" data-testid="service-endpoints">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Ports</th>
                <th scope="col">Backend</th>
                <th scope="col">Node</th>
                <th scope="col">Conditions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const href = r.target ? refHref(r.target, ns) : undefined;
                const label = r.target ? `${r.target.kind === 'VirtualMachineInstance' ? 'VMI' : r.target.kind}/${r.target.name}` : undefined;
                return (
                  <tr key={`${r.address}|${r.ports.join(',')}`}>
                    <td className="mono">{r.address}</td>
                    <td className="mono small">{r.ports.join(', ')}</td>
                    <td>{label ? (href ? <Link href={href}>{label}</Link> : label) : <span className="muted">–</span>}</td>
                    <td>{r.node ? <Link href={detailHref({ plural: 'nodes', namespaced: false }, undefined, r.node)}>{r.node}</Link> : <span className="muted">–</span>}</td>
                    <td className="chips">
                      {flag(r.ready, 'ready', 'ok')}
                      {flag(r.serving, 'serving', 'ok')}
                      {r.terminating ? <Badge tone="progress">terminating</Badge> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
