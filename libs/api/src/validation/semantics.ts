// Cross-field rules class-validator cannot express per field: uniqueness, references,
// selector/template agreement, requests vs limits. Each returns causes with field paths.
import { Quantity } from '../quantity/quantity';
import { CauseReason, StatusCause } from '../status/status';
import { labelSelectorToRequirements, matchesLabels } from '../selectors/label-selector';
import { isEnvVarName } from './names';
import { checkContainerSecurityContext, checkPodSecurityContext } from './security';
import { checkEndpointSlice, checkService } from './network';
import { checkConfigMap, checkSecret } from './config';
import { checkPersistentVolume, checkPersistentVolumeClaim, checkStorageClass } from './storage';
import { checkEnvSources, checkVolumes, NO_TOKEN_ISSUER } from './pod-volumes';
import { checkVmiConfigVolume, checkVmiDiskSerial } from './vmi-config-volumes';
import { checkCronJob, checkJob } from './batch-checks';
import { checkDaemonSet, checkPodDisruptionBudget, checkStatefulSet } from './workload-checks';
import { checkPodDns } from './pod-dns';
import { checkCertificateSigningRequest } from './certificates';
import { checkDataVolume, checkDataVolumeTemplates } from './cdi';
import { checkPodRefusals, checkTemplateDeadline } from './pod-refusals';
import { checkHostAliases, checkLifecycle } from './pod-lifecycle';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string): StatusCause => ({ reason: CauseReason.Required, field, message: 'Required value' });
const duplicate = (field: string, value: unknown): StatusCause => ({ reason: CauseReason.Duplicate, field, message: `Duplicate value: ${show(value)}` });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: CauseReason.NotSupported,
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});
const notFound = (field: string, value: unknown): StatusCause => ({ reason: CauseReason.NotFound, field, message: `Not found: ${show(value)}` });

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

function checkProbe(probe: unknown, path: string, causes: StatusCause[]): void {
  if (!isObj(probe)) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) causes.push({ reason: CauseReason.Required, field: path, message: 'Required value: must specify a handler type' });
  if (handlers.length > 1) causes.push(forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
}

function checkResources(resources: unknown, path: string, causes: StatusCause[]): void {
  if (!isObj(resources) || !isObj(resources.requests) || !isObj(resources.limits)) return;
  for (const [name, request] of Object.entries(resources.requests)) {
    const limit = resources.limits[name];
    if (limit === undefined) continue;
    const r = Quantity.tryParse(String(request));
    const l = Quantity.tryParse(String(limit));
    if (r && l && r.cmp(l) > 0) causes.push(invalidCause(`${path}.requests`, String(request), `must be less than or equal to ${name} limit of ${String(limit)}`));
  }
}

