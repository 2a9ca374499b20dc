// `coxctl get` tables: the server's meta.k8s.io Table (or, for watches and servers that answer
// plain JSON, the same printers from libs/api run here) as rows of cells, with kubectl's
// NAMESPACE / kind-prefixed NAME / -L / --show-labels decorations — what the Table lacks.
import { toTable } from '@coxswain/api/browser';
import type { KubeObject } from '@coxswain/api/browser';
import { Obj } from '../types';
import { formatLabels } from './selector';

export interface TableOptions {
  now: Date;
  wide?: boolean;
  /** -A: a NAMESPACE column first. */
  withNamespace?: boolean;
  /** Several kinds in one output: names as `pod/web`. */
  kindPrefix?: string;
  showLabels?: boolean;
  /** -L key: one column per label key. */
  labelColumns?: string[];
  noHeaders?: boolean;
}

/** A kind's columns and rows before decoration. */
export interface TableData {
  headers: string[];
  /** Per header: only with -o wide. */
  wide: boolean[];
  rows: Array<{ object: Obj; cells: string[] }>;
  /** Whether the first cell is the object's name (kind prefixes go there). */
  hasName: boolean;
}

/** A kind's objects printed here with the API server's printers (libs/api): same columns, same cells. */
export function tableForObjects(kind: string, objects: Obj[], now: Date): TableData {
  return tableFromServer(toTable(kind, objects as KubeObject[], { now, includeObject: 'Object' }) as unknown as Obj);
}

/** A server-side Table (Accept: as=Table;g=meta.k8s.io;v=v1) as TableData. */
export function tableFromServer(table: Obj): TableData {
  const defs = (table.columnDefinitions ?? []) as Obj[];
  return {
    headers: defs.map((d) => String(d.name).toUpperCase()),
    wide: defs.map((d) => (d.priority ?? 0) > 0),
    hasName: defs[0]?.format === 'name' || String(defs[0]?.name).toLowerCase() === 'name',
    rows: ((table.rows ?? []) as Obj[]).map((r) => ({
      object: (r.object ?? {}) as Obj,
      cells: ((r.cells ?? []) as unknown[]).map((c) => (c === null || c === undefined ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c))),
    })),
  };
}

/** Header row (unless noHeaders) and one row per object, decorated per the options. */
export function decorateTable(data: TableData, options: TableOptions): string[][] {
  const keep = data.wide.map((w) => options.wide || !w);
  const labelColumns = options.labelColumns ?? [];
  const header = [
    ...(options.withNamespace ? ['NAMESPACE'] : []),
    ...data.headers.filter((_h, i) => keep[i]),
    ...labelColumns.map((k) => k.split('/').pop()!.toUpperCase()),
    ...(options.showLabels ? ['LABELS'] : []),
  ];
  const rows = data.rows.map(({ object, cells }) => {
    const labels = (object.metadata?.labels ?? {}) as Record<string, string>;
    const kept = cells.filter((_c, i) => keep[i]);
    if (options.kindPrefix && data.hasName) kept[0] = `${options.kindPrefix}/${kept[0]}`;
    return [
      ...(options.withNamespace ? [object.metadata?.namespace ?? ''] : []),
      ...kept,
      ...labelColumns.map((k) => labels[k] ?? ''),
      ...(options.showLabels ? [formatLabels(labels)] : []),
    ];
  });
  return options.noHeaders ? rows : [header, ...rows];
}
