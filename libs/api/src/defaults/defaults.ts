// Server-side defaulting, as Kubernetes (and KubeVirt) apply it before validation. Pure:
// returns a defaulted deep copy and never removes what the client set.
import { KubeObject } from '../meta/types';
import { resourceForKind } from '../resources/registry';
import { defaultEndpointSlice, defaultService } from './network';
import { defaultSecret } from '../validation/config';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from '../validation/storage';
import { defaultCronJob, defaultJob } from './batch-defaults';
import { defaultDaemonSet, defaultStatefulSet } from './workload-defaults';
import { type Obj, setDefault } from './set-default';

const clone = <T>(value: T): T => structuredClone(value);

/** `image` with tag `latest` or without a tag pulls Always; a pinned tag or digest IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe || typeof probe !== 'object') return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (probe.httpGet && typeof probe.httpGet === 'object') {
    setDefault(probe.httpGet, 'path', '/');
    setDefault(probe.httpGet, 'scheme', 'HTTP');
  }
}

function defaultContainer(container: Obj): void {
  if (!container || typeof container !== 'object') return;
  setDefault(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (Array.isArray(container.ports)) for (const port of container.ports) if (port && typeof port === 'object') setDefault(port, 'protocol', 'TCP');
  // Limits without requests request the limit (Kubernetes' rule).
  const resources = container.resources;
  if (resources && typeof resources === 'object' && resources.limits && typeof resources.limits === 'object') {
    resources.requests = { ...resources.limits, ...(resources.requests ?? {}) };
  }
  const lifecycle = container.lifecycle;
  if (lifecycle && typeof lifecycle === 'object') {
    for (const hook of [lifecycle.postStart, lifecycle.preStop]) {
      if (hook?.httpGet && typeof hook.httpGet === 'object') {
        setDefault(hook.httpGet, 'path', '/');
        setDefault(hook.httpGet, 'scheme', 'HTTP');
      }
    }
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
}

export function defaultPodSpec(spec: Obj | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  // No `priority` here: admission (apps/apiserver admission/priority.ts) computes it from
  // priorityClassName on pod create, as Kubernetes' Priority plugin does; a default of 0 would
  // hide the class (and be refused as a priority the class does not give).
  setDefault(spec, 'securityContext', {});
  for (const list of [spec.containers, spec.initContainers]) if (Array.isArray(list)) list.forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      const sources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'projected', 'downwardAPI'];
      if (volume && typeof volume === 'object' && !sources.some((s) => volume[s] !== undefined)) volume.emptyDir = {};
    }
  }
}

function defaultTemplate(template: Obj | undefined): void {
  if (template && typeof template === 'object') defaultPodSpec(template.spec);
}

function defaultVmiSpec(spec: Obj | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  setDefault(spec, 'terminationGracePeriodSeconds', 180);
  setDefault(spec, 'evictionStrategy', 'None');
  const domain = spec.domain;
  if (domain && typeof domain === 'object') {
    setDefault(domain, 'machine', { type: 'q35' });
    setDefault(domain, 'cpu', {});
    if (domain.cpu && typeof domain.cpu === 'object') {
      setDefault(domain.cpu, 'cores', 1);
      setDefault(domain.cpu, 'sockets', 1);
      setDefault(domain.cpu, 'threads', 1);
    }
    setDefault(domain, 'devices', {});
    const devices = domain.devices;
    if (devices && typeof devices === 'object') {
      if (Array.isArray(devices.disks)) {
        for (const disk of devices.disks) {
          if (disk && typeof disk === 'object' && !disk.disk && !disk.cdrom && !disk.lun) disk.disk = { bus: 'virtio' };
          else if (disk?.disk && typeof disk.disk === 'object') setDefault(disk.disk, 'bus', 'virtio');
        }
      }
      // KubeVirt's default: one interface on the pod network with masquerade.
      if (devices.interfaces === undefined && spec.networks === undefined) {
        devices.interfaces = [{ name: 'default', masquerade: {} }];
        spec.networks = [{ name: 'default', pod: {} }];
      }
    }
    const kernelBoot = domain.firmware?.kernelBoot;
    if (kernelBoot?.container && typeof kernelBoot.container === 'object') {
      setDefault(kernelBoot.container, 'imagePullPolicy', defaultPullPolicy(kernelBoot.container.image));
    }
  }
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      const disk = volume?.containerDisk;
      if (disk && typeof disk === 'object') setDefault(disk, 'imagePullPolicy', defaultPullPolicy(disk.image));
    }
  }
}

const DEFAULTERS: Record<string, (obj: Obj) => void> = {
  Namespace(ns) {
    ns.spec = { finalizers: ['kubernetes'], ...(ns.spec ?? {}) };
    ns.status = { phase: 'Active', ...(ns.status ?? {}) };
  },
  Pod(pod) {
    defaultPodSpec(pod.spec);
  },
  Deployment(deploy) {
    const spec = deploy.spec;
    if (!spec || typeof spec !== 'object') return;
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    setDefault(spec, 'strategy', {});
    if (spec.strategy && typeof spec.strategy === 'object') {
      setDefault(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        setDefault(spec.strategy, 'rollingUpdate', {});
        setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
    }
    defaultTemplate(spec.template);
  },
  ReplicaSet(rs) {
    if (!rs.spec || typeof rs.spec !== 'object') return;
    setDefault(rs.spec, 'replicas', 1);
    defaultTemplate(rs.spec.template);
  },
  HorizontalPodAutoscaler(hpa) {
    const spec = hpa.spec;
    if (!spec || typeof spec !== 'object') return;
    setDefault(spec, 'minReplicas', 1);
    if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    }
    if (spec.behavior && typeof spec.behavior === 'object') {
      spec.behavior.scaleUp = {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
        ...(spec.behavior.scaleUp ?? {}),
      };
      spec.behavior.scaleDown = {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        ...(spec.behavior.scaleDown ?? {}),
      };
    }
  },
  Secret: defaultSecret,
  PersistentVolume: defaultPersistentVolume,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  StorageClass: defaultStorageClass,
  Event(event) {
    setDefault(event, 'type', 'Normal');
    setDefault(event, 'count', 1);
  },
  VirtualMachineInstance(vmi) {
    defaultVmiSpec(vmi.spec);
  },
  VirtualMachine(vm) {
    const spec = vm.spec;
    if (!spec || typeof spec !== 'object') return;
    if (spec.running === undefined && spec.runStrategy === undefined) spec.runStrategy = 'Halted';
    defaultVmiSpec(spec.template?.spec);
  },
  Service: defaultService,
  EndpointSlice: defaultEndpointSlice,
  VirtualMachineInstanceReplicaSet(rs) {
    if (!rs.spec || typeof rs.spec !== 'object') return;
    setDefault(rs.spec, 'replicas', 1);
    defaultVmiSpec(rs.spec.template?.spec);
  },
  Job: (job) => defaultJob(job),
  CronJob: (cronJob) => defaultCronJob(cronJob),
  DaemonSet: (ds) => defaultDaemonSet(ds),
  StatefulSet: (sts) => defaultStatefulSet(sts),
};

/**
 * Applies the defaults of the object's kind; `namespace` fills metadata.namespace of
 * namespaced kinds that lack one (the request's namespace, else `default`).
 */
export function applyDefaults<T extends KubeObject>(obj: T, options: { namespace?: string; /** The caller owns `obj` (nothing else holds any part of it): fill it in rather than a copy. */ inPlace?: boolean } = {}): T {
  const out = (options.inPlace ? obj : clone(obj)) as T & Obj;
  const resource = out.kind ? resourceForKind(out.kind) : undefined;
  if (resource) {
    out.apiVersion ??= resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    if (out.metadata && typeof out.metadata === 'object' && resource.namespaced) out.metadata.namespace ??= options.namespace ?? 'default';
  }
  if (out.kind && DEFAULTERS[out.kind]) DEFAULTERS[out.kind](out);
  return out;
}
