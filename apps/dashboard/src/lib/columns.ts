// Table columns per kind, after kubectl's printers: each cell has its text, a sort key and
// a tone. Pure, so sorting and filtering can be tested without rendering.
import { age, timeOf } from './age';
import { detailHref, kindByPlural, refHref } from './kinds';
import { labelsOf, nameOf, namespaceOf, Obj, condition } from './objects';
import { formatBytes, formatCpu, quantityOrZero } from './quantity';
import { nodeStatus, podReadiness, podStatus, replicaStatus, rolloutTone, toneOf, Tone, vmiPhase, vmStatus } from './status';

export interface Cell {
  text: string;
  sort: string | number;
  tone?: Tone;
  href?: string;
}

export interface Column {
  id: string;
  header: string;
  /** CSS grid track. */
  width: string;
  align?: 'right';
  cell(obj: Obj, ctx: CellContext): Cell;
}

export interface CellContext {
  now: number;
  plural: string;
}

const text = (value: string | number | undefined, sort?: string | number): Cell => ({ text: value === undefined || value === '' ? '–' : String(value), sort: sort ?? (typeof value === 'number' ? value : String(value ?? '')) });

const NAME: Column = {
  id: 'name', header: 'Name', width: 'minmax(12rem, 2fr)',
  cell: (o, ctx) => ({ text: nameOf(o), sort: nameOf(o), href: detailHref(kindByPlural(ctx.plural)!, namespaceOf(o), nameOf(o)) }),
};
const NAMESPACE: Column = { id: 'namespace', header: 'Namespace', width: 'minmax(7rem, 1fr)', cell: (o) => text(namespaceOf(o)) };
const AGE: Column = {
  id: 'age', header: 'Age', width: '5.5rem', align: 'right',
  cell: (o, ctx) => ({ text: age(o.metadata?.creationTimestamp, ctx.now), sort: -timeOf(o.metadata?.creationTimestamp) }),
};

function status(id: string, header: string, get: (o: Obj) => string, tone: (o: Obj, s: string) => Tone = (_o, s) => toneOf(s)): Column {
  return { id, header, width: 'minmax(8rem, 1fr)', cell: (o) => { const s = get(o); return { text: s, sort: s, tone: tone(o, s) }; } };
}

const replicas = (header: string, get: (o: Obj) => number): Column => ({ id: header.toLowerCase().replace(/\W+/g, '-'), header, width: '6.5rem', align: 'right', cell: (o) => text(get(o)) });

const readyFraction: Column = {
  id: 'ready', header: 'Ready', width: '5.5rem', align: 'right',
  cell: (o) => {
    const r = replicaStatus(o);
    return { text: `${r.ready}/${r.desired}`, sort: r.desired ? r.ready / r.desired : 1, tone: rolloutTone(o) };
  },
};

