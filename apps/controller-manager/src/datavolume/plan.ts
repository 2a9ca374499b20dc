// DataVolume (CDI) → its claim and its status. Pure: the claim to create, the status to write
// and the Events for a phase change, from the DataVolume, its claim and the claim's class.
// The import itself runs in the node agent that holds the volume (WaitForFirstConsumer: once
// a consumer is scheduled); it reports on the claim's `cdi.kubevirt.io/Import` condition,
// which is folded in here.
import {
  CDI_CONTENT_TYPE_ANNOTATION,
  CDI_CREATED_FOR_ANNOTATION,
  CDI_ENDPOINT_ANNOTATION,
  CDI_SOURCE_ANNOTATION,
  Condition,
  controllerOf,
  DataVolume,
  DataVolumePhase,
  DataVolumeStatus,
  IMPORT_FAILED,
  IMPORT_IN_PROGRESS,
  IMPORT_SUCCEEDED,
  importStateOf,
  PersistentVolumeClaim,
  SELECTED_NODE_ANNOTATION,
  setCondition,
  StorageClass,
} from '@coxswain/api';
import { deepEqual } from '../framework/objects';
import { controllerRef } from '../framework/owners';

export interface DataVolumeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface DataVolumePlan {
  createClaim?: PersistentVolumeClaim;
  /** Undefined when the status is already what it should be. */
  status?: DataVolumeStatus;
  events: DataVolumeEvent[];
}

export interface DataVolumeInput {
  dv: DataVolume;
  claim: PersistentVolumeClaim | undefined;
  /** The claim's StorageClass (its name, or the default class for a claim that names none). */
  storageClass(name: string | undefined): StorageClass | undefined;
  now: string;
}

/** The claim CDI makes for a DataVolume: same name, owned by it, annotated with what to import. */
export function claimFor(dv: DataVolume): PersistentVolumeClaim {
  const spec = dv.spec.storage ?? dv.spec.pvc ?? {};
  const registry = dv.spec.source?.registry;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: dv.metadata.name,
      namespace: dv.metadata.namespace,
      labels: { ...(dv.metadata.labels ?? {}), app: 'containerized-data-importer', 'app.kubernetes.io/component': 'storage', 'app.kubernetes.io/managed-by': 'cdi-controller' },
      annotations: {
        [CDI_SOURCE_ANNOTATION]: registry ? 'registry' : 'none',
        ...(registry?.url ? { [CDI_ENDPOINT_ANNOTATION]: registry.url } : {}),
        [CDI_CONTENT_TYPE_ANNOTATION]: 'kubevirt',
        [CDI_CREATED_FOR_ANNOTATION]: dv.metadata.uid!,
      },
      ownerReferences: [controllerRef({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: dv.metadata })],
    },
    spec: {
      accessModes: spec.accessModes?.length ? spec.accessModes : ['ReadWriteOnce'],
      resources: { requests: { storage: spec.resources?.requests?.storage ?? '' } },
      volumeMode: 'Filesystem',
      ...(spec.storageClassName !== undefined ? { storageClassName: spec.storageClassName } : {}),
    },
  } as PersistentVolumeClaim;
}

type Cond = Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string };

interface Observed {
  phase: DataVolumePhase;
  progress: string;
  bound: Cond;
  running: Cond;
  ready: Cond;
  event?: DataVolumeEvent;
}

