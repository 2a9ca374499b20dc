// Which PersistentVolumeClaims a workload uses, by name in its own namespace: a Pod's
// `persistentVolumeClaim` volumes, a VMI's `persistentVolumeClaim` (and `dataVolume`, whose
// claim has the DataVolume's name) volumes. Read by the scheduler, the PV controller's
// pvc-protection and the node agent.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Claim names in spec.volumes, in order, each once. */
export function claimNamesOf(obj: { kind?: string; spec?: unknown }): string[] {
  const volumes = isObj(obj.spec) && Array.isArray(obj.spec.volumes) ? (obj.spec.volumes as unknown[]).filter(isObj) : [];
  const names = volumes.map((v) => {
    if (isObj(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName === 'string') return v.persistentVolumeClaim.claimName as string;
    if (obj.kind === 'VirtualMachineInstance' && isObj(v.dataVolume) && typeof v.dataVolume.name === 'string') return v.dataVolume.name as string;
    return '';
  });
  return [...new Set(names.filter((n) => n !== ''))];
}
