// PodDisruptionBudget rows (Kubernetes' printPodDisruptionBudget).
import type { PodDisruptionBudget } from '../types/policy';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const shown = (v: number | string | undefined) => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer<PodDisruptionBudget> = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  row(pdb, nowMs) {
    return { cells: [pdb.metadata?.name ?? '', shown(pdb.spec?.minAvailable), shown(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0, timestampSince(pdb.metadata?.creationTimestamp, nowMs)] };
  },
};
