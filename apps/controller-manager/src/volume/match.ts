// Which PersistentVolume a claim may bind to (Kubernetes' FindMatchingVolume): a volume
// pre-bound to the claim first; otherwise an unclaimed, Available volume of the same class,
// volume mode and access modes, at least as large as the request, matching the claim's
// selector and (once the scheduler picked a node) reachable from that node. Smallest first.
import { Node, ObjectReferenceFields, PersistentVolume, PersistentVolumeClaim, Quantity, SELECTED_NODE_ANNOTATION, selectorMatches, storageQuantity } from '@coxswain/api';
import { matchesNodeAffinity } from '@coxswain/scheduling';

/** The class a claim asks for ("" = none). */
export const claimClass = (claim: PersistentVolumeClaim): string => claim.spec?.storageClassName ?? '';

/** Whether `ref` (a PV's claimRef) names this claim; a ref without a uid is a pre-binding by name. */
export function refersTo(ref: ObjectReferenceFields | undefined, claim: PersistentVolumeClaim): boolean {
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? '') !== (claim.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** Whether a volume's node affinity admits a node (no affinity admits every node). */
export function volumeFitsNode(pv: PersistentVolume, node: Pick<Node, 'metadata'>): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return matchesNodeAffinity(terms, node.metadata.name ?? '', node.metadata.labels ?? {});
}

function fits(pv: PersistentVolume, claim: PersistentVolumeClaim, request: Quantity | undefined, node: Node | undefined): boolean {
  const spec = pv.spec ?? {};
  if ((spec.storageClassName ?? '') !== claimClass(claim)) return false;
  if ((spec.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = spec.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const capacity = storageQuantity(spec.capacity);
  if (!capacity || (request && capacity.cmp(request) < 0)) return false;
  if (claim.spec?.selector && !selectorMatches(claim.spec.selector as never, pv.metadata.labels)) return false;
  if (node && !volumeFitsNode(pv, node)) return false;
  return true;
}

/**
 * The volume to bind `claim` to, if any. `nodes` resolves the claim's selected node; a
 * selected node that is not known excludes every volume with node affinity.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: PersistentVolume[], nodeByName: (name: string) => Node | undefined): PersistentVolume | undefined {
  const live = volumes.filter((pv) => !pv.metadata.deletionTimestamp);
  const preBound = live.find((pv) => refersTo(pv.spec?.claimRef, claim));
  if (preBound) return preBound;
  const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
  const node = selected ? (nodeByName(selected) ?? ({ metadata: { name: selected, labels: { 'kubernetes.io/hostname': selected } } } as Node)) : undefined;
  const request = storageQuantity(claim.spec?.resources?.requests);
  const candidates = live.filter((pv) => !pv.spec?.claimRef && (pv.status?.phase ?? 'Available') === 'Available' && fits(pv, claim, request, node));
  return candidates.sort((a, b) => storageQuantity(a.spec?.capacity)!.cmp(storageQuantity(b.spec?.capacity)!) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}