function observe(dv: DataVolume, claim: PersistentVolumeClaim | undefined, storageClass: DataVolumeInput['storageClass']): Observed {
  const name = dv.metadata.name!;
  const notRunning: Cond = { type: 'Running', status: 'False' };
  const notReady: Cond = { type: 'Ready', status: 'False' };
  if (!claim) return { phase: 'Pending', progress: 'N/A', bound: { type: 'Bound', status: 'Unknown', message: 'No PVC found', reason: 'NotFound' }, running: notRunning, ready: notReady };
  const boundNow = claim.status?.phase === 'Bound';
  const bound: Cond = boundNow
    ? { type: 'Bound', status: 'True', reason: 'Bound', message: `PVC ${name} Bound` }
    : { type: 'Bound', status: 'False', reason: 'Pending', message: `PVC ${name} Pending` };
  const state = boundNow ? importStateOf(claim) : undefined;
  if (state?.reason === IMPORT_SUCCEEDED) {
    return {
      phase: 'Succeeded', progress: '100.0%', bound, running: { type: 'Running', status: 'False', reason: 'Completed' }, ready: { type: 'Ready', status: 'True' },
      event: { type: 'Normal', reason: 'ImportSucceeded', message: `Successfully imported into PVC ${name}` },
    };
  }
  if (state?.reason === IMPORT_FAILED) {
    return {
      phase: 'Failed', progress: 'N/A', bound, running: { type: 'Running', status: 'False', reason: 'Error', message: state.message }, ready: notReady,
      event: { type: 'Warning', reason: 'ErrImportFailed', message: `Unable to import into PVC ${claim.metadata.namespace}/${name}: ${state.message}` },
    };
  }
  if (state?.reason === IMPORT_IN_PROGRESS) {
    return {
      phase: 'ImportInProgress', progress: /^\d+(\.\d+)?%$/.test(state.message) ? state.message : 'N/A', bound, running: { type: 'Running', status: 'True', reason: 'Pod is running' }, ready: notReady,
      event: { type: 'Normal', reason: 'ImportInProgress', message: `Import into ${name} in progress` },
    };
  }
  const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
  if (boundNow || selected) {
    return { phase: 'ImportScheduled', progress: 'N/A', bound, running: notRunning, ready: notReady, event: { type: 'Normal', reason: 'ImportScheduled', message: `Import into ${name} scheduled` } };
  }
  if (storageClass(claim.spec?.storageClassName)?.volumeBindingMode === 'WaitForFirstConsumer') {
    return {
      phase: 'WaitForFirstConsumer', progress: 'N/A', bound: { ...bound, reason: 'WaitForFirstConsumer' }, running: notRunning, ready: notReady,
      event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: `PVC ${name} is waiting for a consumer to be scheduled before it is bound and populated` },
    };
  }
  return { phase: 'Pending', progress: 'N/A', bound, running: notRunning, ready: notReady, event: { type: 'Normal', reason: 'Pending', message: `PVC ${name} Pending` } };
}

const sameStatus = (a: DataVolumeStatus | undefined, b: DataVolumeStatus) => deepEqual(a ?? {}, b);

export function planDataVolume({ dv, claim, storageClass, now }: DataVolumeInput): DataVolumePlan {
  const events: DataVolumeEvent[] = [];
  if (dv.metadata.deletionTimestamp) return { events };
  if (claim && controllerOf(claim)?.uid !== dv.metadata.uid) {
    // CDI's ErrResourceExists: someone else's claim of that name is never taken over.
    const message = `Resource "${claim.metadata.name}" already exists and is not managed by DataVolume`;
    const status: DataVolumeStatus = { ...dv.status, phase: 'Pending' };
    const changed = dv.status?.phase !== 'Pending' || !dv.status;
    return { status: changed ? status : undefined, events: changed ? [{ type: 'Warning', reason: 'ErrResourceExists', message }] : [] };
  }
  // A final import is never re-derived from a claim that changed later (deleted and remade by hand, say).
  if (dv.status?.phase === 'Succeeded' && claim) return { events };
  const seen = observe(dv, claim, storageClass);
  let conditions = dv.status?.conditions ?? [];
  for (const c of [seen.bound, seen.ready, seen.running]) conditions = setCondition(conditions, c as Condition, now);
  const status: DataVolumeStatus = { phase: seen.phase, progress: seen.progress, restartCount: 0, claimName: dv.metadata.name, conditions };
  if (seen.phase !== dv.status?.phase && seen.event) events.push(seen.event);
  return { createClaim: claim ? undefined : claimFor(dv), status: sameStatus(dv.status, status) ? undefined : status, events };
}
