// Update rules: what may not change once an object exists (Kubernetes' ValidateUpdate).
import { KubeObject } from '../meta/types';
import { CauseReason, StatusCause } from '../status/status';
import { checkEndpointSliceUpdate, checkServiceUpdate } from './network';
import { checkConfigUpdate } from './config';
import { checkPersistentVolumeClaimUpdate, checkPersistentVolumeUpdate, checkStorageClassUpdate } from './storage';
import { checkJobUpdate } from './batch-checks';
import { checkStatefulSetUpdate } from './workload-checks';
import { checkDataVolumeUpdate } from './cdi';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const immutable = (field: string, value: unknown): StatusCause => ({
  reason: CauseReason.Invalid,
  field,
  message: `Invalid value: ${JSON.stringify(value)}: field is immutable`,
});

const POD_MUTABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const POD_SPEC_MUTABLE = new Set(['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'nodeName']); // nodeName: changed only through the binding subresource, checked there

/**
 * The pod spec with the fields Kubernetes lets an update change left out: a shallow copy (a
 * container without its image is a new object; the rest is shared), only ever serialized.
 */
function podSpecSkeleton(spec: Obj | undefined): Obj {
  const copy: Obj = {};
  for (const [key, value] of Object.entries(spec ?? {})) {
    if (POD_SPEC_MUTABLE.has(key)) continue;
    copy[key] = (key === 'containers' || key === 'initContainers') && Array.isArray(value) ? value.map(withoutImage) : value;
  }
  return copy;
}

function withoutImage(container: unknown): unknown {
  if (!container || typeof container !== 'object') return container;
  const { image: _image, ...rest } = container as Obj;
  return rest;
}

function checkPod(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!same(podSpecSkeleton(previous.spec), podSpecSkeleton(next.spec))) {
    causes.push({ reason: CauseReason.Forbidden, field: 'spec', message: `Forbidden: ${POD_MUTABLE}` });
  }
  const before = previous.spec?.nodeName;
  if (before && next.spec?.nodeName !== before) causes.push(immutable('spec.nodeName', next.spec?.nodeName ?? ''));
  const oldTolerations: unknown[] = previous.spec?.tolerations ?? [];
  const newTolerations: unknown[] = next.spec?.tolerations ?? [];
  if (!oldTolerations.every((t) => newTolerations.some((n) => same(n, t)))) {
    causes.push({ reason: CauseReason.Forbidden, field: 'spec.tolerations', message: 'Forbidden: existing toleration can not be modified except its tolerationSeconds' });
  }
  return causes;
}

function checkSelectorImmutable(previous: Obj, next: Obj): StatusCause[] {
  return same(previous.spec?.selector, next.spec?.selector) ? [] : [immutable('spec.selector', next.spec?.selector)];
}

function checkVmi(previous: Obj, next: Obj): StatusCause[] {
  const strip = (spec: Obj | undefined) => {
    const copy: Obj = structuredClone(spec ?? {});
    delete copy.nodeName;
    return copy;
  };
  const causes: StatusCause[] = [];
  if (!same(strip(previous.spec), strip(next.spec))) causes.push({ reason: CauseReason.Forbidden, field: 'spec', message: 'Forbidden: VirtualMachineInstance spec is immutable after creation' });
  const before = previous.spec?.nodeName;
  if (before && next.spec?.nodeName !== before) causes.push(immutable('spec.nodeName', next.spec?.nodeName ?? ''));
  return causes;
}

const UPDATE_CHECKS: Record<string, (previous: Obj, next: Obj) => StatusCause[]> = {
  Pod: checkPod,
  Deployment: checkSelectorImmutable,
  ReplicaSet: checkSelectorImmutable,
  VirtualMachineInstanceReplicaSet: checkSelectorImmutable,
  VirtualMachineInstance: checkVmi,
  Service: checkServiceUpdate,
  EndpointSlice: checkEndpointSliceUpdate,
  ConfigMap: checkConfigUpdate,
  Secret: checkConfigUpdate,
  PersistentVolume: checkPersistentVolumeUpdate,
  PersistentVolumeClaim: checkPersistentVolumeClaimUpdate,
  DataVolume: checkDataVolumeUpdate,
  StorageClass: checkStorageClassUpdate,
  Job: (previous, next) => checkJobUpdate(previous, next),
  DaemonSet: checkSelectorImmutable,
  ControllerRevision: (previous, next) => (same(previous.data, next.data) ? [] : [immutable('data', next.data)]),
  StatefulSet: (previous, next) => [...checkSelectorImmutable(previous, next), ...checkStatefulSetUpdate(previous, next)],
  // The request, signer and usages are what was approved: a changed spec is refused.
  CertificateSigningRequest: (previous, next) => (same(previous.spec, next.spec) ? [] : [immutable('spec', '<spec>')]),
};

/** Causes for changes an update may not make; metadata identity is checked for all kinds. */
export function validateUpdate(previous: KubeObject, next: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (next.metadata?.name !== undefined && next.metadata.name !== previous.metadata?.name) causes.push(immutable('metadata.name', next.metadata.name));
  if (next.metadata?.namespace !== undefined && next.metadata.namespace !== previous.metadata?.namespace) causes.push(immutable('metadata.namespace', next.metadata.namespace));
  if (next.metadata?.uid && next.metadata.uid !== previous.metadata?.uid) causes.push(immutable('metadata.uid', next.metadata.uid));
  if (previous.metadata?.deletionTimestamp && (next.metadata?.finalizers ?? []).some((f) => !(previous.metadata.finalizers ?? []).includes(f))) {
    causes.push({ reason: CauseReason.Forbidden, field: 'metadata.finalizers', message: 'Forbidden: no new finalizers can be added if the object is being deleted' });
  }
  const check = previous.kind ? UPDATE_CHECKS[previous.kind] : undefined;
  if (check) causes.push(...check(previous as unknown as Obj, next as unknown as Obj));
  return causes;
}
