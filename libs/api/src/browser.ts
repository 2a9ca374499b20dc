// @coxswain/api/browser: what the browser (and any bundle without decorators) may import —
// object shapes as types only, quantities, selectors, names, Status builders and meta
// helpers. Nothing here loads reflect-metadata or class-validator; the kinds' classes are
// exported as types, so their decorators never run.
export * from './meta/types';
export * from './status/status';
export * from './quantity/quantity';
export * from './selectors/label-selector';
export * from './selectors/field-selector';
export * from './validation/names';
export * from './meta/base64';
export { compareStrings } from './meta/compare';
export * from './references/config-refs';
export { podQosClass, type QosClass } from './qos/qos';
export type * from './types/meta';
export type * from './types/pod';
export type * from './types/cluster';
export type * from './types/apps';
export type * from './types/autoscaling';
export type * from './types/kubevirt';
export type * from './types/config';
export type * from './types/storage';
export * from './types/storage-constants';
export type * from './types/cdi';
export * from './types/cdi-constants';
export type * from './types/certificates';
export * from './types/certificate-constants';
export type { Verb } from './resources/kinds';
export * from './references/claim-refs';
export { jobFromCronJob, MANUAL_INSTANTIATE, type ManualJob } from './batch/manual-job';
export * from './resources/kinds';
export type { ResourceInfo } from './resources/registry';
// Server-side printing (meta.k8s.io Tables): one copy of the columns, the Pod STATUS and the
// human durations, for the API server, coxctl and the dashboard.
export { toTable, printerFor, type TableOptions, type IncludeObject } from './printers/to-table';
export { humanDuration, timestampSince } from './printers/duration';
export { nodeRoles, hpaTargets } from './printers/cluster';
export type { Table, TableRow, TableColumnDefinition, TableRowCondition, PartialObjectMetadata, Cell, Printer, PrintedRow } from './printers/columns';
