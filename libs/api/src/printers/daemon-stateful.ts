// DaemonSet, StatefulSet and ControllerRevision rows (Kubernetes' printDaemonSet,
// printStatefulSet, printControllerRevision).
import { parseApiVersion } from '../resources/kinds';
import { LabelSelector } from '../selectors/label-selector';
import type { ControllerRevision, DaemonSet, StatefulSet } from '../types/workloads';
import { AGE_COLUMN, column, containerCells, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';
import { selectorString } from './workloads';

const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);

/** labels.FormatLabels: `k=v` sorted by key, `<none>` when empty. */
function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

export const daemonSetPrinter: Printer<DaemonSet> = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node.'),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  row(ds, nowMs) {
    const s = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return {
      cells: [
        ds.metadata?.name ?? '',
        s?.desiredNumberScheduled ?? 0,
        s?.currentNumberScheduled ?? 0,
        s?.numberReady ?? 0,
        s?.updatedNumberScheduled ?? 0,
        s?.numberAvailable ?? 0,
        formatLabels(ds.spec?.template?.spec?.nodeSelector),
        timestampSince(ds.metadata?.creationTimestamp, nowMs),
        names,
        images,
        selectorString(ds.spec?.selector as LabelSelector | undefined),
      ],
    };
  },
};

export const statefulSetPrinter: Printer<StatefulSet> = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN, CONTAINERS, IMAGES],
  row(sts, nowMs) {
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return { cells: [sts.metadata?.name ?? '', `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`, timestampSince(sts.metadata?.creationTimestamp, nowMs), names, images] };
  },
};

/** `daemonset.apps/web`: the controller's group kind and name, `<none>` without one. */
function controllerName(revision: ControllerRevision): string {
  const ref = revision.metadata?.ownerReferences?.find((o) => o.controller);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion ?? '');
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer<ControllerRevision> = {
  columns: [NAME_COLUMN, column('Controller', 'string', 'Controller of the object'), column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'), AGE_COLUMN],
  row(revision, nowMs) {
    return { cells: [revision.metadata?.name ?? '', controllerName(revision), revision.revision ?? 0, timestampSince(revision.metadata?.creationTimestamp, nowMs)] };
  },
};
