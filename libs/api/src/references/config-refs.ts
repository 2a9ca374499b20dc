// Which Secrets and ConfigMaps a workload uses, by name in its own namespace: what the node
// authorizer lets that workload's node read and what the node agent fetches for it.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ConfigReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const nameOf = (ref: unknown): string | undefined => (isObj(ref) && typeof ref.name === 'string' && ref.name !== '' ? ref.name : undefined);

function add(set: Set<string>, name: string | undefined): void {
  if (name) set.add(name);
}

function fromVolumeSource(v: Obj, refs: ConfigReferences): void {
  add(refs.configMaps, nameOf(v.configMap));
  if (isObj(v.secret)) add(refs.secrets, typeof v.secret.secretName === 'string' ? v.secret.secretName : nameOf(v.secret));
  for (const source of list(isObj(v.projected) ? v.projected.sources : undefined)) {
    add(refs.configMaps, nameOf(source.configMap));
    add(refs.secrets, nameOf(source.secret));
  }
}

/** References of a Pod spec: volumes (also projected), env, envFrom, imagePullSecrets. */
export function podConfigReferences(spec: unknown): ConfigReferences {
  const refs: ConfigReferences = { secrets: new Set(), configMaps: new Set() };
  if (!isObj(spec)) return refs;
  for (const v of list(spec.volumes)) fromVolumeSource(v, refs);
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) {
    for (const e of list(c.env)) {
      if (!isObj(e.valueFrom)) continue;
      add(refs.configMaps, nameOf(e.valueFrom.configMapKeyRef));
      add(refs.secrets, nameOf(e.valueFrom.secretKeyRef));
    }
    for (const e of list(c.envFrom)) {
      add(refs.configMaps, nameOf(e.configMapRef));
      add(refs.secrets, nameOf(e.secretRef));
    }
  }
  for (const s of list(spec.imagePullSecrets)) add(refs.secrets, nameOf(s));
  return refs;
}

/** References of a VMI spec: cloud-init secret refs and configMap/secret volumes (KubeVirt's shapes). */
export function vmiConfigReferences(spec: unknown): ConfigReferences {
  const refs: ConfigReferences = { secrets: new Set(), configMaps: new Set() };
  if (!isObj(spec)) return refs;
  for (const v of list(spec.volumes)) {
    fromVolumeSource(v, refs);
    for (const source of [v.cloudInitNoCloud, v.cloudInitConfigDrive]) {
      if (!isObj(source)) continue;
      add(refs.secrets, nameOf(source.secretRef));
      add(refs.secrets, nameOf(source.networkDataSecretRef));
    }
  }
  return refs;
}

/** References of a Pod or VirtualMachineInstance object. */
export function workloadConfigReferences(obj: Obj): ConfigReferences {
  return obj.kind === 'VirtualMachineInstance' ? vmiConfigReferences(obj.spec) : podConfigReferences(obj.spec);
}
