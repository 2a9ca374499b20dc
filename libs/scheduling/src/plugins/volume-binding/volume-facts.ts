// What VolumeBinding needs to know about a workload's claims and the nodes' local storage,
// reduced from the PVC, PV and StorageClass objects (pure). The scheduler computes it from its
// caches before each attempt; explain() from the objects it is given.
import { claimNamesOf, LOCAL_PROVISIONER, memoryBytes, type NodeSelectorTerm, type PersistentVolume, type PersistentVolumeClaim, type Pod, type StorageClass, type VirtualMachineInstance } from '@coxswain/api/browser';

/** The node resource a node agent reports for the local provisioner's volumes (bytes). */
export const LOCAL_STORAGE_RESOURCE = 'coxswain.io/local-storage';
/** The built-in provisioner whose volumes count against LOCAL_STORAGE_RESOURCE (defined in libs/api). */
export { LOCAL_PROVISIONER };
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export type ClaimState =
  /** No such claim in the namespace. */
  | 'missing'
  | 'deleting'
  /** Bound to a volume; `affinity` restricts nodes. */
  | 'bound'
  /** Bound to a volume that does not exist. */
  | 'lost'
  /** Unbound, its class binds on first consumer: the node must be able to provision it. */
  | 'waitForConsumer'
  /** Unbound and Immediate (or no class): it must bind before the workload can be placed. */
  | 'unboundImmediate';

export interface ClaimFacts {
  name: string;
  state: ClaimState;
  /** The storage request in bytes. */
  bytes: number;
  /** Node affinity terms of the bound volume (bound only). */
  affinity?: NodeSelectorTerm[];
  /** The node a previous attempt selected (waitForConsumer only). */
  selectedNode?: string;
  /** Whether the local provisioner provisions it (waitForConsumer only): its size counts against the node. */
  local?: boolean;
}

export interface VolumeFacts {
  claims: ClaimFacts[];
  /** Bytes of the local provisioner's volumes on each node, existing or promised (selected). */
  localBytesByNode: Record<string, number>;
}

export interface StorageObjects {
  claims: readonly PersistentVolumeClaim[];
  volumes: readonly PersistentVolume[];
  classes: readonly StorageClass[];
}

const bytesOf = (map: Record<string, string> | undefined): number => {
  try {
    return map?.storage === undefined ? 0 : memoryBytes(map.storage);
  } catch {
    return 0;
  }
};

/** The node a volume lives on, from a `kubernetes.io/hostname In [node]` affinity (what the local provisioner writes). */
export function volumeNode(pv: PersistentVolume): string | undefined {
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const req of term.matchExpressions ?? []) if (req.key === HOSTNAME_LABEL && req.operator === 'In' && req.values?.length === 1) return req.values[0];
  }
  return undefined;
}

/** Local bytes per node: provisioned volumes, plus selected claims no volume was made for yet. */
export function localBytesByNode(storage: StorageObjects): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (node: string | undefined, bytes: number) => {
    if (node) out[node] = (out[node] ?? 0) + bytes;
  };
  const provisionedFor = new Set<string>();
  for (const pv of storage.volumes) {
    if (pv.metadata?.annotations?.[PROVISIONED_BY] !== LOCAL_PROVISIONER) continue;
    add(volumeNode(pv), bytesOf(pv.spec?.capacity));
    if (pv.spec?.claimRef?.uid) provisionedFor.add(pv.spec.claimRef.uid);
  }
  for (const c of storage.claims) {
    if (c.spec?.volumeName || provisionedFor.has(c.metadata?.uid ?? '')) continue;
    add(c.metadata?.annotations?.[SELECTED_NODE], bytesOf(c.spec?.resources?.requests));
  }
  return out;
}

function claimFacts(name: string, claim: PersistentVolumeClaim | undefined, storage: StorageObjects): ClaimFacts {
  if (!claim) return { name, state: 'missing', bytes: 0 };
  const bytes = bytesOf(claim.spec?.resources?.requests);
  if (claim.metadata?.deletionTimestamp) return { name, state: 'deleting', bytes };
  const volumeName = claim.spec?.volumeName;
  if (volumeName) {
    const pv = storage.volumes.find((v) => v.metadata?.name === volumeName);
    return pv ? { name, state: 'bound', bytes, affinity: pv.spec?.nodeAffinity?.required?.nodeSelectorTerms } : { name, state: 'lost', bytes };
  }
  const sc = storage.classes.find((c) => c.metadata?.name === (claim.spec?.storageClassName ?? ''));
  if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return { name, state: 'unboundImmediate', bytes };
  return { name, state: 'waitForConsumer', bytes, selectedNode: claim.metadata?.annotations?.[SELECTED_NODE], local: sc.provisioner === LOCAL_PROVISIONER };
}

/** Facts for a Pod or VMI, or undefined when it uses no claim (the plugin then passes at once). */
export function volumeFacts(object: Pod | VirtualMachineInstance, storage: StorageObjects): VolumeFacts | undefined {
  const names = claimNamesOf(object as { kind?: string; spec?: unknown });
  if (!names.length) return undefined;
  const namespace = object.metadata?.namespace ?? '';
  const claims = names.map((n) => claimFacts(n, storage.claims.find((c) => c.metadata?.namespace === namespace && c.metadata?.name === n), storage));
  return { claims, localBytesByNode: claims.some((c) => c.state === 'waitForConsumer' && c.local) ? localBytesByNode(storage) : {} };
}

/** WaitForFirstConsumer claims to annotate with the chosen node before binding the workload. */
export function claimsToSelect(facts: VolumeFacts | undefined): string[] {
  return (facts?.claims ?? []).filter((c) => c.state === 'waitForConsumer' && !c.selectedNode).map((c) => c.name);
}
