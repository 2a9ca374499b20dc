// KubeVirt kinds print through their CRDs' additionalPrinterColumns: a Name column, then one
// cell per JSONPath, `null` where the path finds nothing, ages for `date` columns.
import { Condition } from '../meta/types';
import type { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '../types/kubevirt';
import { Cell, column, NAME_COLUMN, Printer, TableColumnDefinition } from './columns';
import { timestampSince } from './duration';

const path = (jsonPath: string): string => `Custom resource definition column (in JSONPath format): ${jsonPath}`;
const AGE = column('Age', 'date', path('.metadata.creationTimestamp'));

const conditionStatus = (conditions: Condition[] | undefined, type: string): Cell => conditions?.find((c) => c.type === type)?.status ?? null;
const age = (timestamp: string | undefined, nowMs: number): Cell => (timestamp ? timestampSince(timestamp, nowMs) : null);
const orNull = <T extends Cell>(value: T | undefined): Cell => (value === undefined || value === '' ? null : value);

export const virtualMachinePrinter: Printer<VirtualMachine> = {
  columns: [NAME_COLUMN, AGE, column('Status', 'string', 'Human Readable Status'), column('Ready', 'string', path(".status.conditions[?(@.type=='Ready')].status"))],
  row: (vm, nowMs) => ({
    cells: [vm.metadata?.name ?? '', age(vm.metadata?.creationTimestamp, nowMs), orNull(vm.status?.printableStatus), conditionStatus(vm.status?.conditions, 'Ready')],
  }),
};

export const virtualMachineInstancePrinter: Printer<VirtualMachineInstance> = {
  columns: [
    NAME_COLUMN,
    AGE,
    column('Phase', 'string', path('.status.phase')),
    column('IP', 'string', path('.status.interfaces[0].ipAddress')),
    column('NodeName', 'string', path('.status.nodeName')),
    column('Ready', 'string', path(".status.conditions[?(@.type=='Ready')].status")),
    column('Live-Migratable', 'string', path(".status.conditions[?(@.type=='LiveMigratable')].status"), 1),
    column('Paused', 'string', path(".status.conditions[?(@.type=='Paused')].status"), 1),
  ] as TableColumnDefinition[],
  row: (vmi, nowMs) => ({
    cells: [
      vmi.metadata?.name ?? '',
      age(vmi.metadata?.creationTimestamp, nowMs),
      orNull(vmi.status?.phase),
      orNull(vmi.status?.interfaces?.[0]?.ipAddress),
      orNull(vmi.status?.nodeName),
      conditionStatus(vmi.status?.conditions, 'Ready'),
      conditionStatus(vmi.status?.conditions, 'LiveMigratable'),
      conditionStatus(vmi.status?.conditions, 'Paused'),
    ],
  }),
};

export const virtualMachineInstanceReplicaSetPrinter: Printer<VirtualMachineInstanceReplicaSet> = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Number of desired VirtualMachineInstances'),
    column('Current', 'integer', 'Number of managed and not final or deleted VirtualMachineInstances'),
    column('Ready', 'integer', 'Number of managed VirtualMachineInstances which are ready to receive traffic'),
    AGE,
  ],
  row: (rs, nowMs) => ({
    cells: [rs.metadata?.name ?? '', rs.spec?.replicas ?? null, rs.status?.replicas ?? null, rs.status?.readyReplicas ?? null, age(rs.metadata?.creationTimestamp, nowMs)],
  }),
};
