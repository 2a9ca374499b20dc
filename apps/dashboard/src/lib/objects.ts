// The loose object shape the dashboard reads: whatever the API returned, accessed defensively.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { formatLabelSelector, selectorMatches } from '@coxswain/api/browser';
export type Obj = Record<string, any>;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export const nameOf = (o: Obj): string => o?.metadata?.name ?? '';
export const namespaceOf = (o: Obj): string | undefined => o?.metadata?.namespace || undefined;
/** Store key of an object: `ns/name` or `name`. */
export const keyOf = (o: Obj): string => (namespaceOf(o) ? `${namespaceOf(o)}/${nameOf(o)}` : nameOf(o));
export const conditionsOf = (o: Obj): Condition[] => (Array.isArray(o?.status?.conditions) ? o.status.conditions : []);
export const condition = (o: Obj, type: string): Condition | undefined => conditionsOf(o).find((c) => c.type === type);
export const ownersOf = (o: Obj): OwnerReference[] => (Array.isArray(o?.metadata?.ownerReferences) ? o.metadata.ownerReferences : []);
export const controllerOf = (o: Obj): OwnerReference | undefined => ownersOf(o).find((r) => r.controller) ?? ownersOf(o)[0];
export const isOwnedBy = (o: Obj, uid: string | undefined): boolean => Boolean(uid) && ownersOf(o).some((r) => r.uid === uid);
export const labelsOf = (o: Obj): Record<string, string> => o?.metadata?.labels ?? {};

/** Workloads whose pods hang off an intermediate owner: Deployment → ReplicaSets, CronJob → Jobs. */
export const POD_OWNER_VIA: Record<string, string> = { deployments: 'replicasets', cronjobs: 'jobs' };

/**
 * Whether a kind's objects own pods: those with a container pod template (ReplicaSets, Jobs,
 * DaemonSets, StatefulSets and any later workload kind) or owning them through POD_OWNER_VIA.
 */
export function ownsPods(plural: string, obj: Obj | undefined): boolean {
  return plural in POD_OWNER_VIA || Array.isArray(obj?.spec?.template?.spec?.containers);
}

/** The objects owned by any of the owners' uids. */
export function ownedBy(items: Obj[], owners: ReadonlySet<string | undefined>): Obj[] {
  return items.filter((o) => ownersOf(o).some((r) => owners.has(r.uid)));
}

/** A Secret with every data and stringData value replaced, for showing until revealed. */
export function maskSecret(secret: Obj): Obj {
  const mask = (values: unknown) => (values && typeof values === 'object' ? Object.fromEntries(Object.keys(values).map((k) => [k, '••••••'])) : values);
  const out: Obj = { ...secret };
  if (secret.data) out.data = mask(secret.data);
  if (secret.stringData) out.stringData = mask(secret.stringData);
  return out;
}

/** Kinds that cover pods (and VMIs) by label selector rather than owning them. */
export const SELECTS_PODS = ['poddisruptionbudgets'];

/** `spec.selector` as a list query (matchLabels and matchExpressions); `''` selects everything. */
export const selectorQuery = (o: Obj): string => formatLabelSelector(o?.spec?.selector);

/** The items `spec.selector` matches; none when the object has no selector. */
export const selectedBy = (items: Obj[], o: Obj): Obj[] => (o?.spec?.selector ? items.filter((i) => selectorMatches(o.spec.selector, labelsOf(i))) : []);
