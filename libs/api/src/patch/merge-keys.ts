// Strategic-merge list semantics shared by the API server (applying patches) and coxctl
// (computing them): lists of objects merge by these keys, others are replaced. Taints have no
// merge key in Kubernetes (`kubectl taint … key-` sends the whole list).
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
  // KubeVirt
  disks: 'name',
  interfaces: 'name',
  networks: 'name',
  // Node status
  addresses: 'type',
};

/** Primitive lists merged as sets rather than replaced. */
export const MERGED_PRIMITIVE_LISTS: ReadonlySet<string> = new Set(['finalizers']);

/** The merge key of a list field, given the field that holds it (ports differ by parent). */
export function mergeKeyFor(field: string, parentField: string | undefined): string | undefined {
  if (field === 'ports') return parentField === 'containers' || parentField === 'initContainers' ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}
