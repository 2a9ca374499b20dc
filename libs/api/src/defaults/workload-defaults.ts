// Defaults of apps/v1 DaemonSet and StatefulSet (Kubernetes' SetDefaults_DaemonSet / _StatefulSet).
import { defaultPodSpec } from './defaults';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = ds.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'updateStrategy', {});
  if (isObj(spec.updateStrategy)) {
    setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
    if (spec.updateStrategy.type === 'RollingUpdate') {
      setDefault(spec.updateStrategy, 'rollingUpdate', {});
      setDefault(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
      setDefault(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
    }
  }
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec);
}

export function defaultStatefulSet(sts: Obj): void {
  const spec = sts.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'updateStrategy', {});
  if (isObj(spec.updateStrategy)) {
    setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
    if (spec.updateStrategy.type === 'RollingUpdate') {
      setDefault(spec.updateStrategy, 'rollingUpdate', {});
      setDefault(spec.updateStrategy.rollingUpdate, 'partition', 0);
    }
  }
  setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {});
  if (isObj(spec.persistentVolumeClaimRetentionPolicy)) {
    setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
    setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
  }
  if (Array.isArray(spec.volumeClaimTemplates)) {
    for (const t of spec.volumeClaimTemplates) if (isObj(t) && isObj(t.spec)) setDefault(t.spec, 'volumeMode', 'Filesystem');
  }
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec);
}