export const COLUMNS: Record<string, Column[]> = {
  deployments: [NAME, NAMESPACE, readyFraction, replicas('Up-to-date', (o) => replicaStatus(o).updated), replicas('Available', (o) => replicaStatus(o).available), AGE],
  replicasets: [NAME, NAMESPACE, replicas('Desired', (o) => replicaStatus(o).desired), replicas('Current', (o) => replicaStatus(o).current), readyFraction, AGE],
  virtualmachineinstancereplicasets: [NAME, NAMESPACE, replicas('Desired', (o) => replicaStatus(o).desired), replicas('Current', (o) => replicaStatus(o).current), readyFraction, AGE],
  pods: [
    NAME,
    NAMESPACE,
    {
      id: 'ready', header: 'Ready', width: '5rem', align: 'right',
      cell: (o) => { const r = podReadiness(o); return { text: `${r.ready}/${r.total}`, sort: r.total ? r.ready / r.total : 0, tone: r.total && r.ready === r.total ? 'ok' : 'progress' }; },
    },
    status('status', 'Status', podStatus),
    { id: 'restarts', header: 'Restarts', width: '5.5rem', align: 'right', cell: (o) => { const n = podReadiness(o).restarts; return { text: String(n), sort: n, tone: n > 0 ? 'warn' : undefined }; } },
    { id: 'node', header: 'Node', width: 'minmax(7rem, 1fr)', cell: (o) => ({ ...text(o.spec?.nodeName), href: o.spec?.nodeName ? detailHref({ plural: 'nodes', namespaced: false }, undefined, o.spec.nodeName) : undefined }) },
    { id: 'ip', header: 'IP', width: '8rem', cell: (o) => text(o.status?.podIP) },
    AGE,
  ],
  virtualmachines: [
    NAME, NAMESPACE, AGE,
    status('status', 'Status', vmStatus),
    { id: 'ready', header: 'Ready', width: '5rem', cell: (o) => { const r = Boolean(o.status?.ready); return { text: String(r), sort: r ? 1 : 0, tone: r ? 'ok' : 'muted' }; } },
  ],
  virtualmachineinstances: [
    NAME, NAMESPACE, AGE,
    status('phase', 'Phase', vmiPhase),
    { id: 'ip', header: 'IP', width: '8rem', cell: (o) => text(o.status?.interfaces?.[0]?.ipAddress) },
    { id: 'node', header: 'Node', width: 'minmax(7rem, 1fr)', cell: (o) => ({ ...text(o.status?.nodeName), href: o.status?.nodeName ? detailHref({ plural: 'nodes', namespaced: false }, undefined, o.status.nodeName) : undefined }) },
    { id: 'ready', header: 'Ready', width: '5rem', cell: (o) => { const r = condition(o, 'Ready')?.status === 'True'; return { text: String(r), sort: r ? 1 : 0, tone: r ? 'ok' : 'muted' }; } },
  ],
  horizontalpodautoscalers: [
    NAME, NAMESPACE,
    { id: 'reference', header: 'Reference', width: 'minmax(9rem, 1fr)', cell: (o) => { const r = o.spec?.scaleTargetRef ?? {}; return { ...text(`${r.kind}/${r.name}`), href: refHref(r, namespaceOf(o)) }; } },
    { id: 'targets', header: 'Targets', width: 'minmax(8rem, 1fr)', cell: (o) => text(hpaTargets(o)) },
    replicas('Min', (o) => o.spec?.minReplicas ?? 1),
    replicas('Max', (o) => o.spec?.maxReplicas ?? 0),
    replicas('Replicas', (o) => o.status?.currentReplicas ?? 0),
    AGE,
  ],
  nodes: [
    NAME,
    status('status', 'Status', nodeStatus),
    { id: 'roles', header: 'Roles', width: '7rem', cell: (o) => text(nodeRoles(o)) },
    { id: 'cpu', header: 'CPU', width: '5rem', align: 'right', cell: (o) => { const c = quantityOrZero(o.status?.allocatable?.cpu ?? o.status?.capacity?.cpu); return { text: formatCpu(c), sort: c }; } },
    { id: 'memory', header: 'Memory', width: '6rem', align: 'right', cell: (o) => { const m = quantityOrZero(o.status?.allocatable?.memory ?? o.status?.capacity?.memory); return { text: formatBytes(m), sort: m }; } },
    { id: 'ip', header: 'Internal IP', width: '8rem', cell: (o) => text((o.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address) },
    { id: 'version', header: 'Version', width: '7rem', cell: (o) => text(o.status?.nodeInfo?.kubeletVersion) },
    AGE,
  ],
  namespaces: [NAME, status('status', 'Status', (o) => o.status?.phase ?? 'Active'), AGE],
  events: [
    { id: 'last-seen', header: 'Last seen', width: '6rem', align: 'right', cell: (o, ctx) => { const t = eventTime(o); return { text: age(t, ctx.now), sort: -timeOf(t) }; } },
    NAMESPACE,
    { id: 'type', header: 'Type', width: '6rem', cell: (o) => ({ text: o.type ?? 'Normal', sort: o.type ?? 'Normal', tone: o.type === 'Warning' ? 'warn' : 'muted' }) },
    { id: 'reason', header: 'Reason', width: 'minmax(8rem, 1fr)', cell: (o) => text(o.reason) },
    { id: 'object', header: 'Object', width: 'minmax(12rem, 2fr)', cell: (o) => { const r = o.involvedObject ?? {}; return { ...text(`${(r.kind ?? '').toLowerCase()}/${r.name ?? ''}`), href: refHref(r, namespaceOf(o)) }; } },
    { id: 'message', header: 'Message', width: 'minmax(16rem, 4fr)', cell: (o) => text(o.message) },
    { id: 'count', header: 'Count', width: '4.5rem', align: 'right', cell: (o) => text(o.count ?? 1) },
  ],
};

export function columnsFor(plural: string): Column[] {
  return COLUMNS[plural] ?? [NAME, NAMESPACE, AGE];
}

export function eventTime(e: Obj): string | undefined {
  return e.lastTimestamp || e.eventTime || e.series?.lastObservedTime || e.firstTimestamp || e.metadata?.creationTimestamp;
}

export function nodeRoles(node: Obj): string {
  const roles = Object.keys(labelsOf(node)).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

/** `cpu: 40%/50%` like kubectl's TARGETS column. */
export function hpaTargets(hpa: Obj): string {
  const specs: Obj[] = hpa.spec?.metrics ?? [];
  const current: Obj[] = hpa.status?.currentMetrics ?? [];
  if (!specs.length) return '<none>';
  return specs
    .map((m) => {
      if (m.type !== 'Resource') return `${m.type}`;
      const name = m.resource?.name;
      const target = m.resource?.target ?? {};
      const cur = current.find((c) => c.type === 'Resource' && c.resource?.name === name)?.resource?.current ?? {};
      if (target.type === 'Utilization') return `${name}: ${cur.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/${target.averageUtilization}%`;
      return `${name}: ${cur.averageValue ?? '<unknown>'}/${target.averageValue ?? target.value}`;
    })
    .join(', ');
}

/** Cells of every row, computed once per render of a list. */
export function rowsOf(objects: Obj[], columns: Column[], ctx: CellContext): Array<{ obj: Obj; cells: Cell[] }> {
  return objects.map((obj) => ({ obj, cells: columns.map((c) => c.cell(obj, ctx)) }));
}

export type SortState = { column: string; direction: 'asc' | 'desc' };

/** Stable sort by a column's sort key, names breaking ties. */
export function sortRows<T extends { cells: Cell[]; obj: Obj }>(rows: T[], columns: Column[], sort: SortState | undefined): T[] {
  if (!sort) return rows;
  const index = columns.findIndex((c) => c.id === sort.column);
  if (index < 0) return rows;
  const dir = sort.direction === 'asc' ? 1 : -1;
  const collator = new Intl.Collator(undefined, { numeric: true });
  return [...rows].sort((a, b) => {
    const x = a.cells[index].sort;
    const y = b.cells[index].sort;
    const primary = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return primary * dir || collator.compare(nameOf(a.obj), nameOf(b.obj)) || collator.compare(namespaceOf(a.obj) ?? '', namespaceOf(b.obj) ?? '');
  });
}

/** Case-insensitive text filter over every cell and the labels (`app=web` matches a label). */
export function matchesText(row: { obj: Obj; cells: Cell[] }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const terms = q.split(/\s+/);
  const labels = Object.entries(labelsOf(row.obj)).map(([k, v]) => `${k}=${v}`.toLowerCase());
  const hay = row.cells.map((c) => c.text.toLowerCase());
  return terms.every((t) => hay.some((h) => h.includes(t)) || labels.some((l) => l.includes(t)));
}
