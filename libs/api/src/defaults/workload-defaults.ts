// Defaults of apps/v1 DaemonSet and StatefulSet (Kubernetes' SetDefaults_DaemonSet / _StatefulSet).
import { defaultPodSpec } from './defaults';
import { type Obj, isObj, setDefault } from './set-default';

/** `updateStrategy` defaults to RollingUpdate; a RollingUpdate strategy gets `rolling`'s defaults. */
function defaultRollingUpdateStrategy(spec: Obj, rolling: Obj): void {
  setDefault(spec, 'updateStrategy', {});
  const strategy = spec.updateStrategy;
  if (!isObj(strategy)) return;
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type !== 'RollingUpdate') return;
  setDefault(strategy, 'rollingUpdate', {});
  if (!isObj(strategy.rollingUpdate)) return;
  for (const [key, value] of Object.entries(rolling)) setDefault(strategy.rollingUpdate, key, value);
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = ds.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultRollingUpdateStrategy(spec, { maxUnavailable: 1, maxSurge: 0 });
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec);
}

export function defaultStatefulSet(sts: Obj): void {
  const spec = sts.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultRollingUpdateStrategy(spec, { partition: 0 });
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
