// List columns: the API server's Table for the kind (libs/api's printers — the same columns,
// cells and priorities kubectl shows; priority > 0 only when wide). What the Table lacks is
// added here: a Namespace column, links (name, node, involved object, scale target), status
// tones, sort keys (times and numbers rather than their text) and the nodes' CPU and memory.
import { hpaTargets as apiHpaTargets, nodeRoles as apiNodeRoles, printerFor, type Cell as TableCell, type KubeObject, type Printer } from '@coxswain/api/browser';
import { timeOf } from './age';
import { detailHref, kindByPlural, refHref } from './kinds';
import { labelsOf, nameOf, namespaceOf, Obj } from './objects';
import { formatBytes, formatCpu, quantityOrZero } from './quantity';
import { rolloutTone, toneOf, Tone } from './status';

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
  /** Shown only in the wide view (the Table column's priority > 0). */
  wide?: boolean;
  cell(obj: Obj, ctx: CellContext): Cell;
}

export interface CellContext {
  now: number;
  plural: string;
  /** The object's printed Table cells (rowsOf fills it once per object). */
  printed?: TableCell[];
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const textOf = (c: TableCell | undefined) => (c === null || c === undefined || c === '' ? '–' : String(c));
const NODE_COLUMNS = new Set(['node', 'nominated-node', 'nodename']);
const STATUS_COLUMNS = new Set(['status', 'phase', 'type']);
const TIME_COLUMNS = new Set(['age', 'last-seen', 'first-seen', 'created-at', 'last-schedule', 'duration']);

function printed(obj: Obj, ctx: CellContext, printer: Printer): TableCell[] {
  return ctx.printed ?? printer.row(obj as KubeObject, ctx.now).cells;
}

/** Sort key of a printed cell: `3/4` → 0.75, numbers as numbers, text otherwise. */
function sortKey(text: string, raw: TableCell): string | number {
  if (typeof raw === 'number') return raw;
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  if (fraction) return Number(fraction[2]) ? Number(fraction[1]) / Number(fraction[2]) : 0;
  const leading = /^(\d+)( |$)/.exec(text);
  return leading ? Number(leading[1]) : text;
}

/** What the Table lacks for one column: its link, tone and sort key. */
function decorate(id: string, raw: TableCell, obj: Obj, ctx: CellContext, kind: string): Cell {
  const text = textOf(raw);
  const cell: Cell = { text, sort: sortKey(text, raw) };
  if (id === 'name') {
    const k = kindByPlural(ctx.plural);
    if (k) cell.href = detailHref(k, namespaceOf(obj), nameOf(obj));
  } else if (NODE_COLUMNS.has(id) && raw) {
    cell.href = detailHref({ plural: 'nodes', namespaced: false }, undefined, String(raw));
  } else if (id === 'object' && kind === 'Event') {
    cell.href = refHref(obj.involvedObject ?? obj.regarding ?? {}, namespaceOf(obj));
  } else if (id === 'reference' && kind === 'HorizontalPodAutoscaler') {
    cell.href = refHref(obj.spec?.scaleTargetRef ?? {}, namespaceOf(obj));
  } else if (STATUS_COLUMNS.has(id)) {
    cell.tone = kind === 'Event' ? (text === 'Warning' ? 'warn' : 'muted') : toneOf(text);
  } else if (id === 'ready' && /^\d+\/\d+$/.test(text)) {
    cell.tone = kind === 'Pod' ? (text.split('/')[0] === text.split('/')[1] && text !== '0/0' ? 'ok' : 'progress') : rolloutTone(obj);
  } else if (id === 'restarts' && kind === 'Pod') {
    cell.tone = /^0( |$)/.test(text) ? undefined : 'warn';
  }
  if (TIME_COLUMNS.has(id)) {
    const t = id === 'last-seen' ? eventTime(obj) : id === 'first-seen' ? obj.firstTimestamp ?? obj.eventTime : id === 'last-schedule' ? obj.status?.lastScheduleTime : id === 'duration' ? undefined : obj.metadata?.creationTimestamp;
    if (t) cell.sort = -timeOf(t);
  }
  return cell;
}

function width(id: string, index: number): string {
  if (index === 0) return 'minmax(12rem, 2fr)';
  if (id === 'message') return 'minmax(16rem, 4fr)';
  if (TIME_COLUMNS.has(id)) return '6rem';
  return 'minmax(6rem, 1fr)';
}

const NAMESPACE: Column = { id: 'namespace', header: 'Namespace', width: 'minmax(7rem, 1fr)', cell: (o) => ({ text: namespaceOf(o) ?? '–', sort: namespaceOf(o) ?? '' }) };

/** Allocatable CPU and memory: the Node Table has neither. */
const NODE_EXTRAS: Column[] = [
  { id: 'cpu', header: 'CPU', width: '5rem', align: 'right', cell: (o) => { const c = quantityOrZero(o.status?.allocatable?.cpu ?? o.status?.capacity?.cpu); return { text: formatCpu(c), sort: c }; } },
  { id: 'memory', header: 'Memory', width: '6rem', align: 'right', cell: (o) => { const m = quantityOrZero(o.status?.allocatable?.memory ?? o.status?.capacity?.memory); return { text: formatBytes(m), sort: m }; } },
];

/** A kind's columns: the Table's (wide ones only when asked), the namespace after the name. */
export function columnsFor(plural: string, options: { wide?: boolean } = {}): Column[] {
  const kind = kindByPlural(plural);
  const kindName = kind?.kind ?? '';
  const printer = printerFor(kindName);
  const table: Column[] = printer.columns
    .map((def, index) => ({ def, index }))
    .filter(({ def }) => options.wide || !(def.priority > 0))
    .map(({ def, index }) => {
      const id = slug(def.name);
      return {
        id, header: def.name, width: width(id, index), wide: def.priority > 0,
        align: def.type === 'integer' || def.type === 'number' ? ('right' as const) : undefined,
        cell: (o: Obj, ctx: CellContext) => decorate(id, printed(o, ctx, printer)[index], o, ctx, kindName),
      };
    });
  const extras = plural === 'nodes' ? NODE_EXTRAS : [];
  const withNamespace = kind?.namespaced ? [table[0], NAMESPACE, ...table.slice(1)] : table;
  return [...withNamespace, ...extras];
}

export function eventTime(e: Obj): string | undefined {
  return e.lastTimestamp || e.eventTime || e.series?.lastObservedTime || e.firstTimestamp || e.metadata?.creationTimestamp;
}

/** `control-plane,worker`, or `<none>`: the Node printer's ROLES. */
export function nodeRoles(node: Obj): string {
  const roles = apiNodeRoles(labelsOf(node));
  return roles.length ? roles.join(',') : '<none>';
}

/** `cpu: 40%/50%`-style TARGETS: the HorizontalPodAutoscaler printer's. */
export function hpaTargets(hpa: Obj): string {
  return apiHpaTargets(hpa.spec?.metrics, hpa.status?.currentMetrics);
}

/** Cells of every row, computed once per render of a list. */
export function rowsOf(objects: Obj[], columns: Column[], ctx: CellContext): Array<{ obj: Obj; cells: Cell[] }> {
  const printer = printerFor(kindByPlural(ctx.plural)?.kind ?? '');
  return objects.map((obj) => {
    const withRow = { ...ctx, printed: printer.row(obj as KubeObject, ctx.now).cells };
    return { obj, cells: columns.map((c) => c.cell(obj, withRow)) };
  });
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
