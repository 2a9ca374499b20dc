// Server-side printing: what kube-apiserver answers for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get). Every column is
// always present, wide ones (priority 1) included; kubectl hides those without -o wide.
import { KubeObject, ListMeta } from '../meta/types';
import { PRINTERS } from './printers';
import { column, NAME_COLUMN, PartialObjectMetadata, Printer, Table, TableRow } from './columns';
import { toMillis } from './duration';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date | number;
  /** `?includeObject=`; Metadata (kube-apiserver's default) when absent. */
  includeObject?: IncludeObject;
  /** The list's metadata (resourceVersion, continue, remainingItemCount), copied as is. */
  listMeta?: ListMeta | Record<string, unknown>;
  /** The meta.k8s.io version the client asked for. */
  version?: 'v1' | 'v1beta1';
  /**
   * Leave out column definitions: kube-apiserver sends them only with the first event of
   * a watch, and kubectl reuses the last ones it saw.
   */
  noHeaders?: boolean;
}

/** Kinds without a printer of their own get Name and Created At, like DefaultTableConvertor. */
const DEFAULT_PRINTER: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  row: (obj) => ({ cells: [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null] }),
};

export function printerFor(kind: string): Printer {
  return (PRINTERS[kind] as Printer | undefined) ?? DEFAULT_PRINTER;
}

export function toTable(kind: string, objects: readonly KubeObject[], options: TableOptions): Table {
  const printer = printerFor(kind);
  const nowMs = toMillis(options.now);
  const apiVersion = `meta.k8s.io/${options.version ?? 'v1'}` as const;
  const include = options.includeObject ?? 'Metadata';
  const rows = objects.map((obj) => {
    const printed = printer.row(obj, nowMs);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata } satisfies PartialObjectMetadata;
    return row;
  });
  return { kind: 'Table', apiVersion, metadata: (options.listMeta ?? {}) as ListMeta, columnDefinitions: options.noHeaders ? [] : printer.columns, rows };
}
