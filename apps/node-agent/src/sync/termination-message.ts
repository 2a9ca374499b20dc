// A terminated container's message, as the kubelet reads it (kuberuntime_container.go
// getTerminationMessage / readLastStringFromContainerLogs). Pure: the caller reads the file and
// the log.

/** The kubelet reads at most the last 4096 bytes of the termination message file. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
/** FallbackToLogsOnError: the last 80 lines of the log, at most 2048 bytes of them. */
export const FALLBACK_LOG_LINES = 80;
export const FALLBACK_LOG_BYTES = 2048;

export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

export type TerminationMessagePolicy = 'File' | 'FallbackToLogsOnError';

export interface TerminationMessageSpec {
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
}

/** The path the container writes its message to (empty: none). */
export const terminationMessagePath = (spec: TerminationMessageSpec): string => spec.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH;

/** Whether the log is read: FallbackToLogsOnError, a failure, and the file missing or empty. */
export function wantsLogs(spec: TerminationMessageSpec, exitCode: number | undefined, file: string | undefined): boolean {
  return spec.terminationMessagePolicy === 'FallbackToLogsOnError' && (exitCode ?? -1) !== 0 && !file;
}

/** The last `maxBytes` bytes of a file's content (tail.ReadAtMost). */
export function lastBytes(text: Buffer, maxBytes = MAX_TERMINATION_MESSAGE_BYTES): string {
  return text.subarray(Math.max(0, text.length - maxBytes)).toString('utf8');
}

/** The message: the file's content when it has any, else the log tail when wanted, else none. */
export function terminationMessage(spec: TerminationMessageSpec, exitCode: number | undefined, file: string | undefined, logTail: string | undefined): string {
  if (file) return file;
  return wantsLogs(spec, exitCode, file) ? (logTail ?? '') : '';
}
