// DataVolume prints through CDI's CRD additionalPrinterColumns (`kubectl get dv`): Phase,
// Progress, Restarts, Age; `null` where the path finds nothing.
import type { DataVolume } from '../types/cdi';
import { column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const path = (jsonPath: string): string => `Custom resource definition column (in JSONPath format): ${jsonPath}`;

export const dataVolumePrinter: Printer<DataVolume> = {
  columns: [
    NAME_COLUMN,
    column('Phase', 'string', 'The phase the data volume is in'),
    column('Progress', 'string', 'Transfer progress in percentage if known, N/A otherwise'),
    column('Restarts', 'integer', 'The number of times the transfer has been restarted.'),
    column('Age', 'date', path('.metadata.creationTimestamp')),
  ],
  row: (dv, nowMs) => ({
    cells: [
      dv.metadata?.name ?? '',
      dv.status?.phase ?? null,
      dv.status?.progress ?? null,
      dv.status?.restartCount ?? null,
      dv.metadata?.creationTimestamp ? timestampSince(dv.metadata.creationTimestamp, nowMs) : null,
    ],
  }),
};
