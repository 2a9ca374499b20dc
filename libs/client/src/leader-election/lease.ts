import { BUILTIN_RESOURCES } from '../core/builtin-resources';
import { KubeObject } from '../core/types';

export const LEASE_RESOURCE = BUILTIN_RESOURCES.Lease;

/** coordination.k8s.io/v1 LeaseSpec. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with microseconds. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** Kubernetes MicroTime, e.g. 2025-01-01T00:00:00.000000Z. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
