'use client';
// Owner and children links: Deployment → ReplicaSets → Pods, CronJob → Jobs → Pods, any kind
// with a pod template (ReplicaSet, Job, DaemonSet, StatefulSet …) → Pods, VM → VMI, replica
// sets → VMIs, Node → the Pods and VMIs it runs, PodDisruptionBudget → the Pods and VMIs its
// selector covers. Children tables are live.
import Link from 'next/link';
import { useMemo } from 'react';
import { useKindList } from '../../client/hooks';
import { age } from '../../lib/age';
import { detailHref, kindByPlural } from '../../lib/kinds';
import { isOwnedBy, keyOf, nameOf, namespaceOf, Obj, ownedBy, ownsPods, POD_OWNER_VIA, selectedBy, selectorQuery, SELECTS_PODS } from '../../lib/objects';
import { podStatus, replicaStatus, rolloutTone, toneOf, Tone, vmiPhase } from '../../lib/status';
import { Badge, Empty } from '../ui';

function ChildTable({ title, plural, items, status, tone = (o) => toneOf(status(o)), now }: { title: string; plural: string; items: Obj[]; status: (o: Obj) => string; tone?: (o: Obj) => Tone; now: number }) {
  const kind = kindByPlural(plural)!;
  return (
    <section className="card" aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        <span className="small muted">{items.length}</span>
      </div>
      <div className="card-body flush">
        {items.length === 0 ? (
          <Empty title={`No ${title.toLowerCase()}`} />
        ) : (
          <table className="simple" data-testid={`children-${plural}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                {plural === 'pods' || plural === 'virtualmachineinstances' ? <th scope="col">Node</th> : null}
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {[...items].sort((a, b) => nameOf(a).localeCompare(nameOf(b))).map((o) => {
                const s = status(o);
                return (
                  <tr key={keyOf(o)}>
                    <td>
                      <Link href={detailHref(kind, namespaceOf(o), nameOf(o))}>{nameOf(o)}</Link>
                    </td>
                    <td>
                      <Badge tone={tone(o)}>{s}</Badge>
                    </td>
                    {plural === 'pods' || plural === 'virtualmachineinstances' ? <td>{o.spec?.nodeName ?? o.status?.nodeName ?? '–'}</td> : null}
                    <td className="small mono">{age(o.metadata?.creationTimestamp, now)}</td>
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

const rsStatus = (rs: Obj) => {
  const r = replicaStatus(rs);
  return `${r.ready}/${r.desired} ready`;
};

const jobStatus = (job: Obj) => {
  const done = (job.status?.conditions ?? []).find((c: Obj) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return done ? (done.type === 'Complete' ? 'Complete' : 'Failed') : job.spec?.suspend ? 'Suspended' : 'Running';
};

const INTERMEDIATE: Record<string, { title: string; status: (o: Obj) => string; tone?: (o: Obj) => Tone }> = {
  replicasets: { title: 'ReplicaSets', status: rsStatus, tone: rolloutTone },
  jobs: { title: 'Jobs', status: jobStatus },
};

/** Which child lists a kind has. */
export function hasChildren(plural: string, obj?: Obj): boolean {
  return ['virtualmachines', 'virtualmachineinstancereplicasets', 'nodes', ...SELECTS_PODS].includes(plural) || ownsPods(plural, obj);
}

export function Related({ plural, obj, now }: { plural: string; obj: Obj; now: number }) {
  const ns = namespaceOf(obj);
  const uid = obj.metadata?.uid;
  const isNode = plural === 'nodes';
  const via = POD_OWNER_VIA[plural];
  const selects = SELECTS_PODS.includes(plural);
  const needPods = isNode || selects || ownsPods(plural, obj);
  const needVmis = ['virtualmachines', 'virtualmachineinstancereplicasets', 'nodes'].includes(plural) || selects;
  const selector = selectorQuery(obj);
  const middle = useKindList(via ?? 'replicasets', { namespace: ns, labelSelector: selector }, Boolean(via));
  const pods = useKindList('pods', isNode ? { fieldSelector: `spec.nodeName=${nameOf(obj)}` } : { namespace: ns, labelSelector: via === 'jobs' ? '' : selector }, needPods);
  const vmis = useKindList('virtualmachineinstances', isNode ? { fieldSelector: `status.nodeName=${nameOf(obj)}` } : { namespace: ns, labelSelector: selects ? selector : '' }, needVmis);

  const ownedMiddle = useMemo(() => (via ? ownedBy(middle.items, new Set([uid])) : []), [middle.items, uid, via]);
  const ownedPods = useMemo(() => {
    if (isNode) return pods.items;
    if (selects) return selectedBy(pods.items, obj);
    return ownedBy(pods.items, via ? new Set(ownedMiddle.map((r) => r.metadata?.uid)) : new Set([uid]));
  }, [pods.items, ownedMiddle, via, uid, isNode, selects, obj]);
  const ownedVmis = useMemo(() => (isNode ? vmis.items : selects ? selectedBy(vmis.items, obj) : vmis.items.filter((v) => isOwnedBy(v, uid))), [vmis.items, uid, isNode, selects, obj]);

  return (
    <div className="stack">
      {via ? <ChildTable title={INTERMEDIATE[via].title} plural={via} items={ownedMiddle} status={INTERMEDIATE[via].status} tone={INTERMEDIATE[via].tone} now={now} /> : null}
      {needPods ? <ChildTable title="Pods" plural="pods" items={ownedPods} status={podStatus} now={now} /> : null}
      {needVmis ? <ChildTable title="VM instances" plural="virtualmachineinstances" items={ownedVmis} status={vmiPhase} now={now} /> : null}
    </div>
  );
}
