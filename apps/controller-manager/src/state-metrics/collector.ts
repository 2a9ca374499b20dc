// Registers the cluster-state families on a prom-client registry. Values are computed at
// scrape time from the informers' caches (collect callbacks), so nothing goes stale and
// nothing is kept besides the caches the controllers already hold.
import { KubeObject } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, ResourceDescriptor } from '@coxswain/client';
import { Counter, Gauge, Registry } from 'prom-client';
import { SharedInformers } from '../framework/informers';
import { DEPLOYMENT_FAMILIES, FamilySpec, HPA_FAMILIES, NODE_FAMILIES, POD_FAMILIES, REPLICASET_FAMILIES, VMI_FAMILIES } from './families';

/** The objects of one resource as cached now (empty before the caches fill). */
export type ObjectSource = (resource: ResourceDescriptor) => readonly KubeObject[];

/** Reads objects from the shared informers (creating them: call before informers start). */
export function informerSource(informers: SharedInformers): ObjectSource {
  for (const r of [R.Pod, R.Deployment, R.ReplicaSet, R.Node, R.HorizontalPodAutoscaler, R.VirtualMachineInstance]) informers.for(r);
  return (resource) => informers.for<KubeObject>(resource).store.list();
}

const GROUPS: Array<[ResourceDescriptor, FamilySpec<never>[]]> = [
  [R.Pod, POD_FAMILIES],
  [R.Deployment, DEPLOYMENT_FAMILIES],
  [R.ReplicaSet, REPLICASET_FAMILIES],
  [R.Node, NODE_FAMILIES],
  [R.HorizontalPodAutoscaler, HPA_FAMILIES],
  [R.VirtualMachineInstance, VMI_FAMILIES],
] as unknown as Array<[ResourceDescriptor, FamilySpec<never>[]]>;

export function registerStateMetrics(registry: Registry, source: ObjectSource): void {
  for (const [resource, families] of GROUPS) {
    for (const family of families) {
      const samples = () => family.samples(source(resource) as never[]);
      const base = { name: family.name, help: family.help, labelNames: [...family.labelNames], registers: [registry] };
      if (family.type === 'counter') {
        new Counter({
          ...base,
          collect() {
            this.reset();
            for (const s of samples()) this.inc(s.labels, s.value);
          },
        });
      } else {
        new Gauge({
          ...base,
          collect() {
            this.reset();
            for (const s of samples()) this.set(s.labels, s.value);
          },
        });
      }
    }
  }
}
