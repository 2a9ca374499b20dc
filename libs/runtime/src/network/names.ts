// Interface and namespace names for a pod. Linux caps interface names at 15 bytes.
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** 8 hex chars identifying a pod: a UUID's first group (matches `kubectl get pod -o yaml`), else a hash. */
export function uid8(uid: string): string {
  if (UUID.test(uid)) return uid.slice(0, 8).toLowerCase();
  return createHash('sha256').update(uid).digest('hex').slice(0, 8);
}

export interface PodNames {
  netns: string;
  hostVeth: string;
}

export function podNames(uid: string, netnsPrefix: string, vethPrefix: string): PodNames {
  const short = uid8(uid);
  const hostVeth = `${vethPrefix}${short}`;
  if (hostVeth.length > 15) throw new Error(`veth prefix ${vethPrefix} too long (interface names are at most 15 bytes)`);
  return { netns: `${netnsPrefix}${short}`, hostVeth };
}
