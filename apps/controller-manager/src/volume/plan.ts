// The PersistentVolume controller's decisions, pure (Kubernetes' persistentvolume binder plus
// the pvc-protection and pv-protection controllers): bind claims to volumes, ask a provisioner
// for a volume (after the scheduler picked a node for WaitForFirstConsumer), release and
// reclaim volumes whose claim is gone, and drop protection finalizers once nothing uses them.
import {
  BIND_COMPLETED_ANNOTATION,
  BOUND_BY_CONTROLLER_ANNOTATION,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimStatus,
  PersistentVolumeStatus,
  PROVISIONED_BY_ANNOTATION,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  SELECTED_NODE_ANNOTATION,
  StorageClass,
  STORAGE_PROVISIONER_ANNOTATION,
} from '@coxswain/api';
import { claimClass, findMatchingVolume, refersTo } from './match';

export interface VolumeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface ClaimPlan {
  /** The volume with its claimRef set to this claim (to update before the claim). */
  bindVolume?: PersistentVolume;
  /** The claim with new spec.volumeName, annotations or finalizers (to update). */
  updateClaim?: PersistentVolumeClaim;
  /** The claim's status, when it differs. */
  status?: PersistentVolumeClaimStatus;
  events: VolumeEvent[];
}

export interface VolumePlan {
  /** The volume with a changed claimRef or finalizers (to update). */
  updateVolume?: PersistentVolume;
  status?: PersistentVolumeStatus;
  events: VolumeEvent[];
}

