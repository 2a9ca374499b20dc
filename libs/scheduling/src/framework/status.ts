// A filter's verdict as a value, never an exception (kube-scheduler's framework.Status):
// "does not fit" is an ordinary outcome; Error is only for the unexpected.

export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

export interface Status {
  readonly code: StatusCode;
  /** Human reasons, counted per node in the failure message (e.g. 'Insufficient memory'). */
  readonly reasons: readonly string[];
}

/** Shared, so the hot path (most nodes pass) allocates nothing. */
export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as readonly string[] });

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const errorStatus = (...reasons: string[]): Status => ({ code: 'Error', reasons });

/** A frozen status for a reason that never varies, built once per plugin. */
export function constantStatus(code: Exclude<StatusCode, 'Success'>, reason: string): Status {
  return Object.freeze({ code, reasons: Object.freeze([reason]) as readonly string[] });
}

export const isSuccess = (status: Status): boolean => status.code === 'Success';

/** Rejected for a reason the cluster may resolve later (as opposed to Success or an Error). */
export const isRejection = (status: Status): boolean => status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable';