function checkContainers(containers: Obj[], path: string, volumeNames: Set<string>, causes: StatusCause[], seen: Set<string>): void {
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (typeof c.name === 'string') {
      if (seen.has(c.name)) causes.push(duplicate(`${at}.name`, c.name));
      seen.add(c.name);
    }
    if (c.image === undefined || c.image === '') causes.push(required(`${at}.image`));
    else if (typeof c.image === 'string' && c.image.trim() !== c.image) causes.push(invalidCause(`${at}.image`, c.image, 'must not have leading or trailing whitespace'));
    list(c.env).forEach((env, j) => {
      if (typeof env.name === 'string') for (const problem of isEnvVarName(env.name)) causes.push(invalidCause(`${at}.env[${j}].name`, env.name, problem));
      if (env.value !== undefined && env.valueFrom !== undefined) causes.push(invalidCause(`${at}.env[${j}].valueFrom`, '', 'may not be specified when `value` is not empty'));
    });
    const ports = new Set<string>();
    list(c.ports).forEach((p, j) => {
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      if (ports.has(key)) causes.push(duplicate(`${at}.ports[${j}]`, key));
      ports.add(key);
    });
    list(c.volumeMounts).forEach((m, j) => {
      if (typeof m.name === 'string' && !volumeNames.has(m.name)) causes.push(notFound(`${at}.volumeMounts[${j}].name`, m.name));
    });
    causes.push(...checkEnvSources(c, at));
    checkResources(c.resources, `${at}.resources`, causes);
    causes.push(...checkContainerSecurityContext(c.securityContext, `${at}.securityContext`));
    checkProbe(c.livenessProbe, `${at}.livenessProbe`, causes);
    checkProbe(c.readinessProbe, `${at}.readinessProbe`, causes);
    checkProbe(c.startupProbe, `${at}.startupProbe`, causes);
    if (isObj(c.livenessProbe) && c.livenessProbe.successThreshold !== undefined && c.livenessProbe.successThreshold !== 1) {
      causes.push(invalidCause(`${at}.livenessProbe.successThreshold`, c.livenessProbe.successThreshold, 'must be 1'));
    }
    if (isObj(c.startupProbe) && c.startupProbe.successThreshold !== undefined && c.startupProbe.successThreshold !== 1) {
      causes.push(invalidCause(`${at}.startupProbe.successThreshold`, c.startupProbe.successThreshold, 'must be 1'));
    }
    // Only a liveness or startup probe's failure kills the container (with that grace period).
    if (isObj(c.readinessProbe) && c.readinessProbe.terminationGracePeriodSeconds !== undefined) {
      causes.push(invalidCause(`${at}.readinessProbe.terminationGracePeriodSeconds`, c.readinessProbe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    }
  });
}

/**
 * Init containers run to completion, one after another, before the app starts: probes and
 * lifecycle hooks mean nothing there (Kubernetes refuses them). Sidecars (an init container
 * with restartPolicy Always) are not run by the node agent, so they are refused rather than
 * run as ordinary init containers that would block the pod for ever.
 */
function checkInitContainers(containers: Obj[], path: string, causes: StatusCause[]): void {
  containers.forEach((c, i) => {
    for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[field] !== undefined) causes.push(forbidden(`${path}[${i}].${field}`, 'may not be set for init containers'));
    }
    if (c.restartPolicy !== undefined) causes.push(forbidden(`${path}[${i}].restartPolicy`, 'sidecar containers (init containers with restartPolicy) are not supported'));
  });
}