export interface ClaimInputs {
  claim: PersistentVolumeClaim;
  volumes: PersistentVolume[];
  classByName(name: string): StorageClass | undefined;
  nodeByName(name: string): Node | undefined;
  /** Whether a non-terminated Pod or VMI names the claim (pvc-protection). */
  inUse: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The status a claim shows once bound to `pv`. */
function boundStatus(pv: PersistentVolume): PersistentVolumeClaimStatus {
  return { phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity?.storage ? { storage: pv.spec.capacity.storage } : undefined };
}

function withStatus(plan: ClaimPlan, claim: PersistentVolumeClaim, status: PersistentVolumeClaimStatus): void {
  const clean = JSON.parse(JSON.stringify(status)) as PersistentVolumeClaimStatus;
  if (!sameJson(claim.status ?? {}, { ...(claim.status ?? {}), ...clean })) plan.status = { ...(claim.status ?? {}), ...clean };
}

function withoutFinalizer<T extends PersistentVolume | PersistentVolumeClaim>(obj: T, finalizer: string): T | undefined {
  if (!obj.metadata.deletionTimestamp || !(obj.metadata.finalizers ?? []).includes(finalizer)) return undefined;
  const out = clone(obj);
  out.metadata.finalizers = (out.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return out;
}

/** claimRef for `claim`, as the binder writes it. */
function claimRefFor(claim: PersistentVolumeClaim) {
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion };
}

function bindVolumeTo(pv: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume | undefined {
  if (pv.spec?.claimRef?.uid === claim.metadata.uid && refersTo(pv.spec?.claimRef, claim)) return undefined;
  const out = clone(pv);
  const preBound = refersTo(pv.spec?.claimRef, claim);
  out.spec = { ...(out.spec ?? {}), claimRef: claimRefFor(claim) };
  if (!preBound) out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' };
  return out;
}

function bindClaimTo(claim: PersistentVolumeClaim, pv: PersistentVolume): PersistentVolumeClaim | undefined {
  const annotations = claim.metadata.annotations ?? {};
  const byController = !claim.spec?.volumeName;
  if (claim.spec?.volumeName === pv.metadata.name && annotations[BIND_COMPLETED_ANNOTATION] === 'yes') return undefined;
  const out = clone(claim);
  out.spec = { ...(out.spec ?? {}), volumeName: pv.metadata.name };
  out.metadata.annotations = { ...annotations, [BIND_COMPLETED_ANNOTATION]: 'yes', ...(byController ? { [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' } : {}) };
  return out;
}

/** What to do about a claim with no volume yet: bind one, or say what it waits for. */
function planUnbound(inputs: ClaimInputs, plan: ClaimPlan): void {
  const { claim } = inputs;
  const pv = findMatchingVolume(claim, inputs.volumes, inputs.nodeByName);
  if (pv) {
    plan.bindVolume = bindVolumeTo(pv, claim);
    plan.updateClaim = bindClaimTo(claim, pv);
    withStatus(plan, claim, boundStatus(pv));
    return;
  }
  withStatus(plan, claim, { phase: 'Pending' });
  const className = claimClass(claim);
  if (className === '') return void plan.events.push({ type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' });
  const sc = inputs.classByName(className);
  if (!sc) return void plan.events.push({ type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` });
  const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
  if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selected) {
    return void plan.events.push({ type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' });
  }
  if (claim.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION] !== sc.provisioner) {
    const out = clone(claim);
    out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [STORAGE_PROVISIONER_ANNOTATION]: sc.provisioner };
    plan.updateClaim = out;
  }
  plan.events.push({
    type: 'Normal',
    reason: 'ExternalProvisioning',
    message: `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  });
}

function planBound(inputs: ClaimInputs, plan: ClaimPlan): void {
  const { claim } = inputs;
  const name = claim.spec!.volumeName!;
  const pv = inputs.volumes.find((v) => v.metadata.name === name);
  if (!pv) {
    if (claim.status?.phase === 'Bound' || claim.status?.phase === 'Lost') {
      withStatus(plan, claim, { phase: 'Lost' });
      if (claim.status?.phase !== 'Lost') plan.events.push({ type: 'Warning', reason: 'ClaimLost', message: 'Bound claim has lost its PersistentVolume. Data on the volume is lost!' });
    } else withStatus(plan, claim, { phase: 'Pending' });
    return;
  }
  const ref = pv.spec?.claimRef;
  if (!ref || refersTo(ref, claim)) {
    plan.bindVolume = bindVolumeTo(pv, claim);
    plan.updateClaim = bindClaimTo(claim, pv);
    withStatus(plan, claim, boundStatus(pv));
    return;
  }
  if (claim.metadata.annotations?.[BIND_COMPLETED_ANNOTATION]) {
    withStatus(plan, claim, { phase: 'Lost' });
    plan.events.push({ type: 'Warning', reason: 'ClaimMisbound', message: 'Two claims are bound to the same volume, this one is bound incorrectly' });
  } else {
    withStatus(plan, claim, { phase: 'Pending' });
    plan.events.push({ type: 'Warning', reason: 'FailedBinding', message: `volume "${name}" already bound to a different claim.` });
  }
}

export function planClaim(inputs: ClaimInputs): ClaimPlan {
  const { claim } = inputs;
  const plan: ClaimPlan = { events: [] };
  if (claim.metadata.deletionTimestamp) {
    if (!inputs.inUse) plan.updateClaim = withoutFinalizer(claim, PVC_PROTECTION_FINALIZER);
    return plan;
  }
  if (claim.spec?.volumeName) planBound(inputs, plan);
  else planUnbound(inputs, plan);
  return plan;
}

/** Kubernetes' syncVolume: the phase a volume is in given its claim, and reclaim on release. */
export function planVolume(pv: PersistentVolume, claimByKey: (namespace: string, name: string) => PersistentVolumeClaim | undefined): VolumePlan {
  const plan: VolumePlan = { events: [] };
  const ref = pv.spec?.claimRef;
  let status: PersistentVolumeStatus;
  if (!ref) status = { phase: 'Available' };
  else {
    const claim = claimByKey(ref.namespace ?? '', ref.name ?? '');
    const same = claim && (!ref.uid || ref.uid === claim.metadata.uid);
    if (same && claim.spec?.volumeName === pv.metadata.name) status = { phase: 'Bound' };
    else if (same && !claim.spec?.volumeName) status = { phase: pv.status?.phase === 'Bound' ? 'Bound' : 'Available' };
    else if (same) {
      // The claim went to another volume: a binding the controller made is undone.
      status = { phase: 'Available' };
      if (pv.metadata.annotations?.[BOUND_BY_CONTROLLER_ANNOTATION]) {
        const out = clone(pv);
        delete out.spec!.claimRef;
        delete out.metadata.annotations![BOUND_BY_CONTROLLER_ANNOTATION];
        plan.updateVolume = out;
      }
    } else if (!ref.uid) status = { phase: 'Available' };
    else status = releasedStatus(pv, plan);
  }
  const keepStatus = { ...(pv.status ?? {}), ...status };
  if (status.phase !== 'Failed' && pv.status?.phase === 'Failed') delete keepStatus.message;
  if (!sameJson(pv.status ?? {}, keepStatus)) plan.status = keepStatus;
  if (status.phase !== 'Bound') {
    const unprotected = withoutFinalizer(plan.updateVolume ?? pv, PV_PROTECTION_FINALIZER);
    if (unprotected) plan.updateVolume = unprotected;
  }
  return plan;
}

/** A volume whose claim is gone: Retain keeps it; Delete is the provisioner's job, or fails. */
function releasedStatus(pv: PersistentVolume, plan: VolumePlan): PersistentVolumeStatus {
  if (pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return { phase: 'Released' };
  if (pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]) return { phase: 'Released' };
  const message = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
  if (pv.status?.phase !== 'Failed') plan.events.push({ type: 'Warning', reason: 'VolumeFailedDelete', message });
  return { phase: 'Failed', message };
}
