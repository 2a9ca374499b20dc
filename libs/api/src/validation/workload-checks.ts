// Cross-field rules for apps/v1 DaemonSet and StatefulSet, worded like Kubernetes' apps validation.
import { CauseReason, StatusCause } from '../status/status';
import { checkPodSpec, checkSelectorAgainstTemplate } from './semantics';
import { checkTemplateDeadline } from './pod-refusals';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const percent = (v: unknown) => (typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) : undefined);
const isZero = (v: unknown) => v === undefined || v === 0 || percent(v) === 0;

function checkTemplate(spec: Obj, kindWord: 'daemonset' | 'statefulset'): StatusCause[] {
  const causes = checkSelectorAgainstTemplate(spec.selector, spec.template, 'spec', kindWord);
  if (isObj(spec.template)) {
    causes.push(...checkPodSpec(spec.template.spec, 'spec.template.spec'));
    const policy = isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
    if (policy !== undefined && policy !== 'Always') {
      causes.push({ reason: CauseReason.NotSupported, field: 'spec.template.spec.restartPolicy', message: `Unsupported value: ${show(policy)}: supported values: "Always"` });
    }
    causes.push(...checkTemplateDeadline(spec.template.spec, kindWord === 'daemonset' ? 'DaemonSet' : 'StatefulSet'));
  }
  return causes;
}

export function checkDaemonSet(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes = checkTemplate(spec, 'daemonset');
  const ru = isObj(spec.updateStrategy) ? spec.updateStrategy.rollingUpdate : undefined;
  if (isObj(ru)) {
    if (spec.updateStrategy.type === 'OnDelete') causes.push({ reason: CauseReason.Forbidden, field: 'spec.updateStrategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'OnDelete'" });
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) causes.push(invalidCause('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    if ((percent(ru.maxUnavailable) ?? 0) > 100) causes.push(invalidCause('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must not be greater than 100%'));
  }
  return causes;
}

export function checkStatefulSet(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  // Mounts may name a volumeClaimTemplate: the controller adds that volume to each pod.
  const claimTemplates = new Set((Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).map((t: unknown) => (isObj(t) && isObj(t.metadata) ? t.metadata.name : undefined)));
  const causes = checkTemplate(spec, 'statefulset').filter(
    (c) => !(c.reason === CauseReason.NotFound && /\.volumeMounts\[\d+\]\.name$/.test(c.field ?? '') && [...claimTemplates].some((n) => c.message === `Not found: ${show(n)}`)),
  );
  const strategy = isObj(spec.updateStrategy) ? spec.updateStrategy : undefined;
  if (strategy?.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
    causes.push({ reason: CauseReason.Forbidden, field: 'spec.updateStrategy.rollingUpdate', message: "Forbidden: only allowed for updateStrategy 'RollingUpdate'" });
  }
  const maxUnavailable = isObj(strategy?.rollingUpdate) ? strategy.rollingUpdate.maxUnavailable : undefined;
  if (maxUnavailable !== undefined) {
    const field = 'spec.updateStrategy.rollingUpdate.maxUnavailable';
    if ((percent(maxUnavailable) ?? Number(maxUnavailable)) < 1) causes.push(invalidCause(field, maxUnavailable, 'must be greater than 0'));
    if ((percent(maxUnavailable) ?? 0) > 100) causes.push(invalidCause(field, maxUnavailable, 'must not be greater than 100%'));
  }
  const names = new Set<string>();
  (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).forEach((t: unknown, i: number) => {
    const name = isObj(t) && isObj(t.metadata) ? t.metadata.name : undefined;
    if (typeof name !== 'string' || name === '') causes.push({ reason: CauseReason.Required, field: `spec.volumeClaimTemplates[${i}].metadata.name`, message: 'Required value' });
    else if (names.has(name)) causes.push({ reason: CauseReason.Duplicate, field: `spec.volumeClaimTemplates[${i}].metadata.name`, message: `Duplicate value: ${show(name)}` });
    else names.add(name);
  });
  return causes;
}

/** StatefulSet updates may change only replicas, template, updateStrategy, minReadySeconds, ordinals and the retention policy. */
export function checkStatefulSetUpdate(previous: Obj, next: Obj): StatusCause[] {
  const strip = (spec: Obj | undefined) => {
    const { replicas: _r, template: _t, updateStrategy: _u, minReadySeconds: _m, persistentVolumeClaimRetentionPolicy: _p, ordinals: _o, revisionHistoryLimit: _h, ...rest } = spec ?? {};
    return JSON.stringify(rest);
  };
  if (strip(previous.spec) === strip(next.spec)) return [];
  return [{ reason: CauseReason.Forbidden, field: 'spec', message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" }];
}

export function checkPodDisruptionBudget(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes: StatusCause[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    causes.push(invalidCause('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    const value = spec[field];
    if ((percent(value) ?? 0) > 100) causes.push(invalidCause(`spec.${field}`, value, 'must not be greater than 100%'));
    if (typeof value === 'number' && value < 0) causes.push(invalidCause(`spec.${field}`, value, 'must be greater than or equal to 0'));
  }
  return causes;
}