function checkTolerations(tolerations: unknown, path: string, causes: StatusCause[]): void {
  list(tolerations).forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (t.operator === 'Exists' && t.value) causes.push(invalidCause(`${at}.operator`, t.operator, 'value must be empty when `operator` is \'Exists\''));
    if ((t.operator === undefined || t.operator === 'Equal') && !t.key) causes.push(invalidCause(`${at}.operator`, t.operator ?? 'Equal', "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') causes.push(invalidCause(`${at}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  });
}

function checkNodeAffinity(affinity: unknown, path: string, causes: StatusCause[]): void {
  const required = isObj(affinity) && isObj(affinity.nodeAffinity) ? affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  if (!isObj(required)) return;
  const terms = list(required.nodeSelectorTerms);
  const at = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  if (terms.length === 0) causes.push({ reason: CauseReason.Required, field: at, message: 'Required value: must have at least one node selector term' });
  terms.forEach((term, i) => {
    list(term.matchExpressions).forEach((expr, j) => {
      const field = `${at}[${i}].matchExpressions[${j}].values`;
      const values = Array.isArray(expr.values) ? expr.values : [];
      if ((expr.operator === 'In' || expr.operator === 'NotIn') && values.length === 0) causes.push({ reason: CauseReason.Required, field, message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" });
      if ((expr.operator === 'Exists' || expr.operator === 'DoesNotExist') && values.length > 0) causes.push(forbidden(field, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      if ((expr.operator === 'Gt' || expr.operator === 'Lt') && (values.length !== 1 || !/^-?\d+$/.test(String(values[0])))) causes.push({ reason: CauseReason.Required, field, message: "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'" });
    });
  });
}

export function checkPodSpec(spec: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isObj(spec)) return causes;
  const volumeNames = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    if (typeof v.name !== 'string') return;
    if (volumeNames.has(v.name)) causes.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    volumeNames.add(v.name);
  });
  causes.push(...checkVolumes(spec.volumes, `${path}.volumes`));
  if (Array.isArray(spec.containers) && spec.containers.length === 0) causes.push(required(`${path}.containers`));
  const names = new Set<string>();
  checkContainers(list(spec.containers), `${path}.containers`, volumeNames, causes, names);
  checkContainers(list(spec.initContainers), `${path}.initContainers`, volumeNames, causes, names);
  checkInitContainers(list(spec.initContainers), `${path}.initContainers`, causes);
  const gracePeriod = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  list(spec.containers).forEach((c, i) => {
    if (c.restartPolicy !== undefined) causes.push(forbidden(`${path}.containers[${i}].restartPolicy`, 'may not be set for non-init containers'));
    causes.push(...checkLifecycle(c.lifecycle, `${path}.containers[${i}].lifecycle`, gracePeriod));
  });
  causes.push(...checkHostAliases(spec.hostAliases, `${path}.hostAliases`));
  causes.push(...checkPodRefusals(spec, path));
  causes.push(...checkPodDns(spec, path));
  checkTolerations(spec.tolerations, `${path}.tolerations`, causes);
  checkNodeAffinity(spec.affinity, `${path}.affinity`, causes);
  causes.push(...checkPodSecurityContext(spec, `${path}.securityContext`));
  // Kubernetes mounts the kube-api-access projected token volume unless this is false; asked for explicitly, it is refused.
  if (spec.automountServiceAccountToken === true) causes.push(forbidden(`${path}.automountServiceAccountToken`, `${NO_TOKEN_ISSUER}; leave it unset or set it to false`));
  return causes;
}

export function checkSelectorAgainstTemplate(selector: unknown, template: unknown, path: string, kindWord: string): StatusCause[] {
  if (!isObj(selector)) return [];
  let requirements;
  try {
    requirements = labelSelectorToRequirements(selector as never);
  } catch (error) {
    return [invalidCause(`${path}.selector`, selector, (error as Error).message)];
  }
  if (requirements.length === 0) return [invalidCause(`${path}.selector`, selector, `empty selector is invalid for ${kindWord}`)];
  if (!isObj(template)) return [];
  const labels = isObj(template.metadata) && isObj(template.metadata.labels) ? (template.metadata.labels as Record<string, string>) : {};
  if (!matchesLabels(labels, requirements)) return [invalidCause(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`')];
  return [];
}

const percent = (v: unknown) => (typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) : undefined);

function checkDeployment(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes = checkSelectorAgainstTemplate(spec.selector, spec.template, 'spec', 'deployment');
  if (isObj(spec.template)) {
    causes.push(...checkPodSpec(spec.template.spec, 'spec.template.spec'));
    const policy = isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
    if (policy !== undefined && policy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
    causes.push(...checkTemplateDeadline(spec.template.spec, 'ReplicaSet'));
  }
  const strategy = spec.strategy;
  if (isObj(strategy)) {
    if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    const ru = strategy.rollingUpdate;
    if (isObj(ru)) {
      const surge = ru.maxSurge;
      const unavailable = ru.maxUnavailable;
      const isZero = (v: unknown) => v === 0 || percent(v) === 0;
      if (isZero(surge) && isZero(unavailable)) causes.push(invalidCause('spec.strategy.rollingUpdate.maxUnavailable', unavailable, 'may not be 0 when `maxSurge` is 0'));
      if ((percent(unavailable) ?? 0) > 100) causes.push(invalidCause('spec.strategy.rollingUpdate.maxUnavailable', unavailable, 'must not be greater than 100%'));
    }
  }
  if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) {
    causes.push(invalidCause('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return causes;
}

function checkReplicaSet(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes = checkSelectorAgainstTemplate(spec.selector, spec.template, 'spec', 'replicaset');
  if (isObj(spec.template)) {
    causes.push(...checkPodSpec(spec.template.spec, 'spec.template.spec'));
    const policy = isObj(spec.template.spec) ? spec.template.spec.restartPolicy : undefined;
    if (policy !== undefined && policy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
    causes.push(...checkTemplateDeadline(spec.template.spec, 'ReplicaSet'));
  }
  return causes;
}

function checkHpa(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  const causes: StatusCause[] = [];
  if (!isObj(spec)) return causes;
  if (typeof spec.minReplicas === 'number' && typeof spec.maxReplicas === 'number' && spec.maxReplicas < spec.minReplicas) {
    causes.push(invalidCause('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  list(spec.metrics).forEach((metric, i) => {
    const at = `spec.metrics[${i}]`;
    const sourceKey = metric.type === 'Resource' ? 'resource' : metric.type === 'ContainerResource' ? 'containerResource' : undefined;
    if (!sourceKey) {
      if (typeof metric.type === 'string') causes.push(notSupported(`${at}.type`, metric.type, ['Resource', 'ContainerResource']));
      return;
    }
    const source = metric[sourceKey];
    if (!isObj(source)) return void causes.push({ reason: CauseReason.Required, field: `${at}.${sourceKey}`, message: `Required value: must populate information for the given metric source` });
    const target = source.target;
    if (!isObj(target)) return;
    if (target.type === 'Utilization' && target.averageUtilization === undefined) causes.push({ reason: CauseReason.Required, field: `${at}.${sourceKey}.target.averageUtilization`, message: 'Required value: must set either a target raw value or a target utilization' });
    if (target.type === 'AverageValue' && target.averageValue === undefined) causes.push({ reason: CauseReason.Required, field: `${at}.${sourceKey}.target.averageValue`, message: 'Required value: must set either a target raw value or a target utilization' });
    if (target.type === 'Value') causes.push(notSupported(`${at}.${sourceKey}.target.type`, 'Value', ['Utilization', 'AverageValue']));
  });
  return causes;
}

export function checkVmiSpec(spec: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isObj(spec) || !isObj(spec.domain)) return causes;
  const domain = spec.domain;
  const memory = isObj(domain.resources) && isObj(domain.resources.requests) ? domain.resources.requests.memory : undefined;
  const guest = isObj(domain.memory) ? domain.memory.guest : undefined;
  if (memory === undefined && guest === undefined) {
    causes.push({ reason: CauseReason.Required, field: `${path}.domain.resources.requests.memory`, message: 'Required value: spec.domain.resources.requests.memory or spec.domain.memory.guest must be set' });
  }
  if (isObj(domain.resources)) checkResources(domain.resources, `${path}.domain.resources`, causes);
  const volumes = list(spec.volumes);
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    const at = `${path}.volumes[${i}]`;
    if (typeof v.name === 'string') {
      if (volumeNames.has(v.name)) causes.push(duplicate(`${at}.name`, v.name));
      volumeNames.add(v.name);
    }
    const sources = ['containerDisk', 'cloudInitNoCloud', 'emptyDisk', 'persistentVolumeClaim', 'dataVolume', 'configMap', 'secret', 'serviceAccount'].filter((s) => v[s] !== undefined);
    // The claim of a dataVolume volume has the DataVolume's name (KubeVirt's convention).
    if (v.dataVolume !== undefined && !(isObj(v.dataVolume) && typeof v.dataVolume.name === 'string' && v.dataVolume.name !== '')) causes.push({ reason: CauseReason.Required, field: `${at}.dataVolume.name`, message: 'Required value: the DataVolume to use' });
    if (v.serviceAccount !== undefined) causes.push(forbidden(`${at}.serviceAccount`, `serviceAccount volumes are not supported: ${NO_TOKEN_ISSUER}`));
    if (sources.length === 0) causes.push({ reason: CauseReason.Required, field: at, message: 'Required value: must specify exactly one volume source' });
    if (sources.length > 1) causes.push(forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume source'));
    causes.push(...checkVmiConfigVolume(v, at));
  });
  const devices = isObj(domain.devices) ? domain.devices : {};
  const diskNames = new Set<string>();
  list(devices.disks).forEach((d, i) => {
    if (typeof d.name !== 'string') return;
    if (diskNames.has(d.name)) causes.push(duplicate(`${path}.domain.devices.disks[${i}].name`, d.name));
    diskNames.add(d.name);
    if (!volumeNames.has(d.name)) causes.push(invalidCause(`${path}.domain.devices.disks[${i}].name`, d.name, 'disk must have a matching volume'));
    causes.push(...checkVmiDiskSerial(d.serial, `${path}.domain.devices.disks[${i}].serial`));
  });
  const networks = new Set(list(spec.networks).map((n) => n.name));
  list(devices.interfaces).forEach((iface, i) => {
    if (typeof iface.name === 'string' && !networks.has(iface.name)) causes.push(invalidCause(`${path}.domain.devices.interfaces[${i}].name`, iface.name, 'interface must have a matching network'));
  });
  const kernelBoot = isObj(domain.firmware) ? domain.firmware.kernelBoot : undefined;
  if (isObj(kernelBoot) && !isObj(kernelBoot.container)) {
    causes.push({ reason: CauseReason.Required, field: `${path}.domain.firmware.kernelBoot.container`, message: 'Required value: kernel boot needs a container with the kernel and initrd' });
  }
  checkTolerations(spec.tolerations, `${path}.tolerations`, causes);
  checkNodeAffinity(spec.affinity, `${path}.affinity`, causes);
  causes.push(...checkPodSecurityContext(spec, `${path}.securityContext`));
  return causes;
}

function checkVm(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes: StatusCause[] = [];
  if (spec.running !== undefined && spec.runStrategy !== undefined) causes.push(forbidden('spec.running', 'Running and RunStrategy are mutually exclusive'));
  causes.push(...checkDataVolumeTemplates(spec.dataVolumeTemplates, 'spec.dataVolumeTemplates'));
  if (isObj(spec.template)) causes.push(...checkVmiSpec(spec.template.spec, 'spec.template.spec'));
  return causes;
}

function checkVmirs(obj: Obj): StatusCause[] {
  const spec = obj.spec;
  if (!isObj(spec)) return [];
  const causes = checkSelectorAgainstTemplate(spec.selector, spec.template, 'spec', 'virtualmachineinstancereplicaset');
  if (isObj(spec.template)) causes.push(...checkVmiSpec(spec.template.spec, 'spec.template.spec'));
  return causes;
}

function checkNode(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  list(obj.spec?.taints).forEach((t, i) => {
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) causes.push(duplicate(`spec.taints[${i}]`, key));
    seen.add(key);
  });
  return causes;
}

const CHECKS: Record<string, (obj: Obj) => StatusCause[]> = {
  Pod: (obj) => checkPodSpec(obj.spec, 'spec'),
  Deployment: checkDeployment,
  ReplicaSet: checkReplicaSet,
  HorizontalPodAutoscaler: checkHpa,
  VirtualMachineInstance: (obj) => checkVmiSpec(obj.spec, 'spec'),
  VirtualMachine: checkVm,
  VirtualMachineInstanceReplicaSet: checkVmirs,
  Node: checkNode,
  Service: checkService,
  EndpointSlice: checkEndpointSlice,
  ConfigMap: checkConfigMap,
  Secret: checkSecret,
  PersistentVolume: checkPersistentVolume,
  PersistentVolumeClaim: checkPersistentVolumeClaim,
  StorageClass: checkStorageClass,
  Job: (obj) => checkJob(obj),
  CronJob: (obj) => checkCronJob(obj),
  DaemonSet: (obj) => checkDaemonSet(obj),
  StatefulSet: (obj) => checkStatefulSet(obj),
  PodDisruptionBudget: (obj) => checkPodDisruptionBudget(obj),
  CertificateSigningRequest: checkCertificateSigningRequest,
  DataVolume: checkDataVolume,
};

export function semanticChecks(kind: string, obj: Obj): StatusCause[] {
  return CHECKS[kind]?.(obj) ?? [];
}
