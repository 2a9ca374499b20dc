/**
 * The minimal Kubernetes object shapes the client handles generically. Metadata and Status
 * shapes are libs/api's (through its browser-safe entry, types only); typed kinds from
 * @coxswain/api are structurally compatible (they all carry metadata). The client's own
 * KubeObject and Status keep metadata optional: that is what arrives over the wire.
 */
import type { ListMeta, ObjectMeta, OwnerReference, StatusCause, StatusDetails } from '@coxswain/api/browser';
export type { ListMeta, ObjectMeta, OwnerReference, StatusCause, StatusDetails };

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

/** The `kind: Status` object the API answers errors (and some deletes) with. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata?: ListMeta;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** `namespace/name`, or `name` for cluster-scoped objects — the cache and work-queue key. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Inverse of objectKey. */
export function splitObjectKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
