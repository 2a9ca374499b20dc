// Deployment and ReplicaSet rows (printDeployment, printReplicaSet).
import { formatRequirements, LabelSelector, labelSelectorToRequirements } from '../selectors/label-selector';
import type { Deployment, ReplicaSet } from '../types/apps';
import { AGE_COLUMN, column, containerCells, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

/** labels.Selector.String(): requirements by key, set values sorted; `<invalid>` if it does not parse. */
export function selectorString(selector: LabelSelector | undefined): string {
  try {
    const requirements = labelSelectorToRequirements(selector)
      .map((r) => (r.operator === 'In' || r.operator === 'NotIn' ? { ...r, values: [...r.values].sort() } : r))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return formatRequirements(requirements);
  } catch {
    return '<invalid>';
  }
}

const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);

export const deploymentPrinter: Printer<Deployment> = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  row(d, nowMs) {
    const status = d.status ?? {};
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return {
      cells: [
        d.metadata?.name ?? '',
        `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
        status.updatedReplicas ?? 0,
        status.availableReplicas ?? 0,
        timestampSince(d.metadata?.creationTimestamp, nowMs),
        names,
        images,
        selectorString(d.spec?.selector as LabelSelector | undefined),
      ],
    };
  },
};

export const replicaSetPrinter: Printer<ReplicaSet> = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  row(rs, nowMs) {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return {
      cells: [
        rs.metadata?.name ?? '',
        rs.spec?.replicas ?? 1,
        rs.status?.replicas ?? 0,
        rs.status?.readyReplicas ?? 0,
        timestampSince(rs.metadata?.creationTimestamp, nowMs),
        names,
        images,
        selectorString(rs.spec?.selector as LabelSelector | undefined),
      ],
    };
  },
};
