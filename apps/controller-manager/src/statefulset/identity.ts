// A StatefulSet pod's identity: `<set>-<ordinal>`, its claims `<template>-<set>-<ordinal>`,
// its labels, hostname and subdomain.
import { CONTROLLER_REVISION_HASH_LABEL, OwnerReference, Pod, POD_INDEX_LABEL, StatefulSet, STATEFULSET_POD_NAME_LABEL } from '@coxswain/api';
import { controllerRef } from '../framework/owners';

export const statefulSetIdentity = (sts: StatefulSet) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: sts.metadata });

export const podName = (sts: StatefulSet, ordinal: number): string => `${sts.metadata.name}-${ordinal}`;
export const claimName = (template: string, sts: StatefulSet, ordinal: number): string => `${template}-${sts.metadata.name}-${ordinal}`;

/** The ordinal in `<set>-<ordinal>`, or undefined for a name that is not one of the set's. */
export function ordinalOf(sts: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${sts.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function newPod(sts: StatefulSet, ordinal: number, revision: string): Pod {
  const meta = sts.spec.template.metadata ?? {};
  const spec = structuredClone(sts.spec.template.spec);
  const name = podName(sts, ordinal);
  const claims = (sts.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name).filter((n): n is string => Boolean(n));
  if (claims.length) {
    const volumes = (spec.volumes ?? []).filter((v) => !claims.includes(v.name));
    for (const template of claims) volumes.push({ name: template, persistentVolumeClaim: { claimName: claimName(template, sts, ordinal) } });
    spec.volumes = volumes;
  }
  spec.hostname = name;
  if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: sts.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: revision, [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [controllerRef(statefulSetIdentity(sts))],
    },
    spec,
  };
}

export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerReference[] };
  spec: Record<string, unknown>;
}

/**
 * The claims an ordinal needs (v1 PersistentVolumeClaim), labelled with the set's selector
 * labels and carrying `ownerReferences` when given (the retention policy's, retention.ts).
 */
export function claimsFor(sts: StatefulSet, ordinal: number, ownerReferences: OwnerReference[] = []): PersistentVolumeClaim[] {
  const selectorLabels = sts.spec.selector.matchLabels ?? {};
  return (sts.spec.volumeClaimTemplates ?? [])
    .filter((t) => t.metadata?.name)
    .map((t) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(t.metadata!.name!, sts, ordinal),
        namespace: sts.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...selectorLabels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ...(ownerReferences.length ? { ownerReferences: ownerReferences.map((r) => ({ ...r })) } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    }));
}

/** The pod a volumeClaimTemplate's claim belongs to: claims are named `<template>-<set>-<ordinal>`. */
export function claimPod(claimName: string, setName: string): string {
  return claimName.slice(claimName.lastIndexOf(`-${setName}-`) + 1);
}
