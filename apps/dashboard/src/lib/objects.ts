// The loose object shape the dashboard reads: whatever the API returned, accessed defensively.
/* eslint-disable @typescript-eslint/no-explicit-any */
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
